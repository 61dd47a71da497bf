"""TF-Slim: ``fully_connected``, ``conv2d``, ``batch_norm`` and the ``arg_scope`` defaults they take.

A slim layer opens ``variable_scope(scope, default_name=<layer>, reuse=reuse)`` and makes its
``weights``/``biases`` (or batch-norm variables) there; ``arg_scope`` supplies default keyword
arguments to the ops it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from .. import tfapi
from ..interp.args import ArgReader, keyword_literal
from ..interp.values import INITIALIZER, TENSOR, UNKNOWN, Tensor, TFRef, as_int
from ..state import VScope
from .layers import NON_TRAINABLE, shape_tuple
from .registry import api, api_with, context
from .scopes import enter_variable_scope, scope_call
from .tensors import as_tensor
from .variables import get_variable, raised_since


@dataclass(eq=False)
class ArgScope:
    """slim.arg_scope(ops, **defaults): inside it, those slim ops take these defaults."""

    ops: Any
    defaults: dict


# TF-Slim layers: (default scope name, variables builder(get, input tensor)).
def _slim_dense_vars(get: Any, inputs: Tensor) -> tuple:
    units = get(1, "num_outputs")
    width = inputs.shape[-1] if inputs.shape else None
    out = [("weights", shape_tuple(width, units))]
    if get(-1, "normalizer_fn") is None and get(-1, "biases_initializer", INITIALIZER) is not None:
        out.append(("biases", shape_tuple(units)))
    return tuple(out)


def _slim_conv_vars(get: Any, inputs: Tensor) -> tuple:
    units, kernel = get(1, "num_outputs"), get(2, "kernel_size")
    channels = None
    if inputs.shape is not None and len(inputs.shape) == 4 and get(-1, "data_format") in (None, "NHWC"):
        channels = inputs.shape[-1]
    if as_int(kernel) is not None:
        kernel = (kernel, kernel)
    if not (isinstance(kernel, (list, tuple)) and len(kernel) == 2):
        kernel = (None, None)
    out = [("weights", shape_tuple(*kernel, channels, units))]
    if get(-1, "normalizer_fn") is None and get(-1, "biases_initializer", INITIALIZER) is not None:
        out.append(("biases", shape_tuple(units)))
    return tuple(out)


def _slim_bn_vars(get: Any, inputs: Tensor) -> tuple:
    channels = None
    if inputs.shape and get(-1, "data_format") in (None, "NHWC"):
        channels = inputs.shape[-1]
    out = []
    if get(-1, "scale", False) is not False:
        out.append(("gamma", shape_tuple(channels)))
    if get(-1, "center", True) is not False:
        out.append(("beta", shape_tuple(channels)))
    return tuple(out) + (("moving_mean", shape_tuple(channels)), ("moving_variance", shape_tuple(channels)))


SLIM = {
    "fully_connected": ("fully_connected", _slim_dense_vars),
    "conv2d": ("Conv", _slim_conv_vars),
    "batch_norm": ("BatchNorm", _slim_bn_vars),
}


def arg_scope_defaults(sim: Any, api_name: str) -> dict | None:
    """The keyword defaults the enclosing ``arg_scope``s give ``api_name``; None when one of
    them names an op the analysis cannot name (any default may apply)."""
    defaults: dict = {}
    for names, scoped in sim.world.arg_scopes:
        if None in names:
            return None
        if api_name in names:
            defaults.update(scoped)
    return defaults


def slim_layer(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    defaults = arg_scope_defaults(sim, f"slim.{kind}")
    if defaults is None:
        sim.opaque(args, kwargs)
        return UNKNOWN
    get = ArgReader(args, {**defaults, **kwargs})
    scope = get(-1, "scope")
    if not (scope is None or isinstance(scope, (str, VScope))):
        sim.opaque(args, kwargs)
        return UNKNOWN
    base, build = SLIM[kind]
    reuse = get(-1, "reuse")
    _, exit_ = enter_variable_scope(sim, scope_call(
        node, scope, default_name=base, reuse=reuse,
        false_literal=keyword_literal(node, "reuse", "False"),
    ))
    try:
        for name, shape in build(get, as_tensor(get(0, "inputs", TENSOR))):
            mark = len(sim.trace.events)
            get_variable(sim, [name], {
                "shape": shape, "dtype": UNKNOWN, "trainable": name not in NON_TRAINABLE,
            }, node)
            if raised_since(sim, mark):
                break  # TF raised: the layer makes nothing more
    finally:
        exit_()
    return TENSOR


for _kind in SLIM:
    api_with(f"slim.{_kind}", _kind)(slim_layer)


@api("slim.arg_scope")
def arg_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return ArgScope(args[0] if args else UNKNOWN, kwargs)


@context(ArgScope)
def enter_arg_scope(sim: Any, manager: ArgScope, node: cst.CSTNode) -> tuple[Any, Callable[[], None]]:
    ops = manager.ops if isinstance(manager.ops, (list, tuple)) else [UNKNOWN]
    names = {tfapi.canonical(op.path) if isinstance(op, TFRef) else None for op in ops}
    stack = sim.world.arg_scopes
    stack.append((names, manager.defaults))

    def leave() -> None:
        stack.pop()

    return UNKNOWN, leave
