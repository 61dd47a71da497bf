"""The TF model's registry: the one ``Hooks`` the interpreter reads, and decorators to fill it.

Each API family module registers its own handlers at import time::

    @api("variable_scope")
    def variable_scope(sim, args, kwargs, node): ...

    @call(Layer)
    def call_layer(sim, layer, args, kwargs, node): ...

A name or type registered twice is a bug in the model and fails at import.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable

from ..resolve import tfapi
from ..interp.containers import KEY_TYPES
from ..interp.hooks import Hooks
from ..interp.values import AUTO, UNKNOWN, DType, TFRef

# Names in the package that are plain Python values (``constant`` registers them).
CONSTANTS: dict[str, Any] = {}


@functools.lru_cache(maxsize=8192)  # read at every `tf.x` in the code; the answers never change
def _api_attribute(path: str) -> Any:
    """``tf.AUTO_REUSE``, dtypes and registered constants are values; any other name in the
    package is a reference."""
    api = tfapi.canonical(path)
    if api in CONSTANTS:
        value = CONSTANTS[api]
        # A dict or list the program may change: its own copy each time it is read.
        return copy.deepcopy(value) if isinstance(value, (dict, list)) else value
    if api == "AUTO_REUSE":
        return AUTO
    dtype = tfapi.dtype_name(api)
    if dtype is not None:
        return DType(dtype)
    return TFRef(path)


HOOKS = Hooks(
    canonical=tfapi.canonical,
    is_api_module=tfapi.is_tf_module,
    api_attribute=_api_attribute,
    dtype_text=tfapi.dtype_name,
)

Fn = Callable[..., Any]


def _add(table: dict, key: Any, fn: Fn) -> None:
    if key in table:
        raise ValueError(f"{key!r} is registered twice")
    table[key] = fn


def _guarded(name: str, fn: Fn, extra: tuple, pure: bool) -> Fn:
    """The handler as registered: an API that unknown code may have replaced (``sim.world.patched``,
    e.g. by ``mock.patch``) is a call into unknown code; one not ``pure`` tells a summary so."""

    def handler(sim: Any, args: list, kwargs: dict, node: Any) -> Any:
        if not pure:
            sim.impure()
        patched = sim.world.patched
        if patched and name in patched:
            sim.opaque(args, kwargs)
            return UNKNOWN
        return fn(sim, *extra, args, kwargs, node)

    return handler


def _impure(fn: Fn) -> Fn:
    """``fn``, first telling a summary that it reads or changes the model's state."""

    def handler(sim: Any, *args: Any) -> Any:
        sim.impure()
        return fn(sim, *args)

    return handler


def api(*names: str, pure: bool = False) -> Callable[[Fn], Fn]:
    """Register ``fn(sim, args, kwargs, node)`` for these canonical API names. ``pure``: its
    result depends on its arguments (and ``Hooks.token``) alone and it changes nothing, unless it
    calls ``sim.impure()`` first; any other handler is taken to read and change the model's state."""

    def register(fn: Fn) -> Fn:
        for name in names:
            _add(HOOKS.apis, name, _guarded(name, fn, (), pure))
        return fn

    return register


def api_with(name: str, *extra: Any, pure: bool = False) -> Callable[[Fn], Fn]:
    """Register ``fn(sim, *extra, args, kwargs, node)`` for one API name (one handler, many kinds)."""

    def register(fn: Fn) -> Fn:
        _add(HOOKS.apis, name, _guarded(name, fn, extra, pure))
        return fn

    return register


def _by_type(table_name: str) -> Callable[..., Callable[[Fn], Fn]]:
    def decorator(*types: type, pure: bool = False) -> Callable[[Fn], Fn]:
        def register(fn: Fn) -> Fn:
            handler = fn if pure else _impure(fn)
            for kind in types:
                _add(getattr(HOOKS, table_name), kind, handler)
            return fn

        return register

    return decorator


attribute = _by_type("attributes")  # fn(sim, obj, attr, node)
call = _by_type("calls")  # fn(sim, obj, args, kwargs, node)
method = _by_type("methods")  # fn(sim, obj, name, args, kwargs, node)
context = _by_type("contexts")  # fn(sim, manager, node) -> (value, exit)
operator = _by_type("operators")  # fn(sim, operator node, left, right)


def presence(*types: type) -> Callable[[Fn], Fn]:
    """Register ``fn(obj, name)``: ``hasattr(obj, name)`` for values of these types (True, False,
    or None when the model cannot tell)."""

    def register(fn: Fn) -> Fn:
        for kind in types:
            _add(HOOKS.presence, kind, fn)
        return fn

    return register


def constant(name: str, value: Any) -> None:
    """The canonical name ``name`` is the plain value ``value`` (a string, a number, a dict of
    API references)."""
    _add(CONSTANTS, name, value)


def fallback(fn: Fn) -> Fn:
    """``fn(sim, api, args, kwargs, node)`` for every API name no family registered: pure (it
    calls ``sim.impure()`` or ``sim.opaque()`` for the names that read or change state)."""
    if HOOKS.fallback is not None:
        raise ValueError("the fallback is registered twice")
    HOOKS.fallback = fn
    return fn


def on_token(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    HOOKS.token = fn
    return fn


def on_start(fn: Fn) -> Fn:
    HOOKS.start = fn
    return fn


def on_opaque(fn: Fn) -> Fn:
    HOOKS.opaque = fn
    return fn


def dict_key(kind: type) -> Callable[[Fn], Fn]:
    """``fn(value)``: may this value of ``kind`` key a dict (equal values are the same object in
    the program)?"""

    def register(fn: Fn) -> Fn:
        _add(KEY_TYPES, kind, fn)
        return fn

    return register


def on_inherited(fn: Fn) -> Fn:
    """``fn(sim, obj, base, attr, node)``: ``obj.attr`` left to ``base``, a class of the package;
    None when the model does not know it."""
    HOOKS.inherited = fn
    return fn


def on_instance(fn: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    """``fn(value, api)``: ``isinstance(value, <the class api names>)``; None when unknown."""
    HOOKS.instance = fn
    return fn
