"""The Estimator's WarmStartSettings handed to warm_start as its arguments: the default
`vars_to_warm_start` is every trainable variable, and the head is wider."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 5)
settings = tf.estimator.WarmStartSettings(CKPT)
tf.train.warm_start(*settings)  # expect: SL201
