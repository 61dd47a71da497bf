"""Tensors with static shapes: what is known of a value as a tensor, and where tensors come from.

Sources: ``placeholder``, ``constant``/``zeros``/``ones``/``fill``/random ops, ``convert_to_tensor``,
variables (their predicted shape), ``one_hot``, ``embedding_lookup``, ``range``, ``sequence_mask``,
``tf.shape``/``size``/``rank``. The ops that change shapes are in ``tensor_ops_*.py``, reading shapes
in code in ``shapes.py``. A static shape is what TF's graph-mode shape inference knows: a dimension
is known only where TF knows it, and whatever is not followed is a tensor of unknown shape, which
never leads to a finding. Layers and cells compute their own output shapes (``layers.py``,
``rnn.py``).

TF folds the integers computed from static shapes (``tf.shape(x)[1]`` where that dimension is
known, their products) into the shapes of ``reshape``, ``zeros``, ``tile``...: a tensor carries
what is known of such a value (``Tensor.value``). A vector's elements are known one by one
(partially) only through the ops TF's shape inference reads that way: ``tf.shape`` itself
(``ShapeDims``: an element of it folds), its slices, ``stack`` and ``concat`` (whose elements do
not fold one by one: TF folds an element of those only when the whole vector is known), casts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

import libcst as cst

from ..interp.args import ArgReader
from ..interp.numbers import IntTable, int_table
from ..interp.values import TENSOR, Dim, DType, Instance, Shape, Tensor, as_int, record_fields
from .ops import make_op
from .registry import api, api_with, constant
from .scopes import dtype_of
from .variables import VarRef

MAX_PIECES = 64  # split/unstack into more pieces than this: unknown (the interpreter unrolls 64)
_INT32 = 2 ** 31

constant("newaxis", None)  # `x[:, tf.newaxis]` is `x[:, None]`


# -- reading values as tensors and shapes --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ShapeDims:
    """The value of ``tf.shape(x)`` itself, ``x``'s shape partly known: TF folds each known
    element on its own (``tf.shape(x)[1]``), but the vector is no constant."""

    dims: tuple


@dataclass(frozen=True, slots=True)
class PartialDims:
    """An int vector TF's shape inference reads element by element where it gives a shape (a
    slice of ``tf.shape(x)``, a stack or concat holding one), but no constant: none of its
    elements folds on its own, even a known one."""

    dims: tuple


def vector_value(value: Any) -> tuple | None:
    """What is known of an int vector's elements as a shape (None for one not known), or None."""
    known = value.value if isinstance(value, Tensor) else None
    if isinstance(known, (ShapeDims, PartialDims)):
        return known.dims
    return known if isinstance(known, tuple) else None


def constant_vector(value: Any) -> tuple | None:
    """An int vector TF folds to a constant: every element known, none through a partial shape."""
    known = value.value if isinstance(value, Tensor) else None
    return known if isinstance(known, tuple) and None not in known else None


def vector(dims: Iterable[Any], constant: bool) -> Any:
    """The value of an int vector with these elements: a constant (a tuple) when ``constant`` and
    all are known, else what shape inference reads of it."""
    dims = tuple(dims)
    return dims if constant and None not in dims else PartialDims(dims)


def element_value(value: Tensor, index: int) -> int | None:
    """Element ``index`` of an int vector, where TF folds it: any element of ``tf.shape(x)``,
    of any other vector only when the vector is a constant."""
    known = value.value
    elements = known.dims if isinstance(known, ShapeDims) else constant_vector(value)
    if elements is None or not -len(elements) <= index < len(elements):
        return None
    return elements[index]


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
        return Tensor((), "int32" if -_INT32 <= value < _INT32 else "int64", frozenset(), int(value))
    if isinstance(value, float):
        return Tensor((), "float32", frozenset())
    if isinstance(value, (list, tuple)) and not isinstance(value, Shape):
        return _packed(value)
    return Tensor()


