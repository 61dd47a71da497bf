"""TF-Slim's Inception v2 (tf_slim.nets.inception_v2, its depths scaled by a depth multiplier)
under its arg scope, trained as TF-Slim's image classifier trainer does: RMSProp through
slim.learning.create_train_op, and an exponential moving average of the model variables."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import inception_v2


def build():
    images = tf.placeholder(tf.float32, [2, 96, 96, 3])
    labels = tf.placeholder(tf.int32, [2])
    with slim.arg_scope(inception_v2.inception_v2_arg_scope()):
        logits, _ = inception_v2.inception_v2(
            images, num_classes=10, is_training=True, depth_multiplier=0.5)
    return tf.losses.sparse_softmax_cross_entropy(labels, logits)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=0.9, epsilon=1.0)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
moving_average = tf.train.ExponentialMovingAverage(0.9999, global_step)
update_averages = moving_average.apply(slim.get_model_variables())
