"""TF-GAN's conditional MNIST GAN (its mnist example's networks and training graph): tfgan.gan_model
calling the example's generator (dense, batch norm, transposed convs, a one-hot condition) and
discriminator (spectral normalization through a custom getter) in TF-GAN's Generator and
Discriminator scopes, tfgan.gan_loss with its default Wasserstein losses, and tfgan.gan_train_ops
with an Adam per network."""
import tensorflow.compat.v1 as tf
import tensorflow_gan as tfgan
from tensorflow_gan.examples.mnist import networks

BATCH, NOISE = 2, 8


def build():
    images = tf.placeholder(tf.float32, [BATCH, 28, 28, 1], name="images")
    one_hot_labels = tf.placeholder(tf.float32, [BATCH, 10], name="one_hot_labels")
    noise = tf.random.normal([BATCH, NOISE])
    gan_model = tfgan.gan_model(
        generator_fn=networks.conditional_generator,
        discriminator_fn=networks.conditional_discriminator,
        real_data=images,
        generator_inputs=(noise, one_hot_labels))
    with tf.name_scope("loss"):
        gan_loss = tfgan.gan_loss(gan_model, add_summaries=True)
    return gan_model, gan_loss


gan_model, gan_loss = build()

with tf.name_scope("train"):
    train_ops = tfgan.gan_train_ops(
        gan_model,
        gan_loss,
        generator_optimizer=tf.train.AdamOptimizer(0.001, 0.5),
        discriminator_optimizer=tf.train.AdamOptimizer(0.0001, 0.5),
        summarize_gradients=True,
        aggregation_method=tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N)
