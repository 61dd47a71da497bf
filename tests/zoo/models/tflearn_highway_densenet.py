"""TFLearn convolutional classifier with its less common layers (the highway and densenet
examples' building blocks, tiny): conv_2d, batch_normalization, a densenet_block, a
highway_conv_2d, global average pooling, a highway fully connected layer, a softmax layer, and
tflearn.regression with RMSProp by name; then the training ops its Trainer makes per TrainOp."""
import tensorflow.compat.v1 as tf
import tflearn
from tflearn.config import init_training_mode


def build():
    net = tflearn.input_data(shape=[None, 8, 8, 3])
    net = tflearn.conv_2d(net, 4, 3)
    net = tflearn.batch_normalization(net)
    net = tflearn.densenet_block(net, 2, 4)
    net = tflearn.highway_conv_2d(net, 6, 3, activation="elu")
    net = tflearn.global_avg_pool(net)
    net = tflearn.highway(net, 6, activation="tanh", transform_dropout=0.8)
    net = tflearn.fully_connected(net, 3, activation="softmax")
    tflearn.regression(net, optimizer="rmsprop", learning_rate=0.01,
                       loss="categorical_crossentropy")
    return tf.get_collection(tf.GraphKeys.TRAIN_OPS)[-1].loss


loss = build()

init_training_mode()
global_step = tf.Variable(0., name="Global_Step", trainable=False)
for i, train_op in enumerate(tf.get_collection(tf.GraphKeys.TRAIN_OPS)):
    train_op.scope_name = ""
    train_op.initialize_training_ops(i, None, 0, 5.0)
