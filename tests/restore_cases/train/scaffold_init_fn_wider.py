"""A Scaffold's init_fn that restores a wider model with slim's assign_from_checkpoint_fn: the
session runs it (its directory is empty), and the restore fails on the output layer."""
import os
import tempfile

import tensorflow.compat.v1 as tf
import tf_slim as slim

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 6)
restore = slim.assign_from_checkpoint_fn(CKPT, tf.trainable_variables())  # expect: SL201


def init_fn(scaffold, session):
    restore(session)


scaffold = tf.train.Scaffold(init_fn=init_fn)
with tf.train.MonitoredTrainingSession(checkpoint_dir=tempfile.mkdtemp(), scaffold=scaffold, save_checkpoint_secs=None, save_summaries_steps=None, log_step_count_steps=None) as sess:
    pass
