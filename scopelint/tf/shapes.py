"""Reading tensors in code: ``x.shape``, ``x.get_shape()``, ``[i]``, ``.value``, ``.as_list()``,
``.ndims``, ``.dims``, ``x.dtype.base_dtype``, and ``x[...]`` (a strided slice), on tensors and on
variables (``tensors.py`` computes them). An unknown shape reads as an unknown tensor, never as a
claim.
"""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin, Dim, DType, Shape, Tensor, as_int
from .ops import unnamed
from .registry import api, attribute, call, method
from .tensor_ops_array import reshape, subscript
from .tensors import (
    ShapeDims, as_tensor, constant_vector, deps_of, dims, merge_dims, shape_from, with_deps,
)
from .variables import VarRef, variable_attribute


def _static_shape(value: Tensor) -> Any:
    return TENSOR if value.shape is None else dims(value.shape)


_SLICE_NAMES = frozenset(("strided_slice",))  # `x[...]`'s op, lowercase
# A variable's methods that give its value (``v.read_value()``, ``v.assign_add(g)``).
_VARIABLE_READS = frozenset({"read_value", "value", "initialized_value", "assign", "assign_add",
                             "assign_sub"})


def _tensor_attribute(sim: Any, value: Any, attr: str, node: cst.CSTNode) -> Any:
    known = as_tensor(value)
    if attr == "shape":
        return _static_shape(known)
    if attr == "dtype":
        return DType(known.dtype) if known.dtype is not None else TENSOR
    if attr in ("get_shape", "set_shape") or (isinstance(value, VarRef) and attr in _VARIABLE_READS):
        return BoundBuiltin(value, attr)
    if attr == "T" and isinstance(value, Tensor) and value.shape is not None:
        # A numpy array's transpose (a TF tensor has no `T`).
        return Tensor(tuple(reversed(value.shape)), value.dtype, value.deps)
    if attr == "reshape" and isinstance(value, Tensor):
        return BoundBuiltin(value, attr)
    if isinstance(value, VarRef) and attr == "name" and value.actual is not None:
        return value.actual + ":0"
    if isinstance(value, VarRef):
        found = variable_attribute(sim, value, attr)
        if found is not None:
            return found
    return TENSOR


attribute(Tensor, VarRef, pure=True)(_tensor_attribute)


