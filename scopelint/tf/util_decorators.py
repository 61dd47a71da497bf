"""TF's own decorator helpers (``tensorflow.python.util``), which library code uses to wrap its
functions: ``tf_decorator.make_decorator`` and ``tf_contextlib.contextmanager``.

``make_decorator(target, decorator_func, ...)`` sets a few attributes on ``decorator_func``
(``_tf_decorator``, ``__wrapped__``, ``__signature__``: its signature is the target's) and returns
that very function, so the program's wrapper is what runs.
``tf_contextlib.contextmanager`` is ``contextlib.contextmanager`` made by ``make_decorator``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import UNKNOWN, Builtin, ContextFactory, Function
from .registry import api


@api("util.tf_decorator.make_decorator")
def make_decorator(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    decorator = ArgReader(args, kwargs)(1, "decorator_func", UNKNOWN)
    if type(decorator) is Function and decorator.bound is None:
        # What TF sets on it, through which `inspect` and `tf_inspect` read the target's
        # signature: not followed (unknown).
        for name in ("_tf_decorator", "__wrapped__", "__signature__"):
            sim.call_value(Builtin("setattr"), [decorator, name, UNKNOWN], {}, node)
    return decorator


@api("util.tf_contextlib.contextmanager", pure=True)
def contextmanager(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    target = ArgReader(args, kwargs)(0, "target", UNKNOWN)
    return ContextFactory(target) if type(target) is Function else UNKNOWN
