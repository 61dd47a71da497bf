"""`vars_to_warm_start=None` taken for "everything": TF warm-starts only the variables given
vocabulary information then, so nothing is warm-started (the wider head would have failed)."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 5)
tf.train.warm_start(CKPT, vars_to_warm_start=None)  # expect: SL203
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
