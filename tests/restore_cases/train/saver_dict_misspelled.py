"""The same dict, with the old scope misspelled: every key is missing."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("net"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
names = {"models/" + v.op.name[len("net/"):]: v for v in tf.global_variables() if v.op.name.startswith("net/")}
saver = tf.train.Saver(names)
with tf.Session() as sess:
    saver.restore(sess, CKPT)  # expect: SL200
