"""Run old TF1 package code under TF 2.x in graph mode the way TF 1.15 ran it.

``install()`` (idempotent; only ever called inside the zoo's TF process):

- every attribute of ``tf.compat.v1`` is copied onto the ``tensorflow`` module, so that
  ``import tensorflow as tf; tf.get_variable(...)`` is compat.v1's ``get_variable``;
- v2 behaviour is switched off (graph mode, ref variables, v1 control flow and ``TensorShape``
  with ``Dimension`` entries, as TF 1.15 had by default);
- the few TF 1.15 names TF-Slim still uses and TF 2.x moved are put back;
- a ``tensorflow.contrib`` namespace is registered (attribute and ``sys.modules``, submodules
  importable as ``from tensorflow.contrib import layers``), mapped to what TF 1.15 had there:
  ``layers``, ``framework`` and ``slim`` are TF-Slim (which was cut out of ``contrib`` without
  changing names), ``rnn`` the v1 cells, ``training.HParams`` and a few cells are re-implemented
  below with TF 1.15's behaviour where variables are concerned (names, shapes, dtypes);
  ``opt``, ``summary`` and slim's old ``python.slim.nets`` paths are there too;
- ``tf.estimator``, which TF 2.16 dropped, has its session hooks and ``ModeKeys``, and
  ``Estimator`` as a base class only.

A name TF 1.15's ``contrib`` had and this shim lacks raises AttributeError / ImportError naming
the shim, so a builder that needs it fails loudly instead of building something else.
scopelint never reads this module: it is test machinery, not a model of TF.
"""

from __future__ import annotations

import importlib
import json
import numbers
import re
import sys
import types

_INSTALLED = False


def install() -> None:
    global _INSTALLED
    if _INSTALLED:
        return
    import tensorflow
    import tensorflow.compat.v1 as v1

    for name in dir(v1):
        if not name.startswith("__"):
            setattr(tensorflow, name, getattr(v1, name))
    v1.disable_v2_behavior()
    _restore_internal_names()
    _skip_autograph()
    _repair_paths()
    contrib = _register("tensorflow.contrib", {})
    for name, members in _contrib_modules(v1).items():
        _register(name, members)
    tensorflow.contrib = contrib
    v1.contrib = contrib
    if not hasattr(tensorflow, "estimator"):
        estimator = _register("tensorflow.estimator", _estimator())
        _register("tensorflow.estimator.tpu", {"TPUEstimator": _Estimator})
        tensorflow.estimator = v1.estimator = v1.compat.v1.estimator = estimator
    _INSTALLED = True


def _repair_paths() -> None:
    """Names TF 1.15 had that TF-Slim still uses and TF 2.x moved: ``ops.IndexedSlices``
    (gradient clipping in ``slim.learning``), ``ops.Tensor`` (``optimize_loss``), and the module
    TF's lazy ``tf.layers`` batch normalisation (``slim.batch_norm``) loads, which tf-keras keeps
    under ``src``."""
    from tensorflow.python.framework import indexed_slices, ops, tensor

    if not hasattr(ops, "IndexedSlices"):
        ops.IndexedSlices = indexed_slices.IndexedSlices
    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    for name in ("legacy_tf_layers", "legacy_tf_layers.normalization", "legacy_tf_layers.base"):
        if f"tf_keras.{name}" not in sys.modules:
            _register(f"tf_keras.{name}", importlib.import_module(f"tf_keras.src.{name}"))


def _estimator() -> dict:
    """TF 2.16 dropped ``tf.estimator`` (the tensorflow-estimator package). What packages name
    while building a graph: its session hooks (the same classes as ``tf.train``'s) and
    ``ModeKeys``; ``Estimator`` and ``tpu.TPUEstimator`` only as base classes (TF-GAN subclasses
    them on import) that refuse to be made; ``EstimatorSpec`` and the rest are not here."""
    from tensorflow.python.saved_model.model_utils import mode_keys
    from tensorflow.python.training import basic_session_run_hooks as hooks
    from tensorflow.python.training import session_run_hook

    return {
        **{name: getattr(session_run_hook, name) for name in (
            "SessionRunHook", "SessionRunArgs", "SessionRunContext", "SessionRunValues")},
        **{name: getattr(hooks, name) for name in (
            "StopAtStepHook", "LoggingTensorHook", "FinalOpsHook", "CheckpointSaverHook",
            "NanTensorHook", "StepCounterHook", "SummarySaverHook")},
        "ModeKeys": mode_keys.EstimatorModeKeys,
        "Estimator": _Estimator,
    }


