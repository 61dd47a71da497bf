"""An integer counter mapped onto the checkpoint's float kernel by variable: the dtype differs
and the initialiser fails when it runs."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
    steps = tf.get_variable("steps", [4], dtype=tf.int32, initializer=tf.zeros_initializer())
tf.train.init_from_checkpoint(CKPT, {"model/dense_1/bias": steps, "model/dense/": "model/dense/"})  # expect: SL201
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
