"""Tensors with static shapes: where they come from, how ops change them, how code reads them.

Sources: ``placeholder``, ``constant``/``zeros``/``ones``/``fill``/random ops with literal shapes,
variables (their predicted shape), ``one_hot``, ``embedding_lookup``. Ops: matmul, broadcasting
arithmetic, concat, stack/unstack, split, reshape, transpose, squeeze/expand_dims, reductions,
element-wise functions, ``nn.conv2d``. Reading: ``x.get_shape()``, ``x.shape``, ``[i]``,
``.value``, ``.as_list()``, ``int(...)``; ``tf.shape(x)`` is dynamic and stays unknown. Whatever
is not followed is a tensor of unknown shape: it never leads to a finding. Layers and cells
compute their own output shapes (``layers.py``, ``rnn.py``).
"""

from __future__ import annotations

import math
from typing import Any, Iterable

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, Dim, DType, Shape, Tensor, as_int
from .ops import make_op
from .registry import api_with, operator
from .scopes import dtype_of
from .variables import VarRef, shape_arg

MAX_PIECES = 64  # split/unstack into more pieces than this: unknown (the interpreter unrolls 64)


# -- reading values as tensors and shapes --------------------------------------------------------


def as_tensor(value: Any) -> Tensor:
    """What is known of ``value`` as a tensor (a Python number or nested list is a constant)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, VarRef):
        deps = frozenset({value.actual}) if value.actual is not None else None
        return Tensor(value.shape, value.dtype, deps)
    if isinstance(value, bool):
        return Tensor((), "bool", frozenset())
    if isinstance(value, int):
        return Tensor((), "int32", frozenset())
    if isinstance(value, float):
        return Tensor((), "float32", frozenset())
    if isinstance(value, (list, tuple)) and not isinstance(value, Shape):
        shape = _literal_shape(value)
        return Tensor(shape, None, frozenset() if shape is not None else None)
    return Tensor()


def deps_of(*values: Any) -> frozenset | None:
    """The variables a computation on ``values`` depends on: the union of theirs (lists and
    tuples of them too), None as soon as one is unknown. Strings, None and dtypes are not data."""
    out: set = set()
    for value in values:
        if value is None or isinstance(value, (str, DType, Shape)):
            continue
        if isinstance(value, (list, tuple)) and not isinstance(value, Shape):
            inner = deps_of(*value)
            if inner is None:
                return None
            out |= inner
            continue
        known = as_tensor(value).deps
        if known is None:
            return None
        out |= known
    return frozenset(out)


def with_deps(result: Any, deps: frozenset | None) -> Any:
    """``result`` (a tensor, or a list or tuple of them) made from inputs with ``deps``."""
    if deps is None:
        return result
    if isinstance(result, list):
        return [with_deps(item, deps) for item in result]
    if isinstance(result, tuple):
        return tuple(with_deps(item, deps) for item in result)
    if isinstance(result, Tensor):
        return Tensor(result.shape, result.dtype, deps)
    if result is TENSOR:
        return Tensor(None, None, deps)
    return result


def _literal_shape(value: Any) -> tuple | None:
    """The shape of a nested list of numbers, or None when it is not rectangular and known."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    if isinstance(value, (list, tuple)) and value:
        inner = [_literal_shape(v) for v in value]
        if any(s is None for s in inner) or len(set(inner)) != 1:
            return None
        return (len(value),) + inner[0]
    if isinstance(value, (list, tuple)):
        return (0,)
    return None


def dims(shape: Iterable[Any]) -> Shape:
    return Shape(None if d is None else Dim(d) for d in shape)


def _axis(axis: Any, rank: int) -> int | None:
    if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
        return None
    return axis % rank


