"""Restores as programs write them: which checkpoint key each variable is read from.

Each restore the program runs is one ``events.Restore``, compared with the checkpoint by
``checkpoint/restore.py`` when the command has one:

- ``tf.train.Saver(var_list)`` then ``saver.restore(sess, path)``: a list restores each
  variable from its op name, a dict from its keys; without ``var_list``, the global variables
  made before the ``Saver`` (their list taken then, as TF builds the saver then).
- ``tf.train.init_from_checkpoint(ckpt, assignment_map)``, resolved as TF's
  ``_init_from_checkpoint`` does it when called: pairs sorted by checkpoint name; a target
  that is a variable is that variable; a string names a variable of the store (never a
  ``tf.Variable``), or else a scope: ``'scope/': 'scope/'`` takes every store variable under it
  (``'/'`` the root), and a name that is neither raises "Assignment map with scope only name".
- TF-Slim's ``assign_from_checkpoint_fn(path, var_list, ignore_missing_vars)`` and
  ``assign_from_checkpoint``: a list by op name, a dict by its keys; ``ignore_missing_vars``
  skips keys the checkpoint lacks instead of failing.
- ``tf.train.warm_start`` and the Estimator's ``warm_start_from``: ``warm_starts.py``.
- ``tf.train.MonitoredTrainingSession(checkpoint_dir=...)``: the latest checkpoint there,
  restored when the session is made, with ``tf.train.Scaffold(saver=...)``'s Saver or one of
  every global variable made by then.

What is not known stays unknown (``pairs`` None): a restore whose variables are unknown is not
compared.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..events import Restore
from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin, Function
from . import graph_collections as gc
from .registry import api, attribute, call, method
from .variables import VarRef
from .world import site


@dataclass(eq=False)
class Saver:
    """A ``tf.train.Saver``: the (key, variable) pairs it restores (None: not known)."""

    pairs: tuple | None
    api: str
    whole_graph: bool = False  # not known which: every variable before event ``upto``
    upto: int = 0


@dataclass(frozen=True)
class InitFn:
    """What slim's ``assign_from_checkpoint_fn`` returns: a function of the session, and the
    index of the restore event made with it (-1: none)."""

    event: int = -1


def _known(value: Any) -> bool:
    return isinstance(value, VarRef) and value.actual is not None


def pairs_of(var_list: Any) -> tuple | None:
    """A ``var_list`` as (checkpoint key, variable) pairs: a dict by its keys, a list by the
    variables' op names; None when any part is not known."""
    if isinstance(var_list, dict):
        if all(isinstance(k, str) and _known(v) for k, v in var_list.items()):
            return tuple(var_list.items())
        return None
    if isinstance(var_list, (list, tuple, set)) and all(_known(v) for v in var_list):
        return tuple((v.actual, v) for v in var_list)
    return None


def emit(sim: Any, node: cst.CSTNode, api_name: str, pairs: tuple | None, *,
         ignore_missing: bool = False, whole_graph: bool = False, upto: int = 0,
         problems: tuple = (), when: str | None = None) -> int:
    """One restore: its pairs, (key, variable) or (key, variable, through a scope entry), as
    (key, op name, shape, dtype, through a scope entry). ``when``: see ``events.Restore``; by
    default, what the session running an init_fn says. Returns the event's index."""
    flat = None
    if pairs is not None:
        flat = tuple((p[0], p[1].actual, p[1].shape, p[1].dtype, p[2:] == (True,)) for p in pairs)
    if when is None:
        when = sim.world.restore_when
    sim.emit(Restore(site(sim, node), api_name, flat, ignore_missing, whole_graph, upto,
                     problems, when))
    return len(sim.trace.events) - 1


# -- tf.train.Saver ----------------------------------------------------------------------------


