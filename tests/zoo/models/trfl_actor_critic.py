"""A recurrent advantage actor-critic with TRFL: an LSTM torso unrolled time-major by dynamic_rnn
in an "agent" scope, policy and baseline heads (tf.layers.dense), TRFL's sequence A2C loss with
entropy (its lambda-returns scan), RMSProp on gradients clipped by global norm."""
import tensorflow.compat.v1 as tf
import trfl

STEPS, BATCH, OBSERVATION, ACTIONS = 5, 3, 6, 4


def build():
    observations = tf.placeholder(tf.float32, [STEPS + 1, BATCH, OBSERVATION], name="obs")
    actions = tf.placeholder(tf.int32, [STEPS, BATCH], name="actions")
    rewards = tf.placeholder(tf.float32, [STEPS, BATCH], name="rewards")
    pcontinues = tf.placeholder(tf.float32, [STEPS, BATCH], name="pcontinues")
    with tf.variable_scope("agent"):
        cell = tf.nn.rnn_cell.LSTMCell(16)
        torso, _ = tf.nn.dynamic_rnn(cell, observations, time_major=True, dtype=tf.float32)
        logits = tf.layers.dense(torso, ACTIONS, name="policy")
        values = tf.squeeze(tf.layers.dense(torso, 1, name="baseline"), axis=-1)
    loss, _ = trfl.sequence_advantage_actor_critic_loss(
        policy_logits=logits[:-1], baseline_values=values[:-1], actions=actions,
        rewards=rewards, pcontinues=pcontinues, bootstrap_value=values[-1],
        entropy_cost=0.01)
    return tf.reduce_mean(loss)


loss = build()

optimizer = tf.train.RMSPropOptimizer(1e-3, decay=0.99, epsilon=0.1)
grads_and_vars = optimizer.compute_gradients(loss)
gradients, variables = zip(*grads_and_vars)
gradients, _ = tf.clip_by_global_norm(gradients, 40.0)
train_op = optimizer.apply_gradients(zip(gradients, variables))
