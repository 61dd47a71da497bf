"""``inspect.signature`` and ``inspect.getfullargspec`` of the program's functions: the parameters
a wrapper reads to decide what it passes on (TF-GAN's losses that take a ``GANModel`` call the
loss with the fields its signature names).

A signature's ``parameters`` is a dict of parameter objects by name, in order: ``OpenObject``s
with ``name``, ``default`` (``EMPTY`` for none, which is ``inspect.Parameter.empty``) and
``kind`` (the int of ``inspect.Parameter``'s kinds, which compare equal to them). ``signature``
unwraps what ``functools.wraps`` / ``update_wrapper`` made, as ``inspect`` follows
``__wrapped__``; a function whose ``__wrapped__`` or ``__signature__`` the program set some
other way has no known signature. Anything but a function of the program (a class, a partial,
a builtin) gives the harmless unknown value it gave before.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from .values import (
    EMPTY, TENSOR, UNKNOWN, Class, DType, Function, OpenObject, Partial, TFRef, WraptWrapper,
)

# inspect.Parameter's kinds, as the ints their IntEnum compares equal to.
KINDS = {
    "POSITIONAL_ONLY": 0, "POSITIONAL_OR_KEYWORD": 1, "VAR_POSITIONAL": 2, "KEYWORD_ONLY": 3,
    "VAR_KEYWORD": 4,
}
CONSTANTS = {
    "inspect.Parameter.empty": EMPTY,
    "inspect.Signature.empty": EMPTY,
    "inspect._empty": EMPTY,
    **{f"inspect.Parameter.{name}": kind for name, kind in KINDS.items()},
}


def parameters(fn: Any, defaults: dict, unwrap: dict, inspect: bool = True) -> list | None:
    """``fn``'s parameters as (name, kind, default or EMPTY), in order; None when not known.
    ``defaults``: the default values of each function node; ``unwrap``: what each wrapper made
    by ``functools.wraps`` wraps (``None``: something the analysis cannot follow). ``inspect``:
    as ``signature`` sees them (unwrapped, without a bound instance), else as
    ``getfullargspec`` does (neither)."""
    # A ``types.MethodType``: ``signature`` leaves its first parameter out, ``getfullargspec``
    # keeps it.
    bound, drop_bound = False, inspect
    for _ in range(16):
        if type(fn) is Partial and fn.method and not bound:
            bound, fn = True, fn.func
            continue
        if type(fn) is WraptWrapper and fn.instance is None and fn.wrapped is not None:
            # wrapt's wrapper answers with the adapter's signature (as ``signature`` reads it),
            # else with the wrapped function's
            if fn.adapter is not None:
                if type(fn.adapter) is not Function or fn.adapter.bound is not None:
                    return None
                inspect = True
            fn = fn.adapter if fn.adapter is not None else fn.wrapped
            continue
        if type(fn) is not Function:
            return None
        wrapped = unwrap.get((fn.node, fn.env), fn)
        if wrapped is None:
            return None  # a __signature__ or __wrapped__ set some other way
        if wrapped is fn or not inspect:
            break
        fn = wrapped
    else:
        return None
    node = fn.node
    values = defaults.get(node)
    if type(node) is not cst.FunctionDef or values is None:
        return None
    params = node.params
    if any(p.default is not None for p in params.posonly_params):
        return None  # their defaults are not kept
    out: list = [(p.name.value, 0, EMPTY) for p in params.posonly_params]
    plain = (*params.params, *params.kwonly_params)
    for index, param in enumerate(plain):
        kind = 1 if index < len(params.params) else 3
        default = values[index] if param.default is not None and index < len(values) else EMPTY
        out.append((param.name.value, kind, default))
    star = params.star_arg
    if isinstance(star, cst.Param):
        at = len(params.posonly_params) + len(params.params)
        out.insert(at, (star.name.value, 2, EMPTY))
    if isinstance(params.star_kwarg, cst.Param):
        out.append((params.star_kwarg.name.value, 4, EMPTY))
    for _ in range((fn.bound is not None and inspect) + (bound and drop_bound)):
        if not out or out[0][1] not in (0, 1):
            return None  # Python raises: no parameter takes the instance
        out = out[1:]
    return out


def annotated(fn: Any) -> bool:
    """``fn`` has annotations (``getargspec`` refuses those)."""
    if type(fn) is not Function or type(fn.node) is not cst.FunctionDef:
        return True
    params = fn.node.params
    every = (*params.posonly_params, *params.params, *params.kwonly_params)
    stars = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return fn.node.returns is not None or any(p.annotation is not None for p in (*every, *stars))


def signature(found: list | None) -> Any:
    """The ``inspect.Signature`` of these parameters."""
    if found is None:
        return TENSOR
    params = {}
    for name, kind, default in found:
        params[name] = OpenObject(TENSOR, {
            "name": name, "kind": kind, "default": default, "empty": EMPTY,
            "annotation": EMPTY, **KINDS,
        })
    return OpenObject(TENSOR, {"parameters": params, "empty": EMPTY})


def full_arg_spec(found: list | None, legacy: bool = False) -> Any:
    """``inspect.getfullargspec``'s record of these parameters (the bound instance included);
    ``legacy``: ``getargspec``'s, as Python 3.10 and older made it (Python raises for
    keyword-only parameters there, and 3.11 has no ``getargspec``: unknown)."""
    if found is None or (legacy and any(kind == 3 for _, kind, _ in found)):
        return TENSOR
    args = [name for name, kind, _ in found if kind in (0, 1)]
    defaults = tuple(d for _, kind, d in found if kind in (0, 1) and d is not EMPTY)
    kwonly = [name for name, kind, _ in found if kind == 3]
    kwonly_defaults = {n: d for n, kind, d in found if kind == 3 and d is not EMPTY}
    star = [name for name, kind, _ in found if kind == 2]
    star_kw = [name for name, kind, _ in found if kind == 4]
    if legacy:
        return OpenObject(TENSOR, {
            "args": args, "varargs": star[0] if star else None,
            "keywords": star_kw[0] if star_kw else None, "defaults": defaults or None,
        })
    return OpenObject(TENSOR, {
        "args": args,
        "varargs": star[0] if star else None,
        "varkw": star_kw[0] if star_kw else None,
        "defaults": defaults or None,
        "kwonlyargs": kwonly,
        "kwonlydefaults": kwonly_defaults or None,
    })


def equal_to_empty(other: Any) -> Any:
    """``other == inspect.Parameter.empty`` (and ``is``): True for it; False for what Python
    computes with, the program's functions and classes, and what a TF API path names (its
    constants, functions, classes, dtypes: none is equal to a class of ``inspect``); else
    UNKNOWN."""
    if other is EMPTY:
        return True
    if other is None or isinstance(other, (str, int, float, bool, tuple, list, dict, Function, Class,
                                           TFRef, DType)):
        return False
    return UNKNOWN
