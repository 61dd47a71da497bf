"""Warm starts: ``tf.train.warm_start(ckpt, vars_to_warm_start, var_name_to_vocab_info,
var_name_to_prev_var_name)`` and ``tf.estimator.WarmStartSettings``, as TF's
``warm_starting_util.warm_start`` runs them:

- ``vars_to_warm_start`` a string: the trainable variables whose name (``...:0``) the regex
  matches from the start; a list of strings: the global variables each one matches; a list of
  variables: those. Falsy (``None``, ``''``, ``[]``): only the variables
  ``var_name_to_vocab_info`` names, so without it nothing is warm-started.
- each from ``var_name_to_prev_var_name.get(name)`` or its own op name, through
  ``init_from_checkpoint`` (the shape checked when it is called);
- a ``var_name_to_prev_var_name`` entry for a variable it does not warm-start raises.

Variables with vocabulary information are read by rows from another vocabulary: a warm start
with any is not compared.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import UNKNOWN, BoundBuiltin
from . import graph_collections as gc
from .registry import api, attribute
from .restores import emit
from .variables import VarRef


class WarmStartSettings(tuple):
    """``tf.estimator.WarmStartSettings``: TF's namedtuple of the four arguments of
    ``warm_start`` (the dicts ``{}`` when not given), so ``warm_start(*settings)`` works."""

    __slots__ = ()

    FIELDS = ("ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info",
              "var_name_to_prev_var_name")


@api("estimator.WarmStartSettings")
def warm_start_settings(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown:
        return UNKNOWN
    vocab, renames = get(2, "var_name_to_vocab_info"), get(3, "var_name_to_prev_var_name")
    return WarmStartSettings((
        get(0, "ckpt_to_initialize_from"), get(1, "vars_to_warm_start", ".*"),
        {} if vocab is None else vocab, {} if renames is None else renames,
    ))


@attribute(WarmStartSettings, pure=True)
def settings_attribute(sim: Any, value: WarmStartSettings, attr: str, node: cst.CSTNode) -> Any:
    if attr in WarmStartSettings.FIELDS:
        return value[WarmStartSettings.FIELDS.index(attr)]
    return BoundBuiltin(value, attr) if attr in ("count", "index", "_replace") else UNKNOWN


def _matching(sim: Any, key: str, pattern: str) -> list | None:
    """``tf.get_collection(key, scope=pattern)``: ``re.match`` on each variable's name."""
    found = gc.listing(sim, key)
    if found is None or any(not isinstance(v, VarRef) or v.actual is None for v in found):
        return None
    try:
        regex = re.compile(pattern)
    except re.error:
        return None
    return [v for v in found if regex.match(f"{v.actual}:0")]


def _grouped(sim: Any, given: Any) -> list | None:
    """``_get_grouped_variables``: the variables ``vars_to_warm_start`` selects, in order."""
    if given is None or isinstance(given, str):
        return _matching(sim, gc.TRAINABLE, given or "")
    if isinstance(given, list) and all(isinstance(v, str) for v in given):
        out: list = []
        for text in given:
            found = _matching(sim, gc.GLOBAL, text)
            if found is None:
                return None
            out += found
        return out
    if isinstance(given, list) and all(isinstance(v, VarRef) and v.actual for v in given):
        return list(given)
    return None


def warm_start_pairs(sim: Any, given: Any, vocab: Any, renames: Any) -> tuple[tuple | None, tuple]:
    """The (key, variable) pairs a warm start restores and its problems ((message, raises)),
    or (None, ()) when they are not known."""
    if vocab not in (None, {}) or not (renames is None or isinstance(renames, dict)):
        return None, ()
    variables = _grouped(sim, given)
    names = [v.actual for v in variables or ()]
    if variables is None or len(set(names)) < len(names):
        return None, ()  # a variable selected twice is taken for a partitioned one
    renames = renames or {}
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in renames.items()):
        return None, ()
    problems = []
    pairs: tuple = ()
    if not given:
        problems.append((
            f"`vars_to_warm_start={given!r}` warm-starts only the variables "
            "`var_name_to_vocab_info` names: nothing is warm-started", False,
        ))
    elif not variables:
        which = "trainable" if isinstance(given, str) else "global"
        problems.append((
            f"`vars_to_warm_start={given!r}` matches no {which} variable: nothing is "
            "warm-started", False,
        ))
    else:
        pairs = tuple((renames.get(v.actual) or v.actual, v) for v in variables)
    unused = sorted(set(renames) - set(names))
    if unused:
        problems.append((
            "You provided the following variables in var_name_to_prev_var_name that were not "
            f"used: {set(unused)}.  Perhaps you misspelled them?", True,
        ))
    return pairs, tuple(problems)


def run_warm_start(sim: Any, node: cst.CSTNode, api_name: str, settings: tuple,
                   when: str | None = None) -> None:
    """One warm start (the four arguments of ``warm_start``) as a restore event."""
    _, given, vocab, renames = settings
    pairs, problems = warm_start_pairs(sim, given, vocab, renames)
    emit(sim, node, api_name, pairs, problems=problems, when=when)


@api("train.warm_start")
def warm_start(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown:
        emit(sim, node, "tf.train.warm_start", None)
        return None
    settings = (get(0, "ckpt_to_initialize_from"), get(1, "vars_to_warm_start", ".*"),
                get(2, "var_name_to_vocab_info"), get(3, "var_name_to_prev_var_name"))
    run_warm_start(sim, node, "tf.train.warm_start", settings)
    return None
