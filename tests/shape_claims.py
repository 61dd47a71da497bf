"""Comparing the shapes and dtypes scopelint predicts for variables with the ones TF gave them.

A predicted event makes a claim only where it knows something: ``shape is None`` claims nothing,
a dimension ``None`` inside a shape claims only the rank, ``dtype is None`` claims nothing. The
claims made must all hold; the ones not made are counted, so that a simulator that learns
nothing cannot pass unnoticed. Reads the fields with ``getattr``: events of a simulator that
predicts no shapes have none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mismatch:
    line: int
    name: str
    what: str  # "shape" | "dtype"
    predicted: object
    actual: object

    def __str__(self) -> str:
        return (f"line {self.line}: {self.name}: scopelint predicts {self.what} "
                f"{self.predicted!r}, TF made {self.actual!r}")


def shape_holds(predicted: tuple | None, actual: list | None) -> bool:
    """The predicted shape (None: no claim) agrees with TF's (None: TF does not know the rank)."""
    if predicted is None:
        return True
    if actual is None or len(predicted) != len(actual):
        return False
    return all(p is None or p == a for p, a in zip(predicted, actual))


def compare_pairs(pairs, tally: Counter | None = None) -> list[Mismatch]:
    """``pairs`` of (predicted VarEvent, TF's event dict) for the same variable: the claims that
    fail. ``tally`` (if given) counts ``shapes`` compared, ``dims_unknown`` among them,
    ``shapes_unknown`` (no shape predicted), ``dtypes`` compared and ``dtypes_unknown``."""
    tally = Counter() if tally is None else tally
    out = []
    for mine, theirs in pairs:
        shape = getattr(mine, "shape", None)
        dtype = getattr(mine, "dtype", None)
        if shape is None:
            tally["shapes_unknown"] += 1
        else:
            tally["shapes"] += 1
            tally["dims_unknown"] += sum(1 for d in shape if d is None)
            if not shape_holds(shape, theirs.get("shape")):
                out.append(Mismatch(mine.line, mine.name, "shape", tuple(shape), theirs.get("shape")))
        if dtype is None:
            tally["dtypes_unknown"] += 1
        else:
            tally["dtypes"] += 1
            if dtype != theirs.get("dtype"):
                out.append(Mismatch(mine.line, mine.name, "dtype", dtype, theirs.get("dtype")))
    return out


def summary(tally: Counter) -> str:
    return (f"{tally['shapes']} variable shapes compared, {tally['dims_unknown']} dims left unknown; "
            f"{tally['shapes_unknown']} variable shapes not predicted; "
            f"{tally['dtypes']} dtypes compared, {tally['dtypes_unknown']} not predicted")
