"""A scope-to-scope map into a scope where code scopelint cannot follow made the variables (a
layer norm chosen by a name read from the environment, called under `bert/embeddings`): the map
may match them, and it does; scopelint stays silent."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]
HIDDEN = 16


def layer_norm(x):
    with tf.variable_scope("LayerNorm"):
        beta = tf.get_variable("beta", [HIDDEN], initializer=tf.zeros_initializer())
        gamma = tf.get_variable("gamma", [HIDDEN], initializer=tf.ones_initializer())
    return x * gamma + beta


norm = globals()[os.environ.get("NORM", "layer_norm")]
ids = tf.placeholder(tf.int32, [None, 5])
with tf.variable_scope("bert"):
    with tf.variable_scope("embeddings"):
        table = tf.get_variable("word_embeddings", [50, HIDDEN])
        h = norm(tf.nn.embedding_lookup(table, ids))
tf.train.init_from_checkpoint(CKPT, {"bert/embeddings/LayerNorm/": "bert/embeddings/LayerNorm/"})
names = sorted(v.op.name for v in tf.global_variables())
assert names == ["bert/embeddings/LayerNorm/beta", "bert/embeddings/LayerNorm/gamma",
                 "bert/embeddings/word_embeddings"], names
