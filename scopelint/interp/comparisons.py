"""Python's comparisons (``==``, ``is``, ``in``, orderings) on the interpreter's values: an
answer where Python's is certain, else ``UNKNOWN``. Part of the expression semantics."""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from . import arrays, sets
from .containers import known_key
from .signatures import equal_to_empty
from .values import (
    AUTO, EMPTY, STR, TENSOR, UNKNOWN, Array, Builtin, Class, DType, Function, Instance, ModuleRef,
    Tensor, TFRef,
    opaque_import, plain,
    spoilt,
)

ORDERINGS = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)

_COMPARISONS: dict[type, Callable[[Any, Any], bool]] = {
    cst.Equal: lambda a, b: a == b,
    cst.NotEqual: lambda a, b: a != b,
    cst.LessThan: lambda a, b: a < b,
    cst.LessThanEqual: lambda a, b: a <= b,
    cst.GreaterThan: lambda a, b: a > b,
    cst.GreaterThanEqual: lambda a, b: a >= b,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
}


_EQUAL = cst.Equal()
# Names of known modules that are (or were, in the versions model code ran under) Python's own
# classes: numpy's aliases before 1.24, builtins and six.moves.
_BUILTIN_NAMES = frozenset(f"{module}.{name}" for module in ("numpy", "np") for name in (
    "float", "int", "bool", "object", "str", "complex", "long", "unicode"))


def _other_than_builtin(left: Any, right: Any) -> bool:
    """One side is one of Python's classes, the other a function or class of a known module
    that is none of them (`type(x) == np.array`); or one side a class of TF's, the other one of
    Python's or of a known module."""
    for a, b in ((left, right), (right, left)):
        if type(a) is Builtin and type(b) is ModuleRef:
            root = b.path.split(".")[0]
            return root not in ("builtins", "six", "__builtin__") and b.path not in _BUILTIN_NAMES
        if type(a) is TFRef and type(b) in (Builtin, ModuleRef):
            return True  # a class of TF's is none of Python's or another module's
    return False


# Values Python compares itself, by exact type: most comparisons a program makes.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _definition(value: Any) -> bool:
    """A function or a class of the program: the same object wherever it is read (a method
    read off an object is bound anew at each read, as in Python)."""
    return type(value) is Function or type(value) is Class


def compare(operator: cst.CSTNode, left: Any, right: Any) -> Any:
    kind = type(operator)
    fast = _COMPARISONS.get(kind)
    if fast is not None and type(left) in _SCALARS:
        right_kind = type(right)
        if right_kind in _SCALARS or (
            (kind is cst.In or kind is cst.NotIn) and (right_kind is list or right_kind is tuple)
            and not spoilt(right) and all(type(item) in _SCALARS for item in right)
        ):
            try:
                return fast(left, right)
            except TypeError:
                return UNKNOWN
    if type(left) is Array or type(right) is Array:
        return arrays.compare(operator, left, right)  # element-wise, as numpy compares
    if (kind is cst.Equal or kind is cst.NotEqual) and (left is None) != (right is None):
        # `state == None` on a dict, list, number, tensor or plain object: never equal.
        other = right if left is None else left
        if isinstance(other, (dict, list, tuple, str, int, float, Tensor)) or other is STR or (
            isinstance(other, Instance) and other.cls.lookup("__eq__") is None
        ):
            return kind is cst.NotEqual
    if (left is EMPTY or right is EMPTY) and kind in (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot):
        same = equal_to_empty(right if left is EMPTY else left)
        if same is UNKNOWN:
            return UNKNOWN
        return same if kind in (cst.Equal, cst.Is) else not same
    if kind is cst.Is or kind is cst.IsNot:
        if left is None or right is None or isinstance(left, bool) or isinstance(right, bool):
            if (left is UNKNOWN or right is UNKNOWN) or (left is TENSOR or right is TENSOR):
                return UNKNOWN
            if opaque_import(left) or opaque_import(right):
                return UNKNOWN  # `from config import X`: X may be None
            same = left is right
            return same if kind is cst.Is else not same
        if left is AUTO or right is AUTO:
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            same = left is right
            return same if kind is cst.Is else not same
        if _definition(left) and _definition(right):
            # `if block_fn is bottleneck_block:`
            same = left is right
            return same if kind is cst.Is else not same
        return UNKNOWN
    if type(right) in sets.SETS and (kind is cst.In or kind is cst.NotIn or type(left) in sets.SETS):
        return sets.compare(operator, left, right)
    if (kind is cst.In or kind is cst.NotIn) and type(right) is dict:
        if spoilt(right):
            # A key set since the dict was spoilt is in it; of any other key nothing is known.
            return (kind is cst.In) if known_key(left) and left in right else UNKNOWN
        # A known key, or any key in an empty dict (a registry of decorated functions keyed by
        # a name the analysis cannot compute, still empty): Python answers exactly.
        if known_key(left) or not right:
            return (left in right) == (kind is cst.In) if known_key(left) else kind is cst.NotIn
        return UNKNOWN
    if (kind is cst.Equal or kind is cst.NotEqual) and type(left) is DType and type(right) is DType:
        return (left == right) == (kind is cst.Equal)  # `x.dtype.base_dtype == y.dtype.base_dtype`
    if (kind is cst.Equal or kind is cst.NotEqual) and type(left) is Builtin and type(right) is Builtin:
        # Python's own classes, as type(value) gives them: `type_ == bool` in an HParams parser.
        return (left.name == right.name) == (kind is cst.Equal)
    if (kind is cst.Equal or kind is cst.NotEqual) and _other_than_builtin(left, right):
        return kind is cst.NotEqual
    if (kind is cst.In or kind is cst.NotIn) and type(right) in (list, tuple) and not spoilt(right):
        # `type(x) in [tuple, list]`: Python compares with each item in turn
        answers = [compare(_EQUAL, left, item) for item in right]
        if True in answers:
            return kind is cst.In
        if all(a is False for a in answers):
            return kind is cst.NotIn
        return UNKNOWN
    if not (plain(left) and plain(right)):
        if (kind is cst.Equal or kind is cst.NotEqual) and known_key(left) and known_key(right):
            # Values of the model that are the same object exactly when equal (a variable by
            # its name, a graph): `v in tf.trainable_variables()` compares each.
            return (left == right) == (kind is cst.Equal)
        return UNKNOWN
    fn = _COMPARISONS.get(kind)
    if fn is None:
        return UNKNOWN
    try:
        return fn(left, right)
    except TypeError:
        return UNKNOWN

