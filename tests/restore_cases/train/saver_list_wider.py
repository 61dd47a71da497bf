"""A wider layer, restored with a Saver over a list: the shape differs."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 5)
saver = tf.train.Saver([v for v in tf.global_variables() if "kernel" in v.name])
with tf.Session() as sess:
    saver.restore(sess, CKPT)  # expect: SL201
