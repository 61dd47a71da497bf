"""TF's ``tf_inspect``: ``inspect`` made aware of TF's own decorators (``tf_decorator``), which
library code asks what a function or a module's ``__call__`` accepts (Sonnet 1 passes a
module only the keywords its ``_build`` takes).

``tf_inspect`` first unwraps what ``tf_decorator.make_decorator`` made; a function of the
program that it did not make (and on which the program set no ``_tf_decorator``) is answered
as ``inspect`` answers. ``getargspec`` is Python 3's: ``getfullargspec`` with the keyword-only
parameters and their defaults appended. Anything else (TF's own functions, a
``functools.partial``, which TF reads its own way) stays unknown.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.values import (
    UNKNOWN, UNKNOWN_ITEMS, Function, ModuleRef, OpenObject, Partial, WraptWrapper,
)
from .registry import api


def _plain(fn: Any) -> bool:
    """``fn`` is a function of the program (a method, one wrapped by wrapt) that
    ``tf_decorator.unwrap`` leaves as it is: no ``_tf_decorator`` reachable on it."""
    for _ in range(16):
        kind = type(fn)
        if kind is Partial and fn.method:
            fn = fn.func
        elif kind is WraptWrapper and fn.wrapped is not None:
            fn = fn.wrapped  # attributes are read through the proxy
        elif kind is Function:
            attrs = fn.attrs
            return attrs is None or ("_tf_decorator" not in attrs and UNKNOWN_ITEMS not in attrs)
        else:
            return False
    return False


@api("util.tf_inspect.getfullargspec")
def getfullargspec(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if len(args) != 1 or kwargs or not _plain(args[0]):
        return UNKNOWN
    spec = sim.call_value(ModuleRef("inspect.getfullargspec"), args, {}, node)
    return spec if type(spec) is OpenObject else UNKNOWN


@api("util.tf_inspect.getargspec")
def getargspec(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    full = getfullargspec(sim, args, kwargs, node)
    if type(full) is not OpenObject:
        return UNKNOWN
    spec = full.attrs
    defaults = (*(spec["defaults"] or ()), *(spec["kwonlydefaults"] or {}).values())
    return OpenObject(full.base, {
        "args": [*spec["args"], *spec["kwonlyargs"]],
        "varargs": spec["varargs"],
        "keywords": spec["varkw"],
        "defaults": defaults or None,
    })
