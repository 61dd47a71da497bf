"""Fine-tuning with a wider hidden size than the checkpoint: the shared names map, their
shapes do not, and init_from_checkpoint raises at the first (sorted) one."""
import collections
import os
import re

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]
HIDDEN = 24
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
with tf.variable_scope("classifier"):
    output_weights = tf.get_variable("output_weights", [3, HIDDEN])


def get_assignment_map_from_checkpoint(tvars, init_checkpoint):
    """The names the model and the checkpoint share, as BERT's fine-tuning scripts compute them."""
    name_to_variable = collections.OrderedDict()
    for var in tvars:
        name = var.name
        m = re.match("^(.*):\\d+$", name)
        if m is not None:
            name = m.group(1)
        name_to_variable[name] = var
    assignment_map = collections.OrderedDict()
    for x in tf.train.list_variables(init_checkpoint):
        (name, var) = (x[0], x[1])
        if name not in name_to_variable:
            continue
        assignment_map[name] = name
    return assignment_map

tvars = tf.trainable_variables()
assignment_map = get_assignment_map_from_checkpoint(tvars, CKPT)
tf.train.init_from_checkpoint(CKPT, assignment_map)  # expect: SL201
