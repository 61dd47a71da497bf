"""The GAN with each Adam's var_list read by scope (`tf.trainable_variables("discriminator")`),
resumed: the slots, `beta1_power` and `beta1_power_1` are the ones saved."""
import os

import tensorflow.compat.v1 as tf

CKPT = os.environ["RESTORE_CKPT"]

z = tf.placeholder(tf.float32, [None, 4])
x = tf.placeholder(tf.float32, [None, 8])
with tf.variable_scope("generator"):
    fake = tf.layers.dense(z, 8, name="g_fc")


def discriminator(inputs, reuse):
    with tf.variable_scope("discriminator", reuse=reuse):
        return tf.layers.dense(inputs, 1, name="d_fc")


d_real = discriminator(x, False)
d_fake = discriminator(fake, True)
d_step = tf.train.AdamOptimizer(2e-4).minimize(
    tf.reduce_mean(d_fake - d_real), var_list=tf.trainable_variables("discriminator"))
g_step = tf.train.AdamOptimizer(2e-4).minimize(
    -tf.reduce_mean(d_fake), var_list=tf.trainable_variables("generator"))
saver = tf.train.Saver()
with tf.Session() as sess:
    saver.restore(sess, CKPT)
