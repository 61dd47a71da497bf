"""TensorFlow API names: how an imported name maps to the TF function scopelint models.

A dotted path as written in the source (``tensorflow.compat.v1.variable_scope``,
``tensorflow.python.ops.variable_scope.get_variable``) is reduced to a canonical API name
(``variable_scope``, ``get_variable``). The simulator dispatches on canonical names only.
"""

from __future__ import annotations

import functools

TF_ROOTS = ("tensorflow", "tf_slim")

# Module prefixes that expose the same TF1 API, longest first.
_PREFIXES = (
    "tensorflow.compat.v1.",
    "tensorflow.compat.v2.",
    "tensorflow.python.ops.variable_scope.",
    "tensorflow.python.ops.variables.",
    "tensorflow.python.ops.template.",
    "tensorflow.python.framework.ops.",
    "tensorflow.python.framework.dtypes.",
    "tensorflow.python.ops.init_ops.",
    "tensorflow.python.ops.rnn_cell_impl.",
    "tensorflow.python.ops.rnn_cell.",
    "tensorflow.python.ops.rnn.",
    "tensorflow.python.layers.core.",
    "tensorflow.python.layers.convolutional.",
    "tensorflow.python.layers.normalization.",
    "tensorflow.python.layers.",
    "tensorflow.python.training.",
    "tensorflow.python.",
    "tensorflow.compat.",
    "tensorflow.",
)

# TF's internal modules, as library code imports them, by the public namespace they fill.
_INTERNAL = {
    f"tensorflow.python.{module}.": public
    for module, public in (
        ("ops.nn_ops", "nn."), ("ops.nn_impl", "nn."), ("ops.nn", "nn."),
        ("ops.embedding_ops", "nn."), ("ops.image_ops", "image."), ("ops.losses.losses", "losses."),
        ("ops.array_ops", ""), ("ops.math_ops", ""), ("ops.random_ops", ""),
        ("ops.state_ops", ""), ("ops.control_flow_ops", ""), ("ops.clip_ops", ""),
        ("ops.standard_ops", ""), ("ops.partitioned_variables", ""), ("ops.string_ops", ""),
        ("ops.check_ops", "debugging."), ("framework.constant_op", ""),
        ("framework.tensor_shape", ""), ("framework.sparse_tensor", ""),
        ("training.training_util", "train."), ("training.moving_averages", "train."),
        ("training.optimizer", "train."), ("training.saver", "train."),
        ("training.adam", "train."), ("training.momentum", "train."),
        ("training.gradient_descent", "train."), ("training.rmsprop", "train."),
    )
} | {
    f"tf_slim.{module}.": "slim."
    for module in ("ops.arg_scope", "ops.variables", "layers.regularizers",
                   "layers.initializers", "layers.normalization")
}

# Aliases that name the same function in another namespace.
_ALIASES = {
    "VariableV1": "Variable",
    "variables.Variable": "Variable",
    "variables.VariableV1": "Variable",
    "ops.name_scope": "name_scope",
    "name_scope_v1": "name_scope",
    "get_default_graph": "get_default_graph",
    "dtypes.as_dtype": "as_dtype",
    "contrib.rnn.BasicLSTMCell": "nn.rnn_cell.BasicLSTMCell",
    "contrib.rnn.LSTMCell": "nn.rnn_cell.LSTMCell",
    "contrib.rnn.GRUCell": "nn.rnn_cell.GRUCell",
    "contrib.rnn.BasicRNNCell": "nn.rnn_cell.BasicRNNCell",
    "contrib.rnn.MultiRNNCell": "nn.rnn_cell.MultiRNNCell",
    "contrib.rnn.static_rnn": "nn.static_rnn",
    **{
        f"{prefix}{name}": f"nn.rnn_cell.{name}"
        for prefix in ("contrib.rnn.", "rnn_cell.", "")  # "": rnn_cell_impl's own
        for name in ("DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple")
    },
    "rnn_cell.BasicLSTMCell": "nn.rnn_cell.BasicLSTMCell",
    "rnn_cell.LSTMCell": "nn.rnn_cell.LSTMCell",
    "rnn_cell.GRUCell": "nn.rnn_cell.GRUCell",
    "rnn_cell.BasicRNNCell": "nn.rnn_cell.BasicRNNCell",
    "rnn_cell.MultiRNNCell": "nn.rnn_cell.MultiRNNCell",
    "BasicLSTMCell": "nn.rnn_cell.BasicLSTMCell",
    "LSTMCell": "nn.rnn_cell.LSTMCell",
    "GRUCell": "nn.rnn_cell.GRUCell",
    "BasicRNNCell": "nn.rnn_cell.BasicRNNCell",
    "MultiRNNCell": "nn.rnn_cell.MultiRNNCell",
    "dynamic_rnn": "nn.dynamic_rnn",
    "static_rnn": "nn.static_rnn",
    "bidirectional_dynamic_rnn": "nn.bidirectional_dynamic_rnn",
    "rnn.dynamic_rnn": "nn.dynamic_rnn",
    "rnn.static_rnn": "nn.static_rnn",
    "rnn.bidirectional_dynamic_rnn": "nn.bidirectional_dynamic_rnn",
    "static_bidirectional_rnn": "nn.static_bidirectional_rnn",
    # TF 1.0/1.1 kept the static rnn functions and the cell base here (old library code's fallback).
    "contrib.rnn.python.ops.core_rnn.static_rnn": "nn.static_rnn",
    "contrib.rnn.python.ops.core_rnn.static_bidirectional_rnn": "nn.static_bidirectional_rnn",
    "contrib.rnn.python.ops.core_rnn_cell.RNNCell": "nn.rnn_cell.RNNCell",
    "contrib.rnn.python.ops.core_rnn_cell.LSTMStateTuple": "nn.rnn_cell.LSTMStateTuple",
    "core.dense": "layers.dense",
    "core.Dense": "layers.Dense",
    "slim.convolution2d": "slim.conv2d",
    "train.get_or_create_global_step": "train.get_or_create_global_step",
    "train.create_global_step": "train.create_global_step",
    "compat.v1.train.get_or_create_global_step": "train.get_or_create_global_step",
}

