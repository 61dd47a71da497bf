"""Sampling from the generator alone: a Saver over its variables, from the training checkpoint."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

z = tf.placeholder(tf.float32, [None, 4])
with tf.variable_scope("generator"):
    fake = tf.layers.dense(z, 8, name="g_fc")
saver = tf.train.Saver(tf.trainable_variables("generator"))
with tf.Session() as sess:
    saver.restore(sess, CKPT)
