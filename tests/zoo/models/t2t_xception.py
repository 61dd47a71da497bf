"""Tensor2Tensor's Xception (xception_tiny made smaller): test problem hparams with an image
input modality and a class-label target modality, the T2TModel called on a features dict
(separable convolutions in entry, residual and exit flows), then T2T's own optimize."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.layers import modalities
from tensor2tensor.models import xception
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, IMAGE, VOCAB = 2, 9, 9


def hparams():
    hp = xception.xception_tiny()
    hp.hidden_size = 16
    hp.num_hidden_layers = 2
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    hp.problem_hparams.modality["inputs"] = modalities.ModalityType.IMAGE
    hp.problem_hparams.modality["targets"] = modalities.ModalityType.CLASS_LABEL
    return hp


def build():
    hp = hparams()
    model = xception.Xception(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
    features = {
        "inputs": tf.placeholder(tf.int32, [BATCH, IMAGE, IMAGE, 3], name="inputs"),
        "targets": tf.placeholder(tf.int32, [BATCH, 1, 1, 1], name="targets"),
    }
    _, losses = model(features)
    return losses["training"]


loss = build()

train_hparams = hparams()
train_op = optimize.optimize(
    loss, learning_rate.learning_rate_schedule(train_hparams), train_hparams)
