"""Every other TF API: plain ops, initializers, Keras, and functions TF calls while building.

An op makes no variable but takes a unique op name (a ``tf.Variable`` named like it is renamed);
``cond``, ``while_loop``, ``map_fn`` & co. call the Python functions they are given; an
unmodelled API under a namespace that may create variables (``tfapi.may_touch_store``) is a call
into code nobody can see. Keras layers never use the store but make ``tf.Variable``s whose names
are not predicted.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import libcst as cst

from ..resolve import tfapi
from ..interp.args import ArgReader, arity
from ..interp.values import INITIALIZER, TENSOR, UNKNOWN, Function, TFRef
from . import graph_collections
from .registry import HOOKS, api, fallback, presence

# TF's own helpers that read a function's signature and never call it (an Estimator asks
# `fn_args(model_fn)` before it calls the model function once).
_INSPECTING = ("util.tf_inspect.", "util.function_utils.")
# APIs that keep the functions they are given for later (proto converters of a collection,
# read when a graph is exported) and call none of them while the graph is built.
_REGISTERING = frozenset({"register_proto_function"})
# Values that describe, and build nothing: a layer's expected input (magenta's cells set one).
_DESCRIBING = frozenset({"layers.InputSpec", "keras.layers.InputSpec"})
# Ops whose default name a variable may collide with: api -> (default name, index of `name`).
_DEFAULT_OP_NAMES = {"constant": ("Const", 4), "zeros": ("zeros", 3), "ones": ("ones", 3)}
# Default op names not spelled like their function (``unnamed_names``), lowercase.
_OP_TYPES = {
    "add": ("addv2",), "multiply": ("mul",), "subtract": ("sub",), "negative": ("neg",),
    "divide": ("truediv", "div", "realdiv"), "gather": ("gatherv2",),
    "where": ("selectv2", "select"),
}


@presence(TFRef)
def api_has(ref: TFRef, attr: str) -> Any:
    """``hasattr(tf.sigmoid, "__call__")``: an API the model handles is a function or a class,
    both callable (TFLearn takes an activation given as a function so)."""
    if attr == "__call__" and tfapi.canonical(ref.path) in HOOKS.apis:
        return True
    return None


@fallback
def call_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if api_name.endswith("_initializer") or api_name.startswith(("initializers.", "keras.initializers.")):
        return INITIALIZER
    if api_name.startswith(("keras.regularizers.", "keras.activations.", "keras.constraints.")):
        return TENSOR  # plain functions and callables: no weights
    if api_name.startswith(_INSPECTING) or api_name in _REGISTERING or api_name in _DESCRIBING:
        return UNKNOWN
    graph = sim.world.graph
    if api_name.startswith("keras."):
        # Keras layers never touch the store, but make tf.Variables we do not name.
        sim.impure()
        graph.names_exact = False
        graph.trainable_unknown = True
        return TENSOR
    if tfapi.may_touch_store(api_name):
        sim.opaque(args, kwargs)
        return UNKNOWN
    graph_collections.spoil_named(sim, kwargs)  # a summary's, a metric's collections
    if api_name.startswith(_ADDING_LOSSES) or api_name.endswith("apply_regularization"):
        graph_collections.spoil(sim, graph_collections.LOSSES)
        graph_collections.spoil(sim, graph_collections.REGULARIZATION)
    make_op(sim, api_name, args, kwargs, node)
    return TENSOR


# Modules whose functions add to the loss collections (those not modelled in ``losses.py``).
_ADDING_LOSSES = ("losses.", "contrib.losses.", "slim.losses.")


def make_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    """What building any op does to the graph: it takes a unique op name, and TF calls the Python
    functions it is given. Families that compute an op's result (``tensors.py``) call this too."""
    name = kwargs.get("name")
    if api_name in _DEFAULT_OP_NAMES and name is None and len(args) < _DEFAULT_OP_NAMES[api_name][1]:
        name = _DEFAULT_OP_NAMES[api_name][0]
    take_name(sim, api_name, name)
    _call_functions(sim, args, kwargs, node)


def take_name(sim: Any, api_name: str, name: Any) -> None:
    """A call of ``api_name`` makes an op (or opens a name scope) named ``name``, or after what it
    computes when ``name`` is None."""
    if isinstance(name, str) and name:
        # Every op takes its name through Graph.unique_name; a variable named like it is renamed.
        sim.impure()
        sim.world.graph.unique_name(name, sim.path)
    elif name is None:
        # TF names it after what it computes: a variable asking for that name gets another.
        unnamed(sim, unnamed_names(api_name))
    else:
        sim.impure()  # a name not known: it may be any, directly in the current name scope
        sim.world.graph.ops_made_in(sim.world.graph.name_stack)


def unnamed(sim: Any, names: frozenset[str]) -> None:
    """An op was made without a name in the current name scope: it took one of ``names``
    (lowercase). An effect a summary replays (``Summarising.effect``)."""
    sim.effect(_unnamed_op, names)


def _unnamed_op(sim: Any, names: frozenset[str]) -> None:
    sim.world.graph.unnamed_op(names)


@cache  # asked at every op made without a name; a few hundred API names in all
def unnamed_names(api_name: str) -> frozenset[str]:
    """The names (lowercase) an op of ``api_name`` made without a name may take: its op type
    (``reduce_sum`` -> "Sum", ``nn.bias_add`` -> "BiasAdd", compared lowercase as TF does) or
    the name scope its function opens (``truncated_normal``)."""
    last = api_name.rpartition(".")[2].lower()
    bare = last.removeprefix("reduce_")
    spellings = (last, last.replace("_", ""), bare, bare.replace("_", ""))
    return frozenset((*spellings, *_OP_TYPES.get(last, ())))


def _call_functions(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, Function):
            # TF calls these while building the graph (cond branches, loop bodies).
            sim.call_function(value, [TENSOR] * arity(value), {}, node)


@api("train.assign_moving_average")
def assign_moving_average(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``assign_moving_average(variable, value, decay, zero_debias=True, name=None)``: without
    zero debiasing an assign op and nothing more (batch norm layers' moving statistics); with
    it, TF makes the debiasing variables of its own, not followed."""
    zero_debias = ArgReader(args, kwargs)(3, "zero_debias", True)
    if zero_debias is not False:
        sim.opaque(args, kwargs)
        return UNKNOWN
    make_op(sim, "assign_moving_average", args, kwargs, node)
    return TENSOR


@api("map_fn", pure=True)
def call_functions(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    _call_functions(sim, args, kwargs, node)
    return TENSOR
