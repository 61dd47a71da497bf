"""TF-GAN's progressive GAN, built by its example's own build_model for the first transition
stage of two resolutions: generator and discriminator blocks made in loops with the example's
custom he-scaled conv and dense layers, image blending by training progress, tfgan.gan_model and
tfgan.gan_loss with a Wasserstein gradient penalty (the discriminator called again), Adam train
ops in their own variable scope, and the generator's exponential moving average."""
import tensorflow.compat.v1 as tf
from tensorflow_gan.examples.progressive_gan import train

CONFIG = dict(
    start_height=4,
    start_width=4,
    scale_base=2,
    num_resolutions=2,
    stable_stage_num_images=8,
    transition_stage_num_images=8,
    total_num_images=32,
    kernel_size=3,
    colors=3,
    to_rgb_use_tanh_activation=False,
    fmap_base=32,
    fmap_decay=1.0,
    fmap_max=8,
    latent_vector_size=8,
    gradient_penalty_weight=10.0,
    gradient_penalty_target=1.0,
    real_score_penalty_weight=0.001,
    adam_beta1=0.0,
    adam_beta2=0.99,
    generator_learning_rate=0.001,
    discriminator_learning_rate=0.001,
)
BATCH = 2


def build():
    real_images = tf.placeholder(tf.float32, [BATCH, 8, 8, 3], name="real_images")
    model = train.build_model(stage_id=1, batch_size=BATCH, real_images=real_images, **CONFIG)
    return model.gan_loss.discriminator_loss


loss = build()