def broadcast(a: tuple | None, b: tuple | None) -> tuple | None:
    """NumPy broadcasting of two static shapes; None where it cannot be known."""
    if a is None or b is None:
        return None
    out = []
    for x, y in zip((1,) * (len(b) - len(a)) + a, (1,) * (len(a) - len(b)) + b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None or x == y:
            out.append(x)
        else:
            return None  # TF raises; no claim here
    return tuple(out)


def tensor(shape: tuple | None, dtype: str | None) -> Any:
    """A tensor value; one of which nothing is known is ``TENSOR``."""
    if shape is None and dtype is None:
        return TENSOR
    return Tensor(shape, dtype)


# -- sources ------------------------------------------------------------------------------------


def registered(names: Iterable[str]):
    """Register ``fn(sim, api_name, args, kwargs, node)`` for these API names: what building any
    op does (``ops.make_op``) happens first, and its result depends on the variables its inputs
    do; ``fn`` computes the result's shape and dtype."""

    def register(fn):
        def op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
            make_op(sim, api_name, args, kwargs, node)  # its op name, the functions it calls
            result = fn(sim, api_name, args, kwargs, node)
            return with_deps(result, deps_of(*args, *(v for k, v in kwargs.items() if k != "name")))

        for name in names:
            api_with(name, name, pure=True)(op)
        return fn

    return register


@registered(["placeholder", "placeholder_with_default"])
def placeholder(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if api_name == "placeholder":
        return tensor(shape_arg(get(1, "shape")), dtype_of(get(0, "dtype")))
    given = as_tensor(get(0, "input"))
    return tensor(shape_arg(get(1, "shape")), given.dtype)


@registered([
    "zeros", "ones", "random_normal", "random_uniform", "truncated_normal",
    "random.normal", "random.uniform", "random.truncated_normal",
])
def filled(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    dtype = dtype_of(get(1 if api_name in ("zeros", "ones") else 3, "dtype", "float32"))
    return tensor(shape_arg(get(0, "shape")), dtype)


@registered(["zeros_like", "ones_like", "identity", "stop_gradient"])
def like(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    given = as_tensor(_first(args, kwargs))
    return tensor(given.shape, given.dtype)


def _first(args: list, kwargs: dict) -> Any:
    """An op's input: its first argument, by position or by one of its usual keywords."""
    if args:
        return args[0]
    for key in ("x", "features", "logits", "input", "tensor", "t", "value", "input_tensor"):
        if key in kwargs:
            return kwargs[key]
    return TENSOR


@registered(["fill"])
def fill(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return tensor(shape_arg(get(0, "dims")), as_tensor(get(1, "value")).dtype)


@registered(["constant"])
def constant(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, dtype, shape = get(0, "value"), get(1, "dtype"), get(2, "shape")
    given = shape_arg(shape) if shape is not None else _literal_shape(value)
    if dtype is not None:
        kind = dtype_of(dtype)
    elif isinstance(value, float) or (isinstance(value, list) and _has_float(value)):
        kind = "float32"
    elif as_int(value) is not None:
        kind = "int32"
    else:
        kind = None
    return tensor(given, kind)


def _has_float(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


@registered(["one_hot"])
def one_hot(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    indices, depth = as_tensor(get(0, "indices")), get(1, "depth")
    if indices.shape is None or not isinstance(depth, int) or get(-1, "axis") not in (None, -1):
        return tensor(None, dtype_of(get(-1, "dtype", "float32")))
    return tensor(indices.shape + (int(depth),), dtype_of(get(-1, "dtype", "float32")))


@registered(["nn.embedding_lookup"])
def embedding_lookup(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    params, ids = as_tensor(get(0, "params")), as_tensor(get(1, "ids"))
    if params.shape is None or ids.shape is None or not params.shape:
        return tensor(None, params.dtype)
    return tensor(ids.shape + params.shape[1:], params.dtype)


# -- ops ----------------------------------------------------------------------------------------

_ELEMENTWISE = [
    "nn.relu", "nn.relu6", "nn.elu", "nn.selu", "nn.leaky_relu", "nn.sigmoid", "sigmoid", "tanh",
    "nn.tanh", "nn.softmax", "nn.log_softmax", "nn.dropout", "abs", "square", "sqrt", "rsqrt",
    "exp", "log", "negative", "sign", "round", "floor", "ceil", "nn.softplus", "nn.softsign",
    "erf", "sin", "cos", "nn.l2_normalize", "clip_by_value", "nn.bias_add", "math.abs",
    "math.square", "math.sqrt", "math.exp", "math.log", "math.tanh", "math.sigmoid",
]


@registered(_ELEMENTWISE)
def elementwise(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    given = as_tensor(_first(args, kwargs))
    return tensor(given.shape, given.dtype)


@registered(["cast", "to_float", "to_int32", "to_int64", "to_double"])
def cast(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    given = as_tensor(get(0, "x"))
    target = {"to_float": "float32", "to_int32": "int32", "to_int64": "int64", "to_double": "float64"}
    dtype = target.get(api_name) or dtype_of(get(1, "dtype"))
    return tensor(given.shape, dtype)


_BINARY = [
    "add", "subtract", "multiply", "divide", "truediv", "maximum", "minimum", "pow",
    "squared_difference", "math.add", "math.subtract", "math.multiply", "math.divide",
    "math.maximum", "math.minimum", "math.squared_difference",
]


@registered(_BINARY)
def binary(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return _broadcast_values(get(0, "x"), get(1, "y"))


def _broadcast_values(left: Any, right: Any) -> Any:
    a, b = as_tensor(left), as_tensor(right)
    dtype = a.dtype if isinstance(left, (Tensor, VarRef)) else b.dtype
    return tensor(broadcast(a.shape, b.shape), dtype)


@operator(Tensor, VarRef, pure=True)
def _operator(sim: Any, op: cst.CSTNode, left: Any, right: Any) -> Any:
    if isinstance(op, (cst.MatrixMultiply, cst.MatrixMultiplyAssign)):
        result = _matmul(as_tensor(left), as_tensor(right), False, False)
    else:
        result = _broadcast_values(left, right)
    return with_deps(result, deps_of(left, right))


def _matmul(a: Tensor, b: Tensor, transpose_a: Any, transpose_b: Any) -> Any:
    dtype = a.dtype or b.dtype
    if a.shape is None or b.shape is None or len(a.shape) != 2 or len(b.shape) != 2:
        return tensor(None, dtype)
    if transpose_a not in (True, False) or transpose_b not in (True, False):
        return tensor(None, dtype)
    rows = a.shape[1] if transpose_a else a.shape[0]
    cols = b.shape[0] if transpose_b else b.shape[1]
    return tensor((rows, cols), dtype)


@registered(["matmul", "linalg.matmul"])
def matmul(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return _matmul(as_tensor(get(0, "a")), as_tensor(get(1, "b")),
                   get(2, "transpose_a", False), get(3, "transpose_b", False))


@registered(["concat"])
def concat(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    values, axis = get(0, "values"), get(1, "axis")
    if not isinstance(values, (list, tuple)) or not values:
        return TENSOR
    parts = [as_tensor(v) for v in values]
    dtype = next((p.dtype for p in parts if p.dtype is not None), None)
    shapes = [p.shape for p in parts]
    if any(s is None for s in shapes) or len({len(s) for s in shapes}) != 1:
        return tensor(None, dtype)
    rank = len(shapes[0])
    at = _axis(axis, rank)
    if at is None:
        return tensor(None, dtype)
    out = []
    for i in range(rank):
        column = [s[i] for s in shapes]
        if i == at:
            out.append(None if None in column else sum(column))
        else:
            known = {d for d in column if d is not None}
            out.append(known.pop() if len(known) == 1 else None)
    return tensor(tuple(out), dtype)


@registered(["stack"])
def stack(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    values, axis = get(0, "values"), get(1, "axis", 0)
    if not isinstance(values, (list, tuple)) or not values:
        return TENSOR
    parts = [as_tensor(v) for v in values]
    first = parts[0]
    if first.shape is None or any(p.shape != first.shape for p in parts):
        return tensor(None, first.dtype)
    at = _axis(axis, len(first.shape) + 1)
    if at is None:
        return tensor(None, first.dtype)
    return tensor(first.shape[:at] + (len(parts),) + first.shape[at:], first.dtype)


@registered(["unstack", "unpack"])
def unstack(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A list of tensors when the count is known (``num=`` or the axis length): loops unroll."""
    get = ArgReader(args, kwargs)
    value, num, axis = as_tensor(get(0, "value")), get(1, "num"), get(2, "axis", 0)
    if value.shape is None:
        count = as_int(num)
        return [TENSOR] * count if count is not None and 0 < count <= MAX_PIECES else TENSOR
    at = _axis(axis, len(value.shape))
    if at is None:
        return TENSOR
    count = value.shape[at] if value.shape[at] is not None else num
    if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= MAX_PIECES:
        return TENSOR
    piece = tensor(value.shape[:at] + value.shape[at + 1:], value.dtype)
    return [piece] * int(count)


@registered(["split"])
def split(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A list of tensors for a literal count or a list of sizes: loops over it unroll."""
    get = ArgReader(args, kwargs)
    value, pieces, axis = as_tensor(get(0, "value")), get(1, "num_or_size_splits"), get(2, "axis", 0)
    if as_int(pieces) is not None:
        sizes: list = [None] * pieces if 0 < pieces <= MAX_PIECES else []
        if value.shape is not None and sizes:
            at = _axis(axis, len(value.shape))
            if at is not None and value.shape[at] is not None and value.shape[at] % pieces == 0:
                sizes = [value.shape[at] // pieces] * pieces
    elif isinstance(pieces, (list, tuple)) and all(isinstance(p, int) for p in pieces):
        # TF converts a list of sizes to a tensor before the op's own name scope: an op "Const".
        sim.impure()
        sim.world.graph.unique_name("Const", sim.path)
        sizes = list(pieces) if 0 < len(pieces) <= MAX_PIECES else []
        if -1 in sizes:
            sizes = [None if p == -1 else p for p in sizes]
    else:
        if not (pieces is TENSOR or isinstance(pieces, (Tensor, VarRef))):
            # A list (of ints: an op "Const"; holding tensors: "packed"), or a value that may be.
            sim.impure()
            for name in ("Const", "packed"):
                sim.world.graph.unique_name(name, sim.path, maybe=True)
        return TENSOR
    if not sizes:
        return TENSOR
    if value.shape is None:
        return [tensor(None, value.dtype) for _ in sizes]
    at = _axis(axis, len(value.shape))
    if at is None:
        return [tensor(None, value.dtype) for _ in sizes]
    return [
        tensor(value.shape[:at] + (size,) + value.shape[at + 1:], value.dtype) for size in sizes
    ]


@registered(["reshape"])
def reshape(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, shape = as_tensor(get(0, "tensor")), get(1, "shape")
    if not isinstance(shape, (list, tuple)) or not all(
        as_int(d) is not None for d in shape
    ) or list(shape).count(-1) > 1:
        return tensor(None, value.dtype)
    out = [int(d) for d in shape]
    if -1 in out:
        known = [d for d in out if d != -1]
        total = None
        if value.shape is not None and all(d is not None for d in value.shape):
            total = math.prod(value.shape)
        rest = math.prod(known) if known else 1
        out[out.index(-1)] = total // rest if total is not None and rest and total % rest == 0 else None
    return tensor(tuple(out), value.dtype)


@registered(["transpose"])
def transpose(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, perm = as_tensor(get(0, "a")), get(1, "perm")
    if value.shape is None:
        return tensor(None, value.dtype)
    if perm is None:
        return tensor(tuple(reversed(value.shape)), value.dtype)
    if isinstance(perm, (list, tuple)) and all(as_int(i) is not None for i in perm) and sorted(
        perm
    ) == list(range(len(value.shape))):
        return tensor(tuple(value.shape[i] for i in perm), value.dtype)
    return tensor(None, value.dtype)


@registered(["squeeze"])
def squeeze(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input")), get(1, "axis")
    if value.shape is None:
        return tensor(None, value.dtype)
    if axis is None:
        if None in value.shape:
            return tensor(None, value.dtype)
        return tensor(tuple(d for d in value.shape if d != 1), value.dtype)
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    picked = {_axis(a, len(value.shape)) for a in axes}
    if None in picked:
        return tensor(None, value.dtype)
    return tensor(tuple(d for i, d in enumerate(value.shape) if i not in picked), value.dtype)


@registered(["expand_dims"])
def expand_dims(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input")), get(1, "axis")
    if value.shape is None:
        return tensor(None, value.dtype)
    at = _axis(axis, len(value.shape) + 1)
    if at is None:
        return tensor(None, value.dtype)
    return tensor(value.shape[:at] + (1,) + value.shape[at:], value.dtype)


_REDUCTIONS = [
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
    "reduce_all", "reduce_logsumexp", "math.reduce_sum", "math.reduce_mean", "math.reduce_max",
]


@registered(_REDUCTIONS)
def reduction(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, axis = as_tensor(get(0, "input_tensor")), get(1, "axis")
    keep = get(2, "keepdims", None)
    if keep is None:
        keep = kwargs.get("keep_dims", False)
    if keep not in (True, False) or value.shape is None:
        return tensor(None, value.dtype)
    rank = len(value.shape)
    if axis is None:
        picked = set(range(rank))
    else:
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        picked = {_axis(a, rank) for a in axes}
        if None in picked:
            return tensor(None, value.dtype)
    if keep:
        return tensor(tuple(1 if i in picked else d for i, d in enumerate(value.shape)), value.dtype)
    return tensor(tuple(d for i, d in enumerate(value.shape) if i not in picked), value.dtype)


def conv_length(size: Any, kernel: Any, stride: Any, padding: Any, dilation: Any = 1) -> Any:
    """One spatial output size of a convolution or pooling, as TF computes it."""
    if not all(isinstance(v, int) for v in (size, kernel, stride, dilation)) or stride < 1:
        return None
    padding = padding.lower() if isinstance(padding, str) else None
    effective = (kernel - 1) * dilation + 1
    if padding == "same":
        return -(-size // stride)
    if padding == "valid":
        return max(-(-(size - effective + 1) // stride), 0)
    return None


@registered(["nn.conv2d"])
def nn_conv2d(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, kernel = as_tensor(get(0, "input")), as_tensor(get(1, "filter"))
    if "filters" in kwargs:
        kernel = as_tensor(kwargs["filters"])
    strides, padding = get(2, "strides"), get(3, "padding")
    if (
        value.shape is None or kernel.shape is None or len(value.shape) != 4
        or len(kernel.shape) != 4 or get(-1, "data_format", "NHWC") != "NHWC"
        or get(-1, "dilations", None) is not None
    ):
        return tensor(None, value.dtype)
    if isinstance(strides, int):
        strides = [1, strides, strides, 1]
    if not isinstance(strides, (list, tuple)) or len(strides) != 4:
        return tensor((value.shape[0], None, None, kernel.shape[3]), value.dtype)
    height = conv_length(value.shape[1], kernel.shape[0], strides[1], padding)
    width = conv_length(value.shape[2], kernel.shape[1], strides[2], padding)
    return tensor((value.shape[0], height, width, kernel.shape[3]), value.dtype)
