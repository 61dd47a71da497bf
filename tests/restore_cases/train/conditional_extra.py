"""A variable made only when an environment variable is set: it is not here when TF runs, and
whether it is cannot be known before, so the restore over every variable is not claimed to fail
on it."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
    if os.environ.get("WITH_TEMPERATURE"):
        temperature = tf.get_variable("temperature", [], initializer=tf.ones_initializer())
loss = tf.reduce_mean(logits)
step = tf.train.get_or_create_global_step()
train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, CKPT)
