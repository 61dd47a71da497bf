"""An Estimator whose model directory holds the checkpoint: training resumes from it, the
global step, the model and Adam's slots as they were saved."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]


def input_fn():
    return tf.ones([2, 8]), tf.zeros([2, 4])


def model_fn(features, labels, mode):
    with tf.variable_scope("model"):
        h = tf.layers.dense(features, 16, activation=tf.nn.relu)
        logits = tf.layers.dense(h, 4)
    loss = tf.reduce_mean(logits)
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, model_dir=os.path.dirname(CKPT))
estimator.train(input_fn, max_steps=1)
