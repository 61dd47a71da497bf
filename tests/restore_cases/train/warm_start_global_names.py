"""A list of names warm-starts global variables too (the global step here), each name a regex
matched from the start; the wider head is not in the list."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 5)
step = tf.train.get_or_create_global_step()
tf.train.warm_start(CKPT, vars_to_warm_start=["model/dense/", "global_step"])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
