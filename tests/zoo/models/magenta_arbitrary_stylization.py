"""Magenta's arbitrary image stylization as its training script builds it: a style prediction
network (TF-Slim's Inception v3 base up to an early end point under the model's own arg scope,
a bottleneck and per-layer beta/gamma convolutions in a loop over the transformer's activation
names), the transformer network with conditional style normalization, the VGG-16 content and
style losses, and Adam through slim.learning.create_train_op with clipped gradients."""
import tensorflow.compat.v1 as tf
import tf_slim as slim
from magenta.models.arbitrary_image_stylization import (
    arbitrary_image_stylization_build_model as build_model,
)

BATCH, SIZE = 1, 224  # VGG-16's fully connected layers need 224
CONTENT_WEIGHTS = {"vgg_16/conv3": 1}
STYLE_WEIGHTS = {"vgg_16/conv1": 0.5e-3, "vgg_16/conv2": 0.5e-3, "vgg_16/conv3": 0.5e-3}


def build():
    content = tf.placeholder(tf.float32, [BATCH, SIZE, SIZE, 3], name="content")
    style = tf.placeholder(tf.float32, [BATCH, SIZE, SIZE, 3], name="style")
    _, total_loss, _, _ = build_model.build_model(
        content,
        style,
        trainable=True,
        is_training=True,
        inception_end_point="Mixed_5b",
        style_prediction_bottleneck=8,
        adds_losses=True,
        content_weights=CONTENT_WEIGHTS,
        style_weights=STYLE_WEIGHTS,
        total_variation_weight=1e4)
    return total_loss


loss = build()

optimizer = tf.train.AdamOptimizer(1e-3)
train_op = slim.learning.create_train_op(
    loss, optimizer, clip_gradient_norm=10.0, summarize_gradients=False)
