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
- ``tf.train.warm_start(ckpt, vars_to_warm_start, ..., var_name_to_prev_var_name)``: the
  trainable variables a regex matches (a list of regexes: global ones; or the variables), each
  from its previous name, through ``init_from_checkpoint``.

- ``tf.train.MonitoredTrainingSession(checkpoint_dir=...)``: the latest checkpoint there,
  restored when the session is made, with ``tf.train.Scaffold(saver=...)``'s Saver or one of
  every global variable made by then.

What is not known stays unknown (``pairs`` None): a restore whose variables are unknown is not
compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..events import Restore
from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin
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
    """What slim's ``assign_from_checkpoint_fn`` returns: a function of the session."""


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
         problems: tuple = ()) -> None:
    """One restore: its pairs as (key, op name, shape, dtype)."""
    flat = None
    if pairs is not None:
        flat = tuple((key, var.actual, var.shape, var.dtype) for key, var in pairs)
    sim.emit(Restore(site(sim, node), api_name, flat, ignore_missing, whole_graph, upto,
                     problems))


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
    if graph.open or "" in graph.tainted or any(
        not scopes or t == scopes or t.startswith(scopes + "/") for t in graph.tainted
    ):
        return None  # unknown code may have made variables there
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
        pairs.append((full.removesuffix("/"), var))
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


def _slim_restore(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> None:
    get = ArgReader(args, kwargs)
    ignore = get(2, "ignore_missing_vars", False)
    pairs = pairs_of(get(1, "var_list"))
    if ignore not in (True, False):
        pairs = None
    emit(sim, node, api_name, pairs, ignore_missing=ignore is True)


@api(*(m + "assign_from_checkpoint_fn" for m in _SLIM))
def assign_from_checkpoint_fn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    _slim_restore(sim, "slim.assign_from_checkpoint_fn", args, kwargs, node)
    return InitFn()


@api(*(m + "assign_from_checkpoint" for m in _SLIM))
def assign_from_checkpoint(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    _slim_restore(sim, "slim.assign_from_checkpoint", args, kwargs, node)
    return (TENSOR, UNKNOWN)


@call(InitFn)
def call_init_fn(sim: Any, value: InitFn, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return None  # it runs the restore recorded where it was made


# -- warm starting ------------------------------------------------------------------------------


def _warm_variables(sim: Any, given: Any) -> list | None:
    if given is None or isinstance(given, str):
        found = gc.listing(sim, gc.TRAINABLE)
        if found is None:
            return None
        if given is None:
            return found
        try:
            pattern = re.compile(given)
        except re.error:
            return None
        return [v for v in found if pattern.match(f"{v.actual}:0")]
    if isinstance(given, list) and given and all(isinstance(v, str) for v in given):
        everything = gc.listing(sim, gc.GLOBAL)
        if everything is None:
            return None
        out = []
        for text in given:
            try:
                pattern = re.compile(text)
            except re.error:
                return None
            out += [v for v in everything if pattern.match(f"{v.actual}:0")]
        return out
    if isinstance(given, list) and all(_known(v) for v in given):
        return list(given)
    return None


@api("train.warm_start")
def warm_start(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    given, renames = get(1, "vars_to_warm_start", ".*"), get(3, "var_name_to_prev_var_name")
    variables = _warm_variables(sim, given)
    if get.unknown or variables is None or not (renames is None or isinstance(renames, dict)):
        emit(sim, node, "tf.train.warm_start", None)
        return None
    renames = renames or {}
    problems = []
    if isinstance(given, str) and not variables:
        message = f"`vars_to_warm_start={given!r}` matches no trainable variable: nothing is warm-started"
        problems.append((message, False))
    pairs = tuple((renames.get(v.actual) or v.actual, v) for v in variables)
    unused = [k for k in renames if k not in {v.actual for v in variables}]
    if unused:
        message = (
            "You provided the following variables in var_name_to_prev_var_name that were not "
            f"used: {set(unused)}.  Perhaps you misspelled them?"
        )
        problems.append((message, True))
    emit(sim, node, "tf.train.warm_start", pairs, problems=tuple(problems))
    return None


# -- monitored sessions -------------------------------------------------------------------------


@dataclass(eq=False)
class Scaffold:
    """A ``tf.train.Scaffold``: the Saver a monitored session restores with (None: its own)."""

    saver: Any


@api("train.Scaffold")
def scaffold(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown:
        return sim.opaque_value(args, kwargs)
    given = get(6, "saver")
    return Scaffold(given if given is None or isinstance(given, Saver) else UNKNOWN)


@attribute(Scaffold)
def scaffold_attribute(sim: Any, value: Scaffold, attr: str, node: cst.CSTNode) -> Any:
    return value.saver if attr == "saver" and value.saver is not None else UNKNOWN


@api("train.MonitoredTrainingSession")
def monitored_session(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """With a ``checkpoint_dir``, the session restores the latest checkpoint there when it is
    made: with the scaffold's Saver, or a Saver of every global variable made by then. What
    the session does besides (hooks) is not followed."""
    get = ArgReader(args, kwargs)
    directory, given = get(2, "checkpoint_dir"), get(3, "scaffold")
    if directory is not None and not get.unknown:
        api_name = "tf.train.MonitoredTrainingSession(checkpoint_dir=...)"
        if isinstance(given, Scaffold) and isinstance(given.saver, Saver):
            value = given.saver
            emit(sim, node, api_name, value.pairs, whole_graph=value.whole_graph, upto=value.upto)
        elif given is None or (isinstance(given, Scaffold) and given.saver is None):
            everything = gc.listing(sim, gc.GLOBAL)
            if everything is None:
                emit(sim, node, api_name, None, whole_graph=True, upto=len(sim.trace.events))
            else:
                emit(sim, node, api_name, pairs_of(everything))
        else:
            emit(sim, node, api_name, None)
    return sim.opaque_value(args, kwargs)
