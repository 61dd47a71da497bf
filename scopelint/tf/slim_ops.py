"""TF-Slim's ops that make no variable but shape what follows, and its composition helpers.

``max_pool2d``/``avg_pool2d`` (and 3-D) and ``flatten`` open a name scope; ``dropout`` a
numbered variable scope ``Dropout``; ``repeat``/``stack`` open ``variable_scope(scope, 'Repeat'
/ 'Stack')`` and call the layer there with ``scope=<scope or the layer's __name__>_<i>``, as
``tf_slim.layers.layers`` does. The output shapes follow the input's.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import libcst as cst

from ..resolve import tfapi
from ..interp.args import ArgReader
from ..interp.values import STAR, TENSOR, UNKNOWN, Function, Tensor, TFRef, as_int, spoilt
from .state import VScope
from .layers import int_tuple
from .registry import api, api_with
from .scopes import NameScopeCall, enter_name_scope, enter_variable_scope, scope_call
from .slim import ArgScoped, arg_scope_defaults, op_key
from .tensors import as_tensor, conv_length, tensor, with_deps

# The ``__name__`` of slim's functions (``repeat``/``stack`` name their scopes after it).
_FUNCTION_NAMES = {
    "slim.conv2d": "convolution2d", "slim.conv1d": "convolution1d", "slim.conv3d": "convolution3d",
    "slim.conv2d_transpose": "convolution2d_transpose",
    "slim.conv3d_transpose": "convolution3d_transpose",
    "slim.separable_conv2d": "separable_convolution2d",
    "slim.conv2d_in_plane": "convolution2d_in_plane",
}


def _defaults(sim: Any, kind: str, args: list, kwargs: dict) -> ArgReader | None:
    defaults = arg_scope_defaults(sim, f"slim.{kind}")
    if defaults is None:
        sim.opaque(args, kwargs)
        return None
    return ArgReader(args, {**defaults, **kwargs})


def _pooled(inputs: Tensor, rank: int, kernel: Any, stride: Any, padding: Any, data_format: Any) -> Any:
    if inputs.shape is None or len(inputs.shape) != rank + 2 or not isinstance(data_format, str):
        return tensor(None, inputs.dtype)
    pool, strides = int_tuple(kernel, rank), int_tuple(stride, rank)
    if pool is None or strides is None:
        return tensor(None, inputs.dtype)
    last = not data_format.startswith("NC")
    spatial = inputs.shape[1:-1] if last else inputs.shape[2:]
    out = [conv_length(size, k, s, padding) for size, k, s in zip(spatial, pool, strides)]
    batch, channels = inputs.shape[0], inputs.shape[-1] if last else inputs.shape[1]
    return tensor((batch, *out, channels) if last else (batch, channels, *out), inputs.dtype)


_POOLS = {
    "max_pool2d": ("MaxPool2D", 2, "NHWC"), "avg_pool2d": ("AvgPool2D", 2, "NHWC"),
    "max_pool3d": ("MaxPool3D", 3, "NDHWC"), "avg_pool3d": ("AvgPool3D", 3, "NDHWC"),
}


def slim_pool(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``<kind>(inputs, kernel_size, stride=2, padding='VALID', data_format, ..., scope)``."""
    get = _defaults(sim, kind, args, kwargs)
    if get is None:
        return UNKNOWN
    base, rank, data_format = _POOLS[kind]
    _name_scope(sim, get(6, "scope"), base, node)
    inputs = as_tensor(get(0, "inputs", TENSOR))
    out = _pooled(inputs, rank, get(1, "kernel_size"), get(2, "stride", 2), get(3, "padding", "VALID"),
                  get(4, "data_format", data_format))
    return with_deps(out, inputs.deps)


for _kind in _POOLS:
    api_with(f"slim.{_kind}", _kind)(slim_pool)


def _name_scope(sim: Any, scope: Any, default: str, node: cst.CSTNode) -> None:
    """``ops.name_scope(scope, default)``, entered and left: it takes its name."""
    _, exit_ = enter_name_scope(sim, NameScopeCall(default if scope is None else scope), node)
    exit_()


