"""Sonnet 1 sequence model: an snt.Embed lookup, a DeepRNN of an snt.LSTM and an snt.GRU with
the core's trainable initial state (RNNCore.initial_state(trainable=True)), unrolled by
tf.nn.dynamic_rnn, snt.BatchApply of an snt.Linear over the outputs, and Adam."""
import sonnet as snt
import tensorflow.compat.v1 as tf

STEPS, BATCH, VOCAB = 5, 2, 10


def build():
    tokens = tf.placeholder(tf.int32, [BATCH, STEPS], name="tokens")
    targets = tf.placeholder(tf.int32, [BATCH, STEPS], name="targets")
    embed = snt.Embed(vocab_size=VOCAB, embed_dim=8, name="embed")
    core = snt.DeepRNN([snt.LSTM(16, name="lstm"), snt.GRU(12, name="gru")], name="deep_rnn")
    initial_state = core.initial_state(BATCH, trainable=True)
    outputs, _ = tf.nn.dynamic_rnn(core, embed(tokens), initial_state=initial_state,
                                   dtype=tf.float32)
    logits = snt.BatchApply(snt.Linear(VOCAB, name="output"))(outputs)
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))


loss = build()
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
