"""Legacy ``tf.layers`` / ``tf.compat.v1.layers``: functions and layer objects.

As TF's ``base.Layer._set_scope`` / ``__call__``: a layer captures its variable scope at its first
call (``name=`` fixed, else numbered by ``default_name``), re-enters it on every call with reuse
once built, and makes its variables there with ``get_variable``. Functional layers pass
``_scope=name``, a scope captured at construction. RNN cells are layers too (``rnn.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import libcst as cst

from ..interp.args import ArgReader, keyword_literal
from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin, DType, Tensor, as_int, truth
from . import graph_collections
from .state import VScope
from .registry import api_with, attribute, call, method
from .scopes import enter_variable_scope, scope_call
from .tensors import as_tensor, conv_length, deps_of, tensor, with_deps
from .variables import created_since, get_variable, raised_since, regularized


@dataclass(eq=False)
class Layer:
    """A legacy tf.layers layer, with the scope it captured at its first call.

    ``spec`` maps the input tensor to the layer's variables (``((name, shape), ...)``, shapes
    as tuples of int|None or None) and its output tensor, as the layer's ``build`` and ``call``
    compute them."""

    base: str
    spec: Callable[[Tensor], tuple[tuple, Any]]
    reuse: Any = None  # the layer's own `reuse=` / `_reuse`
    scope: VScope | None = None
    built: bool = False
    reuse_false_literal: bool = False
    # Variable name -> the regularizer given for it (``kernel_regularizer`` for ``kernel``).
    regularizers: dict = field(default_factory=dict)


# A weight's name -> the keyword of its regularizer, as TF's layers take them.
_REGULARIZERS = {
    "kernel": "kernel_regularizer", "bias": "bias_regularizer", "beta": "beta_regularizer",
    "gamma": "gamma_regularizer", "depthwise_kernel": "depthwise_regularizer",
    "pointwise_kernel": "pointwise_regularizer", "embeddings": "embeddings_regularizer",
}


def shape_tuple(*dims: Any) -> Any:
    return tuple(as_int(d) for d in dims)


def int_tuple(value: Any, rank: int) -> tuple | None:
    """A layer argument given as an int or as a tuple of ``rank`` ints."""
    if as_int(value) is not None:
        return (int(value),) * rank
    if isinstance(value, (list, tuple)) and len(value) == rank and all(as_int(v) is not None for v in value):
        return tuple(int(v) for v in value)
    return None


def _channels(inputs: Tensor, data_format: Any) -> tuple[int | None, bool | None]:
    """The input's channel dimension and whether channels come last (None: unknown)."""
    if data_format not in ("channels_last", "channels_first") or inputs.shape is None or len(inputs.shape) < 2:
        return None, None
    last = data_format == "channels_last"
    return (inputs.shape[-1] if last else inputs.shape[1]), last


def _dense(get: Any, offset: int) -> Callable:
    units, use_bias = as_int(get(offset, "units")), get(-1, "use_bias", True)

    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        width = inputs.shape[-1] if inputs.shape else None
        variables = [("kernel", shape_tuple(width, units))]
        if use_bias is not False:
            variables.append(("bias", shape_tuple(units)))
        out = inputs.shape[:-1] + (units,) if inputs.shape and units is not None else None
        return tuple(variables), tensor(out, inputs.dtype)

    return spec


