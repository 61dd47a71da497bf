"""Python's sets of plain values, as model code builds them: membership, size, the methods and
operators that combine them.

A set is a ``PySet``: its members are the keys of a dict (only values that may key a dict:
``containers.known_key``). A member the analysis cannot compute makes the set hold
``UNKNOWN_ITEMS`` besides the known ones: ``x in s`` is then True for a known member and
unknown otherwise, its size unknown. Python iterates a set in hash order, which for strings
changes from one run to the next: iterating one gives its items only when it has at most one
(TFLearn hands a set of collection keys to ``get_variable``, whose order does not matter;
``sorted(s)`` is exact).
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from .containers import known_key
from .values import UNKNOWN, UNKNOWN_ITEMS, PySet, note_object, spoilt

# What the operators compute, and the methods that compute the same.
_OPERATIONS: dict[str, Callable[[set, set], set]] = {
    "union": set.union,
    "intersection": set.intersection,
    "difference": set.difference,
    "symmetric_difference": set.symmetric_difference,
}
_OPERATORS = {
    cst.BitOr: "union", cst.BitAnd: "intersection", cst.Subtract: "difference",
    cst.BitXor: "symmetric_difference",
}
_IN_PLACE = {
    cst.BitOrAssign: "union", cst.BitAndAssign: "intersection",
    cst.SubtractAssign: "difference", cst.BitXorAssign: "symmetric_difference",
}
_TESTS = {"issubset": set.issubset, "issuperset": set.issuperset, "isdisjoint": set.isdisjoint}


def make(items: list | None, frozen: bool = False) -> PySet:
    """A set of ``items`` (None: not known)."""
    members: dict = {}
    for item in items if items is not None else [UNKNOWN_ITEMS]:
        members[item if known_key(item) else UNKNOWN_ITEMS] = True
    return PySet(members, frozen)


def members(value: Any) -> set | None:
    """The members of a set known in full, as a Python set; None otherwise."""
    if type(value) is not PySet or spoilt(value):
        return None
    return set(value.members)


def items(value: PySet) -> list | None:
    """What iterating the set gives, when its order cannot matter: one member or none."""
    if spoilt(value) or len(value.members) > 1:
        return None
    return list(value.members)


def contains(value: Any, container: PySet) -> Any:
    """``value in container``."""
    if known_key(value) and value in container.members:
        return True
    if spoilt(container) or not known_key(value):
        return UNKNOWN
    return False


def size(value: PySet) -> Any:
    return UNKNOWN if spoilt(value) else len(value.members)


def _combine(name: str, left: PySet, others: list) -> PySet:
    known = members(left)
    rest = [members(o) for o in others]
    if known is None or any(r is None for r in rest):
        return make(None, left.frozen)
    return make(list(_ordered(left, _OPERATIONS[name](known, *rest))), left.frozen)


def _ordered(left: PySet, result: set) -> list:
    """``result`` with ``left``'s members first, in the order they were added."""
    return [m for m in left.members if m in result] + [m for m in result if m not in left.members]


def binary(operator: cst.CSTNode, left: Any, right: Any) -> Any:
    """``a | b``, ``a & b``, ``a - b``, ``a ^ b`` of two sets; the augmented forms change ``a``
    itself, as Python does for a set."""
    if type(left) is not PySet or type(right) is not PySet:
        return UNKNOWN
    kind = type(operator)
    name = _OPERATORS.get(kind) or _IN_PLACE.get(kind)
    if name is None:
        return UNKNOWN
    result = _combine(name, left, [right])
    if kind in _IN_PLACE and not left.frozen:
        note_object(left)
        left.members.clear()
        left.members.update(result.members)
        return left
    return result


def equal(left: PySet, right: PySet) -> Any:
    a, b = members(left), members(right)
    return UNKNOWN if a is None or b is None else a == b


def method(value: PySet, name: str, args: list, kwargs: dict,
           items_of: Callable[[Any], list | None]) -> Any:
    """``value.name(*args)``: the change made or the result computed; a change the analysis
    cannot follow leaves the set's members unknown beyond those it knows."""
    if kwargs:
        return UNKNOWN
    others = [o if type(o) is PySet else make(items_of(o)) for o in args]
    if name in _OPERATIONS:
        return _combine(name, value, others)
    if name in _TESTS and len(others) == 1:
        a, b = members(value), members(others[0])
        return UNKNOWN if a is None or b is None else _TESTS[name](a, b)
    if name == "copy" and not args:
        return PySet(dict(value.members), value.frozen)
    if value.frozen:
        return UNKNOWN  # a frozenset has no method that changes it
    note_object(value)
    if name == "add" and len(args) == 1:
        value.members[args[0] if known_key(args[0]) else UNKNOWN_ITEMS] = True
        return None
    if name in ("discard", "remove") and len(args) == 1:
        if known_key(args[0]) and not spoilt(value):
            value.members.pop(args[0], None)
        else:
            value.members[UNKNOWN_ITEMS] = True
        return None
    if name == "clear" and not args:
        value.members.clear()
        return None
    if name.endswith("_update") and name[:-7] in _OPERATIONS:
        result = _combine(name[:-7], value, others)
    elif name == "update":
        result = _combine("union", value, others)
    else:  # pop, and anything else: which member it takes is not known
        result = make(None)
    value.members.clear()
    value.members.update(result.members)
    return None if name != "pop" else UNKNOWN
