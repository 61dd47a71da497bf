"""TF-Slim's layers that make variables (TF 1.15's ``tf.contrib.layers``, the ``tf_slim`` package
since): ``fully_connected``, ``conv1d/2d/3d`` and ``convolution``, ``conv2d_transpose``,
``separable_conv2d``, ``batch_norm``, ``layer_norm``, ``bias_add``, ``embed_sequence``.

Each opens ``variable_scope(scope, <default name>, reuse=reuse)``, makes its variables there
(``weights``/``biases`` renamed from the core layer's ``kernel``/``bias``), with the input's
dtype, then applies ``normalizer_fn(outputs, **normalizer_params)`` and ``activation_fn`` inside
that scope; every op takes the enclosing ``arg_scope``'s defaults (``slim.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..resolve import tfapi
from ..interp.args import ArgReader, keyword_literal
from ..interp.values import (
    INITIALIZER, STAR_KEY, TENSOR, UNKNOWN, DType, Tensor, TFRef, as_int, spoilt, truth,
)
from .state import VScope
from . import graph_collections
from .layers import conv_output, int_tuple, shape_tuple
from .registry import api_with
from .scopes import enter_variable_scope, scope_call
from .slim import arg_scope_defaults
from .tensors import as_tensor, deps_of, tensor, with_deps
from .variables import VarRef, get_variable, raised_since


@dataclass(frozen=True)
class Var:
    name: str
    shape: Any  # tuple of int|None, or None
    dtype: str | None
    trainable: Any = True


@dataclass(frozen=True)
class Made:
    """What one call of a slim layer makes: its variables in creation order, its output before
    the normalizer and activation, and whether it may make others the analysis cannot name."""

    variables: tuple
    output: Any
    uncertain: bool = False


@dataclass(frozen=True)
class Spec:
    """A slim layer: its default scope name, the positions of its arguments (name -> index;
    keyword-only ones are absent) and what it makes from the arguments and its input."""

    scope: str
    positions: dict
    build: Callable[[Any, Tensor], Made | None]
    inputs: str = "inputs"  # the name of its first parameter


def _reader(args: list, kwargs: dict, positions: dict) -> Callable[[str, Any], Any]:
    get = ArgReader(args, kwargs)
    return lambda name, default=None: get(positions.get(name, -1), name, default)


def _flag(value: Any) -> bool | None:
    """Python's truth of an argument the way slim tests it (``if normalizer_fn``), None when
    unknown."""
    return truth(value)


def _bias_flag(get: Callable) -> bool | None:
    """``use_bias = not normalizer_fn and biases_initializer``."""
    normalizer, initializer = _flag(get("normalizer_fn")), _flag(get("biases_initializer", INITIALIZER))
    if normalizer is True or initializer is False:
        return False
    if normalizer is None or initializer is None:
        return None
    return True


def _with_bias(variables: list, use_bias: bool | None, units: Any, dtype: str | None, trainable: Any) -> bool:
    """Appends ``biases`` when the layer makes it; True when that is unknown."""
    if use_bias:
        variables.append(Var("biases", shape_tuple(units), dtype, trainable))
    return use_bias is None


# -- fully_connected ----------------------------------------------------------------------------


def _fully_connected(get: Callable, inputs: Tensor) -> Made | None:
    units = as_int(get("num_outputs"))
    width = inputs.shape[-1] if inputs.shape else None
    trainable = get("trainable", True)
    variables = [Var("weights", shape_tuple(width, units), inputs.dtype, trainable)]
    uncertain = _with_bias(variables, _bias_flag(get), units, inputs.dtype, trainable)
    out = inputs.shape[:-1] + (units,) if inputs.shape and units is not None else None
    return Made(tuple(variables), tensor(out, inputs.dtype), uncertain)


# -- convolutions -------------------------------------------------------------------------------


def _channels_last(data_format: Any) -> bool | None:
    if data_format is None:
        return True
    if isinstance(data_format, str):
        return not data_format.startswith("NC")
    return None


def _conv(dims: int | None, style: str) -> Callable:
    """``convolution`` (rank from the input when ``dims`` is None), ``conv2d_transpose`` and
    ``separable_conv2d`` (style "transpose", "separable")."""

    def build(get: Callable, inputs: Tensor) -> Made | None:
        rank = dims
        if rank is None:
            rank = len(inputs.shape) - 2 if inputs.shape is not None and 3 <= len(inputs.shape) <= 5 else None
        last = _channels_last(get("data_format"))
        units = get("num_outputs")
        kernel = int_tuple(get("kernel_size"), rank) if rank is not None else None
        strides = int_tuple(get("stride", 1), rank) if rank is not None else None
        rate = int_tuple(get("rate", 1), rank) if rank is not None and style != "transpose" else (1,) * (rank or 0)
        shape = inputs.shape if inputs.shape is not None and rank is not None and len(inputs.shape) == rank + 2 else None
        channels = None if shape is None or last is None else (shape[-1] if last else shape[1])
        ks = kernel if kernel is not None else (None,) * (rank or 2)
        trainable, dtype = get("trainable", True), inputs.dtype
        use_bias = _bias_flag(get)
        if style == "separable" and units is None:
            # Depthwise only: depthwise_weights, then biases (unless a normalizer runs).
            multiplier = as_int(get("depth_multiplier", 1))
            filters = channels * multiplier if channels is not None and multiplier is not None else None
            variables = [Var("depthwise_weights", shape_tuple(*ks, channels, multiplier), dtype, trainable)]
            normalizer = _flag(get("normalizer_fn"))
            initializer = _flag(get("biases_initializer", INITIALIZER))
            use_bias = False if normalizer or initializer is False else (
                None if normalizer is None or initializer is None else True)
            uncertain = _with_bias(variables, use_bias, filters, dtype, trainable)
            out = conv_output(Tensor(shape, dtype), last, 2, filters, kernel, strides,
                              get("padding", "SAME"), rate, "conv") if shape is not None else None
            return Made(tuple(variables), tensor(out, dtype), uncertain)
        units = as_int(units)
        if style == "transpose":
            variables = [Var("weights", shape_tuple(*ks, units, channels), dtype, trainable)]
        elif style == "separable":
            multiplier = as_int(get("depth_multiplier", 1))
            mixed = channels * multiplier if channels is not None and multiplier is not None else None
            variables = [
                Var("depthwise_weights", shape_tuple(*ks, channels, multiplier), dtype, trainable),
                Var("pointwise_weights", shape_tuple(1, 1, mixed, units), dtype, trainable),
            ]
        else:
            variables = [Var("weights", shape_tuple(*ks, channels, units), dtype, trainable)]
        uncertain = _with_bias(variables, use_bias, units, dtype, trainable)
        out = None
        if shape is not None and rank is not None:
            out = conv_output(Tensor(shape, dtype), last, rank, units, kernel, strides,
                              get("padding", "SAME"), rate, "transpose" if style == "transpose" else "conv")
        return Made(tuple(variables), tensor(out, dtype), uncertain)

    return build


# -- normalization ------------------------------------------------------------------------------

# The core BatchNormalization layer keeps float32 parameters for half-precision inputs.
_PARAM_DTYPE = {"float16": "float32", "bfloat16": "float32"}


def _is_update_ops(value: Any) -> bool | None:
    """``updates_collections is ops.GraphKeys.UPDATE_OPS`` (the default)."""
    if isinstance(value, TFRef):
        return tfapi.canonical(value.path) in ("GraphKeys.UPDATE_OPS", "ops.GraphKeys.UPDATE_OPS")
    if value == "update_ops":  # TF's constant, an interned str: the literal is the same object
        return True
    if value is None or isinstance(value, (list, tuple, str)):
        return False
    return None


def _batch_norm(get: Callable, inputs: Tensor) -> Made | None:
    """``batch_norm``'s three implementations make the same variables in two orders and two
    dtypes: the fused one (``fused`` not False, rank 2 or 4, and rank 2, a custom
    ``updates_collections`` or ``zero_debias_moving_mean``) beta, gamma in float32; the core
    layer (default ``updates_collections``) gamma, beta in the input's dtype (float32 for half
    precision); the legacy one beta, gamma in the input's dtype."""
    shape, dtype = inputs.shape, inputs.dtype
    last = _channels_last(get("data_format"))
    center, scale = _flag(get("center", True)), _flag(get("scale", False))
    if center is None or scale is None or last is None:
        return None
    if _flag(get("renorm", False)) is not False or get("adjustment") is not None:
        return None  # renorm makes variables of its own
    zero_debias = _flag(get("zero_debias_moving_mean", False))
    if zero_debias is not False and _flag(get("is_training", True)) is not False:
        return None  # the zero-debiased moving mean makes variables of its own
    rank = len(shape) if shape is not None else None
    weighted = get("batch_weights") is not None
    fused = True if get("fused") is None else _flag(get("fused"))
    default_updates = _is_update_ops(get("updates_collections", TFRef("tensorflow.GraphKeys.UPDATE_OPS")))
    paths = set()
    fusable = not weighted and rank in (2, 4)
    if rank is None or fused is None or default_updates is None:
        paths = {"fused", "core", "legacy"}
    elif fused and fusable and (zero_debias or rank == 2 or not default_updates):
        paths = {"fused"}
    elif not weighted and default_updates and not zero_debias:
        paths = {"core"}
    else:
        paths = {"legacy"}
    dtypes = {{"fused": "float32", "core": _PARAM_DTYPE.get(dtype, dtype), "legacy": dtype}[p] for p in paths}
    param_dtype = dtypes.pop() if len(dtypes) == 1 else None
    channels = None
    if shape is not None and len(shape) >= 2:
        channels = shape[-1] if last or rank == 2 else shape[1]
    params = shape_tuple(channels)
    trainable = get("trainable", True)
    gamma = [Var("gamma", params, param_dtype, trainable)] if scale else []
    beta = [Var("beta", params, param_dtype, trainable)] if center else []
    ordered = gamma + beta if paths == {"core"} or len(paths) > 1 else beta + gamma
    stats = [Var("moving_mean", params, param_dtype, False), Var("moving_variance", params, param_dtype, False)]
    return Made(tuple(ordered + stats), tensor(shape, dtype))


