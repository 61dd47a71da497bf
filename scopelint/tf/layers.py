"""Legacy ``tf.layers`` / ``tf.compat.v1.layers``: functions and layer objects.

As TF's ``base.Layer._set_scope`` / ``__call__``: a layer captures its variable scope at its first
call (``name=`` fixed, else numbered by ``default_name``), re-enters it on every call with reuse
once built, and makes its variables there with ``get_variable``. Functional layers pass
``_scope=name``, a scope captured at construction. RNN cells are layers too (``rnn.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..interp.args import ArgReader, keyword_literal
from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin, truth
from ..state import VScope
from .registry import api_with, attribute, call, method
from .scopes import enter_variable_scope, scope_call
from .variables import get_variable


@dataclass(eq=False)
class Layer:
    """A legacy tf.layers layer, with the scope it captured at its first call."""

    base: str
    variables: tuple  # ((name, shape), ...); shape None when unknown
    reuse: Any = None  # the layer's own `reuse=` / `_reuse`
    scope: VScope | None = None
    built: bool = False
    reuse_false_literal: bool = False


def shape_tuple(*dims: Any) -> Any:
    return tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in dims)


# layer kind -> (base name, positional index of units/filters, variables builder)
def _dense_vars(units: Any, use_bias: Any) -> tuple:
    out = [("kernel", shape_tuple(None, units))]
    if use_bias is not False:
        out.append(("bias", shape_tuple(units)))
    return tuple(out)


def _conv_vars(names: tuple) -> Any:
    def build(units: Any, use_bias: Any) -> tuple:
        out = [(n, None) for n in names]
        if use_bias is not False:
            out.append(("bias", None))
        return tuple(out)

    return build


LAYERS = {
    "dense": ("dense", _dense_vars),
    "conv1d": ("conv1d", _conv_vars(("kernel",))),
    "conv2d": ("conv2d", _conv_vars(("kernel",))),
    "conv3d": ("conv3d", _conv_vars(("kernel",))),
    "conv2d_transpose": ("conv2d_transpose", _conv_vars(("kernel",))),
    "conv3d_transpose": ("conv3d_transpose", _conv_vars(("kernel",))),
    "separable_conv1d": ("separable_conv1d", _conv_vars(("depthwise_kernel", "pointwise_kernel"))),
    "separable_conv2d": ("separable_conv2d", _conv_vars(("depthwise_kernel", "pointwise_kernel"))),
    # No variables, but still legacy layers: each opens a (numbered) variable scope and name scope.
    **{kind: (kind, lambda units, use_bias: ()) for kind in (
        "flatten", "dropout", "max_pooling1d", "max_pooling2d", "max_pooling3d",
        "average_pooling1d", "average_pooling2d", "average_pooling3d",
    )},
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


# Batch normalization's statistics are updated, not trained: optimizers make no slots for them.
NON_TRAINABLE = frozenset({"moving_mean", "moving_variance"})


def _bn_vars(center: Any, scale: Any) -> tuple:
    out = []
    if scale is not False:
        out.append(("gamma", None))
    if center is not False:
        out.append(("beta", None))
    return tuple(out) + (("moving_mean", None), ("moving_variance", None))


def _layer_from_args(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode,
                     functional: bool) -> Layer:
    get = ArgReader(args, kwargs)
    offset = 1 if functional else 0  # the functional form takes `inputs` first
    if kind == "batch_normalization":
        variables = _bn_vars(get(-1, "center", True), get(-1, "scale", True))
        base = "batch_normalization"
    else:
        base, build = LAYERS[kind]
        variables = build(get(offset, "units" if kind == "dense" else "filters"),
                          get(-1, "use_bias", True))
    name = get(-1, "name")
    reuse = get(-1, "reuse") if functional else get(-1, "_reuse")
    layer = Layer(
        base=name if isinstance(name, str) and not functional else base,
        variables=variables,
        reuse=reuse,
        reuse_false_literal=keyword_literal(node, "reuse", "False"),
    )
    if name is not None and not isinstance(name, str):
        layer.variables = ()  # unknown scope: nothing predictable
        sim.opaque(args, kwargs)
    elif functional and isinstance(name, str):
        # Functional layers pass _scope=name: a string scope captured at construction.
        layer.scope, exit_ = enter_variable_scope(sim, scope_call(node, name))
        exit_()
    return layer


def call_layer(sim: Any, layer: Layer, node: cst.CSTNode,
               inside: Callable[[], None] | None = None) -> Any:
    """Call a layer: its variables, then ``inside`` (a MultiRNNCell's cells), in its scope."""
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
    try:
        for name, shape in layer.variables:
            get_variable(sim, [name], {
                "shape": shape, "dtype": UNKNOWN, "trainable": name not in NON_TRAINABLE,
            }, node)
        if inside is not None:
            inside()
    finally:
        exit_()
    if layer.scope is not None and layer.scope.original_name_scope:
        # After its variables, the layer makes its ops (MatMul, BiasAdd, ...) in the name
        # scope it first opened.
        world.graph.ops_made_in(layer.scope.original_name_scope[:-1])
    layer.built = True
    return TENSOR


def layer_function(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return call_layer(sim, _layer_from_args(sim, kind, args, kwargs, node, functional=True), node)


def layer_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return _layer_from_args(sim, kind, args, kwargs, node, functional=False)


for _kind in ("batch_normalization", *LAYERS):
    api_with(f"layers.{_kind}", _kind)(layer_function)
for _cls, _kind in LAYER_CLASSES.items():
    api_with(f"layers.{_cls}", _kind)(layer_class)


@call(Layer)
def call_layer_object(sim: Any, layer: Layer, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return call_layer(sim, layer, node)


def layer_attribute(sim: Any, layer: Any, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(layer, attr)


def layer_method(sim: Any, layer: Any, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if name in ("apply", "__call__"):
        return sim.call_value(layer, args, kwargs, node)
    return TENSOR


attribute(Layer)(layer_attribute)
method(Layer)(layer_method)
