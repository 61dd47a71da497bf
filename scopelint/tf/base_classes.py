"""Methods of TF's classes that the program's subclasses inherit.

A program that derives from a TF class runs TF's code wherever its own classes leave a method
to the base. Where the model knows what that method does, the interpreter asks it here (the
``inherited`` hook) instead of calling unknown code, which may create variables anywhere and
so leaves the graph's collections unknown.

- ``tf.train.Optimizer.__init__(use_locking, name)``: the base of every optimizer the program
  writes itself (BERT's ``AdamWeightDecayOptimizer``); it only keeps its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from .. import tfapi
from ..interp.args import ArgReader
from ..interp.values import Instance, TFRef
from .registry import call, on_inherited


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


# Canonical class name -> method name -> handler(sim, obj, args, kwargs, node).
_METHODS: dict[str, dict[str, Callable[..., Any]]] = {
    "train.Optimizer": {"__init__": _optimizer_init},
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
