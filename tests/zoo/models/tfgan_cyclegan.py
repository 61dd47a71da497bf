"""TF-GAN's CycleGAN example as its training library builds it: tfgan.cyclegan_model on the
example's ResNet generator and pix2pix discriminator (two GANs, each direction's generator and
discriminator in its own scope), tfgan.cyclegan_loss with the cycle-consistency loss and a
tensor pool, then the library's train ops: learning rates decayed on the global step and an Adam
per network through tfgan.gan_train_ops."""
import tensorflow.compat.v1 as tf
import tensorflow_gan as tfgan
from tensorflow_gan.examples.cyclegan import train_lib

BATCH, PATCH = 1, 32

HPARAMS = train_lib.HParams(
    image_set_x_file_pattern=None,
    image_set_y_file_pattern=None,
    batch_size=BATCH,
    patch_size=PATCH,
    master="",
    train_log_dir="",
    generator_lr=0.0002,
    discriminator_lr=0.0001,
    max_number_of_steps=100,
    ps_replicas=0,
    task=0,
    cycle_consistency_loss_weight=10.0,
)


def build():
    images_x = tf.placeholder(tf.float32, [BATCH, PATCH, PATCH, 3], name="images_x")
    images_y = tf.placeholder(tf.float32, [BATCH, PATCH, PATCH, 3], name="images_y")
    cyclegan_model = train_lib._define_model(images_x, images_y)
    cyclegan_loss = tfgan.cyclegan_loss(
        cyclegan_model,
        cycle_consistency_loss_weight=HPARAMS.cycle_consistency_loss_weight,
        tensor_pool_fn=tfgan.features.tensor_pool)
    return cyclegan_model, cyclegan_loss


cyclegan_model, cyclegan_loss = build()
train_ops = train_lib._define_train_ops(cyclegan_model, cyclegan_loss, HPARAMS)