def _layer_norm(get: Callable, inputs: Tensor) -> Made | None:
    center, scale = _flag(get("center", True)), _flag(get("scale", True))
    if center is None or scale is None:
        return None
    shape, axis = inputs.shape, get("begin_params_axis", -1)
    params = None
    if shape is not None and as_int(axis) is not None and -len(shape) <= axis < len(shape):
        params = shape_tuple(*shape[axis:])
    trainable = get("trainable", True)
    variables = ([Var("beta", params, inputs.dtype, trainable)] if center else []) + (
        [Var("gamma", params, inputs.dtype, trainable)] if scale else [])
    return Made(tuple(variables), tensor(shape, inputs.dtype))


def _bias_add(get: Callable, inputs: Tensor) -> Made | None:
    last = _channels_last(get("data_format"))
    shape = inputs.shape
    features = None if shape is None or last is None or len(shape) < 2 else (shape[-1] if last else shape[1])
    variables = (Var("biases", shape_tuple(features), inputs.dtype, get("trainable", True)),)
    return Made(variables, tensor(shape, inputs.dtype))


def _embed_sequence(get: Callable, inputs: Tensor) -> Made | None:
    """TF 1.15's ``contrib.layers.embed_sequence`` (``encoders.py``): a float32 model variable
    ``embeddings`` of ``[vocab_size, embed_dim]``, looked up with the ids."""
    vocab, width = as_int(get("vocab_size")), as_int(get("embed_dim"))
    if get("unique", False) is not False and get("unique") is not None:
        out = None
    else:
        out = inputs.shape + (width,) if inputs.shape is not None and width is not None else None
    variables = (Var("embeddings", shape_tuple(vocab, width), "float32", get("trainable", True)),)
    return Made(variables, tensor(out, "float32"))


