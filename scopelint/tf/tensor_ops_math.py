"""Ops that compute: element-wise functions, casts, broadcasting arithmetic (functions and Python
operators), matmul, einsum, tensordot, reductions, argmax, moments, top_k.

Each computes the static shape and dtype TF's shape function gives. Integer scalars made from
shapes keep their folded value through ``+``, ``-``, ``*`` and ``//``, as TF folds them.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STR, DType, Tensor
from .ops import unnamed, unnamed_names
from .registry import operator
from .scopes import dtype_of
from .tensors import (
    as_tensor, axis_of, broadcast, deps_of, first_input, int_value, merge_dims, moved_arg,
    constant_vector, registered, tensor, vector, vector_value, with_deps,
)
from .variables import VarRef

_ELEMENTWISE = [
    "nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.leaky_relu", "nn.sigmoid", "sigmoid",
    "tanh", "nn.tanh", "nn.softmax", "nn.log_softmax", "nn.dropout", "abs", "square", "sqrt",
    "rsqrt", "exp", "log", "log1p", "expm1", "negative", "sign", "round", "floor", "ceil",
    "reciprocal", "nn.softplus", "nn.softsign", "nn.swish", "nn.silu", "nn.gelu", "erf", "sin",
    "cos", "nn.l2_normalize", "clip_by_value", "nn.bias_add", "nn.lrn",
    "nn.local_response_normalization", "cumsum", "cumprod", "math.cumsum", "math.abs",
    "math.square", "math.sqrt", "math.rsqrt", "math.exp", "math.log", "math.log1p", "math.tanh",
    "math.sigmoid", "math.softplus", "math.erf", "math.reciprocal", "math.negative", "math.sign",
    "math.log_sigmoid", "log_sigmoid", "math.l2_normalize", "logical_not", "math.logical_not",
    "nn.log_sigmoid", "math.softmax", "math.log_softmax", "math.ceil", "math.floor", "math.cos",
    "math.sin", "math.round", "math.expm1", "check_numerics", "debugging.check_numerics",
    "matrix_band_part", "linalg.band_part", "roll", "sort", "math.cumprod",
]
_TO_BOOL = ["is_nan", "is_inf", "is_finite", "math.is_nan", "math.is_inf", "math.is_finite"]


@registered(_ELEMENTWISE + _TO_BOOL)
def elementwise(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    given = as_tensor(first_input(args, kwargs))
    return tensor(given.shape, "bool" if api_name in _TO_BOOL else given.dtype)


@registered(["cast", "to_float", "to_int32", "to_int64", "to_double", "dtypes.cast", "saturate_cast"])
def cast(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    given = as_tensor(get(0, "x"))
    target = {"to_float": "float32", "to_int32": "int32", "to_int64": "int64", "to_double": "float64"}
    dtype = target.get(api_name) or dtype_of(get(1, "dtype"))
    folded = None
    if dtype in ("int32", "int64") and given.dtype in ("int32", "int64"):
        # A cast shape's elements stay known, as a vector; they no longer fold one by one.
        elements = vector_value(given)
        if isinstance(given.value, int):
            folded = given.value
        elif elements is not None:
            folded = vector(elements, constant_vector(given) is not None)
    return tensor(given.shape, dtype, folded)


_ARITHMETIC = [
    "add", "subtract", "multiply", "divide", "truediv", "div", "realdiv", "floordiv", "floor_div",
    "mod", "floormod", "maximum", "minimum", "pow", "squared_difference", "math.add",
    "math.subtract", "math.multiply", "math.divide", "math.truediv", "math.floordiv",
    "math.maximum", "math.minimum", "math.pow", "math.squared_difference", "math.floormod",
    "math.divide_no_nan", "div_no_nan", "math.mod",
]
_COMPARISONS = [
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
    "logical_or", "logical_xor", "math.equal", "math.not_equal", "math.less", "math.less_equal",
    "math.greater", "math.greater_equal", "math.logical_and", "math.logical_or",
]
# What folds as TF folds it: integer scalars from shapes.
_FOLD = {
    "add": lambda a, b: a + b, "subtract": lambda a, b: a - b, "multiply": lambda a, b: a * b,
    "floordiv": lambda a, b: a // b if b else None,
}
_TRUE_DIVISION = {"divide", "truediv", "math.divide", "math.truediv"}


@registered(_ARITHMETIC + _COMPARISONS)
def binary(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    kind = api_name.removeprefix("math.")
    if kind == "floor_div":
        kind = "floordiv"
    if api_name in _TRUE_DIVISION:
        kind = "truediv"
    return _arithmetic(kind, get(0, "x"), get(1, "y"), api_name in _COMPARISONS)


def _arithmetic(kind: str, left: Any, right: Any, to_bool: bool = False) -> Any:
    """``left <kind> right`` broadcast; the dtype is the tensor operand's (Python numbers take it)."""
    a, b = as_tensor(left), as_tensor(right)
    if isinstance(left, (Tensor, VarRef)) and isinstance(right, (Tensor, VarRef)):
        dtype = a.dtype or b.dtype  # TF requires the two to be the same
    else:
        dtype = a.dtype if isinstance(left, (Tensor, VarRef)) or b.dtype is None else b.dtype
    if to_bool:
        dtype = "bool"
    elif kind == "truediv" and dtype in ("int32", "int64"):
        dtype = "float64"
    folded = None
    fold = _FOLD.get(kind)
    if fold is not None and a.shape == () and b.shape == () and dtype in ("int32", "int64"):
        x, y = int_value(a), int_value(b)
        folded = fold(x, y) if x is not None and y is not None else None
    return tensor(broadcast(a.shape, b.shape), dtype, folded)


