"""Tensor2Tensor's Shake-Shake (shakeshake_small made tiny: 8 layers, width 16): test problem
hparams with an image input modality and a class-label target modality, the T2TModel called on a
features dict (branches of convs and batch norms, random forward/backward mixing), then T2T's
own optimize (Momentum, cosine schedule)."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.layers import modalities
from tensor2tensor.models import shake_shake
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, IMAGE, VOCAB = 2, 8, 9


def hparams():
    hp = shake_shake.shakeshake_small()
    hp.hidden_size = 16
    hp.num_hidden_layers = 8
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    hp.problem_hparams.modality["inputs"] = modalities.ModalityType.IMAGE
    hp.problem_hparams.modality["targets"] = modalities.ModalityType.CLASS_LABEL
    return hp


def build():
    hp = hparams()
    model = shake_shake.ShakeShake(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
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
