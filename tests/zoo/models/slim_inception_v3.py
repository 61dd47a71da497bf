"""TF-Slim's Inception v3 (tf_slim.nets.inception_v3) under its arg scope, with the auxiliary
head's loss weighted 0.4 and RMSProp (decay 0.9, momentum 0.9, epsilon 1.0), as TF-Slim's image
classifier training trains it."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import inception_v3


def build():
    images = tf.placeholder(tf.float32, [2, 299, 299, 3])
    labels = tf.one_hot(tf.placeholder(tf.int32, [2]), 10)
    with slim.arg_scope(inception_v3.inception_v3_arg_scope()):
        logits, end_points = inception_v3.inception_v3(images, num_classes=10, is_training=True)
    tf.losses.softmax_cross_entropy(labels, end_points["AuxLogits"], label_smoothing=0.1,
                                    weights=0.4)
    return tf.losses.softmax_cross_entropy(labels, logits, label_smoothing=0.1)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=0.9, epsilon=1.0)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
