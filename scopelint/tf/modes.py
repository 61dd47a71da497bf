"""Mode keys and graph mode: the constants that training and evaluation code branches on.

``tf.estimator.ModeKeys`` (and ``tf.contrib.learn.ModeKeys``) are strings, so that
``if mode == tf.estimator.ModeKeys.TRAIN:`` in a ``model_fn`` called once per mode is decided in
each call: the optimizer behind it does not run in the evaluation call. Values as in TF's
``mode_keys.py``.

The program builds a TF1 graph (what scopelint simulates): ``tf.executing_eagerly()`` and
``tensorflow.python.tf2.enabled()`` are False, as under TF 1.x or after
``disable_v2_behavior()``. Library code branches on them to pick ``tf.layers`` over Keras
(tensor2tensor's ``common_layers.layers()``).
"""

from __future__ import annotations

from .registry import api, constant

_MODE_KEYS = {
    "estimator.ModeKeys.TRAIN": "train",
    "estimator.ModeKeys.EVAL": "eval",
    "estimator.ModeKeys.PREDICT": "infer",
    "contrib.learn.ModeKeys.TRAIN": "train",
    "contrib.learn.ModeKeys.EVAL": "eval",
    "contrib.learn.ModeKeys.INFER": "infer",
    "saved_model.tag_constants.TRAINING": "train",
    "saved_model.tag_constants.SERVING": "serve",
    "saved_model.tag_constants.GPU": "gpu",
    "saved_model.tag_constants.TPU": "tpu",
}

for _name, _value in _MODE_KEYS.items():
    constant(_name, _value)


@api("tf2.enabled", "executing_eagerly", pure=True)
def graph_mode(sim, args, kwargs, node) -> bool:
    return False