@api("slim.flatten")
def slim_flatten(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = _defaults(sim, "flatten", args, kwargs)
    if get is None:
        return UNKNOWN
    _name_scope(sim, get(2, "scope"), "Flatten", node)
    inputs = as_tensor(get(0, "inputs", TENSOR))
    if inputs.shape is None or len(inputs.shape) < 2:
        return with_deps(tensor(None, inputs.dtype), inputs.deps)
    rest = inputs.shape[1:]
    size = math.prod(rest) if all(d is not None for d in rest) else None
    return with_deps(tensor((inputs.shape[0], size), inputs.dtype), inputs.deps)


@api("slim.dropout")
def slim_dropout(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``dropout(inputs, keep_prob, noise_shape, is_training, outputs_collections, scope, seed)``:
    a ``Dropout`` variable scope (numbered) and no variables."""
    get = _defaults(sim, "dropout", args, kwargs)
    if get is None:
        return UNKNOWN
    scope = get(5, "scope")
    if not (scope is None or isinstance(scope, (str, VScope))):
        return TENSOR
    _, exit_ = enter_variable_scope(sim, scope_call(node, scope, default_name="Dropout"))
    exit_()
    inputs = as_tensor(get(0, "inputs", TENSOR))
    return with_deps(tensor(inputs.shape, inputs.dtype), inputs.deps)


@api_with("slim.softmax", "softmax", 1)
@api_with("slim.unit_norm", "UnitNorm", 3)
def slim_same_shape(sim: Any, default: str, scope_index: int, args: list, kwargs: dict,
                    node: cst.CSTNode) -> Any:
    """``softmax(logits, scope)`` and ``unit_norm(inputs, dim, epsilon, scope)``: a numbered
    variable scope, no variables, the input's shape."""
    get = ArgReader(args, kwargs)
    scope = get(scope_index, "scope")
    if not (scope is None or isinstance(scope, (str, VScope))):
        return TENSOR
    _, exit_ = enter_variable_scope(sim, scope_call(node, scope, default_name=default))
    exit_()
    inputs = as_tensor(get(0, "logits" if default == "softmax" else "inputs", TENSOR))
    return with_deps(tensor(inputs.shape, inputs.dtype), inputs.deps)


@api("slim.one_hot_encoding")
def slim_one_hot_encoding(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, ..., scope)``: a
    name scope ``OneHotEncoding`` and ``tf.one_hot`` of float32 values."""
    get = _defaults(sim, "one_hot_encoding", args, kwargs)
    if get is None:
        return UNKNOWN
    _name_scope(sim, get(5, "scope"), "OneHotEncoding", node)
    labels, classes = as_tensor(get(0, "labels", TENSOR)), as_int(get(1, "num_classes"))
    on, off = get(2, "on_value", 1.0), get(3, "off_value", 0.0)
    dtype = "float32" if isinstance(on, float) and isinstance(off, float) else None
    shape = labels.shape + (classes,) if labels.shape is not None else None
    return with_deps(tensor(shape, dtype), labels.deps)


def _layer_name(layer: Any) -> Any:
    """``layer.__name__``, as ``repeat``/``stack`` read it; None when unknown."""
    if isinstance(layer, TFRef):
        name = op_key(tfapi.canonical(layer.path))
        return _FUNCTION_NAMES.get(name, name[5:] if name.startswith("slim.") else None)
    if isinstance(layer, ArgScoped):
        layer = layer.fn
    if isinstance(layer, Function) and isinstance(layer.node, cst.FunctionDef):
        return layer.node.name.value
    return None


def _composed(sim: Any, default: str, args: list, kwargs: dict, node: cst.CSTNode,
              calls: Callable[[], list | None], layer: Any) -> Any:
    """``repeat`` and ``stack``: the layer called with each argument list in ``scope``."""
    scope = kwargs.get("scope")
    name = scope if scope is not None else _layer_name(layer)
    steps = calls()
    if not (scope is None or isinstance(scope, str)) or not isinstance(name, str) or steps is None:
        sim.opaque(args, kwargs)
        return UNKNOWN
    rest = {k: v for k, v in kwargs.items() if k != "scope"}
    _, exit_ = enter_variable_scope(sim, scope_call(node, scope, default_name=default))
    try:
        outputs = args[0] if args else TENSOR
        for index, layer_args in enumerate(steps):
            outputs = sim.call_value(layer, [outputs, *layer_args], {**rest, "scope": f"{name}_{index + 1}"}, node)
        return outputs
    finally:
        exit_()


@api("slim.repeat")
def slim_repeat(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``repeat(inputs, repetitions, layer, *args, **kwargs)``."""
    times = as_int(args[1]) if len(args) > 2 and STAR not in args[:3] else None
    layer = args[2] if times is not None else UNKNOWN
    extra = list(args[3:])
    known = times is not None and 0 <= times <= 64 and STAR not in extra
    return _composed(sim, "Repeat", args, kwargs, node,
                     lambda: [extra] * times if known else None, layer)


@api("slim.stack")
def slim_stack(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``stack(inputs, layer, stack_args, **kwargs)``: one call per element of ``stack_args``."""
    get = ArgReader(args, kwargs)
    layer, stack_args = get(1, "layer", UNKNOWN), get(2, "stack_args")

    def calls() -> list | None:
        if not isinstance(stack_args, (list, tuple)) or len(stack_args) > 64:
            return None
        return [list(a) if isinstance(a, (list, tuple)) else [a] for a in stack_args]

    positional = [get(0, "inputs", TENSOR)]
    rest = {k: v for k, v in kwargs.items() if k not in ("inputs", "layer", "stack_args")}
    return _composed(sim, "Stack", positional, rest, node, calls, layer)


# tf_slim's helpers around the layers: they collect outputs, never touch the store.
@api("slim.utils.collect_named_outputs", pure=True)
def collect_named_outputs(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return ArgReader(args, kwargs)(2, "outputs", TENSOR)


@api("slim.utils.last_dimension", pure=True)
def last_dimension(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``last_dimension(shape, min_rank=1)``: the last dimension's value (TF raises when it is
    unknown)."""
    shape = ArgReader(args, kwargs)(0, "shape")
    if isinstance(shape, tuple) and shape and as_int(shape[-1]) is not None:
        return int(shape[-1])
    return UNKNOWN


@api("slim.utils.convert_collection_to_dict", "slim.utils.append_tensor_alias", pure=True)
def slim_utils(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return UNKNOWN


@api("slim.utils.get_variable_collections", pure=True)
def get_variable_collections(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``get_variable_collections(variables_collections, name)``: a dict's entry for ``name``
    (None when it has none), else the collections as given."""
    get = ArgReader(args, kwargs)
    given = get(0, "variables_collections")
    if type(given) is dict:
        name = get(1, "name")
        return given.get(name, None) if isinstance(name, str) and not spoilt(given) else UNKNOWN
    return given