def _positions(*names: str) -> dict:
    return {name: index for index, name in enumerate(names) if name}


_LAYER_TAIL = ("activation_fn", "normalizer_fn", "normalizer_params", "weights_initializer",
               "weights_regularizer", "biases_initializer", "biases_regularizer", "reuse",
               "variables_collections", "outputs_collections", "trainable", "scope")
_CONV = _positions("inputs", "num_outputs", "kernel_size", "stride", "padding", "data_format",
                   "rate", *_LAYER_TAIL)

SPECS = {
    "fully_connected": Spec("fully_connected", _positions("inputs", "num_outputs", *_LAYER_TAIL),
                            _fully_connected),
    "convolution": Spec("Conv", _CONV, _conv(None, "conv")),
    "conv1d": Spec("Conv", _CONV, _conv(1, "conv")),
    "conv2d": Spec("Conv", _CONV, _conv(2, "conv")),
    "conv3d": Spec("Conv", _CONV, _conv(3, "conv")),
    "conv2d_transpose": Spec("Conv2d_transpose", _positions(
        "inputs", "num_outputs", "kernel_size", "stride", "padding", "data_format", *_LAYER_TAIL),
        _conv(2, "transpose")),
    "separable_conv2d": Spec("SeparableConv2d", _positions(
        "inputs", "num_outputs", "kernel_size", "depth_multiplier", "stride", "padding",
        "data_format", "rate", "activation_fn", "normalizer_fn", "normalizer_params",
        "weights_initializer", "pointwise_initializer", "weights_regularizer",
        "biases_initializer", "biases_regularizer", "reuse", "variables_collections",
        "outputs_collections", "trainable", "scope"), _conv(2, "separable")),
    "batch_norm": Spec("BatchNorm", _positions(
        "inputs", "decay", "center", "scale", "epsilon", "activation_fn", "param_initializers",
        "param_regularizers", "updates_collections", "is_training", "reuse",
        "variables_collections", "outputs_collections", "trainable", "batch_weights", "fused",
        "data_format", "zero_debias_moving_mean", "scope", "renorm", "renorm_clipping",
        "renorm_decay", "adjustment"), _batch_norm),
    "layer_norm": Spec("LayerNorm", _positions(
        "inputs", "center", "scale", "activation_fn", "reuse", "variables_collections",
        "outputs_collections", "trainable", "begin_norm_axis", "begin_params_axis", "scope"),
        _layer_norm),
    "bias_add": Spec("BiasAdd", _positions(
        "inputs", "activation_fn", "initializer", "regularizer", "reuse", "variables_collections",
        "outputs_collections", "trainable", "data_format", "scope"), _bias_add),
    "embed_sequence": Spec("EmbedSequence", _positions(
        "ids", "vocab_size", "embed_dim", "unique", "initializer", "regularizer", "trainable",
        "scope", "reuse"), _embed_sequence, inputs="ids"),
}

