"""TF 1's graph functions: ``function.Defun`` (``tensorflow.python.framework.function``).

``@function.Defun(*input_types, shape_func=...)`` turns a Python function into a function of the
graph; a call is one op. TF traces the body in a graph of its own (``_FuncGraph``), with inputs of
the declared dtypes (else the call's) and unknown shapes: the body's ops take no name in the
caller's graph, and its outputs give only their dtypes. The call's outputs have unknown shapes
unless ``shape_func(op)`` gives them from the call's own inputs (``op.inputs[0].get_shape()``),
and they are computed from all of its inputs. The op is named after the function and a hash of
its definition, a name no program asks for.

The body runs here too, in a graph of its own, for the dtypes of what it returns. A body that
touches the variable store (``_FuncGraph`` creates its variables in the caller's graph, under the
scope the function was first called in) is unknown code for the caller's graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..interp.values import STAR, STAR_KEY, UNKNOWN, DType, Function, Partial, Tensor
from .registry import api, attribute, call
from .tensors import as_tensor, deps_of, shape_from, tensor, with_deps
from .variables import VarRef
from .world import new_graph


@dataclass(frozen=True, eq=False)
class DefunMaker:
    """``function.Defun(*input_types, **kwargs)`` before it decorates a function."""

    input_types: tuple
    shape_func: Any


@dataclass(frozen=True, eq=False)
class DefunFunction:
    """A function of the program decorated by ``Defun``."""

    fn: Function
    maker: DefunMaker


@dataclass(frozen=True, eq=False)
class DefunOp:
    """The call's op, as ``shape_func`` sees it: its inputs."""

    inputs: tuple


@api("framework.function.Defun")
def defun(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if STAR in args or STAR_KEY in kwargs:
        return UNKNOWN
    return DefunMaker(tuple(args), kwargs.get("shape_func"))


@call(DefunMaker)
def decorate(sim: Any, maker: DefunMaker, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if len(args) == 1 and not kwargs and isinstance(args[0], Function):
        return DefunFunction(args[0], maker)
    return sim.opaque_value(args, kwargs)


@attribute(DefunOp)
def op_attribute(sim: Any, op: DefunOp, attr: str, node: cst.CSTNode) -> Any:
    return list(op.inputs) if attr == "inputs" else UNKNOWN


@call(DefunFunction)
def call_defun(sim: Any, defun: DefunFunction, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    types = defun.maker.input_types
    if STAR in args or set(kwargs) - {"name"} or (types and len(types) != len(args)):
        return sim.opaque_value([defun, *args], kwargs)
    inputs = tuple(as_tensor(a) for a in args)
    dtypes = [t.name if isinstance(t, DType) else None for t in types] if types else [
        i.dtype for i in inputs
    ]
    result = _trace(sim, defun.fn, [tensor(None, d) for d in dtypes], args, node)
    outputs = list(result) if isinstance(result, (list, tuple)) else [result]
    shapes: list = [None] * len(outputs)
    if isinstance(defun.maker.shape_func, (Function, Partial)):
        given = sim.call_value(defun.maker.shape_func, [DefunOp(inputs)], {}, node)
        if isinstance(given, (list, tuple)) and len(given) == len(outputs):
            shapes = [shape_from(s) for s in given]
    deps = deps_of(*args)
    made = [
        with_deps(tensor(shape, _dtype(out)), deps) for shape, out in zip(shapes, outputs)
    ]
    if result is None:
        return UNKNOWN  # no outputs: TF returns the op
    return made[0] if len(made) == 1 else tuple(made)


def _trace(sim: Any, fn: Function, inputs: list, args: list, node: cst.CSTNode) -> Any:
    """The body run on ``inputs`` in a graph of its own, as TF traces it; what it returns."""
    world = sim.world
    outer, in_name_scope = world.graph, world.in_name_scope
    before = len(sim.trace.events)
    world.graph = new_graph(sim, open_store=True)
    world.in_name_scope = False
    try:
        return sim.call_function(fn, inputs, {}, node)
    finally:
        world.graph, world.in_name_scope = outer, in_name_scope
        touched = len(sim.trace.events) > before
        del sim.trace.events[before:]  # about a graph TF never builds
        if touched:
            sim.opaque(list(args), {})


def _dtype(value: Any) -> str | None:
    return as_tensor(value).dtype if isinstance(value, (Tensor, VarRef)) else None
