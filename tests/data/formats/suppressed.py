"""Small input for the output-format goldens: suppression comments, one of them stale."""
import tensorflow.compat.v1 as tf

w = tf.get_variable("w", [1])
w2 = tf.get_variable("w", [1])  # noqa: SL001 (kept on purpose)
x = tf.get_variable("x", [1])  # noqa: SL002, E501
