"""TFLearn's sentiment LSTM (as its lstm and bidirectional_lstm examples build it, stacked, with
tiny sizes): an embedding, an lstm layer with dropout returning the sequence, a bidirectional RNN
of TFLearn's own BasicLSTMCell and GRUCell (statically unrolled), a softmax layer, and
tflearn.regression with Adam by name; then the training ops its Trainer makes for each TrainOp."""
import tensorflow.compat.v1 as tf
import tflearn
from tflearn.config import init_training_mode
from tflearn.layers.recurrent import BasicLSTMCell, GRUCell


def build():
    net = tflearn.input_data([None, 6])
    net = tflearn.embedding(net, input_dim=50, output_dim=8)
    net = tflearn.lstm(net, 8, dropout=0.8, return_seq=True)
    net = tflearn.bidirectional_rnn(net, BasicLSTMCell(8), GRUCell(8))
    net = tflearn.dropout(net, 0.5)
    net = tflearn.fully_connected(net, 2, activation="softmax")
    tflearn.regression(net, optimizer="adam", learning_rate=0.001,
                       loss="categorical_crossentropy")
    return tf.get_collection(tf.GraphKeys.TRAIN_OPS)[-1].loss


loss = build()

init_training_mode()
global_step = tf.Variable(0., name="Global_Step", trainable=False)
for i, train_op in enumerate(tf.get_collection(tf.GraphKeys.TRAIN_OPS)):
    train_op.scope_name = ""
    train_op.initialize_training_ops(i, None, 0, 5.0)
