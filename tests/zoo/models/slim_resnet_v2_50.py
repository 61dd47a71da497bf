"""TF-Slim's ResNet-50 v2 (tf_slim.nets.resnet_v2, pre-activation) under the ResNet arg scope,
trained with plain SGD through slim.learning.create_train_op."""

import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import resnet_utils, resnet_v2


def build():
    images = tf.placeholder(tf.float32, [2, 64, 64, 3])
    labels = tf.placeholder(tf.int32, [2])
    with slim.arg_scope(resnet_utils.resnet_arg_scope()):
        logits, _ = resnet_v2.resnet_v2_50(images, num_classes=10, is_training=True)
    return tf.losses.sparse_softmax_cross_entropy(labels, tf.squeeze(logits, [1, 2]))


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.GradientDescentOptimizer(0.1)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
