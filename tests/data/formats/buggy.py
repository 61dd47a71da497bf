"""Small input for the output-format goldens: one finding of each kind of shape."""
import tensorflow.compat.v1 as tf


def tower(x):
    w = tf.get_variable("w", [3, 3])
    return tf.matmul(x, w)


a = tower(tf.zeros([3, 3]))
b = tower(tf.zeros([3, 3]))

with tf.variable_scope("odd%name,with:chars"):
    c = tf.get_variable("c", [1])
    c2 = tf.get_variable("c", [1])

with tf.variable_scope("s", reuse=True):
    v = tf.get_variable(
        "missing", [2])
    u = tf.Variable(1.0, name="u")
