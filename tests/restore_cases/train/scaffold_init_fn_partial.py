"""A Scaffold's init_fn made with functools.partial (its restore is not followed): the session's
directory is empty, so TF runs it; the restore of that directory, which would fail on the new
head, is not claimed either."""
import functools
import os
import tempfile

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
with tf.variable_scope("head"):
    logits = tf.layers.dense(h, 3)


def restore_pretrained(saver, scaffold, session):
    saver.restore(session, CKPT)


init_fn = functools.partial(restore_pretrained, tf.train.Saver(tf.global_variables("model")))
with tf.train.MonitoredTrainingSession(checkpoint_dir=tempfile.mkdtemp(), scaffold=tf.train.Scaffold(init_fn=init_fn), save_checkpoint_secs=None, save_summaries_steps=None, log_step_count_steps=None) as sess:
    pass
