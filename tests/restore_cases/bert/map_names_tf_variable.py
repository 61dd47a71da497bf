"""A name map whose target is a `tf.Variable`: init_from_checkpoint looks names up in the
variable store only, finds none, takes the name for a scope and raises."""
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
with tf.variable_scope("cls/seq_relationship"):
    bias = tf.Variable(tf.zeros([2]), name="output_bias")
tf.train.init_from_checkpoint(CKPT, {"cls/seq_relationship/output_bias": "cls/seq_relationship/output_bias"})  # expect: SL204
