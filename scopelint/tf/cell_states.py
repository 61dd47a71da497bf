"""RNN states: ``LSTMStateTuple`` values and the zero states ``RNNCell.zero_state`` makes.

A cell's ``state_size`` is an int, an ``LSTMStateTuple`` of ints, or a tuple of those (a
``MultiRNNCell``'s); ``zero_state(batch_size, dtype)`` maps every size to a ``[batch, size]``
tensor, as ``rnn_cell_impl._zero_state_tensors`` does.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, DType, Tensor, as_int
from .registry import api, attribute
from .scopes import dtype_of
from .tensors import as_tensor


class StateTuple(tuple):
    """``LSTMStateTuple(c, h)``: a pair that also answers ``.c`` and ``.h``."""

    __slots__ = ()


@api("nn.rnn_cell.LSTMStateTuple", "contrib.rnn.LSTMStateTuple", pure=True)
def lstm_state_tuple(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return StateTuple((get(0, "c", UNKNOWN), get(1, "h", UNKNOWN)))


@attribute(StateTuple, pure=True)
def state_tuple_attribute(sim: Any, state: StateTuple, attr: str, node: cst.CSTNode) -> Any:
    if len(state) == 2 and attr in ("c", "h"):
        return state[0] if attr == "c" else state[1]
    if attr == "dtype" and len(state) == 2:
        dtype = as_tensor(state[0]).dtype
        return DType(dtype) if dtype is not None else TENSOR
    return UNKNOWN


def batch_dim(value: Any) -> int | None:
    """A batch size given as an int (a known dimension), else None."""
    return as_int(value)


def zero_state(size: Any, batch: int | None, dtype: str | None) -> Any:
    """The state of ``state_size`` ``size``: ``[batch, n]`` tensors in its structure."""
    n = as_int(size)
    if n is not None:
        return Tensor((batch, n), dtype, frozenset())
    if isinstance(size, StateTuple):
        return StateTuple(zero_state(s, batch, dtype) for s in size)
    if isinstance(size, (tuple, list)) and size:
        return tuple(zero_state(s, batch, dtype) for s in size)
    return TENSOR


def like_state(state: Any, batch: int | None) -> Any:
    """A state of the same structure and sizes as ``state`` (what a step returns)."""
    if isinstance(state, StateTuple):
        return StateTuple(like_state(s, batch) for s in state)
    if isinstance(state, tuple):
        return tuple(like_state(s, batch) for s in state)
    known = as_tensor(state)
    if known.shape is not None and len(known.shape) == 2:
        return Tensor((known.shape[0] if batch is None else batch, known.shape[1]), known.dtype)
    return TENSOR


def state_dtype(value: Any) -> str | None:
    return dtype_of(value) if value is not None else None
