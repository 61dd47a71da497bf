"""A small slim network trained on 10 classes."""
import tensorflow.compat.v1 as tf
import tf_slim as slim

images = tf.placeholder(tf.float32, [None, 8, 8, 3])
with tf.variable_scope("vgg"):
    net = slim.conv2d(images, 4, [3, 3], scope="conv1")
    net = slim.flatten(net)
    logits = slim.fully_connected(net, 10, activation_fn=None, scope="logits")
