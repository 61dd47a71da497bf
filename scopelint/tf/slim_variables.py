"""TF-Slim's ``variable`` and ``model_variable``: ``get_variable`` in the current variable scope.

``tf_slim.ops.variables.variable(name, shape, dtype, initializer, regularizer, trainable,
collections, caching_device, device, partitioner, custom_getter, ...)`` calls
``variable_scope.get_variable`` with these arguments (or the custom getter, which the store
model cannot follow); ``model_variable`` calls ``variable`` with ``dtype`` defaulting to
``float32`` instead of the scope's dtype. Both are ``add_arg_scope`` functions, so
``slim.arg_scope([slim.model_variable], ...)`` supplies their keyword defaults. Collections and
devices do not change what the store holds and are not read; a regularizer adds a loss
(``variables.py``).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import UNKNOWN, DType
from . import graph_collections
from .registry import api
from .slim import arg_scope_defaults
from .variables import VarRef, get_variable

# Where each function is defined or re-exported, as ``tfapi.canonical`` spells the path:
# tf_slim / tf.contrib.slim / tf.contrib.framework (``slim.``), tf.contrib.slim.variables
# (``slim.variables.``), tf_slim.ops.variables and TF1's
# tf.contrib.framework.python.ops.variables.
_MODULES = ("slim.", "slim.variables.", "slim.ops.variables.", "slim.python.ops.variables.")


def _spellings(function: str) -> tuple[str, ...]:
    return tuple(module + function for module in _MODULES)


VARIABLE = _spellings("variable")
MODEL_VARIABLE = _spellings("model_variable")


def _defaults(sim: Any, spellings: tuple[str, ...]) -> dict | None:
    """The ``arg_scope`` defaults for one function, whichever spelling the scopes named it by.

    TF keys ``arg_scope`` by the function object, so every spelling counts. When two spellings
    give one keyword different values, which one wins depends on how the scopes nest, which the
    per-name lookup does not say: then the defaults are unknown (None), as for an unnamed op.
    """
    merged: dict = {}
    for spelling in spellings:
        found = arg_scope_defaults(sim, spelling)
        if found is None:
            return None
        for key, value in found.items():
            if key in merged and merged[key] is not value:
                return None
            merged[key] = value
    return merged


def _slim_variable(sim: Any, spellings: tuple[str, ...], dtype_default: Any,
                   args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    defaults = _defaults(sim, spellings)
    if defaults is None:
        sim.opaque(args, kwargs)
        return UNKNOWN
    get = ArgReader(args, {**defaults, **kwargs})
    # name, shape, dtype and initializer sit at get_variable's positions 0..3.
    return get_variable(
        sim,
        [get(0, "name"), get(1, "shape"), get(2, "dtype", dtype_default), get(3, "initializer")],
        {
            "regularizer": get(4, "regularizer"),
            "trainable": get(5, "trainable", True),
            "partitioner": get(9, "partitioner"),
            "custom_getter": get(10, "custom_getter"),
        },
        node,
    )


@api(*VARIABLE)
def slim_variable(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return _slim_variable(sim, VARIABLE, None, args, kwargs, node)


@api(*MODEL_VARIABLE)
def slim_model_variable(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    ref = _slim_variable(sim, MODEL_VARIABLE, DType("float32"), args, kwargs, node)
    if isinstance(ref, VarRef):
        graph_collections.add(sim, graph_collections.MODEL, ref)
    else:
        graph_collections.spoil(sim, graph_collections.MODEL)
    return ref
