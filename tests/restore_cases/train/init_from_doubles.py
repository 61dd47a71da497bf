"""The model moved to float64 and is initialised from the float32 checkpoint through a scope map:
TF builds the initialisers, and they fail when they run (`expected dtype double does not equal
original dtype float`)."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float64, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
tf.train.init_from_checkpoint(CKPT, {"model/": "model/"})  # expect: SL201
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
