"""Warm-starting the optimizer's slots by a name pattern: they are global, not trainable; the
checkpoint holds those of the first two layers (the second one narrower), not the new layer's."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    h = tf.layers.dense(h, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
loss = tf.reduce_mean(logits)
step = tf.train.get_or_create_global_step()
train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
tf.train.warm_start(CKPT, vars_to_warm_start=[".*Adam"])  # expect: SL200, SL201
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
