"""Variables: ``get_variable`` and ``get_local_variable`` against the store, and ``tf.Variable``.

``get_variable`` follows ``_VariableStore._get_single_variable``: under reuse it looks the full
name up (and checks shape and dtype), without reuse it creates it, and raises where TF raises.
``tf.Variable`` never uses the store: it takes a unique op name in the current name scope.
Every family that makes variables (layers, cells, slots) calls ``get_variable`` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..events import (
    AlreadyExists,
    DoesNotExist,
    ShareMismatch,
    StoreCreate,
    StoreReuse,
    TfVariable,
)
from ..interp.args import ArgReader
from ..resolve import tfapi
from ..interp.values import (
    AUTO, INITIALIZER, TENSOR, UNKNOWN, DType, Env, Function, Partial, Tensor, TFRef, as_int,
)
from . import graph_collections
from .registry import api, call, dict_key
from .scopes import dtype_of
from .world import site


@dataclass(frozen=True)
class VarRef:
    """A variable value, so that an optimizer or a moving average knows what it trains; as a
    tensor it has the variable's shape and dtype (``tensors.py``)."""

    actual: str | None
    trainable: bool = True
    shape: tuple | None = None
    dtype: str | None = None


@dict_key(VarRef)
def variable_key(variable: VarRef) -> bool:
    """A variable keys a dict by identity in TF (``{v: accumulator for v in var_list}``); two
    values here are the same variable when they name it: unknown names are no key."""
    return variable.actual is not None


@dataclass(frozen=True)
class VarOp:
    """``var.op``: the variable's op, read for its ``name``."""

    name: str | None


def variable_attribute(sim: Any, ref: VarRef, attr: str) -> Any:
    """``var.op`` and ``var.trainable``; None for any other attribute."""
    if attr == "op":
        return VarOp(ref.actual)
    if attr == "trainable":
        sim.impure()
        graph = sim.world.graph
        if ref.actual is not None and ref in graph.trainable:
            return True
        if ref.trainable is False or not (graph.trainable_unknown or ref.actual is None):
            return False
        return TENSOR
    return None


def shape_arg(value: Any) -> tuple | None:
    """A shape given as an argument (``[None, 8]``, ``5``, dims read from a tensor) as a tuple of
    int or None (a negative dim is unknown); None when the shape is not known."""
    if as_int(value) is not None:
        return (int(value),) if value >= 0 else None
    if isinstance(value, (list, tuple)) and all(d is None or as_int(d) is not None for d in value):
        return tuple(None if d is None or d < 0 else int(d) for d in value)
    return None


