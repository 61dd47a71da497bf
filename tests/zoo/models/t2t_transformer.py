"""Tensor2Tensor's Transformer (transformer_tiny made smaller) as its trainer builds it: the
registered hparams set overridden by attribute, test problem hparams with symbol modalities, the
T2TModel called on a features dict (modalities' shared embeddings, encoder and decoder stacks of
common_attention / common_layers blocks, layer norms), then T2T's own optimize: its learning
rate schedule on the global step, weight decay, and contrib.layers.optimize_loss with the
registered Adam (contrib.opt.LazyAdamOptimizer)."""
import tensorflow.compat.v1 as tf
from tensor2tensor.data_generators import problem_hparams
from tensor2tensor.models import transformer
from tensor2tensor.utils import learning_rate
from tensor2tensor.utils import optimize

BATCH, INPUT_LENGTH, TARGET_LENGTH, VOCAB = 2, 5, 4, 12


def hparams():
    hp = transformer.transformer_tiny()
    hp.hidden_size = 16
    hp.filter_size = 32
    hp.num_heads = 2
    hp.num_hidden_layers = 2
    hp.problem_hparams = problem_hparams.test_problem_hparams(VOCAB, VOCAB, hp)
    return hp


def build():
    hp = hparams()
    model = transformer.Transformer(hp, tf.estimator.ModeKeys.TRAIN, hp.problem_hparams)
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