_OPERATORS = {
    cst.Add: "add", cst.Subtract: "subtract", cst.Multiply: "multiply", cst.Divide: "truediv",
    cst.FloorDivide: "floordiv", cst.Modulo: "mod", cst.Power: "pow",
    cst.AddAssign: "add", cst.SubtractAssign: "subtract", cst.MultiplyAssign: "multiply",
    cst.DivideAssign: "truediv", cst.FloorDivideAssign: "floordiv", cst.ModuloAssign: "mod",
    cst.PowerAssign: "pow", cst.BitAnd: "and", cst.BitOr: "or", cst.BitXor: "xor",
    cst.BitAndAssign: "and", cst.BitOrAssign: "or", cst.BitXorAssign: "xor",
}
_ORDERINGS = {cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual}
# The names the op of an operator on tensors may take (TF's operator wrappers name it after what it
# computes: `x + y` is `add`, `x < y` is `Less`, `x & y` is `LogicalAnd`, `-x` is `Neg`), lowercase.
_OPERATOR_NAMES = {
    kind: unnamed_names(kind)
    for kind in ("add", "subtract", "multiply", "truediv", "floordiv", "mod", "pow", "matmul",
                 "negative")
}
_OPERATOR_NAMES["compare"] = frozenset(("less", "lessequal", "greater", "greaterequal"))
for _kind in ("and", "or", "xor"):
    _OPERATOR_NAMES[_kind] = frozenset(prefix + _kind for prefix in ("", "logical", "bitwise"))


@operator(Tensor, VarRef, pure=True)
def _operator(sim: Any, op: cst.CSTNode, left: Any, right: Any) -> Any:
    if isinstance(left, str) or isinstance(right, str):
        return STR  # `"%s" % x` formats a str
    if isinstance(op, (cst.MatrixMultiply, cst.MatrixMultiplyAssign)):
        kind = "matmul"
        result = _matmul(as_tensor(left), as_tensor(right), False, False)
    elif type(op) is cst.Minus:  # `-x`: computed as `0 - x`, its op is a Neg
        kind = "negative"
        result = _arithmetic("subtract", left, right)
    elif type(op) in _ORDERINGS:
        kind = "compare"
        result = _arithmetic(kind, left, right, to_bool=True)
    else:
        kind = _OPERATORS.get(type(op))
        if kind is None:  # (its op's name is not recorded: a shift)
            return with_deps(tensor(None, None), deps_of(left, right))
        result = _arithmetic(kind, left, right)
    unnamed(sim, _OPERATOR_NAMES[kind])
    return with_deps(result, deps_of(left, right))


