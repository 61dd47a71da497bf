"""Methods of TF's classes that the program's subclasses inherit.

A program that derives from a TF class runs TF's code wherever its own classes leave a method
to the base. Where the model knows what that method does, the interpreter asks it here (the
``inherited`` hook) instead of calling unknown code, which may create variables anywhere and
so leaves the graph's collections unknown.

- ``tf.train.Optimizer.__init__(use_locking, name)``: the base of every optimizer the program
  writes itself (BERT's ``AdamWeightDecayOptimizer``); it only keeps its arguments. Its
  ``compute_gradients``, ``minimize`` and ``apply_gradients`` run as TF's do: the program's
  ``_create_slots(var_list)`` for the variables with a gradient, then in the name scope of the
  step ``_prepare()`` and ``_apply_dense(grad, var)`` for each, and ``_finish``; the slots it
  asks the base for (``_zeros_slot``, ``_get_or_make_slot``, ``_get_or_make_slot_with_initializer``)
  are made as ``slot_creator`` makes them, once per variable and slot name, and ``get_slot``
  finds them (tensor2tensor's ``AdafactorOptimizer``).
- ``tf.layers.Layer`` (the legacy layer): ``__init__(trainable, name, dtype)`` names it (the
  class's name in snake case when no name is given); ``__call__`` / ``apply`` run it as TF does:
  a variable scope named after it, numbered like any layer, captured at the first call and
  re-entered with reuse after it, ``build(input_shape)`` once, then ``call(inputs, ...)``;
  ``add_weight`` / ``add_variable`` get a variable in the scope the layer is running in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..resolve import tfapi
from ..interp.args import ArgReader
from ..interp.values import STAR, TENSOR, UNKNOWN, Instance, TFRef, note_object
from .custom_cells import (
    CELL_BASES, CELL_INIT, build_once, is_user_cell, own_method, snake_case, step_user_cell,
)
from .layers import Layer, call_layer, no_variables
from .optimizers import gradient_pairs, slot_variable
from .registry import api_with, call, on_inherited
from .scopes import NameScopeCall, dtype_of, enter_name_scope
from .tensors import as_tensor, shape_from
from .variables import VarRef, get_variable


@dataclass(frozen=True, eq=False)
class Inherited:
    """A method of TF class ``api`` (``train.Optimizer.__init__``) bound to the program's object."""

    api: str
    obj: Any


