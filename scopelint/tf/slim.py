"""TF-Slim's ``arg_scope``: default keyword arguments for the ops it names.

As ``tf_slim.ops.arg_scope`` (TF 1.15: ``tf.contrib.framework.arg_scope``): the current scope is
a dict ``{op: {keyword: default}}``; ``arg_scope(ops, **kw)`` pushes a copy of it with ``kw``
merged into each op's entry, and yields it (``with slim.arg_scope(...) as sc``);
``arg_scope(sc)`` with such a dict pushes that dict itself, replacing the enclosing scopes while
it is open. An op is keyed by its function: slim's own layers by canonical name, the program's
functions decorated with ``add_arg_scope`` by their definition. The slim layers themselves are
in ``slim_layers.py`` and ``slim_ops.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..resolve import tfapi
from ..interp.values import STAR_KEY, UNKNOWN, Function, TFRef
from .registry import api, attribute, call, context

# One function, several spellings: ``arg_scope`` keys by the function object.
_SAME_OP = {
    "slim.convolution2d": "slim.conv2d",
    "slim.convolution1d": "slim.conv1d",
    "slim.convolution3d": "slim.conv3d",
    "slim.convolution2d_transpose": "slim.conv2d_transpose",
    "slim.convolution3d_transpose": "slim.conv3d_transpose",
    "slim.separable_convolution2d": "slim.separable_conv2d",
    "slim.convolution2d_in_plane": "slim.conv2d_in_plane",
}
# Where the arg_scope functions live, as ``tfapi.canonical`` spells them.
_MODULES = ("slim.", "slim.ops.arg_scope.", "slim.python.ops.arg_scope.")

# Keywords that change no variable a slim op makes (name, shape, dtype, trainability) nor
# which ops run: an arg_scope that gives only these to an op the analysis cannot name leaves
# the defaults of slim's own ops as good as known.
HARMLESS = frozenset({
    "outputs_collections", "variables_collections", "weights_regularizer", "biases_regularizer",
    "regularizer", "weights_initializer", "pointwise_initializer", "initializer",
    "param_regularizers", "param_initializers", "decay", "epsilon", "is_training", "keep_prob",
    "seed", "noise_shape",
})


def op_key(api_name: str) -> str:
    return _SAME_OP.get(api_name, api_name)


@dataclass(eq=False)
class ArgScoped:
    """A function of the program decorated with ``add_arg_scope``: its calls take the current
    scope's defaults for it."""

    fn: Function


@dataclass(frozen=True, eq=False)
class Scope:
    """One state of the arg_scope stack: defaults by op key (a canonical name, or the
    ``FunctionDef`` of an ``add_arg_scope`` function), and the keywords given to ops the analysis
    could not name (which may be any op)."""

    ops: tuple = ()  # ((key, defaults dict), ...)
    unnamed: frozenset = frozenset()  # keywords given to unnamed ops; STAR_KEY: any keyword

    def defaults(self, key: Any) -> dict:
        for known, defaults in self.ops:
            if known == key:
                return defaults
        return {}

    def merged(self, keys: list, kwargs: dict, unnamed: bool) -> "Scope":
        ops = dict(self.ops)
        for key in keys:
            ops[key] = {**ops.get(key, {}), **kwargs}
        extra = frozenset(kwargs) if unnamed else frozenset()
        return Scope(tuple(ops.items()), self.unnamed | extra)


@dataclass(eq=False)
class ArgScopeCall:
    """``slim.arg_scope(...)`` before it is entered: the scope it pushes."""

    scope: Scope | None  # None: unknown (any op may take any default)


def _key(op: Any) -> Any:
    """The key ``arg_scope`` files ``op`` under, or None when the analysis cannot name it."""
    if isinstance(op, TFRef):
        return op_key(tfapi.canonical(op.path))
    if isinstance(op, ArgScoped):
        return op.fn.node
    if isinstance(op, Function):
        return op.node  # not decorated: TF raises; never a slim op's key
    return None


def _current(sim: Any) -> Scope | None:
    stack = sim.world.arg_scopes
    return stack[-1] if stack else Scope()


def scope_defaults(sim: Any, key: Any, harmless: frozenset = frozenset()) -> dict | None:
    """The keyword defaults the current ``arg_scope`` gives the op keyed ``key``; None when
    unknown (an enclosing scope named an op the analysis cannot name with keywords outside
    ``harmless``, or was itself unknown)."""
    scope = _current(sim)
    if scope is None or (scope.unnamed and not scope.unnamed <= harmless):
        return None
    return scope.defaults(key)


def arg_scope_defaults(sim: Any, api_name: str) -> dict | None:
    """The keyword defaults the enclosing ``arg_scope``s give the slim function ``api_name``."""
    return scope_defaults(sim, op_key(api_name), HARMLESS)


def _spellings(function: str) -> tuple[str, ...]:
    return tuple(module + function for module in _MODULES)


@api(*_spellings("arg_scope"))
def arg_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    ops = args[0] if args else kwargs.get("list_ops_or_scope", UNKNOWN)
    given = {k: v for k, v in kwargs.items() if k != "list_ops_or_scope"}
    if isinstance(ops, Scope):
        return ArgScopeCall(ops if not given else None)
    current = _current(sim)
    if current is None or not isinstance(ops, (list, tuple)) or STAR_KEY in given:
        return ArgScopeCall(None)
    keys = [_key(op) for op in ops]
    named = [key for key in keys if key is not None]
    return ArgScopeCall(current.merged(named, given, unnamed=len(named) < len(keys)))


@api(*_spellings("current_arg_scope"))
def current_arg_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    scope = _current(sim)
    return UNKNOWN if scope is None else scope


@context(ArgScopeCall)
def enter_arg_scope(sim: Any, manager: ArgScopeCall, node: cst.CSTNode) -> tuple[Any, Callable[[], None]]:
    stack = sim.world.arg_scopes
    stack.append(manager.scope)

    def leave() -> None:
        stack.pop()

    return (UNKNOWN if manager.scope is None else manager.scope), leave


@api(*_spellings("add_arg_scope"))
def add_arg_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    fn = args[0] if len(args) == 1 and not kwargs else UNKNOWN
    if isinstance(fn, Function):
        return ArgScoped(fn)
    if isinstance(fn, (ArgScoped, TFRef)):
        return fn
    sim.opaque(args, kwargs)
    return UNKNOWN


@call(ArgScoped)
def call_arg_scoped(sim: Any, scoped: ArgScoped, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    defaults = scope_defaults(sim, scoped.fn.node)
    if defaults is None:
        defaults = {STAR_KEY: UNKNOWN}  # any keyword may have a default: unknown arguments
    return sim.call_function(scoped.fn, list(args), {**defaults, **kwargs}, node)


@attribute(ArgScoped)
def arg_scoped_attribute(sim: Any, scoped: ArgScoped, attr: str, node: cst.CSTNode) -> Any:
    if attr == "__name__":
        return scoped.fn.node.name.value if isinstance(scoped.fn.node, cst.FunctionDef) else UNKNOWN
    return UNKNOWN
