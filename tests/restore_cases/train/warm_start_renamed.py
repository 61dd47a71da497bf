"""Warm-starting a renamed model through var_name_to_prev_var_name, one old name misspelled."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("net"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
tf.train.warm_start(CKPT, vars_to_warm_start="net/dense/", var_name_to_prev_var_name={  # expect: SL200
    "net/dense/kernel": "model/dense/kernel", "net/dense/bias": "model/dense/biases"})
