"""Magenta's N-styles image stylization network, built as its training script builds it: the
transformer network (slim.conv2d under an arg_scope whose normalizer is the model's conditional
instance norm, residual blocks, upsampling) at a quarter of the width, the content and style
losses through the model's own VGG-16 (slim.repeat, frozen by an arg_scope, connected twice),
and Adam through slim.learning.create_train_op with gradient clipping."""
import tensorflow.compat.v1 as tf
import tf_slim as slim
from magenta.models.image_stylization import learning
from magenta.models.image_stylization import model

NUM_STYLES, SIZE = 3, 224
STYLE_CHANNELS = {"vgg_16/conv1": 64, "vgg_16/conv2": 128, "vgg_16/conv3": 256,
                  "vgg_16/conv4": 512}


def build():
    inputs = tf.placeholder(tf.float32, [1, SIZE, SIZE, 3], name="inputs")
    style_labels = tf.placeholder(tf.int32, [1], name="style_labels")
    style_gram_matrices = {
        name: tf.placeholder(tf.float32, [1, channels, channels])
        for name, channels in STYLE_CHANNELS.items()}
    style_coefficient = tf.gather(tf.constant([1.0] * NUM_STYLES), style_labels)
    style_weights = {name: style_coefficient * 1e-4 for name in STYLE_CHANNELS}
    stylized_inputs = model.transform(
        inputs,
        alpha=0.25,
        normalizer_params={"labels": style_labels, "num_categories": NUM_STYLES,
                           "center": True, "scale": True})
    total_loss, _ = learning.total_loss(
        inputs, stylized_inputs, style_gram_matrices, {"vgg_16/conv3": 1.0}, style_weights)
    return total_loss


loss = build()

optimizer = tf.train.AdamOptimizer(1e-3)
train_op = slim.learning.create_train_op(
    loss, optimizer, clip_gradient_norm=5.0, summarize_gradients=False)
