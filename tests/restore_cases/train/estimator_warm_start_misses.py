"""The encoder was renamed `encoder`; the warm-start pattern still says `model/`: it matches no
trainable variable and TF warm-starts nothing, silently."""
import os
import tempfile

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]


def input_fn():
    return {"x": tf.ones([2, 8])}, tf.zeros([2], tf.int32)


def model_fn(features, labels, mode):
    with tf.variable_scope("encoder"):
        h = tf.layers.dense(features["x"], 16, activation=tf.nn.relu)
        logits = tf.layers.dense(h, 4)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


settings = tf.estimator.WarmStartSettings(CKPT, vars_to_warm_start="model/")
estimator = tf.estimator.Estimator(model_fn, model_dir=tempfile.mkdtemp(), warm_start_from=settings)
estimator.train(input_fn, max_steps=1)  # expect: SL203
