"""Optimizers, moving averages and the global step: the variables TF makes for a training step.

``minimize`` / ``apply_gradients`` / ``ExponentialMovingAverage.apply`` make slot variables as
TF's ``slot_creator`` does: ``get_variable("")`` in ``variable_scope(None,
default_name=<var op name>/<optimizer name>)``, so a leftover ``reuse_variables()`` breaks them.
Adam's beta powers are ``tf.Variable``s. ``get_or_create_global_step`` makes ``global_step``
with ``get_variable`` in the current scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..events import TfVariable
from ..interp.args import ArgReader
from ..interp.values import INITIALIZER, TENSOR, UNKNOWN, BoundBuiltin, DType, Tensor
from .registry import api, api_with, attribute, method
from .scopes import enter_variable_scope, scope_call
from .tensors import as_tensor
from .variables import VarRef, get_variable
from .world import site


@dataclass(eq=False)
class Optimizer:
    name: Any
    slots: int  # slot variables per trained variable
    non_slot: tuple  # non-slot tf.Variables created once per graph (Adam's beta powers)
    non_slot_made: set = field(default_factory=set)  # graphs (gid) where they exist already


OPTIMIZERS = {
    "AdamOptimizer": ("Adam", 2, ("beta1_power", "beta2_power")),
    "MomentumOptimizer": ("Momentum", 1, ()),
    "RMSPropOptimizer": ("RMSProp", 2, ()),
    "AdagradOptimizer": ("Adagrad", 1, ()),
    "AdadeltaOptimizer": ("Adadelta", 2, ()),
    "FtrlOptimizer": ("Ftrl", 2, ()),
    "GradientDescentOptimizer": ("GradientDescent", 0, ()),
}


def optimizer_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    default, slots, non_slot = OPTIMIZERS[kind]
    name = ArgReader(args, kwargs)(-1, "name", default)
    return Optimizer(name, slots, non_slot)


for _kind in OPTIMIZERS:
    api_with(f"train.{_kind}", _kind)(optimizer_class)


@api("train.ExponentialMovingAverage")
def moving_average(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    name = ArgReader(args, kwargs)(-1, "name", "ExponentialMovingAverage")
    return Optimizer(name, 1, ())


@api("trainable_variables")
def trainable_variables(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    graph = sim.world.graph
    return UNKNOWN if graph.trainable_unknown else list(graph.trainable)


@api("train.get_or_create_global_step", "train.create_global_step")
def global_step(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The first call makes `global_step` with get_variable in the current variable scope (reuse
    applies); later calls find it in a graph collection."""
    graph = sim.world.graph
    if graph.global_step is None:
        graph.global_step = get_variable(
            sim,
            ["global_step"],
            {"shape": [], "dtype": DType("int64"), "initializer": INITIALIZER, "trainable": False},
            node,
        )
    return graph.global_step


@api("train.get_global_step")
def get_global_step(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return sim.world.graph.global_step or UNKNOWN


def _trained(graph: Any, loss: Any) -> list:
    """The trainable variables a loss has gradients for: those it is computed from, when that
    is known (TF makes no slot for a variable the loss does not depend on); else all."""
    deps = as_tensor(loss).deps if isinstance(loss, (Tensor, VarRef)) else None
    if deps is None:
        return list(graph.trainable)
    return [v for v in graph.trainable if v.actual in deps]


def apply_slots(sim: Any, optimizer: Optimizer, variables: Any, node: cst.CSTNode,
                loss: Any = None) -> Any:
    """Slot variables: get_variable("") in vs(None, default_name=<var op name>/<name>)."""
    if not isinstance(optimizer.name, str):
        return UNKNOWN
    graph = sim.world.graph
    if variables is None:
        variables = _trained(graph, loss)
    if not isinstance(variables, (list, tuple)) or not all(
        isinstance(v, VarRef) and v.actual is not None for v in variables
    ) or graph.trainable_unknown:
        sim.opaque([], {})
        return UNKNOWN
    if optimizer.slots and variables and graph.gid not in optimizer.non_slot_made:
        # Once per optimizer and graph, as tf.Variables in the current name scope (init_scope
        # keeps it): the optimizer's own bookkeeping, never a sharing mistake.
        optimizer.non_slot_made.add(graph.gid)
        stack = graph.name_stack
        for extra in optimizer.non_slot:
            actual = graph.unique_name(extra, sim.path)
            requested = None if stack is None else (f"{stack}/{extra}" if stack else extra)
            # Scalars made from the optimizer's float hyperparameters (beta1, beta2).
            sim.emit(TfVariable(
                site(sim, node), requested, actual, False, None, None, internal=True,
                shape=(), dtype="float32",
            ))
    for variable in variables:
        for index in range(optimizer.slots):
            opened = scope_call(node, None, default_name=f"{variable.actual}/{optimizer.name}")
            _, exit_ = enter_variable_scope(sim, opened)
            try:
                # A slot is shaped and typed like the variable it serves (slot_creator).
                get_variable(sim, [""], {
                    "dtype": DType(variable.dtype) if variable.dtype is not None else UNKNOWN,
                    "shape": variable.shape,
                }, node)
            finally:
                exit_()
    return TENSOR


@attribute(Optimizer)
def optimizer_attribute(sim: Any, optimizer: Optimizer, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(optimizer, attr)


@method(Optimizer)
def optimizer_method(sim: Any, optimizer: Optimizer, name: str, args: list, kwargs: dict,
                     node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if name == "minimize":
        return apply_slots(sim, optimizer, get(-1, "var_list"), node, loss=get(0, "loss"))
    if name == "compute_gradients":
        # (gradient, variable) pairs, so that zip(*...) and comprehensions over them
        # carry the variables on to apply_gradients.
        var_list = get(-1, "var_list")
        if var_list is None:
            graph = sim.world.graph
            var_list = UNKNOWN if graph.trainable_unknown else _trained(graph, get(0, "loss"))
        if isinstance(var_list, (list, tuple)) and all(isinstance(v, VarRef) for v in var_list):
            return [(TENSOR, v) for v in var_list]
        return UNKNOWN
    if name == "apply_gradients":
        pairs = get(0, "grads_and_vars")
        if isinstance(pairs, (list, tuple)) and all(
            isinstance(p, tuple) and len(p) == 2 for p in pairs
        ):
            return apply_slots(sim, optimizer, [v for _, v in pairs], node)
        return sim.opaque_value(args, kwargs)
    if name == "apply":
        return apply_slots(sim, optimizer, get(0, "var_list"), node)
    return TENSOR
