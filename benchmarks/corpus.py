"""A deterministic synthetic corpus: TF1-heavy model modules in the style of real code, mixed
with plain Python modules. Same arguments, same bytes."""

from __future__ import annotations

import random
from pathlib import Path

TF_MODULE = '''"""Model module {index}."""
import numpy as np
import tensorflow.compat.v1 as tf

from . import layers_{dep} as shared


def conv_relu(inputs, kernel_shape, bias_shape, name):
    with tf.variable_scope(name):
        weights = tf.get_variable("weights", kernel_shape,
                                  initializer=tf.random_normal_initializer())
        biases = tf.get_variable("biases", bias_shape,
                                 initializer=tf.constant_initializer(0.0))
        conv = tf.nn.conv2d(inputs, weights, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv + biases)


def tower_{index}(images, reuse=None):
    with tf.variable_scope("tower_{index}", reuse=reuse):
        net = images
        for i in range({depth}):
            net = conv_relu(net, [3, 3, {width}, {width}], [{width}], "conv%d" % i)
        net = tf.layers.dense(tf.layers.flatten(net), {units}, name="logits")
        return net


class Model{index}(object):
    def __init__(self, images, labels, is_training):
        self.images = images
        self.labels = labels
        self.is_training = is_training

    def build(self):
        with tf.variable_scope("model_{index}") as scope:
            self.train_logits = tower_{index}(self.images)
            scope.reuse_variables()
            self.eval_logits = tower_{index}(self.images)
        self.loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=self.labels, logits=self.train_logits))
        return self.loss

    def summaries(self):
        for name in ["loss", "accuracy"]:
            tf.summary.scalar(name, self.loss)


def rnn_encoder(inputs, lengths, num_units={units}):
    with tf.variable_scope("encoder_{index}", reuse=tf.AUTO_REUSE):
        cell = tf.nn.rnn_cell.LSTMCell(num_units)
        outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths,
                                           dtype=tf.float32)
        return outputs, state


def main():
    images = tf.placeholder(tf.float32, [None, 32, 32, {width}])
    labels = tf.placeholder(tf.int64, [None])
    model = Model{index}(images, labels, True)
    loss = model.build()
    optimizer = tf.train.AdamOptimizer(1e-3)
    train_op = optimizer.minimize(loss)
    return train_op


if __name__ == "__main__":
    main()
'''

PLAIN_MODULE = '''"""Utility module {index}."""
import collections
import json
import os


class Record{index}(collections.namedtuple("Record{index}", ["key", "value", "weight"])):
    __slots__ = ()

    def scaled(self, factor):
        return Record{index}(self.key, self.value * factor, self.weight)


def load(path):
    with open(path) as handle:
        return [Record{index}(**row) for row in json.load(handle)]


def summarize(records):
    totals = collections.defaultdict(float)
    for record in records:
        totals[record.key] += record.value * record.weight
    return dict(sorted(totals.items()))


def walk(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.endswith(".json"):
                yield os.path.join(dirpath, name)


def main(argv):
    records = []
    for path in walk(argv[0]):
        records.extend(load(path))
    for key, total in summarize(records).items():
        print("%s\\t%.3f" % (key, total))
'''


# What a buggy TF module changes (``bugs_every``): the eval tower no longer reuses the train
# tower's variables (SL001 in the file), and `main` builds the imported module's tower twice
# (SL001 through an import).
_REUSE = "            scope.reuse_variables()\n"
_MAIN_TAIL = "    train_op = optimizer.minimize(loss)\n"
_BUGGY_MAIN_TAIL = _MAIN_TAIL + (
    "    first = shared.tower_{dep}(images)\n"
    "    second = shared.tower_{dep}(images)\n"
)


def build(
    root: Path, files: int, tf_every: int = 1, seed: int = 0, bugs_every: int = 0
) -> list[Path]:
    """Write ``files`` modules under ``root``; one in ``tf_every`` uses TF scoping.

    With ``bugs_every`` > 0, one TF module in ``bugs_every`` (never the first) has two
    scoping mistakes, so that the run has findings. The default writes the same bytes as before
    the parameter existed.
    """
    rng = random.Random(seed)
    pkg = root / "corpus"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    out = []
    for index in range(files):
        if index % tf_every == 0:
            dep = max(0, index - tf_every)
            text = TF_MODULE.format(
                index=index, dep=dep, depth=rng.randint(2, 5),
                width=rng.choice([16, 32, 64]), units=rng.choice([10, 100, 128]),
            )
            if bugs_every and (index // tf_every) % bugs_every == bugs_every - 1:
                text = text.replace(_REUSE, "").replace(
                    _MAIN_TAIL, _BUGGY_MAIN_TAIL.format(dep=dep)
                )
            name = f"layers_{index}.py"
        else:
            text = PLAIN_MODULE.format(index=index)
            name = f"util_{index}.py"
        path = pkg / name
        path.write_text(text)
        out.append(path)
    return out
