"""The model moved under `net/`: a Saver dict maps each variable to its old name, computed from
its op name. Clean."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("net"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
names = {"model/" + v.op.name[len("net/"):]: v for v in tf.global_variables() if v.op.name.startswith("net/")}
saver = tf.train.Saver(names)
with tf.Session() as sess:
    saver.restore(sess, CKPT)
