"""Sets of known keys (``values.KnownSet``): membership, size and the set algebra are exact;
the order of iteration is Python's hash order, which the analysis does not claim, so a set is
iterated only when that order cannot matter (one member at most, or through ``sorted``). A
change the analysis does not follow, or handing the set to unknown code, forgets its members.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from .containers import known_key
from .values import UNKNOWN, KnownSet

_ALGEBRA = {
    cst.Subtract: lambda a, b: [x for x in a if x not in b],
    cst.BitOr: lambda a, b: a + [x for x in b if x not in a],
    cst.BitAnd: lambda a, b: [x for x in a if x in b],
    cst.BitXor: lambda a, b: [x for x in a if x not in b] + [x for x in b if x not in a],
}
_METHODS = {
    "difference": cst.Subtract, "union": cst.BitOr, "intersection": cst.BitAnd,
    "symmetric_difference": cst.BitXor,
}
# Methods that change the set in place.
_CHANGING = frozenset({
    "add", "update", "discard", "remove", "pop", "clear", "difference_update",
    "intersection_update", "symmetric_difference_update",
})


def make(items: list | None, frozen: bool = False) -> Any:
    """``set(items)``: a KnownSet when every item is a known key, else None."""
    if items is None or not all(known_key(i) for i in items):
        return None
    members: list = []
    for item in items:
        if item not in members:
            members.append(item)
    return KnownSet(members, frozen)


def algebra(operator: cst.CSTNode, left: Any, right: Any) -> Any:
    fn = _ALGEBRA.get(type(operator))
    if fn is None or type(left) is not KnownSet or type(right) is not KnownSet:
        return UNKNOWN
    if left.items is None or right.items is None:
        return UNKNOWN
    return KnownSet(fn(left.items, right.items), left.frozen)


def method(value: KnownSet, name: str, args: list, kwargs: dict) -> Any:
    if name in _CHANGING:
        value.items = None  # not followed: its members are unknown from now on
        return UNKNOWN
    if value.items is None or kwargs:
        return UNKNOWN
    if name in _METHODS and len(args) == 1:
        other = args[0] if type(args[0]) is KnownSet else make(_listed(args[0]))
        return UNKNOWN if other is None else algebra(_METHODS[name](), value, other)
    if name == "copy" and not args:
        return KnownSet(list(value.items), value.frozen)
    if name in ("issubset", "issuperset", "isdisjoint") and len(args) == 1:
        other = args[0] if type(args[0]) is KnownSet else make(_listed(args[0]))
        if other is None or other.items is None:
            return UNKNOWN
        a, b = value.items, other.items
        if name == "issubset":
            return all(x in b for x in a)
        if name == "issuperset":
            return all(x in a for x in b)
        return not any(x in b for x in a)
    return UNKNOWN


def contains(value: KnownSet, item: Any) -> Any:
    if value.items is None or not known_key(item):
        return UNKNOWN
    return item in value.items


def unordered(value: KnownSet) -> list | None:
    """The members where their order cannot matter (at most one), else None."""
    items = value.items
    return list(items) if items is not None and len(items) <= 1 else None


def _listed(value: Any) -> list | None:
    return list(value) if type(value) in (list, tuple) else None
