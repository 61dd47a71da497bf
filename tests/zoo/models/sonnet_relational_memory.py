"""Sonnet 1's relational memory core on the n-th farthest task (its rmc_nth_farthest example): a
SequenceModel unrolling snt.RelationalMemory (multi-head attention over memory slots, an MLP per
block, unit gates) with dynamic_rnn, a final MLP and a Linear made inside _build; Adam with
exponential decay as the example trains it, and the test copy of the model connected again."""
import tensorflow.compat.v1 as tf
import sonnet as snt
from sonnet.examples import rmc_nth_farthest

BATCH, OBJECTS, FEATURES = 2, 3, 4


def build():
    core = snt.RelationalMemory(mem_slots=2, head_size=4, num_heads=2, num_blocks=1,
                                gate_style="unit")
    final_mlp = snt.nets.MLP(output_sizes=(20,), activate_final=True)
    model = rmc_nth_farthest.SequenceModel(core=core, target_size=OBJECTS, final_mlp=final_mlp)
    inputs = tf.placeholder(tf.float32, [BATCH, OBJECTS, FEATURES], name="inputs")
    labels = tf.placeholder(tf.int32, [BATCH], name="labels")
    logits = model(inputs)
    model(tf.placeholder(tf.float32, [BATCH, OBJECTS, FEATURES], name="test_inputs"))
    return tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=labels))


loss = build()

global_step = tf.get_variable(
    name="global_step", shape=[], dtype=tf.int64, initializer=tf.zeros_initializer(),
    trainable=False, collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.GLOBAL_STEP])
learning_rate = tf.reduce_max([
    tf.train.exponential_decay(1e-4, global_step, decay_steps=100, decay_rate=0.9),
    8e-5,
])
step_op = tf.train.AdamOptimizer(learning_rate).minimize(loss, global_step=global_step)
