"""TFLearn's AlexNet (as its alexnet example builds it, with tiny images and widths): conv_2d
layers (the first strided), max pooling, local response normalization, tanh fully connected layers
with dropout, a softmax layer, and tflearn.regression with Momentum by name; then the training ops
its Trainer makes for each TrainOp."""
import tensorflow.compat.v1 as tf
import tflearn
from tflearn.config import init_training_mode


def build():
    net = tflearn.input_data(shape=[None, 32, 32, 3])
    net = tflearn.conv_2d(net, 8, 5, strides=2, activation="relu")
    net = tflearn.max_pool_2d(net, 3, strides=2)
    net = tflearn.local_response_normalization(net)
    net = tflearn.conv_2d(net, 12, 3, activation="relu")
    net = tflearn.max_pool_2d(net, 3, strides=2)
    net = tflearn.local_response_normalization(net)
    net = tflearn.conv_2d(net, 16, 3, activation="relu")
    net = tflearn.conv_2d(net, 16, 3, activation="relu")
    net = tflearn.max_pool_2d(net, 3, strides=2)
    net = tflearn.local_response_normalization(net)
    net = tflearn.fully_connected(net, 32, activation="tanh")
    net = tflearn.dropout(net, 0.5)
    net = tflearn.fully_connected(net, 32, activation="tanh")
    net = tflearn.dropout(net, 0.5)
    net = tflearn.fully_connected(net, 5, activation="softmax")
    tflearn.regression(net, optimizer="momentum", loss="categorical_crossentropy",
                       learning_rate=0.001)
    return tf.get_collection(tf.GraphKeys.TRAIN_OPS)[-1].loss


loss = build()

init_training_mode()
global_step = tf.Variable(0., name="Global_Step", trainable=False)
for i, train_op in enumerate(tf.get_collection(tf.GraphKeys.TRAIN_OPS)):
    train_op.scope_name = ""
    train_op.initialize_training_ops(i, None, 0, 5.0)
