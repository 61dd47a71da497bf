"""Tensor2Tensor's Neural GPU (the registered neural_gpu hparams, made smaller): test problem
hparams with symbol modalities, the body folds a stack of convolutional GRUs over the sequence
with tf.foldl, then T2T's own optimize with its learning rate schedule. The target embedding is
made but the body never reads it: TF gives it no optimizer slots."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.models import neural_gpu
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, INPUT_LENGTH, TARGET_LENGTH, VOCAB = 2, 5, 4, 12


def hparams():
    hp = neural_gpu.neural_gpu()
    hp.hidden_size = 16
    hp.num_hidden_layers = 1
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    return hp


def build():
    hp = hparams()
    model = neural_gpu.NeuralGPU(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
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