def _conv(rank: int, style: str) -> Callable:
    """conv{1,2,3}d (style "conv"), conv{2,3}d_transpose ("transpose"), separable ("separable")."""

    def make(get: Any, offset: int) -> Callable:
        filters = as_int(get(offset, "filters"))
        kernel = int_tuple(get(offset + 1, "kernel_size"), rank)
        strides = int_tuple(get(offset + 2, "strides", 1), rank)
        padding = get(offset + 3, "padding", "valid")
        data_format = get(offset + 4, "data_format", "channels_last")
        dilation = int_tuple(get(offset + 5, "dilation_rate", 1), rank) if style != "transpose" else (1,) * rank
        multiplier = as_int(get(offset + 6, "depth_multiplier", 1)) if style == "separable" else 1
        use_bias = get(-1, "use_bias", True)

        def spec(inputs: Tensor) -> tuple[tuple, Any]:
            channels, last = _channels(inputs, data_format)
            ks = kernel if kernel is not None else (None,) * rank
            if style == "transpose":
                variables = [("kernel", shape_tuple(*ks, filters, channels))]
            elif style == "separable":
                mixed = channels * multiplier if channels is not None and multiplier is not None else None
                variables = [
                    ("depthwise_kernel", shape_tuple(*ks, channels, multiplier)),
                    ("pointwise_kernel", shape_tuple(*(1,) * rank, mixed, filters)),
                ]
            else:
                variables = [("kernel", shape_tuple(*ks, channels, filters))]
            if use_bias is not False:
                variables.append(("bias", shape_tuple(filters)))
            return tuple(variables), tensor(conv_output(inputs, last, rank, filters, kernel, strides,
                                                         padding, dilation, style), inputs.dtype)

        return spec

    return make


def conv_output(inputs: Tensor, last: Any, rank: int, filters: Any, kernel: Any, strides: Any,
                 padding: Any, dilation: Any, style: str) -> tuple | None:
    if last is None or inputs.shape is None or len(inputs.shape) != rank + 2:
        return None
    if kernel is None or strides is None or dilation is None or filters is None:
        return None
    spatial = inputs.shape[1:-1] if last else inputs.shape[2:]
    out = []
    for size, k, s, d in zip(spatial, kernel, strides, dilation):
        if style == "transpose":
            mode = padding.lower() if isinstance(padding, str) else None
            if size is None or mode not in ("same", "valid"):
                out.append(None)
            else:
                out.append(size * s if mode == "same" else size * s + max(k - s, 0))
        else:
            out.append(conv_length(size, k, s, padding, d))
    batch = inputs.shape[0]
    return (batch, *out, filters) if last else (batch, filters, *out)


def _pooling(rank: int) -> Callable:
    def make(get: Any, offset: int) -> Callable:
        pool = int_tuple(get(offset, "pool_size"), rank)
        strides = int_tuple(get(offset + 1, "strides"), rank)
        padding = get(offset + 2, "padding", "valid")
        data_format = get(offset + 3, "data_format", "channels_last")

        def spec(inputs: Tensor) -> tuple[tuple, Any]:
            channels, last = _channels(inputs, data_format)
            if last is None or pool is None or strides is None or len(inputs.shape) != rank + 2:
                return (), tensor(None, inputs.dtype)
            spatial = inputs.shape[1:-1] if last else inputs.shape[2:]
            out = [conv_length(size, k, s, padding) for size, k, s in zip(spatial, pool, strides)]
            batch = inputs.shape[0]
            shape = (batch, *out, channels) if last else (batch, channels, *out)
            return (), tensor(shape, inputs.dtype)

        return spec

    return make


def _flatten(get: Any, offset: int) -> Callable:
    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        if inputs.shape is None or not inputs.shape:
            return (), tensor(None, inputs.dtype)
        rest = inputs.shape[1:]
        size = math.prod(rest) if all(d is not None for d in rest) else None
        return (), tensor((inputs.shape[0], size), inputs.dtype)

    return spec


def _same(get: Any, offset: int) -> Callable:
    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        return (), tensor(inputs.shape, inputs.dtype)

    return spec


# Batch normalization's statistics are updated, not trained: optimizers make no slots for them.
NON_TRAINABLE = frozenset({"moving_mean", "moving_variance"})


