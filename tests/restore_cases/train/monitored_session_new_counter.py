"""Resuming with a monitored session: it restores the latest checkpoint of `checkpoint_dir` with a
Saver of every variable, and the program added an evaluation counter the checkpoint lacks."""
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
evaluated = tf.Variable(0, name="eval_count", trainable=False)
with tf.train.MonitoredTrainingSession(checkpoint_dir=os.path.dirname(CKPT), save_checkpoint_secs=None, save_summaries_steps=None) as sess:  # expect: SL200
    pass
