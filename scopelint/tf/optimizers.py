"""Optimizers: the slot and non-slot variables TF's ``tf.train`` optimizers make for a training step.

``minimize`` / ``apply_gradients`` make, for each variable whose gradient is not None, the
optimizer's slots as TF's ``slot_creator`` does: ``get_variable("")`` in ``variable_scope(None,
default_name=<var op name>/<op name>)``, once per optimizer and variable, so a leftover
``reuse_variables()`` breaks them. Adam's beta powers are ``tf.Variable``s made once per optimizer
and graph in the current name scope. A gradient the analysis does not know may be None: its
variable's slots are not predicted (their names and the scope counts they take are left open).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import libcst as cst

from ..events import TfVariable
from ..interp.args import ArgReader
from ..interp.values import INITIALIZER, TENSOR, UNKNOWN, BoundBuiltin, DType, Instance, Tensor
from . import graph_collections
from .gradients import gradient, loss_deps
from .registry import api, api_with, attribute, method
from .scopes import NameScopeCall, enter_name_scope, enter_variable_scope, scope_call
from .variables import VarRef, get_variable
from .world import site


@dataclass(eq=False)
class Optimizer:
    """A ``tf.train`` optimizer or moving average. ``slots``: the slots it makes per variable as
    (slot name, op name), in TF's order (None: not known); ``non_slot``: the ``tf.Variable``s it
    makes once per graph (Adam's beta powers)."""

    slots: tuple | None
    non_slot: tuple = ()
    non_slot_made: set = field(default_factory=set)  # graphs (gid) where they exist already
    # (gid, variable op name) -> the slot VarRefs made for it (UNKNOWN: maybe made, not predicted)
    made: dict = field(default_factory=dict)
    averages: bool = False  # an ExponentialMovingAverage: `average(var)` answers its slot
    partial: bool = False  # some of its variables were given in a way not followed
    debias: Any = False  # a moving average's zero_debias (its tensors' shadows get more)


def _name(get: ArgReader, index: int, default: str) -> Any:
    name = get(index, "name", default)
    return name if isinstance(name, str) and name else None


def _slots(*kinds: str) -> Callable[[ArgReader, str], tuple]:
    return lambda get, name: tuple((kind, name) for kind in kinds)


def _rmsprop(get: ArgReader, name: str) -> tuple | None:
    centered = get(5, "centered", False)
    if centered not in (True, False):
        return None
    kinds = ("rms", "mg", "momentum") if centered else ("rms", "momentum")
    return tuple((kind, name) for kind in kinds)


def _ftrl(get: ArgReader, name: str) -> tuple | None:
    accum, linear = get(7, "accum_name"), get(8, "linear_name")
    if not all(n is None or (isinstance(n, str) and n) for n in (accum, linear)):
        return None
    return (("accum", accum or name), ("linear", linear or name))


# class -> (default name, index of `name`, its slots from the arguments as (slot name, op name)
# in TF's order, its non-slot variables)
OPTIMIZERS: dict[str, tuple[str, int, Callable[[ArgReader, str], tuple | None], tuple]] = {
    "AdamOptimizer": ("Adam", 5, _slots("m", "v"), ("beta1_power", "beta2_power")),
    "MomentumOptimizer": ("Momentum", 3, _slots("momentum"), ()),
    "RMSPropOptimizer": ("RMSProp", 6, _rmsprop, ()),
    "AdagradOptimizer": ("Adagrad", 3, _slots("accumulator"), ()),
    "AdadeltaOptimizer": ("Adadelta", 4, _slots("accum", "accum_update"), ()),
    "FtrlOptimizer": ("Ftrl", 6, _ftrl, ()),
    "ProximalAdagradOptimizer": ("ProximalAdagrad", 5, _slots("accumulator"), ()),
    "AdagradDAOptimizer": (
        "AdagradDA", 6, _slots("gradient_accumulator", "gradient_squared_accumulator"), (),
    ),
    "GradientDescentOptimizer": ("GradientDescent", 2, _slots(), ()),
    "ProximalGradientDescentOptimizer": ("ProximalGradientDescent", 4, _slots(), ()),
}


def optimizer_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    default, index, slots_of, non_slot = OPTIMIZERS[kind]
    get = ArgReader(args, kwargs)
    name = _name(get, index, default)
    if get(-1, "use_own_namescope_for_non_slot_vars", False) is not False:
        name = None  # its own variable scope, opened here (TF 2's option): not followed
    return Optimizer(None if name is None else slots_of(get, name), non_slot)


for _kind in OPTIMIZERS:
    api_with(f"train.{_kind}", _kind)(optimizer_class)
# TF 1's contrib.opt.LazyAdamOptimizer subclasses AdamOptimizer and changes only sparse updates.
api_with("contrib.opt.LazyAdamOptimizer", "AdamOptimizer")(optimizer_class)


@api("tpu.CrossShardOptimizer", "contrib.tpu.CrossShardOptimizer")
def cross_shard(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The TPU wrapper hands every call on to the optimizer it wraps (summing the gradients across
    shards keeps None as None): it makes exactly that optimizer's variables."""
    inner = ArgReader(args, kwargs)(0, "opt")
    if isinstance(inner, Optimizer) or isinstance(inner, Instance):
        return inner
    return sim.opaque_value(args, kwargs)


@api("train.ExponentialMovingAverage")
def moving_average(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    name = _name(get, 3, "ExponentialMovingAverage")
    debias = get(2, "zero_debias", False)
    return Optimizer(None if name is None else (("average", name),), averages=True,
                     debias=debias if debias in (True, False) else UNKNOWN)


@api("train.get_or_create_global_step", "train.create_global_step")
def global_step(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The first call makes `global_step` with get_variable in the current variable scope (reuse
    applies); later calls find it in a graph collection. An op already named `global_step` is
    what TF finds (and takes for the global step) instead of making one."""
    graph = sim.world.graph
    if graph.global_step is None:
        if graph.names_in_use.get("global_step"):
            return TENSOR
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


def gradient_pairs(sim: Any, loss: Any, var_list: Any) -> Any:
    """``compute_gradients``: a (gradient, variable) pair for every variable of ``var_list``
    (default: the trainable ones), the gradient None where the loss does not depend on it."""
    graph = sim.world.graph
    if var_list is None:
        var_list = UNKNOWN if graph.trainable_unknown else list(graph.trainable)
    if not isinstance(var_list, (list, tuple)) or not all(isinstance(v, VarRef) for v in var_list):
        return UNKNOWN
    deps = loss_deps(loss)
    return [(gradient(deps, v), v) for v in var_list]


def apply_slots(sim: Any, optimizer: Optimizer, pairs: Any, node: cst.CSTNode) -> Any:
    """``apply_gradients``: the non-slot variables, then each slot of each variable whose
    gradient is not None, in TF's order (per variable, all its slots)."""
    if not isinstance(pairs, (list, tuple)) or not all(
        isinstance(p, tuple) and len(p) == 2 for p in pairs
    ):
        optimizer.partial = True
        return sim.opaque_value([pairs], {})
    if optimizer.slots == ():
        return TENSOR  # no slots (gradient descent)
    if optimizer.slots is None or not all(isinstance(v, VarRef) and v.actual for _, v in pairs):
        optimizer.partial = True
        return sim.opaque_value([pairs], {})
    trained = [(v, g is not UNKNOWN) for g, v in pairs if g is not None]
    if not trained:
        return TENSOR  # TF raises: no gradient for any variable (not a store error)
    graph = sim.world.graph
    if optimizer.non_slot and graph.gid not in optimizer.non_slot_made:
        # Once per optimizer and graph, as tf.Variables in the current name scope (init_scope
        # keeps it): the optimizer's own bookkeeping, never a sharing mistake. When no gradient
        # is known not to be None, TF may raise instead: their names are only taken in doubt.
        optimizer.non_slot_made.add(graph.gid)
        any_known = any(known for _, known in trained)
        for extra in optimizer.non_slot:
            # Scalars made from the optimizer's float hyperparameters (beta1, beta2).
            bookkeeping(sim, extra, "float32", node, maybe=not any_known)
    for variable, certain in trained:
        key = (graph.gid, variable.actual)
        if key in optimizer.made:
            continue  # TF keeps one set of slots per optimizer and variable
        optimizer.made[key] = [
            make_slot(sim, variable, op_name, node) if certain else maybe_slot(sim, variable, op_name)
            for _, op_name in optimizer.slots
        ]
    return TENSOR


def bookkeeping(sim: Any, name: str, dtype: Any, node: cst.CSTNode, maybe: bool = False) -> None:
    """A scalar ``tf.Variable`` an optimizer keeps for itself in the current name scope, never a
    sharing mistake; one TF ``maybe`` does not make only takes its name in doubt."""
    graph = sim.world.graph
    actual = graph.unique_name(name, sim.path, maybe=maybe)
    if maybe:
        graph_collections.spoil(sim, graph_collections.GLOBAL)
        return
    graph_collections.add(sim, graph_collections.GLOBAL, VarRef(actual, False, (), dtype))
    stack = graph.name_stack
    requested = None if stack is None else (f"{stack}/{name}" if stack else name)
    sim.emit(TfVariable(
        site(sim, node), requested, actual, False, None, None, internal=True, shape=(), dtype=dtype,
    ))


def make_slot(sim: Any, variable: VarRef, op_name: str, node: cst.CSTNode) -> Any:
    """One slot: get_variable("") in variable_scope(None, default_name=<var>/<op name>), shaped
    and typed like the variable it serves (slot_creator)."""
    opened = scope_call(node, None, default_name=f"{variable.actual}/{op_name}")
    _, exit_ = enter_variable_scope(sim, opened)
    try:
        return get_variable(sim, [""], {
            "dtype": DType(variable.dtype) if variable.dtype is not None else UNKNOWN,
            "shape": variable.shape,
        }, node)
    finally:
        exit_()


def slot_variable(sim: Any, variable: VarRef, op_name: str, shape: Any, dtype: Any,
                  node: cst.CSTNode) -> Any:
    """A slot an optimizer the program wrote makes through the base class (``_zeros_slot``,
    ``_get_or_make_slot``): ``slot_creator``'s scope, the given shape and dtype, not trained."""
    opened = scope_call(node, None, default_name=f"{variable.actual}/{op_name}")
    _, exit_ = enter_variable_scope(sim, opened)
    try:
        return get_variable(sim, [""], {
            "dtype": DType(dtype) if isinstance(dtype, str) else UNKNOWN,
            "shape": list(shape) if isinstance(shape, tuple) else UNKNOWN, "trainable": False,
        }, node)
    finally:
        exit_()


def maybe_slot(sim: Any, variable: VarRef, op_name: str) -> Any:
    """A slot TF makes only if the variable's gradient is not None, which is not known: its
    scope's number is in doubt from now on, and so is whatever it would hold."""
    graph = sim.world.graph
    sim.impure()
    relative = graph.unique_var_scope(f"{variable.actual}/{op_name}", sim.path)
    full = graph.current.full(relative) if relative is not None else None
    if full is None:
        graph.tainted.add(graph.current.name or "")
        return UNKNOWN
    graph.count_scope(full, sim.path)
    graph.uncertain_counts.add(full)
    graph.tainted.add(full)
    return UNKNOWN


@method(Optimizer)
def optimizer_method(sim: Any, optimizer: Optimizer, name: str, args: list, kwargs: dict,
                     node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if name == "minimize" and not optimizer.averages:
        pairs = gradient_pairs(sim, get(0, "loss"), get(2, "var_list"))
        return apply_slots(sim, optimizer, pairs, node)
    if name == "compute_gradients" and not optimizer.averages:
        return gradient_pairs(sim, get(0, "loss"), get(1, "var_list"))
    if name == "apply_gradients" and not optimizer.averages:
        return apply_slots(sim, optimizer, get(0, "grads_and_vars"), node)
    if name == "apply" and optimizer.averages:
        return apply_averages(sim, optimizer, get(0, "var_list"), node)
    if name == "average" and optimizer.averages:
        return _average(sim, optimizer, get(0, "var"))
    if name == "variables_to_restore" and optimizer.averages:
        return variables_to_restore(sim, optimizer, get(0, "moving_avg_variables"))
    if name == "get_slot" and not optimizer.averages:
        return _slot(sim, optimizer, get(0, "var"), get(1, "name"))
    return TENSOR


@dataclass(eq=False)
class SyncReplicas:
    """``SyncReplicasOptimizer``: its step makes ``sync_rep_local_step`` in the current name
    scope, then applies the wrapped optimizer at the root name scope (its beta powers are
    ``beta1_power`` there) and, given a moving average, averages ``variables_to_average``."""

    inner: Optimizer
    name: Any
    averages: Any
    to_average: Any


@api("train.SyncReplicasOptimizer")
def sync_replicas(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    inner, averages = get(0, "opt"), get(3, "variable_averages")
    if get.unknown or not isinstance(inner, Optimizer) or inner.averages or not (
        averages is None or (isinstance(averages, Optimizer) and averages.averages)
    ):
        return sim.opaque_value(args, kwargs)
    return SyncReplicas(inner, get(6, "name", "sync_replicas"), averages, get(4, "variables_to_average"))


@attribute(Optimizer, SyncReplicas)
def optimizer_attribute(sim: Any, optimizer: Any, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(optimizer, attr)  # its methods (optimizer_method, sync_method)


@method(SyncReplicas)
def sync_method(sim: Any, sync: SyncReplicas, name: str, args: list, kwargs: dict,
                node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if name in ("compute_gradients", "get_slot"):
        return optimizer_method(sim, sync.inner, name, args, kwargs, node)
    if name not in ("minimize", "apply_gradients"):
        return TENSOR
    if name == "minimize":
        pairs = gradient_pairs(sim, get(0, "loss"), get(2, "var_list"))
    else:
        pairs = get(0, "grads_and_vars")
    step = get(1, "global_step")
    if step is None:
        return TENSOR  # TF raises: the global step is required (not a store error)
    bookkeeping(sim, "sync_rep_local_step", step.dtype if isinstance(step, VarRef) else None, node)
    _, leave_own = enter_name_scope(sim, NameScopeCall(sync.name))
    _, leave_root = enter_name_scope(sim, NameScopeCall(""))
    try:
        apply_slots(sim, sync.inner, pairs, node)
        if sync.averages is not None:
            apply_averages(sim, sync.averages, sync.to_average, node)
    finally:
        leave_root()
        leave_own()
    return TENSOR


_FLOATS = ("float16", "bfloat16", "float32", "float64")


def apply_averages(sim: Any, average: Optimizer, var_list: Any, node: cst.CSTNode) -> Any:
    """``ExponentialMovingAverage.apply``: one shadow slot per variable not averaged yet (by
    default the trainable variables). The shadow of a tensor is named after its op, which is
    not followed: it is left open."""
    graph = sim.world.graph
    if var_list is None:
        var_list = UNKNOWN if graph.trainable_unknown else list(graph.trainable)
    if var_list is UNKNOWN:
        # Variables or tensors not known (else TF raises): each shadow is named after one.
        var_list = [UNKNOWN]
    if not isinstance(var_list, (list, tuple)):
        average.partial = True
        return sim.opaque_value([var_list], {})
    pairs = []
    raises = False
    for value in var_list:
        if isinstance(value, (VarRef, Tensor)) and value.dtype not in (None, *_FLOATS):
            raises = True  # TF raises a TypeError here (only floats are averaged), after the ones before
            break
        if isinstance(value, VarRef):
            pairs.append((TENSOR, value))
            graph_collections.add(sim, graph_collections.MOVING_AVERAGE, value)
        elif isinstance(value, Tensor) or value is TENSOR or value is UNKNOWN:
            unnamed_shadow(sim, average)
        else:
            average.partial = True
            return sim.opaque_value([var_list], {})
    if pairs:
        apply_slots(sim, average, pairs, node)
    if average.slots is not None and not raises:
        graph.unique_name(average.slots[0][1], sim.path, scope=True)  # the update ops' name scope
    return TENSOR


def unnamed_shadow(sim: Any, average: Optimizer) -> None:
    """The shadow of a tensor or a variable not known, named after its op (a variable's name),
    which is not followed: ``<scope>/<op name>/<name>[_n]`` is left open, and with it only the
    names it can take (``GraphState.unnamed_slot``). Zero debiasing adds variables under a scope
    named after a tensor's shadow: then everything in the current scope is left open."""
    sim.impure()
    graph = sim.world.graph
    average.partial = True
    # Both the shadow (a global variable) and, for a variable, the variable averaged.
    graph_collections.spoil(sim, graph_collections.GLOBAL)
    graph_collections.spoil(sim, graph_collections.MOVING_AVERAGE)
    scope = graph.current
    if average.slots is None or average.debias is not False or scope.full("") is None \
            or graph.name_stack is None:
        graph.tainted.add(scope.name or "")
        return
    graph.unnamed_slot(scope.name, graph.name_stack, average.slots[0][1])


def _average(sim: Any, average: Optimizer, var: Any) -> Any:
    """``average(var)``: the shadow variable, or None when ``var`` is not averaged."""
    if not isinstance(var, VarRef) or var.actual is None:
        return UNKNOWN
    made = average.made.get((sim.world.graph.gid, var.actual))
    if made is None:
        return UNKNOWN if average.partial else None
    return made[0]


def variables_to_restore(sim: Any, average: Optimizer, averaged: Any) -> Any:
    """``ema.variables_to_restore()``: {average name: variable} for the trainable and
    moving-average variables (the shadow's name when one was made, else
    ``<op name>/<ema name>``), and {op name: variable} for every other global variable."""
    sim.impure()
    graph = sim.world.graph
    if averaged is None:
        trainable = graph_collections.listing(sim, graph_collections.TRAINABLE)
        moving = graph_collections.listing(sim, graph_collections.MOVING_AVERAGE)
        averaged = None if trainable is None or moving is None else trainable + moving
    everything = graph_collections.listing(sim, graph_collections.GLOBAL)
    if average.slots is None or everything is None or not isinstance(averaged, (list, tuple)):
        return UNKNOWN
    if not all(isinstance(v, VarRef) and v.actual for v in averaged):
        return UNKNOWN
    suffix = average.slots[0][1]
    names: dict = {}
    for var in dict.fromkeys(averaged):
        made = average.made.get((graph.gid, var.actual))
        if made is not None:
            if not isinstance(made[0], VarRef) or made[0].actual is None:
                return UNKNOWN
            names[made[0].actual] = var
            continue
        wanted = f"{var.actual}/{suffix}"
        if not graph.names_exact or graph.names_in_use.get(wanted.lower()) or average.partial:
            return UNKNOWN  # TF asks the graph for a unique name: it may differ
        names[wanted] = var
    averaged_names = {v.actual for v in averaged}
    for var in everything:
        if var.actual not in averaged_names and var.actual not in names:
            names[var.actual] = var
    return names


def _slot(sim: Any, optimizer: Optimizer, var: Any, slot_name: Any) -> Any:
    """``get_slot(var, name)``: the slot by TF's slot name (Adam's "m" and "v"), None when the
    optimizer made no such slot for ``var``."""
    if not isinstance(var, VarRef) or var.actual is None or optimizer.slots is None:
        return UNKNOWN
    made = optimizer.made.get((sim.world.graph.gid, var.actual))
    kinds = [kind for kind, _ in optimizer.slots]
    if made is None or slot_name not in kinds:
        return UNKNOWN if optimizer.partial or not isinstance(slot_name, str) else None
    return made[kinds.index(slot_name)]
