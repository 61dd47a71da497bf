"""Evaluation with a Saver over every variable: the evaluation counter is not in the
checkpoint and the restore fails."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
evaluated = tf.Variable(0, name="eval_count", trainable=False)
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, CKPT)  # expect: SL200