@method(Tensor, VarRef, pure=True)
def tensor_method(sim: Any, value: Any, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    known = as_tensor(value)
    if name == "get_shape":
        return _static_shape(known)
    if name == "__getitem__" and len(args) == 1:
        unnamed(sim, _SLICE_NAMES)  # TF's strided slice opens a name scope of that name
        return with_deps(subscript(known, args[0]), deps_of(value))
    if name == "reshape" and isinstance(value, Tensor) and not kwargs and args:
        # A numpy array's reshape(shape) or reshape(*dims) (a TF tensor has no such method).
        wanted = args[0] if len(args) == 1 else list(args)
        return with_deps(reshape(sim, "reshape", [value, wanted], {}, node), value.deps)
    if name in _VARIABLE_READS and isinstance(value, VarRef):
        return Tensor(known.shape, known.dtype, known.deps)
    if name == "set_shape" and len(args) == 1 and isinstance(value, Tensor):
        # TF merges the shape into the tensor's own (raising where they differ).
        wanted = shape_from(args[0])
        if wanted is not None and (known.shape is None or len(known.shape) == len(wanted)):
            merged = wanted if known.shape is None else tuple(map(merge_dims, known.shape, wanted))
            sim.replace_receiver(node, Tensor(merged, known.dtype, known.deps, known.value))
        return None
    return TENSOR


@call(Tensor, pure=True)
def call_tensor(sim: Any, value: Tensor, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return TENSOR


@attribute(Shape, pure=True)
def shape_attribute(sim: Any, shape: Shape, attr: str, node: cst.CSTNode) -> Any:
    if attr in ("ndims", "rank"):
        return len(shape)
    if attr == "dims":
        # TF's Dimension objects: an unknown one is not None (`.value` is), so it reads as unknown.
        return [UNKNOWN if d is None else d for d in shape]
    return BoundBuiltin(shape, attr)


@method(Shape, pure=True)
def shape_method(sim: Any, shape: Shape, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if name == "as_list":
        return [None if d is None else int(d) for d in shape]
    if name == "num_elements":
        return math.prod(shape) if all(d is not None for d in shape) else None
    if name == "is_fully_defined":
        return all(d is not None for d in shape)
    if name == "__getitem__":
        return UNKNOWN  # an index the analysis does not know
    if name.startswith("assert_"):
        return None  # TF raises where the shape fails the check; nothing else happens
    other = _as_shape(args[0]) if len(args) == 1 and not kwargs else None
    if name == "is_compatible_with" and other is not None:
        return len(shape) == len(other) and all(a is None or b is None or a == b for a, b in zip(shape, other))
    if name == "merge_with" and other is not None and len(shape) == len(other):
        merged = [b if a is None else a for a, b in zip(shape, other)]
        if all(a is None or b is None or a == b for a, b in zip(shape, other)):
            return dims(merged)
    if name == "concatenate" and other is not None:
        return dims(tuple(shape) + other)
    if name in ("with_rank", "with_rank_at_least") and len(args) == 1 and as_int(args[0]) is not None:
        fits = len(shape) == args[0] if name == "with_rank" else len(shape) >= args[0]
        return shape if fits else UNKNOWN  # TF raises otherwise
    return UNKNOWN if name in ("is_compatible_with", "merge_with", "concatenate") else TENSOR


def _as_shape(value: Any) -> tuple | None:
    """A shape given to a TensorShape method: a shape, or a list of dims (None: unknown)."""
    if isinstance(value, Shape):
        return tuple(None if d is None else int(d) for d in value)
    if isinstance(value, (list, tuple)) and all(d is None or (as_int(d) is not None and d >= 0) for d in value):
        return tuple(None if d is None else int(d) for d in value)
    return None


@api("get_static_value", "framework.tensor_util.constant_value", "contrib.util.constant_value", pure=True)
def static_value(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A tensor's value where TF computes it when building the graph: a folded int, a constant
    int vector (a list), None for ``tf.shape(x)`` of a partly known ``x``; else unknown."""
    given = args[0] if len(args) == 1 and not kwargs else kwargs.get("tensor", UNKNOWN)
    if not isinstance(given, Tensor):
        return UNKNOWN
    if isinstance(given.value, ShapeDims):
        return None
    if isinstance(given.value, int):
        return given.value
    known = constant_vector(given)
    return list(known) if known is not None else UNKNOWN


@attribute(DType, pure=True)
def dtype_attribute(sim: Any, dtype: DType, attr: str, node: cst.CSTNode) -> Any:
    if attr in ("base_dtype", "real_dtype"):
        return dtype
    if attr == "name":
        return dtype.name
    return TENSOR


@api("TensorShape", pure=True)
def tensor_shape(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``tf.TensorShape(dims)`` as a static shape (a list of dims, or one int: a vector's)."""
    given = args[0] if len(args) == 1 and not kwargs else UNKNOWN
    if as_int(given) is not None and given >= 0:
        return dims((int(given),))
    if isinstance(given, (list, tuple)) and all(d is None or (as_int(d) is not None and d >= 0) for d in given):
        return dims(given)
    # Of unknown rank (None) or from unknown dims: a shape object still, whose methods
    # (merge_with, assert_has_rank) create nothing.
    return TENSOR


@api("dimension_value", pure=True)
def dimension_value(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A dimension's value: an int, or None for an unknown one."""
    given = args[0] if len(args) == 1 and not kwargs else UNKNOWN
    if given is None or as_int(given) is not None:
        return given if given is None else int(given)
    return UNKNOWN


@attribute(Dim, pure=True)
def dim_attribute(sim: Any, dim: Dim, attr: str, node: cst.CSTNode) -> Any:
    return int(dim) if attr == "value" else UNKNOWN