def _matmul(a: Tensor, b: Tensor, transpose_a: Any, transpose_b: Any) -> Any:
    """TF's (batch) matmul: the batch dims broadcast, then rows of ``a`` by columns of ``b``."""
    dtype = a.dtype or b.dtype
    if a.shape is None or b.shape is None or len(a.shape) < 2 or len(b.shape) < 2:
        return tensor(None, dtype)
    if transpose_a not in (True, False) or transpose_b not in (True, False):
        return tensor(None, dtype)
    rows = a.shape[-1] if transpose_a else a.shape[-2]
    cols = b.shape[-2] if transpose_b else b.shape[-1]
    if len(a.shape) == 2 and len(b.shape) == 2:
        return tensor((rows, cols), dtype)
    batch = broadcast(a.shape[:-2], b.shape[:-2])
    return tensor(batch + (rows, cols) if batch is not None else None, dtype)


@registered(["matmul", "linalg.matmul", "batch_matmul", "nn.xw_plus_b"])
def matmul(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if api_name == "nn.xw_plus_b":
        return _matmul(as_tensor(get(0, "x")), as_tensor(get(1, "weights")), False, False)
    a, b = as_tensor(get(0, "a")), as_tensor(get(1, "b"))
    if api_name == "batch_matmul":
        return _matmul(a, b, get(2, "adj_x", False), get(3, "adj_y", False))
    flip_a = get(2, "transpose_a", False) or get(4, "adjoint_a", False)
    flip_b = get(3, "transpose_b", False) or get(5, "adjoint_b", False)
    return _matmul(a, b, flip_a, flip_b)


@registered(["einsum", "linalg.einsum"])
def einsum(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    equation = args[0] if args else kwargs.get("equation")
    operands = [as_tensor(v) for v in args[1:]]
    dtype = operands[0].dtype if operands else None
    if not isinstance(equation, str) or not operands:
        return tensor(None, dtype)
    return tensor(_einsum_shape(equation, [o.shape for o in operands]), dtype)


def _einsum_shape(equation: str, shapes: list) -> tuple | None:
    """The output shape of an einsum ``equation`` over operands of ``shapes``; None if unknown."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes) or any(s is None for s in shapes):
        return None
    labels: dict[str, Any] = {}
    ellipsis: tuple | None = ()
    for term, shape in zip(terms, shapes):
        letters = term.replace("...", "")
        if not letters.isalpha() or term.count("...") > 1:
            return None
        spread = len(shape) - len(letters)
        if spread < 0 or (spread and "..." not in term):
            return None
        if "..." in term:
            head = term.index("...")
            ellipsis = broadcast(ellipsis, shape[head:head + spread])
            shape = shape[:head] + shape[head + spread:]
        for letter, dim in zip(letters, shape):
            labels[letter] = merge_dims(labels[letter], dim) if letter in labels else dim
    if not arrow:
        counts = inputs.replace("...", "").replace(",", "")
        once = sorted(c for c in set(counts) if counts.count(c) == 1)
        output = ("..." if "..." in inputs else "") + "".join(once)
    if ellipsis is None or output.count("...") > 1 or not set(output.replace("...", "")) <= set(labels):
        return None
    head, dots, tail = output.partition("...")
    return tuple(labels[c] for c in head) + (ellipsis if dots else ()) + tuple(labels[c] for c in tail)


@registered(["tensordot", "linalg.tensordot"])
def tensordot(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    a, b, axes = as_tensor(get(0, "a")), as_tensor(get(1, "b")), get(2, "axes")
    dtype = a.dtype or b.dtype
    if a.shape is None or b.shape is None:
        return tensor(None, dtype)
    count = int_value(axes)
    if count is not None:
        if not 0 <= count <= min(len(a.shape), len(b.shape)):
            return tensor(None, dtype)
        a_axes = list(range(len(a.shape) - count, len(a.shape)))
        b_axes = list(range(count))
    elif isinstance(axes, (list, tuple)) and len(axes) == 2:
        pair = [p if isinstance(p, (list, tuple)) else [p] for p in axes]
        a_axes = [axis_of(i, len(a.shape)) for i in pair[0]]
        b_axes = [axis_of(i, len(b.shape)) for i in pair[1]]
        if None in a_axes or None in b_axes or len(a_axes) != len(b_axes):
            return tensor(None, dtype)
    else:
        return tensor(None, dtype)
    free_a = tuple(d for i, d in enumerate(a.shape) if i not in a_axes)
    free_b = tuple(d for i, d in enumerate(b.shape) if i not in b_axes)
    return tensor(free_a + free_b, dtype)


_REDUCTIONS = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
    "reduce_all", "reduce_logsumexp", "reduce_euclidean_norm", "count_nonzero",
    "math.reduce_sum", "math.reduce_mean", "math.reduce_max", "math.reduce_min",
    "math.reduce_prod", "math.reduce_any", "math.reduce_all", "math.reduce_logsumexp",
    "math.reduce_std", "math.reduce_variance", "math.reduce_euclidean_norm",
    "math.count_nonzero",
]


def _reduced(shape: tuple | None, axis: Any, keep: Any) -> tuple | None:
    """``shape`` reduced over ``axis`` (None: all), keeping the reduced dims as 1 when ``keep``."""
    if keep not in (True, False) or shape is None:
        return None
    rank = len(shape)
    if axis is None:
        picked = set(range(rank))
    else:
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        picked = {axis_of(a, rank) for a in axes}
        if None in picked:
            return (None,) * rank if keep else None
    if keep:
        return tuple(1 if i in picked else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in picked)


# Reductions that compute their axes outside any name scope of their own when none is given.
_AXES_OUTSIDE = frozenset(
    f"{prefix}reduce_{what}" for prefix in ("", "math.")
    for what in ("sum", "mean", "max", "min", "prod", "any", "all", "euclidean_norm")
)


def _default_axes(sim: Any, value: Any) -> None:
    """TF's ``_ReductionDims`` with no axis: an op "Const" holding ``range(rank)`` when the
    rank is 1 or more, else ops "Rank" and "range", in the caller's name scope."""
    graph = sim.world.graph
    sim.impure()
    if value.shape is None:
        for name in ("Const", "Rank", "range"):
            graph.unique_name(name, sim.path, maybe=True)
    elif value.shape:
        graph.unique_name("Const", sim.path)
    else:
        graph.unique_name("Rank", sim.path)
        graph.unique_name("range", sim.path)


@registered(_REDUCTIONS)
def reduction(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input_tensor")), get(1, "axis")
    if axis is None:
        axis = kwargs.get("reduction_indices")
    if axis is None and api_name in _AXES_OUTSIDE and not get.unknown:
        _default_axes(sim, value)
    keep = get(2, "keepdims", None)
    if keep is None:
        keep = kwargs.get("keep_dims", False) or False
    dtype = value.dtype
    if api_name.endswith(("reduce_any", "reduce_all")):
        dtype = "bool"
    elif api_name.endswith("count_nonzero"):
        wanted = kwargs.get("dtype")
        dtype = dtype_of(wanted) if wanted is not None else "int64"
    return tensor(_reduced(value.shape, axis, keep), dtype)


@registered(["argmax", "argmin", "math.argmax", "math.argmin"])
def argmax(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input")), get(1, "axis")
    if axis is None:
        axis = kwargs.get("dimension", 0)
    wanted = moved_arg(args, kwargs, "output_type", (2, 4), lambda v: isinstance(v, DType))
    dtype = dtype_of(wanted) if wanted is not None else "int64"
    if axis is None:
        axis = 0
    return tensor(_reduced(value.shape, axis, False) if int_value(axis) is not None else None, dtype)


@registered(["nn.moments"])
def moments(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axes = as_tensor(get(0, "x")), get(1, "axes")
    keep = kwargs.get("keepdims", kwargs.get("keep_dims"))
    if keep is None:
        keep = moved_arg(args, kwargs, "keepdims", (3, 4), lambda v: isinstance(v, bool), False)
    if not isinstance(axes, (list, tuple)):
        return (tensor(None, value.dtype), tensor(None, value.dtype))
    out = tensor(_reduced(value.shape, axes, keep is True) if keep in (True, False) else None, value.dtype)
    return (out, out)


@registered(["nn.top_k", "math.top_k"])
def top_k(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, k = as_tensor(get(0, "input")), int_value(get(1, "k", 1))
    shape = value.shape[:-1] + (k,) if value.shape else None
    return (tensor(shape, value.dtype), tensor(shape, "int32"))


@registered(["nn.batch_normalization"])
def batch_normalization(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``x`` normalised with statistics, offset and scale that broadcast against it."""
    get = ArgReader(args, kwargs)
    value = as_tensor(get(0, "x"))
    shape = value.shape
    for index, name in enumerate(("mean", "variance", "offset", "scale"), start=1):
        other = get(index, name)
        if other is not None:
            shape = broadcast(shape, as_tensor(other).shape)
    return tensor(shape, value.dtype)


@registered(["argsort"])
def argsort(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return tensor(as_tensor(first_input(args, kwargs)).shape, "int32")


@registered(["norm", "linalg.norm"])
def norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A vector norm over one axis or all, a matrix norm over two."""
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "tensor")), get(2, "axis")
    keep = get(3, "keepdims", None)
    if keep is None:
        keep = kwargs.get("keep_dims", False) or False
    return tensor(_reduced(value.shape, axis, keep), value.dtype)


@registered(["linalg.global_norm"])
def global_norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    tensors = ArgReader(args, kwargs)(0, "t_list")
    first = as_tensor(tensors[0]) if isinstance(tensors, (list, tuple)) and tensors else Tensor()
    return tensor((), first.dtype)


@registered(["multinomial", "random.categorical"])
def categorical(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    logits, samples = as_tensor(get(0, "logits")), int_value(get(1, "num_samples"))
    wanted = kwargs.get("output_dtype", kwargs.get("dtype"))
    dtype = dtype_of(wanted) if wanted is not None else "int64"
    batch = logits.shape[0] if logits.shape is not None and len(logits.shape) == 2 else None
    return tensor((batch, samples) if logits.shape is None or len(logits.shape) == 2 else None, dtype)


@registered(["unsorted_segment_sum", "unsorted_segment_max", "unsorted_segment_min",
             "unsorted_segment_mean", "math.unsorted_segment_sum", "math.unsorted_segment_max",
             "math.unsorted_segment_mean"])
def unsorted_segment(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    data, ids = as_tensor(get(0, "data")), as_tensor(get(1, "segment_ids"))
    if data.shape is None or ids.shape is None or len(ids.shape) > len(data.shape):
        return tensor(None, data.dtype)
    return tensor((int_value(get(2, "num_segments")),) + data.shape[len(ids.shape):], data.dtype)


@registered(["nn.in_top_k", "math.in_top_k"])
def in_top_k(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """One bool per example; TF 1 and TF 2 order ``predictions`` and ``targets`` differently."""
    given = [as_tensor(v) for v in (*args[:2], kwargs.get("predictions"), kwargs.get("targets"))
             if v is not None]
    rows = [t.shape[0] for t in given if t.shape is not None and len(t.shape) in (1, 2)]
    batch = rows[0] if rows else None
    for row in rows[1:]:
        batch = merge_dims(batch, row)
    return tensor((batch,), "bool")