def _batch_norm(get: Any, offset: int) -> Callable:
    axis, center, scale = get(-1, "axis", -1), get(-1, "center", True), get(-1, "scale", True)

    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        channels = None
        if inputs.shape is not None and as_int(axis) is not None and -len(inputs.shape) <= axis < len(inputs.shape):
            channels = inputs.shape[axis]
        out = []
        if scale is not False:
            out.append(("gamma", shape_tuple(channels)))
        if center is not False:
            out.append(("beta", shape_tuple(channels)))
        out += [("moving_mean", shape_tuple(channels)), ("moving_variance", shape_tuple(channels))]
        return tuple(out), tensor(inputs.shape, inputs.dtype)

    return spec


# layer kind -> (base name, spec maker(get, offset of the first argument after `inputs`))
LAYERS = {
    "dense": ("dense", _dense),
    "conv1d": ("conv1d", _conv(1, "conv")),
    "conv2d": ("conv2d", _conv(2, "conv")),
    "conv3d": ("conv3d", _conv(3, "conv")),
    "conv2d_transpose": ("conv2d_transpose", _conv(2, "transpose")),
    "conv3d_transpose": ("conv3d_transpose", _conv(3, "transpose")),
    "separable_conv1d": ("separable_conv1d", _conv(1, "separable")),
    "separable_conv2d": ("separable_conv2d", _conv(2, "separable")),
    # No variables, but still legacy layers: each opens a (numbered) variable scope and name scope.
    "flatten": ("flatten", _flatten),
    "dropout": ("dropout", _same),
    **{f"{kind}_pooling{rank}d": (f"{kind}_pooling{rank}d", _pooling(rank))
       for kind in ("max", "average") for rank in (1, 2, 3)},
    "batch_normalization": ("batch_normalization", _batch_norm),
}
LAYER_CLASSES = {
    "Dense": "dense", "Conv1D": "conv1d", "Conv2D": "conv2d", "Conv3D": "conv3d",
    "Conv2DTranspose": "conv2d_transpose", "Conv3DTranspose": "conv3d_transpose",
    "SeparableConv1D": "separable_conv1d", "SeparableConv2D": "separable_conv2d",
    "BatchNormalization": "batch_normalization",
    "Flatten": "flatten", "Dropout": "dropout",
    "MaxPooling1D": "max_pooling1d", "MaxPooling2D": "max_pooling2d", "MaxPooling3D": "max_pooling3d",
    "AveragePooling1D": "average_pooling1d", "AveragePooling2D": "average_pooling2d",
    "AveragePooling3D": "average_pooling3d",
}


def no_variables(inputs: Tensor) -> tuple[tuple, Any]:
    """The spec of a layer whose variables its own code makes (or that makes none)."""
    return (), TENSOR


def _layer_from_args(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode,
                     functional: bool) -> Layer:
    get = ArgReader(args, kwargs)
    offset = 1 if functional else 0  # the functional form takes `inputs` first
    base, make = LAYERS[kind]
    regularizers = {name: kwargs[key] for name, key in _REGULARIZERS.items()
                    if kwargs.get(key) is not None}
    if get.unknown or len(args) > offset + 4 or any(
        k.endswith("regularizer") and v is not None and k not in _REGULARIZERS.values()
        for k, v in kwargs.items()
    ):
        # A loss of its output (``activity_regularizer``), or regularizers given by position
        # (no layer takes them before its fifth argument): not followed.
        graph_collections.spoil(sim, graph_collections.REGULARIZATION)
    name = get(-1, "name")
    reuse = get(-1, "reuse") if functional else get(-1, "_reuse")
    layer = Layer(
        base=name if isinstance(name, str) and not functional else base,
        spec=make(get, offset),
        reuse=reuse,
        reuse_false_literal=keyword_literal(node, "reuse", "False"),
        regularizers=regularizers,
    )
    if name is not None and not isinstance(name, str):
        layer.spec = no_variables  # unknown scope: nothing predictable
        sim.opaque(args, kwargs)
    elif functional and isinstance(name, str):
        # Functional layers pass _scope=name: a string scope captured at construction.
        layer.scope, exit_ = enter_variable_scope(sim, scope_call(node, name))
        exit_()
    return layer


