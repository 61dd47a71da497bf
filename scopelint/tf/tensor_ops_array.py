"""Ops that move elements around: reshape, transpose, concat, stack/unstack, split, squeeze,
expand_dims, tile, pad, gather, slice and ``x[...]``, where, reverse, boolean_mask.

Each computes the static shape TF's shape function gives (``tensorflow/core/ops/array_ops.cc``):
a dimension is known where TF knows it. Integer vectors made from shapes keep their folded
values through concat, stack and slicing, so that ``tf.reshape(x, tf.concat([tf.shape(x)[:-1],
[h, d]], 0))`` is as known as TF makes it.
"""

from __future__ import annotations

import math
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.numbers import IntTable
from ..interp.values import STAR, TENSOR, Tensor, as_int
from .scopes import dtype_of
from .tensors import (
    MAX_PIECES, as_tensor, axis_of, broadcast, constant_vector, element_value, first_input,
    int_value, merge_dims, moved_arg, registered, shape_from, tensor, vector, vector_value,
)
from .variables import VarRef


def _not_name(value: Any) -> bool:
    return not isinstance(value, str)


def _ints(values: Any) -> list | None:
    """A list of literal ints (lists, tuples, or a folded int vector), else None."""
    if isinstance(values, Tensor):
        known = constant_vector(values)
        return list(known) if known is not None else None
    if isinstance(values, (list, tuple)):
        out = [int_value(v) for v in values]
        return None if None in out else out
    return None


def _partial_ints(values: Any, length: int) -> list | None:
    """``length`` ints or None (unknown elements) from a list or a folded vector, else None."""
    if isinstance(values, Tensor):
        known = vector_value(values)
        if known is not None and len(known) == length:
            return list(known)
        return [None] * length if values.shape == (length,) else None
    if isinstance(values, (list, tuple)) and len(values) == length:
        return [int_value(v) for v in values]
    return None


