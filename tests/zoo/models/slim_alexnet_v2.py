"""TF-Slim's AlexNet v2 (tf_slim.nets.alexnet) under its arg scope, trained with momentum and
gradients clipped by TF-Slim's create_train_op."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import alexnet


def build():
    images = tf.placeholder(tf.float32, [2, 224, 224, 3])
    labels = tf.placeholder(tf.int32, [2])
    with slim.arg_scope(alexnet.alexnet_v2_arg_scope()):
        logits, _ = alexnet.alexnet_v2(images, num_classes=10, is_training=True)
    return tf.losses.sparse_softmax_cross_entropy(labels, logits)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.MomentumOptimizer(0.01, momentum=0.9)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step, clip_gradient_norm=5.0)