def call_layer(sim: Any, layer: Layer, node: cst.CSTNode, inputs: Any = TENSOR,
               inside: Callable[[], Any] | None = None) -> Any:
    """Call a layer on ``inputs``: its variables, then ``inside`` (a MultiRNNCell's cells), in
    its scope. Returns the output tensor (``inside``'s result when given)."""
    world = sim.world
    # A name_scope around the layer call still misleads: the layer's scope hangs off the
    # variable scope, not off the name scope.
    outer_name_scope = world.in_name_scope
    if layer.scope is None:
        if truth(layer.reuse):
            opened = scope_call(node, layer.base)
        else:
            opened = scope_call(node, None, default_name=layer.base)
        layer.scope, exit_ = enter_variable_scope(sim, opened)
        exit_()
    reuse = True if layer.built else layer.reuse
    scope, exit_ = enter_variable_scope(sim, scope_call(
        node, layer.scope, reuse=reuse, aux=False,
        false_literal=layer.reuse_false_literal and not layer.built,
    ))
    world.in_name_scope = outer_name_scope
    given = as_tensor(inputs)
    variables, output = layer.spec(given)
    # The layer's dtype is its first input's (float16 in, float16 weights); unknown: no claim.
    dtype = DType(given.dtype) if given.dtype is not None else UNKNOWN
    made: list = []
    try:
        for name, shape in variables:
            mark = len(sim.trace.events)
            # A built layer makes no get_variable calls in TF (its weights exist): no check.
            made.append(get_variable(sim, [name], {
                "shape": None if layer.built else shape,
                "dtype": UNKNOWN if layer.built else dtype,
                "trainable": name not in NON_TRAINABLE,
            }, node))
            if raised_since(sim, mark):
                output = TENSOR  # TF raised: nothing after it in this layer happens
                break
            if name in layer.regularizers and created_since(sim, mark):
                # Keras makes its loss in the layer's name scope, under the weight's name.
                names = layer.scope.original_name_scope if layer.scope is not None else None
                regularized(sim, layer.regularizers[name], made[-1],
                            f"{names}{name}/Regularizer/" if isinstance(names, str) else None)
        else:
            if inside is not None:
                output = inside()
    finally:
        exit_()
    if output is not TENSOR:
        # Computed from its input and its own variables; ``inside``'s result (a MultiRNNCell's
        # cells, a program's cell) from what that read, and its variables.
        deps = deps_of(given, made) if inside is None else deps_of(made, output)
        output = with_deps(output, deps)
    if layer.scope is not None and layer.scope.original_name_scope:
        # After its variables, the layer makes its ops (MatMul, BiasAdd, ...) in the name
        # scope it first opened.
        world.graph.ops_made_in(layer.scope.original_name_scope[:-1])
    layer.built = True
    return output


def layer_function(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    layer = _layer_from_args(sim, kind, args, kwargs, node, functional=True)
    return call_layer(sim, layer, node, ArgReader(args, kwargs)(0, "inputs", TENSOR))


def layer_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return _layer_from_args(sim, kind, args, kwargs, node, functional=False)


for _kind in LAYERS:
    api_with(f"layers.{_kind}", _kind)(layer_function)
for _cls, _kind in LAYER_CLASSES.items():
    api_with(f"layers.{_cls}", _kind)(layer_class)


@call(Layer)
def call_layer_object(sim: Any, layer: Layer, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return call_layer(sim, layer, node, ArgReader(args, kwargs)(0, "inputs", TENSOR))


def layer_attribute(sim: Any, layer: Any, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(layer, attr)


def layer_method(sim: Any, layer: Any, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if name in ("apply", "__call__"):
        return sim.call_value(layer, args, kwargs, node)
    return TENSOR


attribute(Layer)(layer_attribute)
method(Layer)(layer_method)