# Activations that keep their input's shape and dtype.
_ELEMENTWISE = frozenset(
    prefix + name
    for prefix in ("nn.", "math.", "")
    for name in ("relu", "relu6", "elu", "selu", "sigmoid", "tanh", "softplus", "softsign",
                 "leaky_relu", "swish", "silu", "gelu", "identity")
)


def _activate(sim: Any, fn: Any, output: Any, node: cst.CSTNode) -> Any:
    result = sim.call_value(fn, [output], {}, node)
    if isinstance(fn, TFRef) and tfapi.canonical(fn.path) in _ELEMENTWISE and isinstance(output, Tensor):
        # An element-wise function: its output is its input's shape, whatever the op model knows.
        return Tensor(output.shape, output.dtype, output.deps)
    return result


def slim_layer(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    spec = SPECS[kind]
    defaults = arg_scope_defaults(sim, f"slim.{kind}")
    if defaults is None:
        sim.opaque(args, kwargs)
        return UNKNOWN
    merged = {**defaults, **kwargs}
    get = _reader(args, merged, spec.positions)
    scope = get("scope")
    if not (scope is None or isinstance(scope, (str, VScope))):
        sim.opaque(args, kwargs)
        return UNKNOWN
    inputs = as_tensor(get(spec.inputs, TENSOR))
    for given in ("variables_collections", "outputs_collections"):
        graph_collections.spoil_given(sim, get(given))  # not followed
    if _is_update_ops(get("updates_collections", "update_ops")) is not True:
        graph_collections.spoil_given(sim, get("updates_collections"))
    _, exit_ = enter_variable_scope(sim, scope_call(
        node, scope, default_name=spec.scope, reuse=get("reuse"),
        false_literal=keyword_literal(node, "reuse", "False"),
    ))
    try:
        made = spec.build(get, inputs)
        if made is None:
            sim.opaque(args, kwargs)  # in the layer's scope: what it makes there is unknown
            return TENSOR
        refs = []
        for var in made.variables:
            mark = len(sim.trace.events)
            refs.append(get_variable(sim, [var.name], {
                "shape": var.shape, "dtype": DType(var.dtype) if var.dtype else UNKNOWN,
                "trainable": var.trainable, "regularizer": _regularizer(get, kind, var.name),
            }, node))
            if raised_since(sim, mark):
                return TENSOR  # TF raised: the layer makes nothing more
            # slim's layers make their variables with model_variable.
            if isinstance(refs[-1], VarRef):
                graph_collections.add(sim, graph_collections.MODEL, refs[-1])
            else:
                graph_collections.spoil(sim, graph_collections.MODEL)
        if made.uncertain:
            sim.opaque([], {})
        output = with_deps(made.output, deps_of(inputs, refs)) if made.output is not TENSOR else TENSOR
        return _apply(sim, get, output, node, kind)
    finally:
        exit_()


def _regularizer(get: Callable, kind: str, variable: str) -> Any:
    """The regularizer slim hands ``model_variable`` for one of a layer's variables."""
    if variable in ("weights", "depthwise_weights", "pointwise_weights"):
        return get("weights_regularizer")
    if variable in ("biases", "embeddings"):
        own = kind in ("bias_add", "embed_sequence")  # their one variable's `regularizer`
        return get("regularizer") if own else get("biases_regularizer")
    if variable in ("beta", "gamma") and kind == "batch_norm":
        given = get("param_regularizers")
        if given is None:
            return None
        return given.get(variable) if isinstance(given, dict) and not spoilt(given) else UNKNOWN
    return None  # batch norm's moving statistics, layer norm's parameters


def _apply(sim: Any, get: Callable, output: Any, node: cst.CSTNode, kind: str) -> Any:
    """The normalizer (layers that take one) and the activation, as the layer's code runs them."""
    if kind == "embed_sequence":
        return output
    if kind not in ("batch_norm", "layer_norm", "bias_add"):
        normalizer = get("normalizer_fn")
        if normalizer is not None:
            params = get("normalizer_params")
            kwargs = dict(params) if isinstance(params, dict) else (
                {} if params is None else {STAR_KEY: UNKNOWN})
            output = sim.call_value(normalizer, [output], kwargs, node)
        activation = get("activation_fn", _DEFAULT_RELU)
    else:
        activation = get("activation_fn")
    if activation is _DEFAULT_RELU or activation is None:
        return output
    return _activate(sim, activation, output, node)


_DEFAULT_RELU = object()  # the activation slim's layers default to: element-wise


for _kind in SPECS:
    api_with(f"slim.{_kind}", _kind)(slim_layer)
