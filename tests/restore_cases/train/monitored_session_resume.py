"""Resuming with a monitored session (same graph): it restores everything the checkpoint holds."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("model"):
    h = tf.layers.dense(x, 16, activation=tf.nn.relu)
    logits = tf.layers.dense(h, 4)
loss = tf.reduce_mean(logits)
step = tf.train.get_or_create_global_step()
train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
scaffold = tf.train.Scaffold()
with tf.train.MonitoredTrainingSession(checkpoint_dir=os.path.dirname(CKPT), scaffold=scaffold, save_checkpoint_secs=None, save_summaries_steps=None) as sess:
    pass
