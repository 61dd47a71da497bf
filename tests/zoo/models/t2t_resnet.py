"""Tensor2Tensor's image ResNet (resnet_18 made tiny, NHWC): test problem hparams with an image
input modality and a class-label target modality, the T2TModel called on a features dict, then
T2T's own optimize with its learning rate schedule (Momentum)."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.layers import modalities
from tensor2tensor.models import resnet
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, IMAGE, VOCAB = 2, 32, 9


def hparams():
    hp = resnet.resnet_18()
    hp.layer_sizes = [1, 1, 1, 1]
    hp.filter_sizes = [8, 8, 16, 16, 32]
    hp.use_nchw = False
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    hp.problem_hparams.modality["inputs"] = modalities.ModalityType.IMAGE
    hp.problem_hparams.modality["targets"] = modalities.ModalityType.CLASS_LABEL
    return hp


def build():
    hp = hparams()
    model = resnet.Resnet(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
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
