"""A VQ-VAE of Sonnet 1 modules: a ConvNet2D encoder with batch normalization, a 1x1 Conv2D into
the code space, Sonnet's VectorQuantizer (its codebook, trained by the quantizer's codebook and
commitment losses), a ConvNet2DTranspose decoder back to the image, and Adam on the sum of the
reconstruction and quantizer losses."""
import sonnet as snt
import tensorflow.compat.v1 as tf

BATCH, SIZE, EMBEDDING, CODES = 2, 16, 4, 16


def build():
    images = tf.placeholder(tf.float32, [BATCH, SIZE, SIZE, 3], name="images")
    encoder = snt.nets.ConvNet2D(
        output_channels=[8, 16], kernel_shapes=[4, 3], strides=[2, 1], paddings=[snt.SAME],
        normalization_ctor=snt.BatchNormV2, activate_final=True, name="encoder")
    to_codes = snt.Conv2D(EMBEDDING, kernel_shape=1, name="to_codes")
    quantizer = snt.nets.VectorQuantizer(
        embedding_dim=EMBEDDING, num_embeddings=CODES, commitment_cost=0.25)
    decoder = snt.nets.ConvNet2DTranspose(
        output_channels=[8, 3], output_shapes=[[SIZE // 2, SIZE // 2], [SIZE, SIZE]],
        kernel_shapes=[3, 4], strides=[1, 2], paddings=[snt.SAME], name="decoder")
    codes = to_codes(encoder(images, is_training=True))
    quantized = quantizer(codes, is_training=True)
    reconstruction = decoder(quantized["quantize"])
    reconstruction_loss = tf.reduce_mean(tf.square(reconstruction - images))
    return reconstruction_loss + quantized["loss"]


loss = build()

train_op = tf.train.AdamOptimizer(3e-4).minimize(loss)
