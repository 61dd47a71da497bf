"""Small one-dimensional numpy arrays of Python numbers, as model code computes shapes with them
(Sonnet 1's ``BatchReshape`` fills a ``-1`` with ``v[v == -1] = n // m``).

``np.array(seq)`` of a flat list or tuple of known numbers is an ``Array``: element-wise
arithmetic and comparisons with a number or an array of the same length, ``abs``, ``-``,
indexing by position, slice or boolean mask (read and written in place), iteration, ``len``,
and numpy's reductions. Anything else (nested lists, unknown items, broadcasting other
shapes) stays the harmless unknown value numpy's results are otherwise (``TENSOR``).
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable

import libcst as cst

from .bounded import MAX_LENGTH
from .values import TENSOR, UNKNOWN, UNKNOWN_ITEMS, Array, note_object

_ARITHMETIC: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add, cst.Subtract: operator.sub, cst.Multiply: operator.mul,
    cst.FloorDivide: operator.floordiv, cst.Divide: operator.truediv, cst.Modulo: operator.mod,
}
_COMPARISONS: dict[type, Callable[[Any, Any], bool]] = {
    cst.Equal: operator.eq, cst.NotEqual: operator.ne, cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le, cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
}
_REDUCTIONS: dict[str, Callable[[list], Any]] = {
    "prod": math.prod, "sum": sum, "max": max, "min": min, "any": any, "all": all,
}
_LIMIT = 2 ** 62  # past it numpy's int64 wraps around: not followed


def _number(value: Any) -> bool:
    return isinstance(value, (int, float))  # bool among them


def _kind(items: list) -> str:
    if all(isinstance(i, bool) for i in items):
        return "bool"
    return "int" if all(isinstance(i, int) for i in items) else "float"


def make(value: Any) -> Any:
    """``np.array(value)``: an ``Array`` of a flat sequence of known numbers, else ``TENSOR``."""
    if type(value) is Array:
        return Array(list(value.items), value.kind) if not spoiled(value) else TENSOR
    if not isinstance(value, (list, tuple)) or len(value) > MAX_LENGTH:
        return TENSOR
    items = list(value)
    if not all(_number(i) for i in items):
        return TENSOR
    return Array(items, _kind(items))


def spoiled(array: Array) -> bool:
    return any(i is UNKNOWN_ITEMS for i in array.items)


def _pairs(left: Any, right: Any) -> list | None:
    """The element pairs of an element-wise operation, or None when not followed."""
    if type(left) is Array and spoiled(left) or type(right) is Array and spoiled(right):
        return None
    if type(left) is Array and type(right) is Array:
        return list(zip(left.items, right.items)) if len(left.items) == len(right.items) else None
    if type(left) is Array and _number(right):
        return [(i, right) for i in left.items]
    if type(right) is Array and _number(left):
        return [(left, i) for i in right.items]
    return None


def _result(items: list) -> Any:
    if any(isinstance(i, (int, float)) and abs(i) >= _LIMIT for i in items):
        return TENSOR
    return Array(items, _kind(items))


def binary(op: cst.CSTNode, left: Any, right: Any) -> Any:
    fn = _ARITHMETIC.get(type(op))
    pairs = _pairs(left, right)
    if fn is None or pairs is None:
        return TENSOR
    try:
        return _result([fn(a, b) for a, b in pairs])
    except (ZeroDivisionError, OverflowError):
        return TENSOR  # numpy warns and gives inf or nan: not followed


def compare(op: cst.CSTNode, left: Any, right: Any) -> Any:
    fn = _COMPARISONS.get(type(op))
    pairs = _pairs(left, right)
    if fn is None or pairs is None:
        return TENSOR
    return Array([bool(fn(a, b)) for a, b in pairs], "bool")


def unary(name: str, array: Array) -> Any:
    """``abs(a)``, ``-a``."""
    if spoiled(array):
        return TENSOR
    fn = abs if name == "abs" else operator.neg
    return _result([fn(i) for i in array.items])


def reduce(name: str, array: Array) -> Any:
    """``np.prod(a)`` and the like: a Python number (numpy's scalar, computed alike)."""
    fn = _REDUCTIONS.get(name)
    if fn is None or spoiled(array) or (not array.items and name in ("max", "min")):
        return TENSOR
    value = fn(array.items)
    if name == "prod" and not array.items:
        return 1.0  # numpy's empty product is a float
    return value if not isinstance(value, (int, float)) or abs(value) < _LIMIT else TENSOR


def items(array: Array) -> list | None:
    return None if spoiled(array) else list(array.items)


def get_item(array: Array, index: Any) -> Any:
    if spoiled(array):
        return TENSOR
    if isinstance(index, int) and not isinstance(index, bool):
        return array.items[index] if -len(array.items) <= index < len(array.items) else UNKNOWN
    if isinstance(index, slice):
        return Array(array.items[index], array.kind)
    mask = _mask(array, index)
    if mask is None:
        return TENSOR
    return Array([i for i, keep in zip(array.items, mask) if keep], array.kind)


def set_item(array: Array, index: Any, value: Any) -> None:
    """``a[index] = value`` in place: by position or boolean mask, a number for each; anything
    else leaves the items unknown."""
    note_object(array)
    mask = None
    if isinstance(index, int) and not isinstance(index, bool) and -len(array.items) <= index < len(array.items):
        mask = [n == index % len(array.items) for n in range(len(array.items))]
    elif not isinstance(index, int):
        mask = _mask(array, index)
    if mask is None or not _number(value) or spoiled(array):
        array.items[:] = [UNKNOWN_ITEMS]
        return
    cast = {"bool": bool, "int": int, "float": float}[array.kind]
    array.items[:] = [cast(value) if keep else i for i, keep in zip(array.items, mask)]


def _mask(array: Array, index: Any) -> list | None:
    if type(index) is Array and index.kind == "bool" and not spoiled(index) and (
        len(index.items) == len(array.items)
    ):
        return list(index.items)
    return None
