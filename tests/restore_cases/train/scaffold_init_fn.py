"""Fine-tuning in a monitored session: a new head, and a Scaffold whose init_fn restores the
model's variables with a Saver. The session's directory is empty, so it runs init_fn (a restore
of that directory would fail: the checkpoint has no head)."""
import os
import tempfile

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
with tf.variable_scope("head"):
    logits = tf.layers.dense(h, 3)
saver = tf.train.Saver(tf.global_variables("model"))
scaffold = tf.train.Scaffold(init_fn=lambda scaffold, session: saver.restore(session, CKPT))
with tf.train.MonitoredTrainingSession(checkpoint_dir=tempfile.mkdtemp(), scaffold=scaffold, save_checkpoint_secs=None, save_summaries_steps=None, log_step_count_steps=None) as sess:
    pass