def compatible_shapes(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


@api("Variable")
def tf_variable(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    name = get(5, "name")
    requested = "Variable" if name is None else (name if isinstance(name, str) else None)
    graph = sim.world.graph
    actual = graph.unique_name(requested, sim.path)
    full = None
    if requested is not None and graph.name_stack is not None:
        full = f"{graph.name_stack}/{requested}" if graph.name_stack else requested
    shape, dtype = _initial(get(0, "initial_value"), get(-1, "dtype"))
    trainable = get(1, "trainable", True)
    sim.emit(TfVariable(
        site(sim, node), full if name is not None else None, actual,
        graph.current.reuse, graph.current.reuse_site, graph.current.name,
        shape=shape, dtype=dtype, trainable=True if trainable is None else trainable,
    ))
    if full is not None and name is not None:
        graph.tf_variables.setdefault(full, sim.here(node))
    ref = VarRef(actual, shape=shape, dtype=dtype)
    graph_collections.add_to_given(sim, ref, get(2, "collections"), graph_collections.GLOBAL)
    return track(sim, ref, trainable)


def _initial(value: Any, dtype: Any) -> tuple[tuple | None, str | None]:
    """Shape and dtype of a tf.Variable from its initial value (a tensor or a Python number)."""
    if isinstance(value, Tensor):
        shape, kind = value.shape, value.dtype
    elif isinstance(value, VarRef):
        shape, kind = value.shape, value.dtype
    elif isinstance(value, bool):
        shape, kind = (), "bool"
    elif isinstance(value, int):
        shape, kind = (), "int32"
    elif isinstance(value, float):
        shape, kind = (), "float32"
    elif isinstance(value, (list, tuple)) and value and all(
        type(v) in (bool, int, float) for v in value
    ):
        # A flat list of Python numbers: a vector, of the type TF infers from them.
        kinds = {type(v) for v in value}
        shape = (len(value),)
        if kinds == {bool}:
            kind = "bool"
        elif bool in kinds:
            kind = None  # TF refuses to mix booleans with numbers
        else:
            kind = "float32" if float in kinds else "int32"
    else:
        shape, kind = None, None
    if dtype is not None:
        kind = dtype_of(dtype)
    return shape, kind


def track(sim: Any, ref: VarRef, trainable: Any) -> VarRef:
    """Remember trainable variables: optimizers create slots for them."""
    graph = sim.world.graph
    if trainable is False:
        return ref
    if trainable is not True and trainable is not None:
        graph.trainable_unknown = True
    elif ref.actual is None:
        graph.trainable_unknown = True
    else:
        graph.trainable.append(ref)
        if sim.path:  # made on one arm of an undecided branch: maybe not in the list
            graph_collections.spoil(sim, graph_collections.TRAINABLE)
    return ref


@api("get_variable")
def get_variable(sim: Any, args: list, kwargs: dict, node: cst.CSTNode, local: bool = False) -> Any:
    get = ArgReader(args, kwargs)
    graph = sim.world.graph
    scope = graph.current
    name = get(0, "name")
    custom_getter = get(-1, "custom_getter")
    key = scope.full(name) if isinstance(name, str) and custom_getter is None else None
    if key is None or get(-1, "partitioner") is not None or scope.partitioned is not None:
        graph.tainted.add(scope.name if scope.name is not None else "")
        graph_collections.spoil_given(sim, get(6, "collections"))
        regularized(sim, get(4, "regularizer"), None)
        return TENSOR
    if scope.getters and name != "":
        return _through_getters(sim, scope, key, get, node)
    return _store_get(sim, node, key, scope.reuse, get, scope.dtype, get(5, "trainable", True),
                      get(6, "collections"), slot=name == "", local=local)


@dataclass(frozen=True)
class TrueGetter:
    """The getter a custom getter is handed: TF's own, on the variable store, for a full name."""

    dtype: str | None  # the scope's default dtype where the getter was called


def _through_getters(sim: Any, scope: Any, key: str, get: ArgReader, node: cst.CSTNode) -> Any:
    """``get_variable`` in a scope with custom getters: the innermost is called with TF's
    keyword arguments (the full name, and the scope's defaults filled in), each handed the next
    one out as its getter, the outermost TF's own. They run with no name scope, as in TF."""
    getter: Any = TrueGetter(scope.dtype)
    for outer in scope.getters[:-1]:
        getter = Partial(outer, (getter,), {})
    dtype = get(2, "dtype")
    arguments = {
        "getter": getter, "name": key, "shape": get(1, "shape"),
        "dtype": dtype if dtype is not None else DType(scope.dtype or "float32"),
        "initializer": get(3, "initializer"), "regularizer": get(4, "regularizer"),
        "reuse": scope.reuse, "trainable": get(5, "trainable"),
        "collections": get(6, "collections"), "caching_device": get(7, "caching_device"),
        "partitioner": None, "validate_shape": get(9, "validate_shape", True),
        "use_resource": get(10, "use_resource"),
    }
    innermost = scope.getters[-1]
    if type(innermost) is Function:
        # The getter's own get_variable calls run through it again in TF (a name filter in it
        # ends that, as for TF-GAN's spectral norm): a call of its own, not a recursion to
        # stop at; the call-depth limit bounds one that never ends.
        innermost = Function(innermost.node, Env(innermost.env), innermost.qualname,
                             innermost.bound, innermost.owner, innermost.module)
    graph = sim.world.graph
    saved = graph.name_stack
    graph.name_stack = ""
    try:
        return sim.call_value(innermost, [], arguments, node)
    finally:
        graph.name_stack = saved


@call(TrueGetter)
def true_getter(sim: Any, getter: TrueGetter, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    name = get(0, "name")
    reuse = get(5, "reuse")
    if reuse is False:
        reuse = None
    if not isinstance(name, str) or reuse not in (None, True, AUTO) or get(9, "partitioner") is not None:
        sim.world.graph.tainted.add(name if isinstance(name, str) else "")
        graph_collections.spoil_given(sim, get(7, "collections"))
        regularized(sim, get(4, "regularizer"), None)
        return TENSOR
    return _store_get(sim, node, name, reuse, get, getter.dtype, get(6, "trainable"),
                      get(7, "collections"))


def _store_get(sim: Any, node: cst.CSTNode, key: str, reuse: Any, get: ArgReader,
               scope_dtype: str | None, trainable: Any, collections: Any, slot: bool = False,
               local: bool = False) -> Any:
    """The variable store's get_variable for the full name ``key``; ``get`` reads the shape,
    dtype and initializer, at the same places in get_variable's arguments and in the true
    getter's (``slot``: TF's ``get_variable("")`` that slots use)."""
    shape, dtype_arg, initializer = get(1, "shape"), get(2, "dtype"), get(3, "initializer")
    world = sim.world
    graph = world.graph
    spec_dtype = scope_dtype if dtype_arg is None else dtype_of(dtype_arg)
    spec_shape = None if shape is None else shape_arg(shape)
    if dtype_arg is not None:
        created_dtype = spec_dtype
    elif initializer is None or initializer is INITIALIZER or isinstance(initializer, Function) or (
        isinstance(initializer, TFRef) and _initializer_class(initializer)
    ):
        created_dtype = scope_dtype
    elif isinstance(initializer, Tensor) and shape is None:
        created_dtype = initializer.dtype  # a variable initialised from a value has its dtype
    else:
        created_dtype = None
    # ... and its shape (TF raises if a shape is given too).
    created_shape = initializer.shape if isinstance(initializer, Tensor) and shape is None else spec_shape
    existing = graph.definite(graph.store, key, sim.path)
    possible = existing is not None or graph.possible(graph.store, key, sim.path)

    if existing is not None:
        if reuse is False:
            sim.emit(AlreadyExists(
                site(sim, node), key, existing.event, world.in_name_scope, graph.name_stack
            ))
        elif reuse is True or reuse is AUTO:
            _check_share(sim, node, key, existing.event, spec_shape, spec_dtype)
        # With reuse unknown the variable exists afterwards either way.
        first = existing.event
        sim.emit(StoreReuse(site(sim, node), key, first.actual, shape=first.shape, dtype=first.dtype))
        return VarRef(first.actual, shape=first.shape, dtype=first.dtype)
    if possible or (reuse is not False and graph.may_hold_unseen(key)):
        graph.tainted.add(key)
        regularized(sim, get(4, "regularizer"), None)
        return TENSOR
    if reuse is True:
        # TF raises and stores nothing: a later creation of the same name is fine.
        sim.emit(DoesNotExist(site(sim, node), key, graph.current.reuse_site, graph.tf_variables.get(key)))
        return VarRef(None)
    if slot:
        # Slot variables: get_variable("") re-enters the name scope "<key>" absolutely.
        actual = key[:-1] if graph.names_exact else None
    else:
        saved = graph.name_stack
        graph.name_stack = "" if saved is not None else None
        actual = graph.unique_name(key, sim.path)
        graph.name_stack = saved
    created = StoreCreate(
        site(sim, node), key, actual,
        created_shape if isinstance(created_shape, tuple) else None,
        created_dtype, world.in_name_scope, graph.name_stack,
    )
    graph.add(graph.store, key, created, sim.path)
    sim.emit(created)
    if local or slot:
        ref = VarRef(actual, trainable=False, shape=created.shape, dtype=created_dtype)
        graph_collections.add_to_given(
            sim, ref, collections, graph_collections.LOCAL if local else graph_collections.GLOBAL
        )
        return ref
    ref = VarRef(actual, shape=created.shape, dtype=created_dtype)
    graph_collections.add_to_given(sim, ref, collections, graph_collections.GLOBAL)
    # The store makes the loss in the name scope ``<variable>/Regularizer/``.
    regularized(sim, get(4, "regularizer"), ref, f"{actual}/Regularizer/" if actual else None)
    return track(sim, ref, True if trainable is None else trainable)


def regularized(sim: Any, regularizer: Any, made: Any, name_start: str | None = None) -> None:
    """A variable TF made with a ``regularizer``: its loss, computed from the variable, joins the
    regularization losses, its op name starting with ``name_start`` (None: not known). ``made``
    may also be what a custom getter returned for it (a layer regularizes that); neither a known
    variable nor a tensor of known dependencies: what TF adds is not known. A regularizer that
    gives None (a scale of 0) adds nothing in TF: taken as adding, the total loss is still
    computed from the variable in the model it regularizes."""
    if regularizer is None:
        return
    if isinstance(made, VarRef) and made.actual is not None:
        deps = frozenset({made.actual})
    elif isinstance(made, Tensor) and made.deps is not None:
        deps = made.deps
    else:
        deps = None
    if regularizer is UNKNOWN or deps is None:
        graph_collections.spoil(sim, graph_collections.REGULARIZATION)
        return
    loss = Tensor((), made.dtype, deps)
    graph_collections.add_named(sim, graph_collections.REGULARIZATION, loss, name_start)


def _initializer_class(ref: TFRef) -> bool:
    """An initializer class passed uncalled (``initializer=tf.zeros_initializer``): TF calls it
    with the variable's dtype, float32 by default."""
    api_name = tfapi.canonical(ref.path)
    return api_name.endswith("_initializer") or api_name.startswith("initializers.")


def _check_share(sim: Any, node: cst.CSTNode, key: str, first: StoreCreate, shape: Any, dtype: Any) -> None:
    if isinstance(shape, tuple) and first.shape is not None and not compatible_shapes(shape, first.shape):
        sim.emit(ShareMismatch(site(sim, node), key, "shape", shape, first.shape, first))
    elif dtype is not None and first.dtype is not None and dtype != first.dtype:
        sim.emit(ShareMismatch(site(sim, node), key, "dtype", dtype, first.dtype, first))


@api("get_local_variable")
def get_local_variable(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return get_variable(sim, args, kwargs, node, local=True)


_ERRORS = (AlreadyExists, DoesNotExist, ShareMismatch)


def created_since(sim: Any, mark: int) -> bool:
    """The store made a variable since event ``mark`` (not a reuse)."""
    return any(isinstance(event, StoreCreate) for event in sim.trace.events[mark:])


def raised_since(sim: Any, mark: int) -> bool:
    """A get_variable since event ``mark`` raises in TF: the API that called it stops there
    (a layer makes none of its other variables and has no output)."""
    return any(isinstance(event, _ERRORS) for event in sim.trace.events[mark:])
