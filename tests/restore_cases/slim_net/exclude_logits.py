"""Fine-tuning on 5 classes, as the slim scripts do it: the logits are excluded from the restore."""
import os

import tensorflow.compat.v1 as tf
import tf_slim as slim

CKPT = os.environ["RESTORE_CKPT"]

images = tf.placeholder(tf.float32, [None, 8, 8, 3])
with tf.variable_scope("vgg"):
    net = slim.conv2d(images, 4, [3, 3], scope="conv1")
    net = slim.flatten(net)
    logits = slim.fully_connected(net, 5, activation_fn=None, scope="logits")
variables = slim.get_variables_to_restore(exclude=["vgg/logits"])
init_fn = slim.assign_from_checkpoint_fn(CKPT, variables)
with tf.Session() as sess:
    init_fn(sess)
