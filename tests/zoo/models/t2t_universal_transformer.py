"""Tensor2Tensor's Universal Transformer, looked up by name in T2T's registry (model and hparams
set), with adaptive computation time recurrence (one shared layer applied in a while loop, the
halting unit) and T2T's own Adafactor optimizer through optimize.optimize."""
import tensorflow.compat.v1 as tf
from tensor2tensor import models  # noqa: F401  (registers T2T's models and hparams sets)
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize
from tensor2tensor.utils import registry

BATCH, INPUT_LENGTH, TARGET_LENGTH, VOCAB = 2, 5, 4, 12


def hparams():
    hp = registry.hparams("universal_transformer_tiny")
    hp.hidden_size = 16
    hp.filter_size = 32
    hp.num_heads = 2
    hp.num_rec_steps = 2
    hp.recurrence_type = "act"
    hp.optimizer = "adafactor"
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    return hp


def build():
    hp = hparams()
    model_cls = registry.model("universal_transformer")
    model = model_cls(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
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
