"""TF-GAN's conditional MNIST GAN, trained as its example trains it: ``tfgan.gan_model`` on the
example's generator and discriminator, ``tfgan.gan_loss``, and ``tfgan.gan_train_ops`` with an
Adam per network, each on its own network's variables."""
import tensorflow.compat.v1 as tf
import tensorflow_gan as tfgan
from tensorflow_gan.examples.mnist import networks

images = tf.placeholder(tf.float32, [2, 28, 28, 1])
one_hot_labels = tf.placeholder(tf.float32, [2, 10])
gan_model = tfgan.gan_model(
    generator_fn=networks.conditional_generator,
    discriminator_fn=networks.conditional_discriminator,
    real_data=images,
    generator_inputs=(tf.random.normal([2, 8]), one_hot_labels))
gan_loss = tfgan.gan_loss(gan_model)
train_ops = tfgan.gan_train_ops(
    gan_model, gan_loss,
    generator_optimizer=tf.train.AdamOptimizer(0.001, 0.5),
    discriminator_optimizer=tf.train.AdamOptimizer(0.0001, 0.5))
