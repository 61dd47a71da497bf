"""Warm-starting the kernels by regex, and a pattern that matches no variable."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
tf.train.warm_start(CKPT, vars_to_warm_start="model/dense/.*")
tf.train.warm_start(CKPT, vars_to_warm_start="model/conv.*")  # expect: SL203