class _Estimator:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("tf.estimator.Estimator is not in the zoo's shim")


def _skip_autograph() -> None:
    """TF converts the ``call`` of a user's Keras-style layer (T2T's ``T2TModel``) with AutoGraph
    on first use: minutes for T2T's code, the same variables as calling it unconverted (the T2T
    builders make identical lists both ways), and TF's errors raised inside rewrapped as
    "ValueError in user code: ..." with AutoGraph's frames, which hides the variable and the
    line from the truth. So this process runs such calls unconverted."""
    from tensorflow.python.autograph.core import ag_ctx

    ag_ctx.ControlStatusCtx(status=ag_ctx.Status.DISABLED).__enter__()


def _restore_internal_names() -> None:
    """Names of TF internals that TF 1.15 had and old packages import directly."""
    from tensorflow.python.util import nest

    if not hasattr(nest, "is_sequence"):
        nest.is_sequence = nest.is_nested  # `from tensorflow.python.util.nest import is_sequence`


def _register(name: str, members: dict | types.ModuleType) -> types.ModuleType:
    """``sys.modules[name]``, made from ``members`` (or an existing module), and set as an
    attribute of its parent module."""
    if isinstance(members, types.ModuleType):
        module = members
    else:
        module = sys.modules.get(name) or _ShimModule(name)
        module.__dict__.update(members)
    sys.modules[name] = module
    parent, _, leaf = name.rpartition(".")
    if parent:
        if parent not in sys.modules:
            _register(parent, {})
        setattr(sys.modules[parent], leaf, module)
    return module


class _ShimModule(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"{self.__name__}.{name} is not in the zoo's tf.contrib shim")


def _public(module) -> dict:
    return {n: getattr(module, n) for n in dir(module) if not n.startswith("_")}


def _contrib_modules(v1) -> dict[str, dict | types.ModuleType]:
    import tf_slim

    slim_layers = importlib.import_module("tf_slim.layers")
    arg_scope = importlib.import_module("tf_slim.ops.arg_scope")
    variables = importlib.import_module("tf_slim.ops.variables")
    from tensorflow.python.framework import smart_cond
    from tensorflow.python.ops import rnn
    from tensorflow.python.util import deprecation

    # contrib.layers also exported its optimizers module (optimize_loss), which TF-Slim kept but
    # does not export from tf_slim.layers.
    optimizers = importlib.import_module("tf_slim.layers.optimizers")
    layers = {**_public(slim_layers), "embed_sequence": embed_sequence,
              **{name: getattr(optimizers, name) for name in (
                  "optimize_loss", "adaptive_clipping_fn", "OPTIMIZER_CLS_NAMES",
                  "OPTIMIZER_SUMMARIES")}}
    framework = {
        **_public(variables), **_public(arg_scope),
        "nest": _contrib_nest(), "smart_cond": smart_cond.smart_cond, "argsort": v1.argsort,
        "sort": v1.sort, "deprecated": deprecation.deprecated, "name_scope": v1.name_scope,
        "get_name_scope": lambda: v1.get_default_graph().get_name_scope(),
    }
    cells = {**_public(v1.nn.rnn_cell), "LSTMBlockCell": _make_lstm_block_cell(),
             "LayerNormBasicLSTMCell": _make_layer_norm_basic_lstm_cell()}
    core_rnn = {"static_rnn": v1.nn.static_rnn,
                "static_bidirectional_rnn": v1.nn.static_bidirectional_rnn,
                "static_state_saving_rnn": v1.nn.static_state_saving_rnn}
    return {
        "tensorflow.contrib.layers": layers,
        "tensorflow.contrib.layers.python.layers.layers": importlib.import_module(
            "tf_slim.layers.layers"),
        "tensorflow.contrib.layers.python.layers.initializers": importlib.import_module(
            "tf_slim.layers.initializers"),
        "tensorflow.contrib.layers.python.layers.regularizers": importlib.import_module(
            "tf_slim.layers.regularizers"),
        "tensorflow.contrib.layers.python.layers.utils": importlib.import_module(
            "tf_slim.layers.utils"),
        "tensorflow.contrib.framework": framework,
        "tensorflow.contrib.framework.python.ops.arg_scope": arg_scope,
        "tensorflow.contrib.framework.python.ops.variables": variables,
        "tensorflow.contrib.slim": tf_slim,
        "tensorflow.contrib.slim.nets": importlib.import_module("tf_slim.nets"),
        **{f"tensorflow.contrib.slim.python.slim.nets.{net}": importlib.import_module(
            f"tf_slim.nets.{net}") for net in ("resnet_utils", "resnet_v1", "resnet_v2", "vgg")},
        "tensorflow.contrib.rnn": {**cells, **core_rnn,
                                   "stack_bidirectional_dynamic_rnn": getattr(
                                       rnn, "stack_bidirectional_dynamic_rnn", None)
                                   or _missing("stack_bidirectional_dynamic_rnn")},
        "tensorflow.contrib.rnn.python.ops.core_rnn": core_rnn,
        "tensorflow.contrib.rnn.python.ops.core_rnn_cell": _public(v1.nn.rnn_cell),
        "tensorflow.contrib.rnn.python.ops.rnn_cell": cells,
        "tensorflow.contrib.layers.python.layers.optimizers": optimizers,
        "tensorflow.contrib.opt": {"LazyAdamOptimizer": _make_lazy_adam_optimizer(v1)},
        "tensorflow.contrib.summary": _contrib_summary(),
        "tensorflow.contrib.training": {"HParams": HParams, "parse_values": parse_values},
        "tensorflow.contrib.eager.python.tfe": {"defun": v1.function,
                                                "executing_eagerly": v1.executing_eagerly},
    }