def _packed(values: list | tuple) -> Tensor:
    """A list as TF converts it: nested numbers are a constant, tensors are stacked."""
    shape = _literal_shape(values)
    if shape is not None:
        dtype = "float32" if _has_float(values) else ("int32" if shape != (0,) else "float32")
        value = tuple(int(v) for v in values) if len(shape) == 1 and dtype == "int32" else None
        return Tensor(shape, dtype, frozenset(), value)
    if not values or any(isinstance(v, (list, tuple)) for v in values):
        return Tensor()
    parts = [as_tensor(v) for v in values]
    shapes = {p.shape for p in parts}
    # Python numbers take the tensors' dtype.
    dtypes = {p.dtype for v, p in zip(values, parts) if isinstance(v, (Tensor, VarRef))}
    if len(shapes) != 1 or None in shapes or len(dtypes) != 1 or None in dtypes:
        return Tensor()
    inner, dtype = shapes.pop(), dtypes.pop()
    value = None
    if inner == () and dtype in ("int32", "int64"):
        value = vector((int_value(p) for p in parts), True)
    return Tensor((len(parts),) + inner, dtype, deps_of(*values), value)


def deps_of(*values: Any) -> frozenset | None:
    """The variables a computation on ``values`` depends on: the union of theirs (lists,
    tuples and the program's namedtuples of them too), None as soon as one is unknown.
    Strings, None and dtypes are not data."""
    out: set = set()
    for value in values:
        if value is None or isinstance(value, (str, DType, Shape)):
            continue
        if isinstance(value, (list, tuple)):
            inner = deps_of(*value)
            if inner is None:
                return None
            out |= inner
            continue
        fields = record_fields(value) if type(value) is Instance else None
        if fields is not None:  # a namedtuple of the program's (Sonnet's LSTMState)
            inner = deps_of(*(value.attrs[f] for f in fields))
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
    """``result`` (a tensor, or a list, tuple or program namedtuple of them: an RNN state) made
    from inputs with ``deps``; None (unknown) forgets what ``result`` carried: a part of what it
    was made from is no answer."""
    fields = record_fields(result) if type(result) is Instance else None  # an op's: rare
    if fields is not None:
        return Instance(result.cls, {f: with_deps(result.attrs[f], deps) for f in fields})
    if isinstance(result, Shape) or (deps is None and not isinstance(result, (list, tuple, Tensor))):
        return result
    if isinstance(result, list):
        return [with_deps(item, deps) for item in result]
    if isinstance(result, tuple):  # an LSTMStateTuple stays one
        return type(result)(with_deps(item, deps) for item in result)
    if isinstance(result, Tensor):
        return result if result.deps == deps else Tensor(result.shape, result.dtype, deps, result.value)
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


