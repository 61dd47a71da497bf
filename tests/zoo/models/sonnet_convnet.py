"""Sonnet 1's ConvNet2D with batch normalization (normalization_ctor=snt.BatchNormV2, its
is_training build argument passed through), flattened by snt.BatchFlatten into an snt.nets.MLP
classifier, with the batch-norm update ops made a dependency of the loss and Adam on it."""
import sonnet as snt
import tensorflow.compat.v1 as tf

BATCH, IMAGE, CLASSES = 2, 8, 5


def build():
    images = tf.placeholder(tf.float32, [BATCH, IMAGE, IMAGE, 3], name="images")
    labels = tf.placeholder(tf.int32, [BATCH], name="labels")
    convnet = snt.nets.ConvNet2D(
        output_channels=[8, 16],
        kernel_shapes=[3],
        strides=[1, 2],
        paddings=[snt.SAME],
        activate_final=True,
        normalization_ctor=snt.BatchNormV2,
        normalize_final=True,
        name="convnet")
    features = convnet(images, is_training=True)
    mlp = snt.nets.MLP([12, CLASSES], name="classifier")
    logits = mlp(snt.BatchFlatten()(features))
    loss = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        loss = tf.identity(loss)
    return loss


loss = build()
train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
