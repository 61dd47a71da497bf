"""TF-Slim's OverFeat (tf_slim.nets.overfeat) under its arg scope, trained with Adagrad through
slim.learning.create_train_op."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import overfeat


def build():
    images = tf.placeholder(tf.float32, [2, 231, 231, 3])
    labels = tf.placeholder(tf.int32, [2])
    with slim.arg_scope(overfeat.overfeat_arg_scope()):
        logits, _ = overfeat.overfeat(images, num_classes=10, is_training=True)
    return tf.losses.sparse_softmax_cross_entropy(labels, logits)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.AdagradOptimizer(0.01)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
