"""Variable scopes and name scopes: ``variable_scope``, ``name_scope``, captured scopes,
``reuse_variables``, ``get_variable_scope``.

Entering follows TF's ``variable_scope.__enter__`` / ``_pure_variable_scope`` and
``Graph.name_scope``: relative scopes inherit reuse (``reuse=False`` does not reset it), a
captured ``VariableScope`` is an absolute jump that restores the ``default_name`` counts on exit,
``default_name`` scopes are numbered. Other families open their scopes through ``scope_call`` and
``enter_variable_scope``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..resolve import tfapi
from ..events import ReuseFalse, ScopeEntered
from ..interp.args import ArgReader, keyword_literal
from ..interp.values import AUTO, STR, UNKNOWN, BoundBuiltin, DType, Function, Partial
from ..interp.signals import Raise
from . import graph_collections
from .state import VScope, reuse_or
from .registry import api, attribute, context, method, presence
from .world import site


@dataclass(eq=False)
class VarScopeCall:
    """``tf.variable_scope(...)`` before it is entered."""

    node: cst.Call
    name_or_scope: Any
    default_name: Any
    reuse: Any
    reuse_is_false_literal: bool
    auxiliary_name_scope: Any
    dtype: Any
    custom_getter: Any
    partitioner: Any


@dataclass(eq=False)
class NameScopeCall:
    name: Any


def dtype_of(value: Any) -> str | None:
    if isinstance(value, DType):
        return value.name
    if isinstance(value, str):
        return tfapi.dtype_name(value)
    return None


def scope_call(node: cst.CSTNode, name_or_scope: Any, default_name: Any = None, reuse: Any = None,
               aux: bool = True, false_literal: bool = False) -> VarScopeCall:
    """The ``variable_scope`` a TF API opens for itself (a layer's, an RNN's, a slot's)."""
    return VarScopeCall(node, name_or_scope, default_name, reuse, false_literal, aux, None, None, None)


@api("variable_scope")
def variable_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    reuse = get(-1, "reuse")
    if get(4, "regularizer") is not None:
        # Every variable made in it adds a regularization loss: not followed.
        graph_collections.spoil(sim, graph_collections.REGULARIZATION)
    return VarScopeCall(
        node=node,
        name_or_scope=get(0, "name_or_scope"),
        default_name=get(1, "default_name"),
        reuse=reuse,
        reuse_is_false_literal=reuse is False and keyword_literal(node, "reuse", "False"),
        auxiliary_name_scope=get(-1, "auxiliary_name_scope", True),
        dtype=get(-1, "dtype"),
        custom_getter=get(-1, "custom_getter"),
        partitioner=get(-1, "partitioner"),
    )


@api("_pure_variable_scope")
def pure_variable_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """TF's internal ``_pure_variable_scope(name_or_scope, reuse, ...)`` (Sonnet 1's
    ``reuse_variables`` enters a captured scope with it): ``variable_scope`` without a name scope
    and without ``default_name``."""
    get = ArgReader(args, kwargs)
    return VarScopeCall(
        node=node, name_or_scope=get(0, "name_or_scope"), default_name=None,
        reuse=get(1, "reuse"), reuse_is_false_literal=False, auxiliary_name_scope=False,
        dtype=get(-1, "dtype"), custom_getter=get(-1, "custom_getter"),
        partitioner=get(-1, "partitioner"),
    )


@api("name_scope")
def name_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    name = get(0, "name")
    if name is None:
        name = get(1, "default_name")
    return NameScopeCall(name)


def name_scope_text(graph: Any) -> Any:
    """``Graph.get_name_scope()``: the name scope ops are made in now, without the trailing
    slash ("" at the top); a str of unknown text where the analysis lost it."""
    return STR if graph.name_stack is None else graph.name_stack


@api("slim.get_name_scope")  # tf.contrib.framework.get_name_scope (TF 1.15)
def get_name_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return name_scope_text(sim.world.graph)


@api("get_variable_scope")
def get_variable_scope(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return sim.world.graph.current


@context(NameScopeCall)
def enter_name_scope(sim: Any, call: NameScopeCall, node: Any = None) -> tuple[Any, Callable[[], None]]:
    world = sim.world
    graph = world.graph
    saved_stack, saved_flag = graph.name_stack, world.in_name_scope
    stack = graph.open_name_scope(call.name, sim.path)
    world.in_name_scope = True

    def exit_() -> None:
        graph.name_stack = saved_stack
        world.in_name_scope = saved_flag

    return (UNKNOWN if stack is None else (stack + "/" if stack else "")), exit_


def _with_getter(scope: VScope, getter: Any) -> tuple[tuple, bool]:
    """The getters and ``renames`` flag of ``scope`` with ``custom_getter=getter`` added: TF
    wraps the one in force, so get_variable runs the new getter first. Only the program's own
    functions are run; any other getter may rename variables."""
    if isinstance(getter, (Function, Partial)) and not scope.renames:
        return (*scope.getters, getter), False
    return scope.getters, True


@context(VarScopeCall)
def enter_variable_scope(sim: Any, call: VarScopeCall, node: Any = None) -> tuple[Any, Callable[[], None]]:
    if call.name_or_scope is None and call.default_name is not None and (
        call.reuse is True or call.reuse is AUTO
    ):
        # TF's ValueError "reuse=True cannot be used without a name_or_scope" (AUTO_REUSE is
        # true too), on entering: no rule reports it, and the block does not run.
        raise Raise()
    world = sim.world
    graph = world.graph
    current = graph.current
    saved_scope, saved_stack, saved_flag = current, graph.name_stack, world.in_name_scope
    reuse = None if call.reuse is False else call.reuse
    if reuse not in (None, True, AUTO):
        reuse = UNKNOWN
    aux = call.auxiliary_name_scope is not False
    name_or_scope = call.name_or_scope
    restore_counts: dict | None = None
    prolonged: str | None = None
    inherited: Any = None

    if isinstance(name_or_scope, VScope):  # a jump to a captured scope: absolute
        target = name_or_scope
        if aux:
            leaf = target.name.split("/")[-1] if target.name is not None else None
            if leaf != "":
                graph.open_name_scope(leaf, sim.path)
        new = target.copy()
        if reuse is True or reuse is AUTO:
            new.reuse = reuse
            new.reuse_site = sim.here(call.node)
            new.reuse_frame = sim.frame_id()
        elif reuse is UNKNOWN:
            new.reuse = UNKNOWN
        inherited = target.reuse
        new.path = sim.path
        # The entered copy takes this call's dtype, getter and partitioner (set_dtype & co).
        if call.dtype is not None:
            new.dtype = dtype_of(call.dtype)
        if call.custom_getter is not None:
            new.getters, new.renames = _with_getter(new, call.custom_getter)
        if call.partitioner is not None:
            new.partitioned = UNKNOWN
        graph.count_scope(target.name, sim.path)
        restore_counts = dict(graph.scope_counts)
    else:
        if name_or_scope is None and call.default_name is None:
            name_or_scope = UNKNOWN
        if name_or_scope is None:  # default_name: numbered, inherits reuse
            default = call.default_name
            if aux and isinstance(default, str):
                graph.open_name_scope(default, sim.path)
            elif aux:
                graph.name_stack = None
            relative = graph.unique_var_scope(default, sim.path) if isinstance(default, str) else None
            reuse = None
        else:
            relative = name_or_scope if isinstance(name_or_scope, str) else None
            if aux and relative != "":
                graph.open_name_scope(relative, sim.path)
        full = current.full(relative)  # "" inside "h" is "h/": TF keeps the slash
        if relative is None:
            full = None
        new_reuse = reuse_or(reuse, current.reuse)
        inherited = current.reuse
        dtype = dtype_of(call.dtype) if call.dtype is not None else current.dtype
        new = VScope(
            name=full,
            reuse=new_reuse,
            original_name_scope=None if graph.name_stack is None else (
                graph.name_stack + "/" if graph.name_stack else ""
            ),
            path=sim.path,
            dtype=dtype,
            renames=current.renames,
            getters=current.getters,
            partitioned=current.partitioned if call.partitioner is None else UNKNOWN,
            reuse_site=sim.here(call.node) if reuse in (True, AUTO) else current.reuse_site,
            reuse_frame=sim.frame_id() if reuse in (True, AUTO) else current.reuse_frame,
        )
        if call.custom_getter is not None:
            new.getters, new.renames = _with_getter(new, call.custom_getter)
        graph.count_scope(full, sim.path)
        prolonged = full
    if call.reuse_is_false_literal:
        source = call.name_or_scope if isinstance(call.name_or_scope, VScope) else saved_scope
        sim.emit(ReuseFalse(
            site(sim, call.node), inherited, source.reuse_site,
            lexical=source.reuse_frame == sim.frame_id(),
        ))
    graph.current = new
    world.in_name_scope = False
    sim.trace.scopes.append(ScopeEntered(site(sim, call.node), new.name, new.reuse))

    def exit_() -> None:
        if restore_counts is not None:
            graph.scope_counts = restore_counts
        else:
            graph.close_prolonged(prolonged)
        graph.current = saved_scope
        graph.name_stack = saved_stack
        world.in_name_scope = saved_flag

    return new, exit_


# VariableScope's methods; its other attributes are values (None when not set, in TF too).
_SCOPE_METHODS = frozenset({
    "reuse_variables", "set_initializer", "set_dtype", "set_custom_getter", "set_partitioner",
    "set_caching_device", "set_regularizer", "set_use_resource", "get_variable",
    "get_collection", "trainable_variables", "global_variables", "local_variables",
})
# Setters of what the analysis does not follow (initializers, devices): nothing it predicts.
_SCOPE_SETTERS = frozenset({
    "set_initializer", "set_caching_device", "set_regularizer", "set_use_resource",
})


@attribute(VScope)
def scope_attribute(sim: Any, scope: VScope, attr: str, node: cst.CSTNode) -> Any:
    if attr == "name":
        return UNKNOWN if scope.name is None else scope.name
    if attr == "reuse":
        return scope.reuse
    if attr == "original_name_scope":
        return UNKNOWN if scope.original_name_scope is None else scope.original_name_scope
    if attr == "custom_getter":
        # One getter is the function itself; TF wraps a second around the first.
        if scope.renames or len(scope.getters) > 1:
            return UNKNOWN
        return scope.getters[0] if scope.getters else None
    if attr == "dtype":
        return UNKNOWN if scope.dtype is None else DType(scope.dtype)
    if attr in _SCOPE_METHODS:
        return BoundBuiltin(scope, attr)
    return UNKNOWN


# What a tf.VariableScope has: its class's attributes and what its __init__ sets.
_SCOPE_ATTRIBUTES = frozenset("""caching_device constraint custom_getter dtype get_collection
    get_variable global_variables initializer local_variables name original_name_scope
    partitioner regularizer reuse reuse_variables set_caching_device set_custom_getter set_dtype
    set_initializer set_partitioner set_regularizer set_use_resource trainable_variables
    use_resource _get_partitioned_variable _name _initializer _regularizer _reuse
    _caching_device _partitioner _custom_getter _name_scope _dtype _use_resource
    _constraint""".split())


@presence(VScope)
def scope_has(scope: VScope, attr: str) -> Any:
    if attr.startswith("__"):
        return None  # Python's own (__class__, __dict__, ...)
    return attr in _SCOPE_ATTRIBUTES


@method(VScope)
def scope_method(sim: Any, scope: VScope, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    # Inside a branch the analysis cannot decide, what a setter sets is only maybe set.
    decided = scope.path == sim.path
    value = ArgReader(args, kwargs)(0, name[4:]) if name.startswith("set_") else None
    if name == "reuse_variables":
        if scope.reuse is True:
            pass
        elif decided:
            scope.reuse = True
            scope.reuse_site = sim.here(node)
            scope.reuse_frame = sim.frame_id()
        else:
            scope.reuse = UNKNOWN
    elif name == "set_custom_getter":  # replaces the getter in force (TF does not compose here)
        if decided and value is None:
            scope.getters, scope.renames = (), False
        elif decided and isinstance(value, (Function, Partial)):
            scope.getters, scope.renames = (value,), False
        else:
            scope.renames = True
    elif name == "set_dtype":
        scope.dtype = dtype_of(value) if decided else None
    elif name == "set_partitioner":
        scope.partitioned = None if decided and value is None else UNKNOWN
    elif name == "set_regularizer":
        graph_collections.spoil(sim, graph_collections.REGULARIZATION)
    elif name not in _SCOPE_SETTERS:
        return UNKNOWN
    return None
