"""TF-Slim's Inception v1 (tf_slim.nets.inception_v1) under its arg scope, trained with Adam
through slim.learning.create_train_op."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import inception_v1


def build():
    images = tf.placeholder(tf.float32, [2, 224, 224, 3])
    labels = tf.placeholder(tf.int32, [2])
    with slim.arg_scope(inception_v1.inception_v1_arg_scope()):
        logits, _ = inception_v1.inception_v1(images, num_classes=10, is_training=True)
    return tf.losses.sparse_softmax_cross_entropy(labels, logits)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.AdamOptimizer(0.001)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
