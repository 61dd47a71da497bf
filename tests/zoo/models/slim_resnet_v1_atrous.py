"""TF-Slim's ResNet v1 generator (tf_slim.nets.resnet_v1.resnet_v1) on custom tiny bottleneck
blocks built with resnet_v1_block, as a dense-prediction network: output_stride=8 (atrous
convolutions in the later blocks), no global pooling, a per-pixel logits layer, under the ResNet
arg scope with weight decay; trained with momentum through slim.learning.create_train_op on the
total loss (with the regularization losses)."""
import tensorflow.compat.v1 as tf
import tf_slim as slim
from tf_slim.nets import resnet_utils, resnet_v1


def build():
    images = tf.placeholder(tf.float32, [2, 32, 32, 3])
    labels = tf.placeholder(tf.int32, [2, 4, 4])
    blocks = [
        resnet_v1.resnet_v1_block("block1", base_depth=4, num_units=2, stride=2),
        resnet_v1.resnet_v1_block("block2", base_depth=8, num_units=1, stride=2),
        resnet_v1.resnet_v1_block("block3", base_depth=8, num_units=2, stride=2),
        resnet_v1.resnet_v1_block("block4", base_depth=16, num_units=1, stride=1),
    ]
    with slim.arg_scope(resnet_utils.resnet_arg_scope(weight_decay=0.0001)):
        logits, _ = resnet_v1.resnet_v1(
            images, blocks, num_classes=5, is_training=True, global_pool=False,
            output_stride=8, scope="resnet_tiny")
    return tf.losses.sparse_softmax_cross_entropy(labels, logits)


loss = build()
global_step = tf.train.get_or_create_global_step()
optimizer = tf.train.MomentumOptimizer(0.01, momentum=0.9)
train_op = slim.learning.create_train_op(tf.losses.get_total_loss(), optimizer,
                                         global_step=global_step)
