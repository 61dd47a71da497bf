"""Methods of TF's classes that the program's subclasses inherit.

A program that derives from a TF class runs TF's code wherever its own classes leave a method
to the base. Where the model knows what that method does, the interpreter asks it here (the
``inherited`` hook) instead of calling unknown code, which may create variables anywhere and
so leaves the graph's collections unknown.

- ``tf.train.Optimizer.__init__(use_locking, name)``: the base of every optimizer the program
  writes itself (BERT's ``AdamWeightDecayOptimizer``); it only keeps its arguments.
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
from ..interp.values import TENSOR, UNKNOWN, Instance, TFRef
from .custom_cells import build_once, own_method, snake_case
from .layers import Layer, call_layer, no_variables
from .registry import call, on_inherited
from .variables import get_variable


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
    if layer is None or call is None or "scope" in kwargs or not args:
        sim.opaque([obj, *args], kwargs)
        return UNKNOWN
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

# Canonical class name -> method name -> handler(sim, obj, args, kwargs, node).
_METHODS: dict[str, dict[str, Callable[..., Any]]] = {
    "train.Optimizer": {"__init__": _optimizer_init},
    "layers.Layer": _LEGACY_LAYER,
    "base.Layer": _LEGACY_LAYER,  # tensorflow.python.layers.base, as tensor2tensor imports it
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