def _contrib_summary() -> dict:
    """TF 1.15's contrib.summary: the graph-mode functions of ``summary_ops_v2`` (a summary op
    only records under a default writer, which no builder makes)."""
    from tensorflow.python.ops import summary_ops_v2

    names = ("always_record_summaries", "audio", "create_file_writer", "eval_dir", "flush",
             "generic", "graph", "histogram", "image", "import_event", "initialize",
             "never_record_summaries", "record_summaries_every_n_global_steps", "scalar",
             "should_record_summaries", "summary_writer_initializer_op")
    return {name: getattr(summary_ops_v2, name) for name in names}


def _make_lazy_adam_optimizer(v1) -> type:
    """TF 1.15's contrib.opt.LazyAdamOptimizer: an AdamOptimizer (same name, slots ``m``/``v``
    shown as ``Adam``/``Adam_1``, beta powers) that only changes how sparse gradients update
    them, which building a graph does not see."""

    class LazyAdamOptimizer(v1.train.AdamOptimizer):
        pass

    return LazyAdamOptimizer


def _contrib_nest() -> types.ModuleType:
    """TF 1.15's ``contrib.framework.nest`` was the internal ``tensorflow.python.util.nest``
    (``flatten_up_to``, ``assert_shallow_structure``, ...), with ``is_sequence``, which TF 2.x
    renamed ``is_nested``."""
    from tensorflow.python.util import nest

    module = types.ModuleType("tensorflow.contrib.framework.nest")
    module.__dict__.update(_public(nest))
    module.is_sequence = nest.is_nested
    return module


def _missing(name: str):
    def missing(*args, **kwargs):
        raise NotImplementedError(f"tf.contrib.rnn.{name} is not in the zoo's tf.contrib shim")

    return missing


# ------------------------------------------------------------------------------------------------
# contrib.layers.embed_sequence (TF 1.15: contrib/layers/python/layers/encoders.py)
# ------------------------------------------------------------------------------------------------


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """A model variable ``<scope or EmbedSequence>/embeddings`` of ``[vocab_size, embed_dim]``,
    looked up with ``ids``."""
    import tensorflow.compat.v1 as tf
    import tf_slim

    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not reusing. "
                         f"Got vocab_size={vocab_size} and embed_dim={embed_dim}")
    with tf.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings = tf_slim.model_variable(
            "embeddings", shape=[vocab_size, embed_dim], initializer=initializer,
            regularizer=regularizer, trainable=trainable)
        if unique:
            flat, index = tf.unique(tf.reshape(ids, [-1]))
            looked_up = tf.nn.embedding_lookup(embeddings, flat)
            shape = tf.concat([tf.shape(ids), tf.shape(looked_up)[1:]], 0)
            return tf.reshape(tf.gather(looked_up, index), shape)
        return tf.nn.embedding_lookup(embeddings, ids)


