"""ignore_missing_vars=True over the model and a new head: the head is skipped, the rest restored."""
import os

import tensorflow.compat.v1 as tf
import tf_slim as slim

CKPT = os.environ["RESTORE_CKPT"]

images = tf.placeholder(tf.float32, [None, 8, 8, 3])
with tf.variable_scope("vgg"):
    net = slim.conv2d(images, 4, [3, 3], scope="conv1")
    net = slim.flatten(net)
    logits = slim.fully_connected(net, 5, activation_fn=None, scope="new_logits")
init_fn = slim.assign_from_checkpoint_fn(CKPT, slim.get_model_variables(), ignore_missing_vars=True)
with tf.Session() as sess:
    init_fn(sess)
