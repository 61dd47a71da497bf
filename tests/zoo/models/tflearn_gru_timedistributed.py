"""TFLearn sequence model (tiny): an embedding, a GRU layer returning the sequence,
tflearn.time_distributed of a fully connected layer over the steps, flattened, a softmax layer,
and tflearn.regression with Adagrad by name; then the training ops its Trainer makes per
TrainOp."""
import tensorflow.compat.v1 as tf
import tflearn
from tflearn.config import init_training_mode


def build():
    net = tflearn.input_data([None, 5])
    net = tflearn.embedding(net, input_dim=20, output_dim=6)
    net = tflearn.gru(net, 8, return_seq=True)
    net = tflearn.time_distributed(net, tflearn.fully_connected, [3])
    net = tflearn.flatten(net)
    net = tflearn.fully_connected(net, 2, activation="softmax")
    tflearn.regression(net, optimizer="adagrad", learning_rate=0.1,
                       loss="categorical_crossentropy")
    return tf.get_collection(tf.GraphKeys.TRAIN_OPS)[-1].loss


loss = build()

init_training_mode()
global_step = tf.Variable(0., name="Global_Step", trainable=False)
for i, train_op in enumerate(tf.get_collection(tf.GraphKeys.TRAIN_OPS)):
    train_op.scope_name = ""
    train_op.initialize_training_ops(i, None, 0, 5.0)