# ------------------------------------------------------------------------------------------------
# contrib.rnn cells TF 2.x dropped (TF 1.15: contrib/rnn/python/ops/{lstm_ops,rnn_cell}.py).
# Their variables are TF 1.15's; the arithmetic is a plain LSTM's (only the variables are
# compared).
# ------------------------------------------------------------------------------------------------


def _legacy_cells():
    return importlib.import_module("tf_keras.src.layers.rnn.legacy_cells")


def _make_lstm_block_cell():
    import tensorflow.compat.v1 as tf

    class LSTMBlockCell(_legacy_cells().LayerRNNCell):
        """A layer named ``lstm_cell``: ``kernel [input + units, 4 units]``, ``bias [4 units]``
        (zeros), and with ``use_peephole`` ``w_i_diag``, ``w_f_diag``, ``w_o_diag`` of
        ``[units]``."""

        def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                     dtype=None, reuse=None, name="lstm_cell"):
            super().__init__(_reuse=reuse, name=name, dtype=dtype)
            self._num_units = num_units
            self._forget_bias = forget_bias
            self._cell_clip = cell_clip if cell_clip is not None else -1
            self._use_peephole = use_peephole
            self.input_spec = tf.layers.InputSpec(ndim=2)

        @property
        def state_size(self):
            return tf.nn.rnn_cell.LSTMStateTuple(self._num_units, self._num_units)

        @property
        def output_size(self):
            return self._num_units

        def build(self, inputs_shape):
            input_size = tf.TensorShape(inputs_shape)[1]
            input_size = getattr(input_size, "value", input_size)
            if input_size is None:
                raise ValueError("Expecting inputs_shape[1] to be set: %s" % str(inputs_shape))
            self._kernel = self.add_weight(
                "kernel", [input_size + self._num_units, self._num_units * 4])
            self._bias = self.add_weight("bias", [self._num_units * 4],
                                         initializer=tf.zeros_initializer())
            if self._use_peephole:
                self._w_i_diag = self.add_weight("w_i_diag", [self._num_units])
                self._w_f_diag = self.add_weight("w_f_diag", [self._num_units])
                self._w_o_diag = self.add_weight("w_o_diag", [self._num_units])
            self.built = True

        def call(self, inputs, state):
            c, h = state
            gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), self._kernel), self._bias)
            i, j, f, o = tf.split(gates, 4, axis=1)
            if self._use_peephole:
                i, f = i + self._w_i_diag * c, f + self._w_f_diag * c
            new_c = tf.sigmoid(f + self._forget_bias) * c + tf.sigmoid(i) * tf.tanh(j)
            if self._cell_clip > 0:
                new_c = tf.clip_by_value(new_c, -self._cell_clip, self._cell_clip)
            if self._use_peephole:
                o = o + self._w_o_diag * new_c
            new_h = tf.tanh(new_c) * tf.sigmoid(o)
            return new_h, tf.nn.rnn_cell.LSTMStateTuple(new_c, new_h)

    return LSTMBlockCell


def _make_layer_norm_basic_lstm_cell():
    import tensorflow.compat.v1 as tf
    import tf_slim

    class LayerNormBasicLSTMCell(_legacy_cells().RNNCell):
        """Not a layer: variables go right under the scope it is called in: ``kernel [input +
        units, 4 units]``, ``bias [4 units]`` only without layer norm, and with it
        ``input|transform|forget|output|state/{gamma,beta}`` of ``[units]``."""

        def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=None,
                     layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                     dropout_prob_seed=None, reuse=None):
            super().__init__(_reuse=reuse)
            self._num_units = num_units
            self._activation = activation or tf.tanh
            self._forget_bias = forget_bias
            self._keep_prob = dropout_keep_prob
            self._seed = dropout_prob_seed
            self._layer_norm = layer_norm
            self._norm_gain = norm_gain
            self._norm_shift = norm_shift

        @property
        def state_size(self):
            return tf.nn.rnn_cell.LSTMStateTuple(self._num_units, self._num_units)

        @property
        def output_size(self):
            return self._num_units

        def _norm(self, inp, scope, dtype=tf.float32):
            shape = inp.get_shape()[-1:]
            with tf.variable_scope(scope):
                tf.get_variable("gamma", shape=shape, dtype=dtype,
                                initializer=tf.constant_initializer(self._norm_gain))
                tf.get_variable("beta", shape=shape, dtype=dtype,
                                initializer=tf.constant_initializer(self._norm_shift))
            return tf_slim.layer_norm(inp, reuse=True, scope=scope)

        def _linear(self, args):
            out_size = 4 * self._num_units
            weights = tf.get_variable("kernel", [args.get_shape()[-1], out_size],
                                      dtype=args.dtype)
            out = tf.matmul(args, weights)
            if not self._layer_norm:
                out = tf.nn.bias_add(out, tf.get_variable("bias", [out_size], dtype=args.dtype))
            return out

        def call(self, inputs, state):
            c, h = state
            i, j, f, o = tf.split(self._linear(tf.concat([inputs, h], 1)), 4, 1)
            if self._layer_norm:
                i, j = self._norm(i, "input"), self._norm(j, "transform")
                f, o = self._norm(f, "forget"), self._norm(o, "output")
            g = self._activation(j)
            if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
                g = tf.nn.dropout(g, self._keep_prob, seed=self._seed)
            new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
            if self._layer_norm:
                new_c = self._norm(new_c, "state")
            new_h = self._activation(new_c) * tf.sigmoid(o)
            return new_h, tf.nn.rnn_cell.LSTMStateTuple(new_c, new_h)

    return LayerNormBasicLSTMCell


