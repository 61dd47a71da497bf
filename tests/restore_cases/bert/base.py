"""A small BERT-like encoder, with its pre-training heads, as the checkpoint holds it."""
import tensorflow.compat.v1 as tf

ids = tf.placeholder(tf.int32, [None, 5])
with tf.variable_scope("bert"):
    with tf.variable_scope("embeddings"):
        table = tf.get_variable("word_embeddings", [50, 16])
        h = tf.nn.embedding_lookup(table, ids)
        with tf.variable_scope("LayerNorm"):
            beta = tf.get_variable("beta", [16], initializer=tf.zeros_initializer())
            gamma = tf.get_variable("gamma", [16], initializer=tf.ones_initializer())
        h = h * gamma + beta
    with tf.variable_scope("encoder/layer_0"):
        h = tf.layers.dense(h, 16, name="dense")
    with tf.variable_scope("pooler"):
        pooled = tf.layers.dense(h[:, 0], 16, name="dense")
with tf.variable_scope("cls/seq_relationship"):
    w = tf.get_variable("output_weights", [2, 16])
    b = tf.get_variable("output_bias", [2])
