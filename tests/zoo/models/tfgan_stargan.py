"""TF-GAN's StarGAN example as its training library builds it: tfgan.stargan_model on the
example's generator (down-sampling, residual bottleneck and up-sampling blocks with instance
norm, the target domain label tiled as extra input channels) and discriminator (source and
domain-class heads), with the generator applied twice (translation and reconstruction) and the
discriminator on real and generated images under reuse; tfgan.stargan_loss; then the library's
train ops: learning rates decayed by tf.cond on the global step and an Adam per network."""
import tensorflow.compat.v1 as tf
import tensorflow_gan as tfgan
from tensorflow_gan.examples.stargan import train_lib

BATCH, PATCH, DOMAINS = 1, 128, 3


def build():
    images = [tf.placeholder(tf.float32, [BATCH, PATCH, PATCH, 3], name="images_%d" % i)
              for i in range(DOMAINS)]
    labels = [tf.one_hot([i] * BATCH, DOMAINS) for i in range(DOMAINS)]
    with tf.name_scope("model"):
        model = train_lib._define_model(images, labels)
    loss = tfgan.stargan_loss(model)
    return model, loss


model, loss = build()

with tf.name_scope("train_ops"):
    train_ops = train_lib._define_train_ops(
        model, loss, gen_lr=1e-4, dis_lr=1e-4, beta1=0.5, beta2=0.999,
        max_number_of_steps=100)