def _has_float(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


def dims(shape: Iterable[Any]) -> Shape:
    return Shape(None if d is None else Dim(d) for d in shape)


def axis_of(axis: Any, rank: int) -> int | None:
    """A literal axis (negative counts from the end) as an index into ``rank`` dims."""
    axis = int_value(axis)
    if axis is None or not -rank <= axis < rank:
        return None
    return axis % rank


def int_value(value: Any) -> int | None:
    """The known value of an integer scalar: a Python int or a folded int tensor."""
    if isinstance(value, Tensor):
        return value.value if value.shape == () and isinstance(value.value, int) else None
    return as_int(value)


def merge_dims(a: Any, b: Any) -> Any:
    """Two dimensions TF requires equal, as one (None: unknown, or TF raises)."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    return None


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


def tensor(shape: tuple | None, dtype: str | None, value: Any = None) -> Any:
    """A tensor value; one of which nothing is known is ``TENSOR``."""
    if shape is None and dtype is None:
        return TENSOR
    if shape is not None:
        shape = tuple(None if d is None else int(d) for d in shape)
    return Tensor(shape, dtype, None, value)


def shape_from(value: Any) -> tuple | None:
    """A shape given as a value TF converts to a shape tensor (``[tf.shape(x)[0], 8]``,
    ``tf.shape(y)``, ``x.get_shape()``): an int or None per dimension, None when even the rank is
    unknown (TF's ``MakeShapeFromShapeTensor``: -1 and values it cannot fold are unknown)."""
    if isinstance(value, Shape):
        return tuple(None if d is None else int(d) for d in value)
    if isinstance(value, (list, tuple)):
        out = []
        for item in value:
            if isinstance(item, (list, tuple, str)) or (isinstance(item, Tensor) and item.shape not in (None, ())):
                return None  # TF raises
            known = int_value(item)
            out.append(known if known is not None and known >= 0 else None)
        return tuple(out)
    if isinstance(value, (Tensor, VarRef)):
        given = as_tensor(value)
        if given.shape is None or len(given.shape) != 1 or given.shape[0] is None:
            return None
        elements = vector_value(given)
        if elements is not None and len(elements) == given.shape[0]:
            return tuple(d if isinstance(d, int) and d >= 0 else None for d in elements)
        return (None,) * given.shape[0]
    return None


def moved_arg(args: list, kwargs: dict, name: str, positions: tuple, accept: Any, default: Any = None) -> Any:
    """An argument TF 1 and TF 2 put at different positions (``tf.gather``'s ``axis`` is 4th in
    one, 3rd in the other, where the first has ``name``): by keyword, else the first of
    ``positions`` holding a value ``accept`` takes, else ``default``."""
    if name in kwargs:
        return kwargs[name]
    for index in positions:
        if index < len(args) and accept(args[index]):
            return args[index]
    return default


def first_input(args: list, kwargs: dict) -> Any:
    """An op's input: its first argument, by position or by one of its usual keywords."""
    if args:
        return args[0]
    for key in ("x", "features", "logits", "input", "tensor", "t", "value", "input_tensor",
                "inputs", "images", "a"):
        if key in kwargs:
            return kwargs[key]
    return TENSOR


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


def _python_shape(value: Any) -> tuple | None:
    """A shape written for a placeholder or a variable: ``[None, 8]``, ``5``, dims read in code."""
    if as_int(value) is not None:
        return (int(value),) if value >= 0 else None
    if isinstance(value, (list, tuple)) and not all(d is None or int_value(d) is not None for d in value):
        return None
    return shape_from(value)


@registered(["placeholder", "placeholder_with_default"])
def placeholder(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if api_name == "placeholder":
        return tensor(_python_shape(get(1, "shape")), dtype_of(get(0, "dtype")))
    given = as_tensor(get(0, "input"))
    return tensor(_python_shape(get(1, "shape")), given.dtype)


@registered([
    "zeros", "ones", "random_normal", "random_uniform", "truncated_normal",
    "random.normal", "random.uniform", "random.truncated_normal",
])
def filled(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    dtype = dtype_of(get(1 if api_name in ("zeros", "ones") else 3, "dtype", "float32"))
    shape = get(0, "shape")
    return tensor(_python_shape(shape) if as_int(shape) is not None else shape_from(shape), dtype)


@registered(["zeros_like", "ones_like", "identity", "convert_to_tensor"])  # stop_gradient: gradients.py
def like(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    given = as_tensor(first_input(args, kwargs))
    dtype = given.dtype
    if api_name != "identity" and api_name != "stop_gradient":
        wanted = get(1, "dtype")
        if wanted is not None:
            dtype = dtype_of(wanted)
    if dtype != given.dtype or api_name not in ("identity", "stop_gradient", "convert_to_tensor"):
        return tensor(given.shape, dtype)
    if api_name == "convert_to_tensor" or isinstance(given.value, int):
        return tensor(given.shape, dtype, given.value)  # the same tensor, or a scalar TF folds
    return tensor(given.shape, dtype, constant_vector(given))


@registered(["fill"])
def fill(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return tensor(shape_from(get(0, "dims")), as_tensor(get(1, "value")).dtype)


@registered(["constant"])
def constant_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    value, dtype, shape = get(0, "value"), get(1, "dtype"), get(2, "shape")
    given = _python_shape(shape) if shape is not None else _literal_shape(value)
    if shape is None and isinstance(value, Tensor) and value.deps == frozenset():
        given = value.shape  # a numpy array's shape
    if dtype is not None:
        kind = dtype_of(dtype)
    elif isinstance(value, float) or (isinstance(value, list) and _has_float(value)):
        kind = "float32"
    elif as_int(value) is not None or (isinstance(value, list) and _literal_shape(value) is not None):
        kind = "int32"
    else:
        kind = None
    folded = as_tensor(value).value if shape is None and kind == "int32" else None
    if folded is None and shape is None and kind in ("int32", "int64") and given and len(given) > 1:
        table = int_table(value)[1]  # a padding table: its pairs, for tf.pad
        folded = IntTable(table) if table is not None else None
    return tensor(given, kind, folded)


@registered(["one_hot"])
def one_hot(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    indices, depth, axis = as_tensor(get(0, "indices")), int_value(get(1, "depth")), get(4, "axis")
    axis = -1 if axis is None else axis
    dtype = get(5, "dtype")
    if dtype is not None:
        kind = dtype_of(dtype)
    else:  # the type of on_value / off_value, else float32
        given = [as_tensor(v).dtype for v in (get(2, "on_value"), get(3, "off_value")) if v is not None]
        kind = given[0] if given else "float32"
    if indices.shape is None:
        return tensor(None, kind)
    rank = len(indices.shape) + 1
    at = axis_of(axis, rank) if int_value(axis) != -1 else rank - 1
    if at is None:
        return tensor(None, kind)
    return tensor(indices.shape[:at] + (depth,) + indices.shape[at:], kind)


@registered(["nn.embedding_lookup"])
def embedding_lookup(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    params, ids = get(0, "params"), as_tensor(get(1, "ids"))
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            return tensor(None, as_tensor(params[0]).dtype if params else None)
        params = params[0]
    table = as_tensor(params)
    if table.shape is None or ids.shape is None or not table.shape:
        return tensor(None, table.dtype)
    return tensor(ids.shape + table.shape[1:], table.dtype)


@registered(["shape", "size", "rank"])
def shape_of(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``tf.shape(x)``: an int vector whose elements TF folds where ``x``'s dims are known."""
    get = ArgReader(args, kwargs)
    given = as_tensor(get(0, "input"))
    wanted = get(2, "out_type")
    dtype = dtype_of(wanted) if wanted is not None else "int32"
    if api_name == "rank":
        return tensor((), "int32", len(given.shape) if given.shape is not None else None)
    if api_name == "size":
        known = given.shape is not None and None not in given.shape
        return tensor((), dtype, math.prod(given.shape) if known else None)
    if given.shape is None:
        return tensor((None,), dtype)
    return tensor((len(given.shape),), dtype, vector(given.shape, True) if None not in given.shape
                  else ShapeDims(given.shape))


@registered(["range"])
def range_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    start, limit, delta = get(0, "start"), get(1, "limit"), get(2, "delta", 1)
    if limit is None:
        start, limit = 0, start
    wanted = get(3, "dtype")
    values = [start, limit, delta]
    if wanted is not None:
        dtype = dtype_of(wanted)
    else:  # the widest of its arguments' types
        kinds = {as_tensor(v).dtype for v in values}
        order = ["int32", "int64", "float32", "float64"]
        dtype = max(kinds, key=order.index) if kinds <= set(order) else None
    numbers = [int_value(v) if not isinstance(v, float) else v for v in values]
    if any(n is None or not math.isfinite(n) for n in numbers) or numbers[2] == 0:
        return tensor((None,), dtype)
    begin, end, step = numbers
    if all(isinstance(n, int) for n in numbers):
        length = -((begin - end) // step)  # ceil((end - begin) / step), exactly
    else:
        length = math.ceil((end - begin) / step)
    return tensor((max(length, 0),), dtype)


@registered(["sequence_mask"])
def sequence_mask(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    lengths, maxlen, dtype = as_tensor(get(0, "lengths")), get(1, "maxlen"), get(2, "dtype")
    kind = dtype_of(dtype) if dtype is not None else "bool"
    if lengths.shape is None:
        return tensor(None, kind)
    return tensor(lengths.shape + (int_value(maxlen) if maxlen is not None else None,), kind)


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


@api("py_func", "numpy_function", "py_function", pure=True)
def py_func(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Tensors of the dtypes ``Tout`` names (one, or a list for a list), of unknown shape: TF runs
    ``func`` when the graph runs, never while it is built."""
    get = ArgReader(args, kwargs)
    make_op(sim, "py_func", [], {"name": kwargs["name"]} if "name" in kwargs else {}, node)
    kinds = get(2, "Tout")
    deps = deps_of(get(1, "inp"))
    if isinstance(kinds, (list, tuple)):
        return [with_deps(tensor(None, dtype_of(k)), deps) for k in kinds]
    return with_deps(tensor(None, dtype_of(kinds)), deps)