@api("train.Saver")
def saver(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    var_list = get(0, "var_list")
    if var_list is None and not get.unknown:
        everything = gc.listing(sim, gc.GLOBAL)
        if everything is None:
            return Saver(None, "tf.train.Saver()", True, len(sim.trace.events))
        return Saver(pairs_of(everything), "tf.train.Saver()")
    kind = "a dict" if isinstance(var_list, dict) else "a list"
    return Saver(pairs_of(var_list), f"tf.train.Saver({kind})")


@attribute(Saver)
def saver_attribute(sim: Any, value: Saver, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(value, attr)


@method(Saver)
def saver_method(sim: Any, value: Saver, name: str, args: list, kwargs: dict,
                 node: cst.CSTNode) -> Any:
    if name == "restore":
        emit(sim, node, f"{value.api}.restore", value.pairs, whole_graph=value.whole_graph,
             upto=value.upto)
        return None
    return TENSOR if name == "save" else UNKNOWN


# -- init_from_checkpoint -----------------------------------------------------------------------


def _store_variable(sim: Any, name: str) -> Any:
    """The store's variable ``name``: a VarRef, None when there is none, UNKNOWN when it may be."""
    graph = sim.world.graph
    entry = graph.definite(graph.store, name, sim.path)
    if entry is not None:
        event = entry.event
        if event.actual is None:
            return UNKNOWN
        return VarRef(event.actual, shape=event.shape, dtype=event.dtype)
    if graph.possible(graph.store, name, sim.path) or graph.may_hold_unseen(name):
        return UNKNOWN
    return None


def _scope_pairs(sim: Any, key: str, target: str) -> tuple | None:
    """``'ckpt_scope/': 'scope/'``: every store variable under the scope, renamed."""
    graph = sim.world.graph
    scopes = target[: target.rindex("/")] if "/" in target else ""
    if graph.open or "" in graph.tainted or graph.unnamed_slots or any(
        not scopes or t == scopes or t.startswith(scopes + "/") for t in graph.tainted
    ):
        return None  # unknown code (or a slot not named) may have made variables there
    names = sorted(n for n in graph.store if not scopes or n.startswith(scopes + "/"))
    pairs = []
    for name in names:
        var = _store_variable(sim, name)
        if var is UNKNOWN or "/part_" in name:
            return None
        if var is None:
            continue
        full = name[len(scopes):]
        if target != "/":
            full = full[1:]
        if key != "/":
            full = key + full
        pairs.append((full.removesuffix("/"), var, True))
    return tuple(pairs)


def resolve_map(sim: Any, assignment_map: Any) -> tuple[tuple | None, tuple]:
    """An assignment map as (key, variable) pairs in TF's order, and its problems: (message,
    raises) for entries TF rejects or that match no variable. None: not known."""
    if isinstance(assignment_map, dict):
        items = list(assignment_map.items())
    elif isinstance(assignment_map, (list, tuple)) and all(
        isinstance(p, tuple) and len(p) == 2 for p in assignment_map
    ):
        items = list(assignment_map)
    else:
        return None, ()
    if not all(isinstance(k, str) for k, _ in items):
        return None, ()
    pairs: list = []
    problems: list = []
    for key, target in sorted(items, key=lambda pair: pair[0]):
        if isinstance(target, VarRef):
            if target.actual is None:
                return None, ()
            pairs.append((key, target))
            continue
        if not isinstance(target, str):
            return None, ()
        var = _store_variable(sim, target)
        if var is UNKNOWN:
            return None, ()
        if var is not None:
            pairs.append((key, var))
            continue
        if not key.endswith("/"):
            scopes = target[: target.rindex("/")] if "/" in target else ""
            message = (
                f"Assignment map with scope only name {scopes} should map to scope only {key}. "
                f"Should be 'scope/': 'other_scope/'. (`{target}` is no variable of the store: "
                "a `tf.Variable` or a Keras weight is never found by name)"
            )
            problems.append((message, True))
            break  # TF raises here
        found = _scope_pairs(sim, key, target)
        if found is None:
            return None, ()
        if not found:
            message = f"assignment map entry `'{key}': '{target}'` matches no variable: it initialises nothing"
            problems.append((message, False))
        pairs.extend(found)
    return tuple(pairs), tuple(problems)


@api("train.init_from_checkpoint", "train.checkpoint_utils.init_from_checkpoint")
def init_from_checkpoint(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    pairs, problems = resolve_map(sim, get(1, "assignment_map"))
    emit(sim, node, "tf.train.init_from_checkpoint", pairs, problems=problems)
    return None


# -- TF-Slim ------------------------------------------------------------------------------------

_SLIM = ("slim.", "slim.variables.", "slim.ops.variables.", "slim.python.ops.variables.")


def _slim_restore(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> int:
    get = ArgReader(args, kwargs)
    ignore = get(2, "ignore_missing_vars", False)
    pairs = pairs_of(get(1, "var_list"))
    if ignore not in (True, False):
        pairs = None
    return emit(sim, node, api_name, pairs, ignore_missing=ignore is True)


@api(*(m + "assign_from_checkpoint_fn" for m in _SLIM))
def assign_from_checkpoint_fn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return InitFn(_slim_restore(sim, "slim.assign_from_checkpoint_fn", args, kwargs, node))


@api(*(m + "assign_from_checkpoint" for m in _SLIM))
def assign_from_checkpoint(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    _slim_restore(sim, "slim.assign_from_checkpoint", args, kwargs, node)
    return (TENSOR, UNKNOWN)


@call(InitFn)
def call_init_fn(sim: Any, value: InitFn, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """It runs the restore recorded where it was made; called by a session's init_fn, that
    restore is one of the session's alternatives."""
    when = sim.world.restore_when
    events = sim.trace.events
    if when and 0 <= value.event < len(events) and isinstance(events[value.event], Restore):
        sim.impure()
        events[value.event] = dataclasses.replace(events[value.event], when=when)
    return None


# -- monitored sessions -------------------------------------------------------------------------


@dataclass(eq=False)
class Scaffold:
    """A ``tf.train.Scaffold``: the Saver a monitored session restores with (None: its own), and
    the ``init_fn`` it calls as ``init_fn(scaffold, session)`` when it restores nothing."""

    saver: Any
    init_fn: Any = None


@api("train.Scaffold")
def scaffold(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown:
        return sim.opaque_value(args, kwargs)
    given, init_fn, copied = get(7, "saver"), get(2, "init_fn"), get(8, "copy_from_scaffold")
    if isinstance(copied, Scaffold):
        given = copied.saver if given is None else given
        init_fn = copied.init_fn if init_fn is None else init_fn
    elif copied is not None:
        return sim.opaque_value(args, kwargs)
    return Scaffold(given if given is None or isinstance(given, Saver) else UNKNOWN, init_fn)


@attribute(Scaffold)
def scaffold_attribute(sim: Any, value: Scaffold, attr: str, node: cst.CSTNode) -> Any:
    return value.saver if attr == "saver" and value.saver is not None else UNKNOWN


def _run_init_fn(sim: Any, value: Scaffold, when: str, node: cst.CSTNode) -> None:
    """``init_fn(scaffold, session)``, its restores marked as run only ``when``. One whose code
    is not followed may restore anything: a restore not known stands for it."""
    if not isinstance(value.init_fn, (Function, InitFn)):
        emit(sim, node, "the Scaffold's init_fn", None, when=when)
        sim.opaque([value.init_fn], {})
        return
    world = sim.world
    before, world.restore_when = world.restore_when, when
    try:
        sim.call_value(value.init_fn, [value, UNKNOWN], {}, node)
    finally:
        world.restore_when = before


@api("train.MonitoredTrainingSession")
def monitored_session(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """With a ``checkpoint_dir``, the session restores the latest checkpoint there when it is
    made: with the scaffold's Saver, or a Saver of every global variable made by then; when
    there is none (or no ``checkpoint_dir``), it calls the scaffold's ``init_fn``. Both of a
    session with the two are alternatives. What the session does besides (hooks) is not
    followed."""
    get = ArgReader(args, kwargs)
    directory, given = get(2, "checkpoint_dir"), get(3, "scaffold")
    init_fn = given.init_fn if isinstance(given, Scaffold) else None
    resume = directory is not None and not get.unknown
    if resume:
        api_name = "tf.train.MonitoredTrainingSession(checkpoint_dir=...)"
        when = "resume" if init_fn is not None else ""
        if isinstance(given, Scaffold) and isinstance(given.saver, Saver):
            value = given.saver
            emit(sim, node, api_name, value.pairs, whole_graph=value.whole_graph, upto=value.upto,
                 when=when)
        elif given is None or (isinstance(given, Scaffold) and given.saver is None):
            everything = gc.listing(sim, gc.GLOBAL)
            if everything is None:
                emit(sim, node, api_name, None, whole_graph=True, upto=len(sim.trace.events),
                     when=when)
            else:
                emit(sim, node, api_name, pairs_of(everything), when=when)
        else:
            emit(sim, node, api_name, None, when=when)
    if init_fn is not None and not get.unknown:
        _run_init_fn(sim, given, "init" if resume else "", node)
    return sim.opaque_value(args, kwargs)