def _optimizer_init(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    get = ArgReader(args, kwargs)
    if type(obj) is Instance:
        # What TF's __init__ keeps, under its own names, for code that reads them back.
        obj.attrs["_use_locking"] = get(0, "use_locking")
        obj.attrs["_name"] = get(1, "name")
    return None


_SLOTS = "\0optimizer_slots"  # an optimizer subclass's slots: {(slot name, variable): VarRef}


def _slot_table(obj: Instance) -> dict:
    table = obj.attrs.get(_SLOTS)
    if type(table) is not dict:
        note_object(obj)
        table = obj.attrs[_SLOTS] = {}
    return table


def _make_slot(sim: Any, obj: Any, var: Any, slot: Any, op_name: Any, shape: Any, dtype: Any,
               node: cst.CSTNode) -> Any:
    if type(obj) is not Instance or not isinstance(var, VarRef) or var.actual is None or not (
        isinstance(slot, str) and isinstance(op_name, str)
    ):
        sim.opaque([obj, var], {})
        return UNKNOWN
    table = _slot_table(obj)
    if (slot, var.actual) not in table:
        note_object(table)
        table[slot, var.actual] = slot_variable(sim, var, op_name, shape, dtype, node)
    return table[slot, var.actual]


def _zeros_slot(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    var = get(0, "var")
    known = as_tensor(var) if isinstance(var, VarRef) else None
    return _make_slot(sim, obj, var, get(1, "slot_name"), get(2, "op_name"),
                      known and known.shape, known and known.dtype, node)


def _get_or_make_slot(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    val = as_tensor(get(1, "val"))
    return _make_slot(sim, obj, get(0, "var"), get(2, "slot_name"), get(3, "op_name"),
                      val.shape, val.dtype, node)


def _slot_with_initializer(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return _make_slot(sim, obj, get(0, "var"), get(4, "slot_name"), get(5, "op_name"),
                      shape_from(get(2, "shape")), dtype_of(get(3, "dtype")), node)


def _get_slot(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    var, slot = get(0, "var"), get(1, "name")
    table = obj.attrs.get(_SLOTS) if type(obj) is Instance else None
    if type(table) is not dict or not isinstance(var, VarRef) or not isinstance(slot, str):
        return UNKNOWN
    return table.get((slot, var.actual), UNKNOWN)


def _compute_gradients(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return gradient_pairs(sim, get(0, "loss"), get(1, "var_list"))


def _apply_gradients(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    pairs, step, name = get(0, "grads_and_vars"), get(1, "global_step"), get(2, "name")
    if name is None and type(obj) is Instance:
        name = obj.attrs.get("_name")
    known = type(obj) is Instance and isinstance(pairs, (list, tuple)) and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[1], VarRef) and p[1].actual
        and p[0] is not UNKNOWN for p in pairs
    )
    if get.unknown or not known or not isinstance(name, str):
        sim.opaque([obj, *args], kwargs)
        return UNKNOWN
    trained = [(g, v) for g, v in pairs if g is not None]
    for method, arguments in (("_create_slots", [[v for _, v in trained]]),):
        found = own_method(obj, method)
        if found is not None:
            sim.call_function(found, arguments, {}, node)
    _, exit_ = enter_name_scope(sim, NameScopeCall(name))
    try:
        prepare = own_method(obj, "_prepare")
        if prepare is not None:
            sim.call_function(prepare, [], {}, node)
        apply = own_method(obj, "_apply_dense") or own_method(obj, "_resource_apply_dense")
        updates = [
            sim.call_function(apply, [g, v], {}, node) if apply is not None else TENSOR
            for g, v in trained
        ]
        finish = own_method(obj, "_finish")
        if step is None and finish is not None:
            sim.call_function(finish, [updates, name], {}, node)
    finally:
        exit_()
    return TENSOR


def _minimize(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    compute = own_method(obj, "compute_gradients") if type(obj) is Instance else None
    loss, var_list = get(0, "loss"), get(2, "var_list")
    pairs = (sim.call_function(compute, [loss, var_list], {}, node) if compute is not None
             else gradient_pairs(sim, loss, var_list))
    apply = own_method(obj, "apply_gradients") if type(obj) is Instance else None
    step, name = get(1, "global_step"), get(6, "name")
    if apply is not None:
        return sim.call_function(apply, [pairs], {"global_step": step, "name": name}, node)
    return _apply_gradients(sim, obj, [pairs, step, name], {}, node)


_OPTIMIZER = {
    "__init__": _optimizer_init, "compute_gradients": _compute_gradients,
    "apply_gradients": _apply_gradients, "minimize": _minimize, "_zeros_slot": _zeros_slot,
    "_get_or_make_slot": _get_or_make_slot,
    "_get_or_make_slot_with_initializer": _slot_with_initializer, "get_slot": _get_slot,
}

_LAYER = "\0legacy_layer"  # where a layer subclass keeps its layer state (no program name)


def _layer_init(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    get = ArgReader(args, kwargs)
    name, reuse = get(1, "name"), get(-1, "_reuse")
    if type(obj) is not Instance or get(-1, "_scope") is not None:
        return None
    if name is None:
        name = snake_case(obj.cls.qualname.rpartition(".")[2])
    if isinstance(name, str) and name and reuse in (None, False, True):
        obj.attrs[_LAYER] = Layer(name, no_variables, True if reuse is True else None)
        obj.attrs["_name"] = obj.attrs["_base_name"] = name
    return None


def _layer_call(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    layer = obj.attrs.get(_LAYER) if type(obj) is Instance else None
    call = own_method(obj, "call") if layer is not None else None
    if layer is None or call is None or kwargs.get("scope") is not None or not args:
        sim.opaque([obj, *args], kwargs)
        return UNKNOWN
    kwargs = {k: v for k, v in kwargs.items() if k != "scope"}  # RNNCell's, None: no scope
    inputs, rest = args[0], args[1:]
    results: list = []

    def inside() -> Any:
        build_once(sim, obj, layer, inputs, node)
        results.append(sim.call_function(call, [inputs, *rest], dict(kwargs), node))
        return TENSOR

    call_layer(sim, layer, node, inputs, inside=inside)
    return results[-1] if results else UNKNOWN


def _add_weight(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return get_variable(sim, [get(0, "name")], {
        "shape": get(1, "shape"), "dtype": get(2, "dtype"), "initializer": get(3, "initializer"),
        "trainable": get(5, "trainable", True),
    }, node)


_LEGACY_LAYER = {
    "__init__": _layer_init, "__call__": _layer_call, "apply": _layer_call,
    "add_weight": _add_weight, "add_variable": _add_weight,
}

def _cell_init(sim: Any, obj: Any, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    """``RNNCell.__init__(trainable, name, dtype, _reuse=...)``: the name and reuse of the layer
    the cell runs as (``custom_cells``); unpacked arguments leave them unknown."""
    get = ArgReader(args, kwargs)
    if type(obj) is Instance:
        given = (UNKNOWN, UNKNOWN) if get.unknown else (get(1, "name"), get(-1, "_reuse"))
        obj.attrs[CELL_INIT] = given
    return None


# An RNN cell is a legacy layer: its build makes weights in the cell's layer scope, which
# ``custom_cells`` enters around it.
_CELL = {"__init__": _cell_init, "add_weight": _add_weight, "add_variable": _add_weight}

# Canonical class name -> method name -> handler(sim, obj, args, kwargs, node).
_METHODS: dict[str, dict[str, Callable[..., Any]]] = {
    "train.Optimizer": _OPTIMIZER,
    "layers.Layer": _LEGACY_LAYER,
    "base.Layer": _LEGACY_LAYER,  # tensorflow.python.layers.base, as tensor2tensor imports it
    **{base: _CELL for base in CELL_BASES},
}


@on_inherited
def inherited(sim: Any, obj: Any, base: Any, attr: str, node: cst.CSTNode) -> Any:
    if type(base) is not TFRef:
        return None
    api = tfapi.canonical(base.path)
    if attr not in _METHODS.get(api, {}):
        return None
    return Inherited(f"{api}.{attr}", obj)


@call(Inherited)
def call_inherited(sim: Any, method: Inherited, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    api, _, attr = method.api.rpartition(".")
    return _METHODS[api][attr](sim, method.obj, args, kwargs, node)


def call_unbound(sim: Any, api: str, attr: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``tf.layers.Layer.__call__(self, inputs, state, scope=scope)``: the base class's method
    called on the program's object (magenta's LayerRNNCell bypasses RNNCell's so)."""
    if not args or type(args[0]) is not Instance or STAR in args:
        sim.opaque(args, kwargs)
        return UNKNOWN
    obj, rest = args[0], args[1:]
    if attr == "__call__" and is_user_cell(obj) and len(rest) == 2 and kwargs.get("scope") is None:
        # An RNN cell's step, as LayerRNNCell's __call__ runs it: in the cell's layer scope.
        return step_user_cell(sim, obj, node, rest[0], rest[1], own_call=False)
    return _METHODS[api][attr](sim, obj, rest, kwargs, node)


for _api, _methods in _METHODS.items():
    for _attr in _methods:
        api_with(f"{_api}.{_attr}", _api, _attr)(call_unbound)