@registered(["reshape"])
def reshape(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """TF's ``SetOutputShapeForReshape``: the one unknown output dim is inferred only from a fully
    known input."""
    get = ArgReader(args, kwargs)
    value, wanted = as_tensor(get(0, "tensor")), get(1, "shape")
    out = shape_from(wanted)
    if out is None:
        return tensor(None, value.dtype)
    if value.shape is not None and None not in value.shape:
        unknown = [i for i, d in enumerate(out) if d is None]
        rest = math.prod(d for d in out if d is not None)
        total = math.prod(value.shape)
        if len(unknown) == 1 and rest > 0 and total % rest == 0:
            out = out[:unknown[0]] + (total // rest,) + out[unknown[0] + 1:]
    return tensor(out, value.dtype)


@registered(["transpose"])
def transpose(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, perm = as_tensor(get(0, "a")), get(1, "perm")
    if value.shape is None:
        return tensor(None, value.dtype)
    if perm is None:
        return tensor(tuple(reversed(value.shape)), value.dtype)
    order = _ints(perm)
    rank = len(value.shape)
    if order is None or sorted(order) != list(range(rank)):
        return tensor((None,) * rank if _partial_ints(perm, rank) is not None else None, value.dtype)
    return tensor(tuple(value.shape[i] for i in order), value.dtype)


@registered(["concat"])
def concat(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    values, axis = get(0, "values"), get(1, "axis")
    if not isinstance(values, (list, tuple)) or not values:
        return TENSOR
    parts = [as_tensor(v) for v in values]
    dtype = _dtype(values, parts)
    ranks = {len(p.shape) for p in parts if p.shape is not None}
    if len(ranks) != 1:
        return tensor(None, dtype)
    rank = ranks.pop()
    at = axis_of(axis, rank)
    if at is None:
        return tensor((None,) * rank, dtype)
    shapes = [p.shape if p.shape is not None else (None,) * rank for p in parts]
    out = []
    for i in range(rank):
        column = [s[i] for s in shapes]
        if i == at:
            out.append(None if None in column else sum(column))
        else:
            merged = column[0]
            for d in column[1:]:
                merged = merge_dims(merged, d)
            out.append(merged)
    folded = None
    if rank == 1 and dtype in ("int32", "int64"):
        pieces = [_partial_ints(v, s[0]) if s[0] is not None else None for v, s in zip(values, shapes)]
        if all(p is not None for p in pieces):
            constant = all(_ints(v) is not None for v in values)
            folded = vector((d for p in pieces for d in p), constant)
    return tensor(tuple(out), dtype, folded)


@registered(["stack"])
def stack(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    values, axis = get(0, "values"), get(1, "axis", 0)
    if not isinstance(values, (list, tuple)) or not values:
        return TENSOR
    return _stacked(values, axis)


def _dtype(values: list | tuple, parts: list) -> str | None:
    """The dtype of tensors joined: the tensors' (Python numbers take theirs)."""
    typed = [p.dtype for v, p in zip(values, parts) if isinstance(v, (Tensor, VarRef)) and p.dtype]
    return typed[0] if typed else next((p.dtype for p in parts if p.dtype is not None), None)


def _stacked(values: list | tuple, axis: Any) -> Any:
    """TF's Pack: the inputs' shapes merged, a new axis of their count."""
    parts = [as_tensor(v) for v in values]
    dtype = _dtype(values, parts)
    known = [p.shape for p in parts if p.shape is not None]
    if not known or len({len(s) for s in known}) != 1:
        return tensor(None, dtype)
    merged = known[0]
    for shape in known[1:]:
        merged = tuple(merge_dims(a, b) for a, b in zip(merged, shape))
    at = axis_of(axis, len(merged) + 1)
    if at is None:
        return tensor(None, dtype)
    folded = None
    if merged == () and at == 0 and dtype in ("int32", "int64"):
        folded = vector((int_value(v) for v in values), True)
    return tensor(merged[:at] + (len(parts),) + merged[at:], dtype, folded)


@registered(["unstack", "unpack"])
def unstack(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A list of tensors when the count is known (``num=`` or the axis length): loops unroll."""
    get = ArgReader(args, kwargs)
    value, num, axis = as_tensor(get(0, "value")), get(1, "num"), get(2, "axis", 0)
    if value.shape is None:
        count = as_int(num)
        return [TENSOR] * count if count is not None and 0 < count <= MAX_PIECES else TENSOR
    at = axis_of(axis, len(value.shape))
    if at is None:
        return TENSOR
    count = value.shape[at] if value.shape[at] is not None else as_int(num)
    if count is None or not 0 < count <= MAX_PIECES:
        return TENSOR
    rest = value.shape[:at] + value.shape[at + 1:]
    if at == 0 and rest == () and vector_value(value) is not None:
        return [tensor(rest, value.dtype, element_value(value, i)) for i in range(int(count))]
    return [tensor(rest, value.dtype)] * int(count)


@registered(["split"])
def split(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A list of tensors for a literal count or a list of sizes: loops over it unroll."""
    get = ArgReader(args, kwargs)
    value, pieces, axis = as_tensor(get(0, "value")), get(1, "num_or_size_splits"), get(2, "axis", 0)
    at = axis_of(axis, len(value.shape)) if value.shape is not None else None
    length = value.shape[at] if at is not None else None
    if as_int(pieces) is not None:
        sizes: list = [None] * pieces if 0 < pieces <= MAX_PIECES else []
        if length is not None and sizes and length % pieces == 0:
            sizes = [length // pieces] * pieces
    elif isinstance(pieces, (list, tuple)) and all(as_int(p) is not None for p in pieces):
        # TF converts a list of sizes to a tensor before the op's own name scope: an op "Const".
        sim.impure()
        sim.world.graph.unique_name("Const", sim.path)
        sizes = [int(p) for p in pieces] if 0 < len(pieces) <= MAX_PIECES else []
        if sizes.count(-1) == 1 and length is not None:
            rest = length - sum(p for p in sizes if p != -1)
            sizes = [rest if p == -1 else p for p in sizes] if rest >= 0 else [None] * len(sizes)
        sizes = [None if p is not None and p < 0 else p for p in sizes]
    else:
        if not (pieces is TENSOR or isinstance(pieces, (Tensor, VarRef))):
            # A list (of ints: an op "Const"; holding tensors: "packed"), or a value that may be.
            sim.impure()
            for name in ("Const", "packed"):
                sim.world.graph.unique_name(name, sim.path, maybe=True)
        return TENSOR
    if not sizes:
        return TENSOR
    if at is None:
        return [tensor(None, value.dtype) for _ in sizes]
    return [tensor(value.shape[:at] + (size,) + value.shape[at + 1:], value.dtype) for size in sizes]


@registered(["squeeze"])
def squeeze(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input")), get(1, "axis")
    if axis is None:
        axis = kwargs.get("squeeze_dims")
    if value.shape is None:
        return tensor(None, value.dtype)
    if axis is None or axis == []:
        if None in value.shape:
            return tensor(None, value.dtype)
        return tensor(tuple(d for d in value.shape if d != 1), value.dtype)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    picked = {axis_of(a, len(value.shape)) for a in axes}
    if None in picked:
        return tensor(None, value.dtype)
    return tensor(tuple(d for i, d in enumerate(value.shape) if i not in picked), value.dtype)


@registered(["expand_dims"])
def expand_dims(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input")), get(1, "axis")
    if axis is None:
        axis = kwargs.get("dim")
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]  # a one-element list is an axis too (BERT's `axis=[-1]`)
    if value.shape is None:
        return tensor(None, value.dtype)
    at = axis_of(axis, len(value.shape) + 1)
    if at is None:
        return tensor(None, value.dtype)
    folded = (value.value,) if value.shape == () and isinstance(value.value, int) else None
    return tensor(value.shape[:at] + (1,) + value.shape[at:], value.dtype, folded)


def _times(a: Any, b: Any) -> Any:
    """TF's ``InferenceContext::Multiply`` of two dimensions."""
    if a == 0 or b == 1:
        return a
    if b == 0 or a == 1:
        return b
    return None if a is None or b is None else a * b


@registered(["tile"])
def tile(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "input"))
    if value.shape is None:
        return tensor(None, value.dtype)
    multiples = _partial_ints(get(1, "multiples"), len(value.shape))
    if multiples is None:
        return tensor((None,) * len(value.shape), value.dtype)
    return tensor(tuple(_times(d, m) for d, m in zip(value.shape, multiples)), value.dtype)


@registered(["pad"])
def pad(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Each dimension grows by its paddings (any mode: CONSTANT, REFLECT, SYMMETRIC)."""
    get = ArgReader(args, kwargs)
    value, paddings = as_tensor(get(0, "tensor")), get(1, "paddings")
    if value.shape is None:
        return tensor(None, value.dtype)
    rank = len(value.shape)
    if isinstance(paddings, Tensor) and isinstance(paddings.value, IntTable):
        paddings = paddings.value.elements
    if not isinstance(paddings, (list, tuple)) or len(paddings) != rank:
        return tensor((None,) * rank if as_tensor(paddings).shape == (rank, 2) else None, value.dtype)
    out = []
    for size, pair in zip(value.shape, paddings):
        amounts = _partial_ints(pair, 2)
        if amounts is None:
            return tensor(None, value.dtype)
        known = size is not None and None not in amounts
        out.append(size + amounts[0] + amounts[1] if known else None)
    return tensor(tuple(out), value.dtype)


@registered(["gather"])
def gather(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    params, indices = as_tensor(get(0, "params")), as_tensor(get(1, "indices"))
    axis = moved_arg(args, kwargs, "axis", (3, 4), _not_name, 0)
    batch_dims = int_value(moved_arg(args, kwargs, "batch_dims", (4, 5), _not_name, 0))
    if params.shape is None or indices.shape is None or batch_dims is None:
        return tensor(None, params.dtype)
    at = axis_of(0 if axis is None else axis, len(params.shape))
    if at is None or not 0 <= batch_dims <= min(at, len(indices.shape)):
        return tensor(None, params.dtype)
    return tensor(params.shape[:at] + indices.shape[batch_dims:] + params.shape[at + 1:], params.dtype)


@registered(["gather_nd"])
def gather_nd(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    params, indices = as_tensor(get(0, "params")), as_tensor(get(1, "indices"))
    batch_dims = moved_arg(args, kwargs, "batch_dims", (2, 3), _not_name, 0)
    if params.shape is None or not indices.shape or indices.shape[-1] is None or int_value(batch_dims) != 0:
        return tensor(None, params.dtype)
    depth = indices.shape[-1]
    if depth > len(params.shape):
        return tensor(None, params.dtype)
    return tensor(indices.shape[:-1] + params.shape[depth:], params.dtype)


@registered(["slice"])
def slice_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "input_"))
    if value.shape is None:
        return tensor(None, value.dtype)
    rank = len(value.shape)
    begin, size = _partial_ints(get(1, "begin"), rank), _partial_ints(get(2, "size"), rank)
    if size is None:
        return tensor(None, value.dtype)
    if None in size or begin is None:
        # Sizes TF cannot fold: each known one is the dim, -1 is unknown.
        return tensor(tuple(s if s is not None and s >= 0 else None for s in size), value.dtype)
    out = []
    for dim, start, length in zip(value.shape, begin, size):
        if length != -1:
            out.append(length if length >= 0 else None)
        else:
            out.append(dim - start if dim is not None and start is not None and 0 <= start <= dim else None)
    return tensor(tuple(out), value.dtype)


def subscript(value: Tensor, key: Any) -> Any:
    """``value[key]`` (TF's strided slice): an int removes its dimension, a slice with literal
    bounds keeps a known one known, ``None`` (``tf.newaxis``) adds one, ``...`` spans the rest;
    a slice of a dimension TF does not know stays unknown."""
    elements = list(key) if isinstance(key, tuple) else [key]
    if value.shape is None or STAR in elements or elements.count(Ellipsis) > 1:
        return tensor(None, value.dtype)
    consumed = sum(1 for e in elements if e is not None and e is not Ellipsis)
    if consumed > len(value.shape):
        return tensor(None, value.dtype)
    if Ellipsis not in elements:
        elements.append(Ellipsis)  # unmentioned trailing dims are kept whole
    out: list = []
    known = vector_value(value) if len(value.shape) == 1 else None
    values: list | None = list(known) if known is not None else None
    constant = constant_vector(value) is not None
    folded: Any = None
    position = 0
    for element in elements:
        if element is Ellipsis:
            span = len(value.shape) - consumed
            out.extend(value.shape[position:position + span])
            position += span
            continue
        if element is None:
            out.append(1)
            values = None
            continue
        dim = value.shape[position]
        position += 1
        if isinstance(element, slice):
            bounds = [element.start, element.stop, element.step]
            if any(b is not None and int_value(b) is None for b in bounds) or int_value(element.step) == 0:
                out.append(None)  # bounds TF cannot fold
                values = None
                continue
            cut = slice(*(int_value(b) if b is not None else None for b in bounds))
            out.append(len(range(dim)[cut]) if dim is not None else None)
            if values is not None:
                values = values[cut]
            continue
        index = int_value(element)
        if index is None and not (isinstance(element, Tensor) and element.shape in ((), None)):
            return tensor(None, value.dtype)
        if index is not None and dim is not None and not -dim <= index < dim:
            return tensor(None, value.dtype)  # TF raises
        if values is not None and index is not None:
            folded = element_value(value, index)
        values = None
    if values is not None and len(out) == 1:
        folded = vector(values, constant)
    return tensor(tuple(out), value.dtype, folded)


@registered(["where", "where_v2"])
def where(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The coordinates of the true elements, or a choice between ``x`` and ``y``: broadcast, as
    TF 2's ``where`` (which ``tf.where`` may be) does and TF 1's agrees with where it runs."""
    get = ArgReader(args, kwargs)
    cond, x, y = as_tensor(get(0, "condition")), get(1, "x"), get(2, "y")
    if x is None and y is None:
        return tensor((None, len(cond.shape)) if cond.shape is not None else (None, None), "int64")
    a, b = as_tensor(x), as_tensor(y)
    dtype = a.dtype if isinstance(x, (Tensor, VarRef)) or b.dtype is None else b.dtype
    return tensor(broadcast(broadcast(cond.shape, a.shape), b.shape), dtype)


@registered(["reverse", "reverse_v2", "reverse_sequence", "image.flip_left_right", "image.random_flip_left_right"])
def same_shape(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    given = as_tensor(first_input(args, kwargs))
    return tensor(given.shape, given.dtype)


@registered(["boolean_mask"])
def boolean_mask(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, mask = as_tensor(get(0, "tensor")), as_tensor(get(1, "mask"))
    axis = moved_arg(args, kwargs, "axis", (2, 3), _not_name)
    if value.shape is None or mask.shape is None:
        return tensor(None, value.dtype)
    at = 0 if axis is None else axis_of(axis, len(value.shape))
    if at is None or at + len(mask.shape) > len(value.shape):
        return tensor(None, value.dtype)
    return tensor(value.shape[:at] + (None,) + value.shape[at + len(mask.shape):], value.dtype)


@registered(["Print", "ensure_shape", "debugging.assert_shapes"])
def passed_through(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The input itself (``Print`` logs it); ``ensure_shape`` adds the dims it asserts."""
    get = ArgReader(args, kwargs)
    given = as_tensor(get(0, "input_" if api_name == "Print" else "x"))
    if api_name != "ensure_shape":
        return tensor(given.shape, given.dtype)
    wanted = shape_from(get(1, "shape"))
    if given.shape is None or wanted is None:
        return tensor(wanted if given.shape is None else given.shape, given.dtype)
    if len(given.shape) != len(wanted):
        return tensor(None, given.dtype)  # TF raises
    return tensor(tuple(merge_dims(a, b) for a, b in zip(given.shape, wanted)), given.dtype)


@registered(["assign", "assign_add", "assign_sub"])
def assign(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    ref = as_tensor(ArgReader(args, kwargs)(0, "ref"))
    return tensor(ref.shape, ref.dtype)


@registered(["broadcast_to", "scatter_nd"])
def to_shape(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A tensor of the shape it is given, of its values' dtype."""
    get = ArgReader(args, kwargs)
    if api_name == "broadcast_to":
        return tensor(shape_from(get(1, "shape")), as_tensor(get(0, "input")).dtype)
    return tensor(shape_from(get(2, "shape")), as_tensor(get(1, "updates")).dtype)


@registered(["eye", "linalg.eye"])
def eye(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    rows, columns, batch = get(0, "num_rows"), get(1, "num_columns"), get(2, "batch_shape")
    wanted = get(3, "dtype")
    dtype = dtype_of(wanted) if wanted is not None else "float32"
    leading = () if batch is None else shape_from(batch)
    if leading is None:
        return tensor(None, dtype)
    return tensor(leading + (int_value(rows), int_value(rows if columns is None else columns)), dtype)


@registered(["depth_to_space", "space_to_depth", "nn.depth_to_space", "nn.space_to_depth"])
def depth_to_space(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, block = as_tensor(get(0, "input")), int_value(get(1, "block_size"))
    data_format = get(3, "data_format")
    if value.shape is None or len(value.shape) != 4 or block is None or block < 2 or data_format not in (None, "NHWC"):
        return tensor(None if value.shape is None or len(value.shape) != 4 else (None,) * 4, value.dtype)
    batch, height, width, channels = value.shape
    if api_name.endswith("depth_to_space"):
        spatial = [None if d is None else d * block for d in (height, width)]
        depth = channels // (block * block) if channels is not None and channels % (block * block) == 0 else None
    else:
        spatial = [d // block if d is not None and d % block == 0 else None for d in (height, width)]
        depth = channels * block * block if channels is not None else None
    return tensor((batch, *spatial, depth), value.dtype)


@registered(["nn.crelu"])
def crelu(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``concat([relu(x), relu(-x)], axis)``: that axis doubles."""
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "features"))
    at = axis_of(get(2, "axis", -1), len(value.shape)) if value.shape is not None else None
    if at is None:
        return tensor(None, value.dtype)
    size = value.shape[at]
    return tensor(value.shape[:at] + (None if size is None else 2 * size,) + value.shape[at + 1:], value.dtype)
