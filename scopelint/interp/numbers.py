"""Numbers numpy computes, as the values of constant tensors: a numpy scalar of known value
(``np.log2(8)``) and a small table of ints (``np.array([[0, 0], [3, 3]])``, a padding table for
``tf.pad``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .values import Tensor


@dataclass(frozen=True, slots=True)
class NumpyNumber:
    """``Tensor.value`` of a numpy scalar computed from Python numbers (``np.log2(8)``): what
    ``int()``, ``float()`` and ``math`` read of it. TF's ops, which read only ints and tuples
    there, see a 0-d value of unknown dtype, as before. ``number``'s type is part of the value,
    so that a summary keyed by it tells ``3`` from ``3.0``."""

    number: int | float
    kind: type


@dataclass(frozen=True, slots=True)
class IntTable:
    """``Tensor.value`` of a constant int array of rank 1 or more built from nested lists of
    Python ints (``np.array([[0, 0], [3, 3]])``, ``tf.constant`` of such a list): its elements
    as nested tuples. A kind of its own, so that code reading folded vectors (plain tuples)
    never mistakes it for one."""

    elements: tuple


def int_table(value: Any, depth: int = 0) -> tuple:
    """(shape, elements as nested tuples) of a rectangular nested list of small ints, else
    (None, None)."""
    if type(value) is int:
        return ((), value) if abs(value) < 2 ** 31 else (None, None)
    if type(value) not in (list, tuple) or not value or len(value) > 64 or depth > 4:
        return None, None
    rows = [int_table(v, depth + 1) for v in value]
    shapes = {shape for shape, _ in rows}
    if len(shapes) != 1 or None in shapes:
        return None, None
    return (len(rows), *shapes.pop()), tuple(e for _, e in rows)


def numpy_number(value: Any) -> int | float | None:
    """The number a numpy scalar of known value holds, else None."""
    if type(value) is Tensor and type(value.value) is NumpyNumber:
        return value.value.number
    return None
