"""Sonnet 1's Tiny Shakespeare model (its rnn_shakespeare example): a DeepRNN of LSTMs wrapped in
skip-connection cores between BatchApply'd Linear modules, unrolled by dynamic_rnn, a sampling
graph built by a @snt.reuse_variables method, then the example's training graph: gradients
clipped by global norm, learning rate and global step made with get_variable, Adam."""
import tensorflow.compat.v1 as tf
from sonnet.examples import rnn_shakespeare

STEPS, BATCH, VOCAB = 5, 2, 10


def build():
    model = rnn_shakespeare.TextModel(
        num_embedding=8, num_hidden=16, lstm_depth=2, output_size=VOCAB,
        use_dynamic_rnn=True, use_skip_connections=True)
    inputs = tf.placeholder(tf.float32, [STEPS, BATCH, VOCAB], name="one_hot_inputs")
    targets = tf.placeholder(tf.float32, [STEPS, BATCH, VOCAB], name="one_hot_targets")
    logits, final_state = model(inputs)
    model.generate_string(
        initial_logits=logits[STEPS - 1], initial_state=final_state, sequence_length=3)
    return tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits))


loss = build()

trainable_variables = tf.trainable_variables()
grads, _ = tf.clip_by_global_norm(tf.gradients(loss, trainable_variables), 5)
learning_rate = tf.get_variable(
    "learning_rate", shape=[], dtype=tf.float32,
    initializer=tf.constant_initializer(0.1), trainable=False)
global_step = tf.get_variable(
    name="global_step", shape=[], dtype=tf.int64, initializer=tf.zeros_initializer(),
    trainable=False, collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.GLOBAL_STEP])
optimizer = tf.train.AdamOptimizer(learning_rate, epsilon=0.01)
train_step = optimizer.apply_gradients(zip(grads, trainable_variables), global_step=global_step)
