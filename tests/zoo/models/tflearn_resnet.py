"""TFLearn's residual network for CIFAR-10 (as its residual_network_cifar10 example builds it,
with one block per stage and tiny images): conv_2d with L2 weight decay, residual_block stages
(batch norm, downsampling), global average pooling, a softmax layer, and tflearn.regression with a
decaying Momentum optimizer object; then the training ops its Trainer makes for each TrainOp
(is_training flag, loss moving averages, global-norm clipped gradients, Momentum slots)."""
import tensorflow.compat.v1 as tf
import tflearn
from tflearn.config import init_training_mode


def build():
    net = tflearn.input_data(shape=[None, 8, 8, 3])
    net = tflearn.conv_2d(net, 4, 3, regularizer="L2", weight_decay=0.0001)
    net = tflearn.residual_block(net, 1, 4)
    net = tflearn.residual_block(net, 1, 8, downsample=True)
    net = tflearn.batch_normalization(net)
    net = tflearn.activation(net, "relu")
    net = tflearn.global_avg_pool(net)
    net = tflearn.fully_connected(net, 10, activation="softmax")
    momentum = tflearn.Momentum(0.1, lr_decay=0.1, decay_step=32000, staircase=True)
    tflearn.regression(net, optimizer=momentum, loss="categorical_crossentropy")
    return tf.get_collection(tf.GraphKeys.TRAIN_OPS)[-1].loss


loss = build()

init_training_mode()
global_step = tf.Variable(0., name="Global_Step", trainable=False)
for i, train_op in enumerate(tf.get_collection(tf.GraphKeys.TRAIN_OPS)):
    train_op.scope_name = ""
    train_op.initialize_training_ops(i, None, 0, 5.0)
