"""Python's sets as model code uses them: built from known items, changed in place, combined,
and asked for membership, size and their items.

A set is a Python ``set`` (``frozenset``) of values that may key a dict (``containers.known_key``);
one whose items are not all known holds ``UNKNOWN_ITEMS`` (``values.spoilt``), like a list. Python
iterates a set in the order of its hash table. For numbers, and tuples of them, that order
follows from the operations alone, and they run here on a real set in the program's order; a
str's hash changes from one process to the next (``PYTHONHASHSEED``), so several strings have no
known order. What does not depend on it is known (membership, size, ``sorted``, the set
operations); a ``for`` loop over such a set runs each order as an alternative
(``Statements.exec_for``), up to ``MAX_ORDERS`` of them; anything else that needs the order is
unknown.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import libcst as cst

from .containers import known_key
from .values import UNKNOWN, UNKNOWN_ITEMS, note_object, spoilt

SETS = (set, frozenset)
MAX_ORDERS = 120  # the orders of five strings

# Methods that return a new set of the receiver's type, by the set operation they are.
_COMBINING = {
    "union": "__or__", "intersection": "__and__", "difference": "__sub__",
    "symmetric_difference": "__xor__",
}
# Methods that change the set in place, by the combining method they apply.
_UPDATING = {
    "update": "union", "intersection_update": "intersection",
    "difference_update": "difference", "symmetric_difference_update": "symmetric_difference",
}
_OPERATORS = {
    cst.BitOr: "union", cst.BitAnd: "intersection", cst.Subtract: "difference",
    cst.BitXor: "symmetric_difference",
}
_IN_PLACE = {
    cst.BitOrAssign: "update", cst.BitAndAssign: "intersection_update",
    cst.SubtractAssign: "difference_update", cst.BitXorAssign: "symmetric_difference_update",
}


ITEM_METHODS = frozenset({"add", "discard", "remove"})  # they take one item, not an iterable


def single(item: Any) -> frozenset | None:
    """An item given to ``add`` and the like, as a set operand (None: unknown)."""
    return frozenset((item,)) if known_key(item) else None


def make(items: list | None, kind: type = set) -> Any:
    """``set(items)`` / ``frozenset(items)``; ``None``, or an item that may not key a dict: a
    set whose items are unknown (its methods still run no code of the program)."""
    if items is None or not all(known_key(item) for item in items):
        return kind((UNKNOWN_ITEMS,))
    return kind(items)


def ordered(value: Any) -> list | None:
    """A set's items in the order Python iterates them, where that order is known."""
    if spoilt(value):
        return None
    if len(value) <= 1 or all(_fixed_hash(item) for item in value):
        return list(value)
    return None


def orders(value: Any) -> list[list] | None:
    """Every order in which Python may iterate a set: its one known order, or each permutation
    of a few strings; None when there are too many."""
    known = ordered(value)
    if known is not None:
        return [known]
    if spoilt(value) or math.factorial(len(value)) > MAX_ORDERS:
        return None
    first = sorted(value, key=repr)
    return [list(order) for order in itertools.permutations(first)]


def _fixed_hash(item: Any) -> bool:
    """Python hashes it the same in every process: numbers, and tuples of them (not None, whose
    hash is its address before Python 3.12, nor nan's, nor strings)."""
    if isinstance(item, int) or (isinstance(item, float) and math.isfinite(item)):
        return True
    return type(item) is tuple and all(_fixed_hash(i) for i in item)


def method(obj: Any, name: str, operands: list, kwargs: dict) -> Any:
    """``obj.name(*operands)``, each operand already a frozenset of its items (None: unknown)."""
    if kwargs:
        return _spoil(obj) if name in _UPDATING or name in ("add", "discard", "remove", "clear", "pop") else UNKNOWN
    if name in _COMBINING and None not in operands:
        if spoilt(obj) or any(spoilt(o) for o in operands):
            return type(obj)((UNKNOWN_ITEMS,))
        return getattr(obj, name)(*operands)
    if name in _UPDATING and type(obj) is set:
        note_object(obj)
        if None in operands or spoilt(obj) or any(spoilt(o) for o in operands):
            return _spoil(obj)
        getattr(obj, name)(*operands)
        return None
    if name in ("add", "discard", "remove") and type(obj) is set and len(operands) == 1:
        return _change(obj, name, operands[0])
    if name == "clear" and type(obj) is set and not operands:
        note_object(obj)
        obj.clear()
        return None
    if name == "copy" and not operands:
        return type(obj)(obj)
    if name in ("issubset", "issuperset", "isdisjoint") and len(operands) == 1 and operands[0] is not None:
        if spoilt(obj) or spoilt(operands[0]):
            return UNKNOWN
        return getattr(obj, name)(operands[0])
    if name == "pop" and type(obj) is set:
        return _spoil(obj)  # an item Python picks by its table's order: not followed
    return UNKNOWN


def _change(obj: set, name: str, operand: Any) -> Any:
    """``add``, ``discard`` or ``remove`` of one item (``operand``: the item, as a frozenset
    holding it, or None when unknown)."""
    note_object(obj)
    if operand is None or len(operand) != 1 or spoilt(operand) or spoilt(obj):
        return _spoil(obj)
    (item,) = operand
    if name == "add":
        obj.add(item)
    elif name == "discard":
        obj.discard(item)
    elif item in obj:
        obj.remove(item)
    else:
        return UNKNOWN  # KeyError in Python
    return None


def _spoil(obj: Any) -> Any:
    if type(obj) is set:
        note_object(obj)
        obj.clear()
        obj.add(UNKNOWN_ITEMS)
    return UNKNOWN


def operator(op: cst.CSTNode, left: Any, right: Any) -> Any:
    """``left | right`` and the like between sets; ``s |= t`` changes ``s`` in place."""
    kind = type(op)
    if type(left) not in SETS or type(right) not in SETS:
        return UNKNOWN  # TypeError in Python, or not a set operation
    update = _IN_PLACE.get(kind)
    if update is not None and type(left) is set:
        method(left, update, [frozenset(right)], {})
        return left
    name = _OPERATORS.get(kind) or _OPERATORS.get(_PLAIN.get(kind))
    if name is None:
        return UNKNOWN
    if spoilt(left) or spoilt(right):
        return type(left)((UNKNOWN_ITEMS,))
    return getattr(left, name)(right)


# An augmented assignment on a frozenset makes a new one, as the plain operator does.
_PLAIN = {cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd,
          cst.SubtractAssign: cst.Subtract, cst.BitXorAssign: cst.BitXor}


def compare(op: cst.CSTNode, left: Any, right: Any) -> Any:
    """``==``, ``!=``, subset orderings between sets, and ``x in s``: Python's answer, or
    UNKNOWN."""
    kind = type(op)
    if kind in (cst.In, cst.NotIn):
        if spoilt(right) or not known_key(left):
            return UNKNOWN
        return (left in right) == (kind is cst.In)
    if type(left) not in SETS or type(right) not in SETS or spoilt(left) or spoilt(right):
        return UNKNOWN
    answer = {
        cst.Equal: lambda: left == right, cst.NotEqual: lambda: left != right,
        cst.LessThan: lambda: left < right, cst.LessThanEqual: lambda: left <= right,
        cst.GreaterThan: lambda: left > right, cst.GreaterThanEqual: lambda: left >= right,
    }.get(kind)
    return UNKNOWN if answer is None else answer()
