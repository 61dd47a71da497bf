"""Evaluation: the model, an evaluation counter the checkpoint does not have, and a Saver over
the trainable variables only: the counter is not restored, so this works."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
evaluated = tf.Variable(0, name="eval_count", trainable=False)
saver = tf.train.Saver(var_list=tf.trainable_variables())
with tf.Session() as sess:
    saver.restore(sess, CKPT)
