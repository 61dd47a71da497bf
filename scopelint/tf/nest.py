"""``tf.nest`` (``tensorflow.python.util.nest``, TF 1.15's ``tf.contrib.framework.nest``):
flattening and rebuilding nested structures, as model code does with RNN states and module
outputs.

As TF's nest: lists, tuples (``LSTMStateTuple`` and the program's namedtuples among them) and
dicts (by sorted key) are structures, anything else (``None``, a str, a tensor) a leaf. A structure holding something the
analysis cannot see into makes the result unknown, never a guess at its length.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STAR, STR, UNKNOWN, Instance, OpenObject, record_fields, spoilt
from .cell_states import StateTuple
from .registry import api

_MODULES = ("nest.", "slim.nest.", "util.nest.")


def _spellings(*names: str) -> tuple[str, ...]:
    return tuple(module + name for module in _MODULES for name in names)


def _is_structure(value: Any) -> bool:
    return type(value) in (list, tuple, StateTuple) or (type(value) is dict) or (
        record_fields(value) is not None)


def _unknown(value: Any) -> bool:
    if record_fields(value) is not None:
        return False
    return value is UNKNOWN or value is STR or value is STAR or isinstance(value, (Instance, OpenObject)) or (
        _is_structure(value) and spoilt(value))


def _children(value: Any) -> list | None:
    if type(value) is dict:
        if not all(isinstance(k, str) for k in value):
            return None
        return [value[k] for k in sorted(value)]
    fields = record_fields(value)
    if fields is not None:
        return [value.attrs[f] for f in fields]
    return list(value)


def flatten(value: Any) -> list | None:
    """The leaves of ``value`` in TF's order; None when its structure is not known."""
    if _unknown(value):
        return None
    if not _is_structure(value):
        return [value]
    items = _children(value)
    if items is None:
        return None
    out: list = []
    for item in items:
        leaves = flatten(item)
        if leaves is None:
            return None
        out.extend(leaves)
    return out


def _pack(structure: Any, leaves: list) -> Any:
    """``structure`` rebuilt from ``leaves`` (consumed from the front)."""
    if not _is_structure(structure):
        return leaves.pop(0)
    if type(structure) is dict:
        rebuilt = {k: _pack(structure[k], leaves) for k in sorted(structure)}
        return {k: rebuilt[k] for k in structure}
    fields = record_fields(structure)
    if fields is not None:  # the same namedtuple class, as TF rebuilds one
        return Instance(structure.cls, {f: _pack(structure.attrs[f], leaves) for f in fields})
    items = [_pack(item, leaves) for item in structure]
    return StateTuple(items) if type(structure) is StateTuple else type(structure)(items)


def map_leaves(structure: Any, fn: Any) -> Any:
    """``map_structure(fn, structure)`` for a model's function ``fn``; None when the structure
    is not known."""
    leaves = flatten(structure)
    return None if leaves is None else _pack(structure, [fn(leaf) for leaf in leaves])


@api(*_spellings("flatten"), pure=True)
def nest_flatten(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    leaves = flatten(ArgReader(args, kwargs)(0, "structure", UNKNOWN))
    return UNKNOWN if leaves is None else leaves


@api(*_spellings("is_sequence", "is_nested"), pure=True)
def nest_is_sequence(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    value = ArgReader(args, kwargs)(0, "seq", UNKNOWN)
    if _is_structure(value):
        return True
    return UNKNOWN if _unknown(value) else False


@api(*_spellings("pack_sequence_as"), pure=True)
def nest_pack_sequence_as(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    structure, flat = get(0, "structure", UNKNOWN), get(1, "flat_sequence", UNKNOWN)
    shape = flatten(structure)
    if shape is None or type(flat) not in (list, tuple) or spoilt(flat) or len(flat) != len(shape):
        return UNKNOWN  # TF raises on a length mismatch
    return _pack(structure, list(flat))


@api(*_spellings("map_structure"))
def nest_map_structure(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``map_structure(func, *structures)``: ``func`` on the leaves at each position, packed
    as the first structure."""
    if not args or STAR in args or any(k not in ("check_types", "expand_composites") for k in kwargs):
        sim.opaque(args, kwargs)
        return UNKNOWN
    func, structures = args[0], args[1:]
    flats = [flatten(s) for s in structures]
    if not structures or any(f is None for f in flats) or len({len(f) for f in flats}) != 1:
        sim.opaque(args, kwargs)
        return UNKNOWN
    results = [sim.call_value(func, list(items), {}, node) for items in zip(*flats)]
    return _pack(structures[0], results)


@api(*_spellings("assert_same_structure", "assert_shallow_structure"), pure=True)
def nest_assert(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return None
