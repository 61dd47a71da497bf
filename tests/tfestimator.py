"""``tf.estimator`` for restore programs, which TF 2.16 dropped: what an Estimator does to the
graph and the checkpoints when it trains, as tensorflow-estimator 2.15 (its last release) does
it, written here for the truth of ``tests/tfrestore.py``. The restores themselves are TF's own
(``tf.compat.v1.train.warm_start``, ``MonitoredTrainingSession``); this module only calls them
in the Estimator's order:

``Estimator(model_fn, model_dir, config, params, warm_start_from).train(input_fn, ...)`` builds
a fresh graph, makes the global step, calls ``input_fn`` then ``model_fn`` (each given only the
arguments among ``mode``, ``params``, ``config``, ``labels`` its signature names, ``features``
by keyword), then, when ``model_dir`` holds no checkpoint, ``warm_start(*settings)``; then it
opens a ``MonitoredTrainingSession`` on ``model_dir`` with the spec's scaffold (restoring the
latest checkpoint there, or initialising) and runs one step. ``warm_start_from`` is a path
(``WarmStartSettings(path)``: every trainable variable) or a ``WarmStartSettings``. Not here:
evaluation, prediction, export, distribution, TPUs.

``install(tf)`` puts ``tf.estimator`` (and ``tf.compat.v1.estimator``) in place when TF has none.
"""

from __future__ import annotations

import collections
import inspect
import tempfile
import types


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
    "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
    "var_name_to_prev_var_name",
])):
    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*",
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super().__new__(cls, ckpt_to_initialize_from, vars_to_warm_start,
                               var_name_to_vocab_info or {}, var_name_to_prev_var_name or {})


class ModeKeys:
    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


def _names(fn) -> set:
    return set(inspect.signature(fn).parameters)


def install(tf) -> None:
    import tensorflow as tensorflow_root

    if hasattr(tf, "estimator"):
        return

    class EstimatorSpec(collections.namedtuple("EstimatorSpec", [
        "mode", "predictions", "loss", "train_op", "scaffold",
    ])):
        def __new__(cls, mode, predictions=None, loss=None, train_op=None, scaffold=None, **_):
            return super().__new__(cls, mode, predictions, loss, train_op,
                                   scaffold or tf.train.Scaffold())

    class RunConfig:
        def __init__(self, model_dir=None, **_):
            self.model_dir = model_dir

    class Estimator:
        def __init__(self, model_fn, model_dir=None, config=None, params=None,
                     warm_start_from=None):
            self._model_fn = model_fn
            self.config = config or RunConfig()
            self._model_dir = model_dir or self.config.model_dir or tempfile.mkdtemp()
            self.params = dict(params or {})
            if isinstance(warm_start_from, (str, bytes)):
                warm_start_from = WarmStartSettings(warm_start_from)
            self._warm_start_settings = warm_start_from

        def _arguments(self, fn, mode) -> dict:
            given = {"mode": mode, "params": self.params, "config": self.config}
            return {k: v for k, v in given.items() if k in _names(fn)}

        def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
            with tf.Graph().as_default():
                tf.train.create_global_step()
                result = input_fn(**self._arguments(input_fn, ModeKeys.TRAIN))
                features, labels = result if isinstance(result, tuple) else (result, None)
                kwargs = self._arguments(self._model_fn, ModeKeys.TRAIN)
                if "labels" in _names(self._model_fn):
                    kwargs["labels"] = labels
                spec = self._model_fn(features=features, **kwargs)
                if self._warm_start_settings and not tf.train.latest_checkpoint(self._model_dir):
                    tf.train.warm_start(*self._warm_start_settings)
                with tf.train.MonitoredTrainingSession(
                    checkpoint_dir=self._model_dir, scaffold=spec.scaffold,
                    save_checkpoint_secs=None, save_checkpoint_steps=None,
                    save_summaries_steps=None, save_summaries_secs=None,
                    log_step_count_steps=None,
                ) as session:
                    session.run(spec.train_op)
            return self

    module = types.SimpleNamespace(
        Estimator=Estimator, EstimatorSpec=EstimatorSpec, RunConfig=RunConfig,
        ModeKeys=ModeKeys, WarmStartSettings=WarmStartSettings,
    )
    tf.estimator = module
    tensorflow_root.estimator = module
