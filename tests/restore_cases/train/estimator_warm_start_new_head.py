"""Fine-tuning with an Estimator: a new head under `classifier`, the encoder warm-started by
WarmStartSettings; the model directory is empty, so the warm start runs and the restore of
the model directory does not (it would fail: the checkpoint has no head)."""
import os
import tempfile

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]


def input_fn(params):
    return {"x": tf.ones([params["batch"], 8])}, tf.zeros([params["batch"]], tf.int32)


def model_fn(features, labels, mode, params):
    with tf.variable_scope("model"):
        h = tf.layers.dense(features["x"], 16, activation=tf.nn.relu)
    with tf.variable_scope("classifier"):
        logits = tf.layers.dense(h, 3)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


settings = tf.estimator.WarmStartSettings(CKPT, vars_to_warm_start="model/")
estimator = tf.estimator.Estimator(model_fn, model_dir=tempfile.mkdtemp(), params={"batch": 2},
                                   warm_start_from=settings)
estimator.train(input_fn, max_steps=1)
