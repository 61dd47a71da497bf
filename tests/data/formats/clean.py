"""Small input for the output-format goldens: correct sharing, no findings."""
import tensorflow.compat.v1 as tf

with tf.variable_scope("shared"):
    w = tf.get_variable("w", [2])
with tf.variable_scope("shared", reuse=True):
    w_again = tf.get_variable("w", [2])
