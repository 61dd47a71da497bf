"""A scope-to-scope map whose scope holds no variable: TF initialises nothing, silently."""
import collections
import os
import re

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]
HIDDEN = 16

ids = tf.placeholder(tf.int32, [None, 5])
with tf.variable_scope("bert"):
    with tf.variable_scope("embeddings"):
        table = tf.get_variable("word_embeddings", [50, HIDDEN])
        h = tf.nn.embedding_lookup(table, ids)
        with tf.variable_scope("LayerNorm"):
            beta = tf.get_variable("beta", [HIDDEN], initializer=tf.zeros_initializer())
            gamma = tf.get_variable("gamma", [HIDDEN], initializer=tf.ones_initializer())
        h = h * gamma + beta
    with tf.variable_scope("encoder/layer_0"):
        h = tf.layers.dense(h, HIDDEN, name="dense")
    with tf.variable_scope("pooler"):
        pooled = tf.layers.dense(h[:, 0], HIDDEN, name="dense")
tf.train.init_from_checkpoint(CKPT, {"bert/embeddings/": "bert/embedding/"})  # expect: SL203
