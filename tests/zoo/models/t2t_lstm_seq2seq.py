"""Tensor2Tensor's LSTM sequence-to-sequence model with a bidirectional encoder
(LSTMSeq2seqBidirectionalEncoder on the registered lstm_seq2seq hparams, made smaller): test
problem hparams with symbol modalities, a bidirectional dynamic RNN of dropout-wrapped LSTM cells
encoding, a decoder of twice the width started from the encoder's concatenated states, then T2T's
own optimize with its learning rate schedule and Adam."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.models import lstm
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, INPUT_LENGTH, TARGET_LENGTH, VOCAB = 2, 5, 4, 12


def hparams():
    hp = lstm.lstm_seq2seq()
    hp.hidden_size = 8
    hp.num_hidden_layers = 2
    hp.optimizer = "adam"
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    return hp


def build():
    hp = hparams()
    model = lstm.LSTMSeq2seqBidirectionalEncoder(
        hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
    features = {
        "inputs": tf.placeholder(tf.int32, [BATCH, INPUT_LENGTH, 1, 1], name="inputs"),
        "targets": tf.placeholder(tf.int32, [BATCH, TARGET_LENGTH, 1, 1], name="targets"),
        "target_space_id": tf.constant(1, dtype=tf.int32),
    }
    _, losses = model(features)
    return losses["training"]


loss = build()

train_hparams = hparams()
train_op = optimize.optimize(
    loss, learning_rate.learning_rate_schedule(train_hparams), train_hparams)
