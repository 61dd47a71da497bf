"""A monitored session without a checkpoint directory always runs its Scaffold's init_fn; this
one restores an evaluation counter the checkpoint does not have."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
evaluated = tf.Variable(0, name="eval_count", trainable=False)
saver = tf.train.Saver()


def init_fn(scaffold, session):
    saver.restore(session, CKPT)  # expect: SL200


with tf.train.MonitoredTrainingSession(scaffold=tf.train.Scaffold(init_fn=init_fn), save_checkpoint_secs=None, save_summaries_steps=None, log_step_count_steps=None) as sess:
    pass
