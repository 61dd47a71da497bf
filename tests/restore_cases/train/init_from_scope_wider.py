"""A wider output layer initialised through a scope map: TF checks no shape for a `'scope/'`
entry when it is called; the initialiser's assignment fails when it runs."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 5)
tf.train.init_from_checkpoint(CKPT, {"model/": "model/"})  # expect: SL201
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
