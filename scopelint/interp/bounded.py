"""Python's own operations on plain values, bounded: no text or sequence the analysed program
computes grows past ``MAX_LENGTH`` items, no integer past ``MAX_BITS`` bits, and nothing is built
before its size is known to fit. A result that would not fit is ``UNKNOWN`` (it never names a
variable), or ``STR`` where Python can only give a str. A file of a few lines must not cost gigabytes or hang the run.
"""

from __future__ import annotations

import re
import string
from typing import Any, Callable

import libcst as cst

from .values import STR, TENSOR, UNKNOWN, plain

MAX_LENGTH = 10_000
MAX_BITS = 4_096

_NUMBERS = re.compile(r"\d+")
# Errors Python raises for operands or format strings it rejects: the value is unknown then.
_REJECTED = (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError, IndexError, AttributeError)


def _sized(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_LENGTH:
        return UNKNOWN
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        return UNKNOWN
    return value


def _fits_repeat(a: Any, b: Any) -> bool:
    """``sequence * count`` (either order) stays within bounds."""
    for seq, count in ((a, b), (b, a)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return len(seq) * max(count, 0) <= MAX_LENGTH
    return True


def _fits_power(base: Any, exponent: Any) -> bool:
    if not isinstance(base, (int, float)) or not isinstance(exponent, (int, float)):
        return True
    if isinstance(exponent, float) or isinstance(base, float):
        return abs(exponent) < 1_024
    if exponent < 0 or abs(base) < 2:
        return exponent > -MAX_BITS
    return exponent * abs(base).bit_length() <= MAX_BITS


def _small_widths(template: str) -> bool:
    """No field width or precision in a format string asks for more than MAX_LENGTH characters."""
    return all(int(n) <= MAX_LENGTH for n in _NUMBERS.findall(template))


_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: lambda a, b: a + b,
    cst.AddAssign: lambda a, b: a + b,
    cst.Subtract: lambda a, b: a - b,
    cst.SubtractAssign: lambda a, b: a - b,
    cst.Multiply: lambda a, b: a * b,
    cst.MultiplyAssign: lambda a, b: a * b,
    cst.FloorDivide: lambda a, b: a // b,
    cst.FloorDivideAssign: lambda a, b: a // b,
    cst.Divide: lambda a, b: a / b,
    cst.DivideAssign: lambda a, b: a / b,
    cst.Modulo: lambda a, b: a % b,
    cst.ModuloAssign: lambda a, b: a % b,
    cst.Power: lambda a, b: a ** b,
    cst.PowerAssign: lambda a, b: a ** b,
    # Bitwise operators on ints and bools only (flag sets: ``re.VERBOSE | re.IGNORECASE``).
    cst.BitOr: lambda a, b: _bitwise(a, b) and a | b,
    cst.BitOrAssign: lambda a, b: _bitwise(a, b) and a | b,
    cst.BitAnd: lambda a, b: _bitwise(a, b) and a & b,
    cst.BitAndAssign: lambda a, b: _bitwise(a, b) and a & b,
    cst.BitXor: lambda a, b: _bitwise(a, b) and a ^ b,
    cst.BitXorAssign: lambda a, b: _bitwise(a, b) and a ^ b,
}


def _bitwise(a: Any, b: Any) -> bool:
    if type(a) in (int, bool) and type(b) in (int, bool):
        return True
    raise TypeError("bitwise operators are computed on ints and bools only")


def binary(operator: cst.CSTNode, left: Any, right: Any) -> Any:
    kind = type(operator)  # exact types: libcst's node classes are ABCs, isinstance is slow
    fn = _OPERATORS.get(kind)
    if fn is None:
        return UNKNOWN
    if (kind is cst.Multiply or kind is cst.MultiplyAssign) and not _fits_repeat(left, right):
        return UNKNOWN
    if (kind is cst.Power or kind is cst.PowerAssign) and not _fits_power(left, right):
        return UNKNOWN
    modulo = kind is cst.Modulo or kind is cst.ModuloAssign
    if modulo and isinstance(left, str) and not _small_widths(left):
        return UNKNOWN
    try:
        return _sized(fn(left, right))
    except _REJECTED:
        return UNKNOWN


def format_text(template: str, args: list, kwargs: dict) -> Any:
    """``template.format(*args, **kwargs)``: a str, ``STR`` when its text cannot be computed."""
    if not (all(plain(a) for a in args) and all(plain(v) for v in kwargs.values())):
        return STR
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return STR
    if not all(_small_widths(spec or "") for _, _, spec, _ in fields):
        return STR
    try:
        text = _sized(template.format(*args, **kwargs))
    except _REJECTED:
        return STR
    return STR if text is UNKNOWN else text


def format_value(value: Any, spec: str) -> Any:
    """``format(value, spec)``, as an f-string field does."""
    if not _small_widths(spec):
        return UNKNOWN
    try:
        return _sized(format(value, spec))
    except _REJECTED:
        return UNKNOWN


_CASE_METHODS = frozenset({"lower", "upper", "strip", "rstrip", "lstrip", "replace", "title"})


# Methods that read a str and give a bool, an int or its own pieces (no longer than it): code
# picks variables by name with them (`v.name.startswith("d_")`, `v.name.split(":")[0]`).
_QUERY_METHODS = frozenset({
    "startswith", "endswith", "split", "rsplit", "partition", "rpartition", "find", "rfind",
    "count", "isdigit", "isalpha", "isalnum", "islower", "isupper", "splitlines", "index",
    "rindex",
})


def _query_argument(value: Any) -> bool:
    return value is None or isinstance(value, (str, int)) or (
        isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    )


def string_method(text: str, name: str, args: list, kwargs: dict | None = None) -> Any:
    """The str methods names are built with: join, replace, case and strip. Each gives a str:
    ``STR`` when its text cannot be computed; the methods that only read it (``startswith``,
    ``split``, ...) give their result on known arguments; any other method gives ``UNKNOWN``."""
    if name in _QUERY_METHODS:
        if kwargs or not all(_query_argument(a) for a in args):
            return UNKNOWN
        try:
            return getattr(text, name)(*args)
        except _REJECTED:
            return UNKNOWN
    if name == "join":
        parts = args[0] if len(args) == 1 else None
        if not isinstance(parts, (list, tuple)) or not all(isinstance(p, str) for p in parts):
            return STR
        if sum(map(len, parts)) + len(text) * max(len(parts) - 1, 0) > MAX_LENGTH:
            return STR
        return text.join(parts)
    if name == "encode":
        return TENSOR  # bytes (not followed), whose methods run no code of the program
    if name not in _CASE_METHODS:
        return UNKNOWN
    if not all(isinstance(a, str) for a in args):
        return STR
    if name == "replace" and len(args) >= 2:
        old, new = args[0], args[1]
        grows = (len(text) + 1) * len(new) if len(new) > len(old) else 0
        if len(text) + grows > MAX_LENGTH:
            return STR
    try:
        return getattr(text, name)(*args)
    except _REJECTED:
        return STR


def unknown_string_method(name: str) -> Any:
    """``name`` called on a str whose text is unknown (``STR``): a str again for the methods names
    are built with, else ``UNKNOWN``; str's methods never run other code."""
    if name == "encode":
        return TENSOR  # bytes, as for a known str
    return STR if name in ("join", "format") or name in _CASE_METHODS else UNKNOWN