# ------------------------------------------------------------------------------------------------
# contrib.training.HParams (TF 1.15: contrib/training/python/training/hparam.py), the behaviour
# models rely on: typed values, add/set/del, override_from_dict, parse of simple values.
# ------------------------------------------------------------------------------------------------

_ASSIGNMENT = re.compile(r"\s*(?P<name>[a-zA-Z][\w.]*)\s*=\s*"
                         r"(?:(?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])\s*(?:,|$)")


def _cast(name: str, param_type: type, value):
    """``value`` as ``param_type``, refusing what TF's HParams refused (a str for a number, a
    bool for an int and the reverse, a float for an int)."""
    fail = ValueError(f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}")
    if issubclass(param_type, type(None)):
        return value
    if issubclass(param_type, (str, bytes)) and not isinstance(value, (str, bytes)):
        raise fail
    if issubclass(param_type, bool) != isinstance(value, bool):
        raise fail
    if issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral):
        raise fail
    if issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number):
        raise fail
    return param_type(value)


def _parse_scalar(name: str, param_type: type, text: str):
    text = text.strip()
    if param_type is bool:
        lowered = text.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError(f"Could not parse hparam '{name}' of type bool from {text!r}")
    try:
        return param_type(text)
    except ValueError as exc:
        raise ValueError(f"Could not parse hparam '{name}' of type '{param_type.__name__}' "
                         f"from {text!r}") from exc


def parse_values(values: str, type_map: dict) -> dict:
    """``"a=1,b=[2,3],c=x"`` -> ``{"a": 1, "b": [2, 3], "c": "x"}``, each value parsed as the
    type ``type_map`` gives for its name (a list type for ``[...]`` values)."""
    out, pos = {}, 0
    while pos < len(values):
        match = _ASSIGNMENT.match(values, pos)
        if not match:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]!r}")
        pos = match.end()
        name = match.group("name")
        if name not in type_map:
            raise ValueError(f"Unknown hyperparameter type for {name}")
        param_type = type_map[name]
        if match.group("vals") is not None:
            items = [v for v in match.group("vals").split(",") if v.strip()]
            out[name] = [_parse_scalar(name, param_type, v) for v in items]
        else:
            out[name] = _parse_scalar(name, param_type, match.group("val"))
    return out


class HParams:
    """Named hyperparameters as attributes, each with the type of its first value."""

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        if hparam_def is not None:
            raise NotImplementedError("HParams from a proto is not in the zoo's shim")
        self._hparam_types: dict[str, tuple[type, bool]] = {}
        self._model_structure = model_structure
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name, value):
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name):
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        type_map = {name: t for name, (t, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, type_map))

    def override_from_dict(self, values_dict):
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        return json.dumps(self.values(), indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        if key in self._hparam_types:
            if default is not None:
                param_type, is_list = self._hparam_types[key]
                _cast(key, param_type, default[0] if is_list and default else default)
            return getattr(self, key)
        return default

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return str(sorted(self.values().items()))

    def __repr__(self):
        return f"{type(self).__name__}({self})"
