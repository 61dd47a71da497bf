import tensorflow.compat.v1 as tf

with tf.variable_scope("s"):
    v0 = tf.get_variable("v", [1])
    v1 = tf.get_variable("v", [1])
    v2 = tf.get_variable("v", [1])
    v3 = tf.get_variable("v", [1])
    v4 = tf.get_variable("v", [1])
    v5 = tf.get_variable("v", [1])
    v6 = tf.get_variable("v", [1])
    v7 = tf.get_variable("v", [1])
    v8 = tf.get_variable("v", [1])
    v9 = tf.get_variable("v", [1])
    v10 = tf.get_variable("v", [1])
    v11 = tf.get_variable("v", [1])