DTYPES = frozenset(
    {
        "float16", "half", "float32", "float", "float64", "double", "bfloat16",
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "bool", "string", "complex64", "complex128", "qint8", "quint8", "qint32",
        "resource", "variant",
    }
)
_DTYPE_ALIASES = {"half": "float16", "float": "float32", "double": "float64"}

# TF namespaces whose unmodelled functions may create variables through the store:
# calling one of those is treated like a call into unknown code.
_STORE_TOUCHING = (
    "layers.", "contrib.", "slim.", "nn.rnn_cell.", "train.", "estimator.", "keras.",
    "nn.raw_rnn", "nn.dynamic_rnn", "nn.static", "nn.bidirectional", "make_template",
    "get_local_variable", "model_variable", "tpu.",
)


_RNN_CELL_VIA_RNN = "tensorflow.python.ops.rnn.rnn_cell_impl."

# DeepMind's dm-tree (`import tree`, as TRFL and Sonnet take it): TF's nest under its own names.
_DM_TREE = "tree"
_DM_TREE_NAMES = {"unflatten_as": "pack_sequence_as"}


@functools.lru_cache(maxsize=4096)  # a few hundred distinct paths, looked up on every TF call
def canonical(path: str) -> str:
    """Canonical API name for a dotted path under ``tensorflow``."""
    if path.startswith(_DM_TREE + "."):
        name = path[len(_DM_TREE) + 1:]
        return "nest." + _DM_TREE_NAMES.get(name, name)
    if path.startswith(_RNN_CELL_VIA_RNN):  # the rnn module's own name for rnn_cell_impl
        path = "tensorflow.python.ops.rnn_cell_impl." + path[len(_RNN_CELL_VIA_RNN):]
    internal = path[: path.rfind(".") + 1]
    if internal in _INTERNAL:
        return canonical("tensorflow." + _INTERNAL[internal] + path[len(internal):])
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            path = path[len(prefix):]
            break
    else:
        if path in TF_ROOTS:
            return "" if path == "tensorflow" else "slim"
    # tf.compat.v1.layers -> layers; tf.keras.layers stays keras.layers.
    if path.startswith("dtypes.") and path[7:] in DTYPES:
        path = path[7:]
    # TF-Slim, as tf.contrib.slim / tf.contrib.layers in TF1 or the tf_slim package since.
    for prefix in ("tf_slim.layers.layers.", "tf_slim.layers.", "tf_slim.", "contrib.slim.",
                   "contrib.layers.", "contrib.framework."):
        if path.startswith(prefix):
            path = "slim." + path[len(prefix):]
            break
    return _ALIASES.get(path, path)


def dtype_name(name: str) -> str | None:
    """Normalise a dtype spelling (``tf.float`` / ``"float32"``) to TF's name, or None."""
    if name not in DTYPES:
        return None
    return _DTYPE_ALIASES.get(name, name)


# Under the store-touching prefixes, but known to create no variable: schedules, checkpoints, hooks.
_STORE_NEUTRAL = frozenset({
    f"train.{name}" for name in (
        "exponential_decay", "piecewise_constant", "polynomial_decay", "natural_exp_decay",
        "inverse_time_decay", "cosine_decay", "cosine_decay_restarts", "linear_cosine_decay",
        "noisy_linear_cosine_decay", "Saver", "Coordinator", "start_queue_runners",
        "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists", "list_variables",
        "load_variable", "write_graph", "Example", "Features", "Feature", "Int64List",
        "FloatList", "BytesList", "SequenceExample", "FeatureList", "FeatureLists",
        "LoggingTensorHook", "StopAtStepHook", "NanTensorHook", "SummarySaverHook",
        "CheckpointSaverHook", "StepCounterHook", "SessionRunHook", "SessionRunArgs",
        "ClusterSpec", "Server", "replica_device_setter", "global_step",
    )
} | {"nn.rnn_cell.LSTMStateTuple", "nn.rnn_cell.RNNCell"} | {
    f"slim.{name}" for name in (
        "l1_regularizer", "l2_regularizer", "l1_l2_regularizer", "sum_regularizer",
        "apply_regularization", "max_pool2d", "avg_pool2d", "flatten", "get_variables",
        "get_model_variables", "get_trainable_variables", "get_variables_to_restore",
        "summarize_tensor", "summarize_activations",
    )
} | {
    f"estimator.{name}" for name in ("EstimatorSpec", "RunConfig", "TrainSpec", "EvalSpec")
})


def may_touch_store(api: str) -> bool:
    return api.startswith(_STORE_TOUCHING) and api not in _STORE_NEUTRAL


# Model code shipped inside a modelled package: its source is read and interpreted like the
# project's (see installed.py), while the package's API around it stays modelled.
_FOLLOWED = ("tf_slim.nets",)


@functools.lru_cache(maxsize=4096)  # asked of every import and every string handed to unknown code
def is_tf_module(module: str) -> bool:
    if any(module == f or module.startswith(f + ".") for f in _FOLLOWED):
        return False
    root = module.split(".")[0]
    return root in TF_ROOTS or root == _DM_TREE
