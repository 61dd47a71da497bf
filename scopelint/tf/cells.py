"""RNN cells TF defines: ``nn.rnn_cell.*`` and TF 1.15's ``contrib.rnn`` cells, their wrappers,
their states, and one step of any cell (``call_cell``).

Every cell but ``MultiRNNCell`` is a legacy layer (``layers.call_layer``) numbered where it is
first called, whose variables ``build`` makes from the input's width (``rnn_cell_impl``,
``contrib/rnn/python/ops/{lstm_ops,gru_ops,rnn_cell}.py``). ``MultiRNNCell`` jumps into the scope
current at its first call and calls its cells in ``cell_<i>``. Wrappers call the wrapped cell
directly, so they are that cell. A cell the program wrote itself is stepped by
``custom_cells.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, DType, Shape, Tensor, as_int
from .state import VScope
from .cell_states import StateTuple, batch_dim, zero_state
from .custom_cells import cell_sizes, is_user_cell, step_user_cell, user_zero_state
from .layers import Layer, call_layer, layer_attribute, layer_method
from .nest import map_leaves
from .registry import api, api_with, attribute, call, method
from .scopes import dtype_of, enter_variable_scope, scope_call
from .tensors import as_tensor, deps_of, tensor, with_deps
from .variables import get_variable, raised_since


@dataclass(eq=False)
class Cell(Layer):
    """An RNN cell: a layer, or a MultiRNNCell of cells."""

    cell_scope: VScope | None = None  # MultiRNNCell: the var scope current at its first call
    children: tuple = ()
    state_size: Any = UNKNOWN
    output_size: Any = UNKNOWN
    projection: tuple | None = None  # a contrib.rnn projection wrapper's (kind, size, classes)


def _plus(a: Any, b: Any) -> Any:
    return a + b if a is not None and b is not None else None


def _times(k: int, a: Any) -> Any:
    return k * a if a is not None else None


def _lstm(units: Any, peepholes: bool = False, proj: Any = None, diag: tuple = ("f", "i", "o"),
          names: tuple = ("kernel", "bias"), norm: bool = False) -> Callable:
    """LSTMCell, BasicLSTMCell, LSTMBlockCell (``use_peephole``: diagonals i, f, o) and
    LayerNormBasicLSTMCell (``norm``: no bias, a gamma and beta per gate and for the state)."""
    recurrent = proj if proj is not None else units

    def variables(width: Any) -> tuple:
        out: tuple = ((names[0], (_plus(width, recurrent), _times(4, units))),)
        if not norm:
            out += ((names[1], (_times(4, units),)),)
        if peepholes:
            out += tuple((f"w_{gate}_diag", (units,)) for gate in diag)
        if proj is not None:
            out += (("projection/kernel", (units, proj)),)
        if norm:
            out += tuple((f"{part}/{param}", (units,))
                         for part in ("input", "transform", "forget", "output", "state")
                         for param in ("gamma", "beta"))
        return out

    return variables


def _gru(units: Any, names: tuple) -> Callable:
    """GRUCell and GRUBlockCellV2 (``gates/kernel``, ...); GRUBlockCell names the gate kernel
    ``w_c`` and the candidate kernel ``w_ru`` (in that order, as its ``build`` does)."""

    def variables(width: Any) -> tuple:
        fan_in = _plus(width, units)
        return ((names[0], (fan_in, _times(2, units))), (names[1], (_times(2, units),)),
                (names[2], (fan_in, units)), (names[3], (units,)))

    return variables


def _rnn(units: Any) -> Callable:
    def variables(width: Any) -> tuple:
        return (("kernel", (_plus(width, units), units)), ("bias", (units,)))

    return variables


def _spec(variables: Callable, output_units: Any) -> Callable:
    """Variables and output of one step from the step input ``[batch, width]``."""

    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        width = inputs.shape[-1] if inputs.shape else None
        shape = inputs.shape[:-1] + (output_units,) if inputs.shape and output_units is not None else None
        return variables(width), tensor(shape, inputs.dtype)

    return spec


def _state(units: Any, out: Any, is_tuple: Any) -> Any:
    if is_tuple is False:
        total = _plus(units, out)
        return total if total is not None else UNKNOWN
    if is_tuple is not True or units is None or out is None:
        return UNKNOWN
    return StateTuple((units, out))


# name -> (default layer name, builder(get) -> (variables(width), output units, state size) | None)
def _basic_lstm(get: ArgReader) -> tuple | None:
    units = as_int(get(0, "num_units"))
    return _lstm(units), units, _state(units, units, get(2, "state_is_tuple", True))


def _lstm_cell(get: ArgReader) -> tuple | None:
    units, proj = as_int(get(0, "num_units")), get(4, "num_proj")
    peepholes = get(1, "use_peepholes", False)
    if peepholes not in (True, False) or (proj is not None and as_int(proj) is None):
        return None
    if get(6, "num_unit_shards") is not None or get(7, "num_proj_shards") is not None:
        return None  # partitioned kernels
    proj = as_int(proj)
    out = proj if proj is not None else units
    return _lstm(units, peepholes, proj), out, _state(units, out, get(9, "state_is_tuple", True))


def _gru_cell(get: ArgReader) -> tuple | None:
    units = as_int(get(0, "num_units"))
    return _gru(units, ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")), units, units


def _basic_rnn(get: ArgReader) -> tuple | None:
    units = as_int(get(0, "num_units"))
    return _rnn(units), units, units


def _lstm_block(get: ArgReader) -> tuple | None:
    units, peephole = as_int(get(0, "num_units")), get(3, "use_peephole", False)
    if peephole not in (True, False):
        return None
    return _lstm(units, peephole, diag=("i", "f", "o")), units, StateTuple((units, units))


def _gru_block(names: tuple) -> Callable:
    def build(get: ArgReader) -> tuple | None:
        units, size = get(0, "num_units"), get(1, "cell_size")
        units = as_int(units if units is not None else size)
        return _gru(units, names), units, units

    return build


def _layer_norm_lstm(get: ArgReader) -> tuple | None:
    units, norm = as_int(get(0, "num_units")), get(4, "layer_norm", True)
    if norm not in (True, False):
        return None
    return _lstm(units, norm=norm), units, StateTuple((units, units))


CELLS: dict[str, tuple[str, Callable, Any, int]] = {
    # api name -> (default layer name, builder, index of `name` (None: it has none), of `reuse`)
    "nn.rnn_cell.BasicLSTMCell": ("basic_lstm_cell", _basic_lstm, 5, 4),
    "nn.rnn_cell.LSTMCell": ("lstm_cell", _lstm_cell, 12, 11),
    "nn.rnn_cell.GRUCell": ("gru_cell", _gru_cell, 5, 2),
    "nn.rnn_cell.BasicRNNCell": ("basic_rnn_cell", _basic_rnn, 3, 2),
    "contrib.rnn.LSTMBlockCell": ("lstm_cell", _lstm_block, 6, 5),
    "contrib.rnn.GRUBlockCell": ("gru_cell", _gru_block(("w_c", "b_ru", "w_ru", "b_c")), 3, 2),
    "contrib.rnn.GRUBlockCellV2": (
        "gru_cell", _gru_block(("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")), 3, 2),
    # An RNNCell, not a LayerRNNCell, but a layer all the same: named after its class.
    "contrib.rnn.LayerNormBasicLSTMCell": ("layer_norm_basic_lstm_cell", _layer_norm_lstm, None, 9),
}


def cell_class(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    base, builder, name_index, reuse_index = CELLS[api_name]
    built = builder(get)
    if built is None:
        sim.opaque(args, kwargs)
        return UNKNOWN
    variables, out, state = built
    if name_index is not None:
        name = get(name_index, "name")
        if name is not None:
            if not isinstance(name, str):
                sim.opaque(args, kwargs)
                return UNKNOWN
            base = name
    return Cell(base, _spec(variables, out), get(reuse_index, "reuse"), state_size=state,
                output_size=out if out is not None else UNKNOWN)


for _name in CELLS:
    api_with(_name, _name)(cell_class)


def _multi_spec(inputs: Tensor) -> tuple[tuple, Any]:
    return (), TENSOR  # its cells make the variables (``call_cell``)


@api("nn.rnn_cell.MultiRNNCell")
def multi_rnn_cell(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    cells = get(0, "cells")
    if get(1, "state_is_tuple", True) is not True or not isinstance(cells, (list, tuple)) or not all(
        usable(c) for c in cells
    ):
        sim.opaque(args, kwargs)
        return UNKNOWN
    sizes = tuple(state_size(sim, c, node) for c in cells)
    return Cell("multi_rnn_cell", _multi_spec, None, children=tuple(cells),
                state_size=sizes, output_size=output_size(sim, cells[-1], node) if cells else UNKNOWN)


@api("nn.rnn_cell.DropoutWrapper", "nn.rnn_cell.ResidualWrapper", "nn.rnn_cell.DeviceWrapper")
def cell_wrapper(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Calling a wrapper calls the wrapped cell's `__call__` directly, so for scopes and names
    the wrapper is the cell itself."""
    cell = ArgReader(args, kwargs)(0, "cell")
    if usable(cell):
        return cell
    sim.opaque(args, kwargs)
    return UNKNOWN


# TF 1.15's contrib/rnn/python/ops/core_rnn_cell.py wrappers: RNNCells (layers named after the
# class) whose call makes a `_Linear` (`kernel`, `bias`) or an `embedding` in the wrapper's scope
# and calls the wrapped cell there: api -> (kind, layer name, index of the size, of `reuse`).
_PROJECTIONS = {
    "contrib.rnn.OutputProjectionWrapper": ("output", "output_projection_wrapper", 1, 3),
    "contrib.rnn.InputProjectionWrapper": ("input", "input_projection_wrapper", 1, 4),
    "contrib.rnn.EmbeddingWrapper": ("embedding", "embedding_wrapper", 2, 4),
}


def projection_wrapper(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    kind, base, size_index, reuse_index = _PROJECTIONS[api_name]
    get = ArgReader(args, kwargs)
    cell = get(0, "cell")
    names = {"output": "output_size", "input": "num_proj", "embedding": "embedding_size"}
    size = as_int(get(size_index, names[kind]))
    classes = as_int(get(1, "embedding_classes")) if kind == "embedding" else None
    if not usable(cell):
        sim.opaque(args, kwargs)
        return UNKNOWN
    inner_out = output_size(sim, cell, node)
    return Cell(base, _multi_spec, get(reuse_index, "reuse"), children=(cell,),
                state_size=state_size(sim, cell, node),
                output_size=(size if size is not None else UNKNOWN) if kind == "output" else inner_out,
                projection=(kind, size, classes))


for _name in _PROJECTIONS:
    api_with(_name, _name)(projection_wrapper)


def _made(sim: Any, node: cst.CSTNode, variables: tuple, dtype: Any) -> bool:
    """``get_variable`` for each (name, shape) in the current scope; False once TF raises."""
    for name, shape in variables:
        mark = len(sim.trace.events)
        get_variable(sim, [name], {"shape": shape, "dtype": DType(dtype) if dtype else UNKNOWN}, node)
        if raised_since(sim, mark):
            return False
    return True


def _call_projection(sim: Any, cell: Cell, node: cst.CSTNode, inputs: Any, state: Any) -> tuple:
    kind, size, classes = cell.projection
    inner = cell.children[0]
    given = as_tensor(inputs)
    batch = given.shape[0] if given.shape else None
    new_state: list = [TENSOR]

    def inside() -> Any:
        if kind == "output":
            output, new_state[0] = call_cell(sim, inner, node, inputs, state)
            out = as_tensor(output)
            width = out.shape[-1] if out.shape else None
            if not _made(sim, node, (("kernel", (width, size)), ("bias", (size,))), out.dtype):
                return TENSOR
            return tensor((batch, size), out.dtype)
        if kind == "input":
            width = given.shape[-1] if given.shape else None
            if not _made(sim, node, (("kernel", (width, size)), ("bias", (size,))), given.dtype):
                return TENSOR
            step = tensor((batch, size), given.dtype)
        else:
            leaves = state if isinstance(state, tuple) else (state,)
            dtype = as_tensor(leaves[0]).dtype if leaves else None
            if not _made(sim, node, (("embedding", (classes, size)),), dtype):
                return TENSOR
            step = tensor((batch, size), dtype)
        output, new_state[0] = call_cell(sim, inner, node, step, state)
        return output

    output = call_layer(sim, cell, node, inputs, inside=inside)
    return output, new_state[0]


def usable(cell: Any) -> bool:
    """A cell whose steps this model can follow."""
    return isinstance(cell, Layer) or is_user_cell(cell)


def state_size(sim: Any, cell: Any, node: cst.CSTNode) -> Any:
    if isinstance(cell, Cell):
        return cell.state_size
    if is_user_cell(cell):
        return cell_sizes(sim, cell, node)[0]
    return UNKNOWN


def output_size(sim: Any, cell: Any, node: cst.CSTNode) -> Any:
    if isinstance(cell, Cell):
        return cell.output_size
    if is_user_cell(cell):
        return cell_sizes(sim, cell, node)[1]
    return UNKNOWN


def initial_state(sim: Any, cell: Any, batch: Any, dtype: Any, node: cst.CSTNode) -> Any:
    """``cell.zero_state(batch, dtype)``: the program's own method, else RNNCell's from the
    cell's ``state_size``."""
    if is_user_cell(cell):
        own = user_zero_state(sim, cell, batch, dtype, node)
        if own is not None:
            return own
    return zero_state(state_size(sim, cell, node), batch_dim(batch), dtype_of(dtype))


def call_cell(sim: Any, cell: Any, node: cst.CSTNode, inputs: Any = TENSOR, state: Any = None) -> tuple:
    """One step of ``cell`` on ``inputs`` (batch, width) from ``state`` (None: the zero state):
    (output, new state)."""
    batch = _batch(inputs)
    if state is None:
        state = zero_state(state_size(sim, cell, node), batch, as_tensor(inputs).dtype)
    if is_user_cell(cell):
        return step_user_cell(sim, cell, node, inputs, state)
    if isinstance(cell, Cell) and cell.projection is not None:
        return _call_projection(sim, cell, node, inputs, state)
    if not isinstance(cell, Cell) or not cell.children:
        # LayerRNNCell (every cell but MultiRNNCell) bypasses RNNCell's captured scope: a plain
        # legacy layer, numbered by default_name where it is first called.
        output = call_layer(sim, cell, node, inputs)
        size = cell.state_size if isinstance(cell, Cell) else UNKNOWN
        new_state = zero_state(size, batch, as_tensor(output).dtype if output is not TENSOR else None)
        # Both come from the input, the state and the cell's variables; the next step's output
        # from this state: one step reaches the loop's fixed point.
        deps = deps_of(output, state)
        return with_deps(output, deps), with_deps(new_state, deps)
    # MultiRNNCell jumps into the scope current at its first call; leaving the jump restores
    # the default_name counts, so two of them at one place clash.
    if cell.cell_scope is None:
        cell.cell_scope = sim.world.graph.current
    states = state if isinstance(state, tuple) and len(state) == len(cell.children) else (None,) * len(cell.children)
    new_states: list = []

    def cells() -> Any:
        current = inputs
        for index, (child, child_state) in enumerate(zip(cell.children, states)):
            _, exit_child = enter_variable_scope(sim, scope_call(node, f"cell_{index}"))
            try:
                current, new_state = call_cell(sim, child, node, current, child_state)
            finally:
                exit_child()
            new_states.append(new_state)
        return current

    _, exit_ = enter_variable_scope(sim, scope_call(node, cell.cell_scope))
    try:
        output = call_layer(sim, cell, node, inputs, inside=cells)
    finally:
        exit_()
    return output, tuple(new_states) if len(new_states) == len(cell.children) else TENSOR


def _batch(inputs: Any) -> int | None:
    shape = as_tensor(inputs).shape
    return shape[0] if shape else None


@api("_zero_state_tensors", pure=True)
def zero_state_tensors(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """TF's ``rnn_cell_impl._zero_state_tensors(state_size, batch_size, dtype)`` (Sonnet 1's
    cores make their zero state with it): zeros of ``[batch] + size`` for each size in the
    structure, an int or a shape."""
    get = ArgReader(args, kwargs)
    batch, dtype = batch_dim(get(1, "batch_size")), dtype_of(get(2, "dtype"))

    def zeros(size: Any) -> Any:
        if as_int(size) is not None:
            return Tensor((batch, int(size)), dtype, frozenset())
        if isinstance(size, Shape):
            return Tensor((batch, *size), dtype, frozenset())
        return TENSOR

    state = map_leaves(get(0, "state_size"), zeros)
    return TENSOR if state is None else state


@call(Cell)
def call_cell_object(sim: Any, cell: Cell, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``cell(inputs, state)``: (output, new state)."""
    get = ArgReader(args, kwargs)
    state = get(1, "state", UNKNOWN)
    return call_cell(sim, cell, node, get(0, "inputs", TENSOR), state if state is not UNKNOWN else TENSOR)


@attribute(Cell)
def cell_attribute(sim: Any, cell: Cell, attr: str, node: cst.CSTNode) -> Any:
    if attr == "state_size":
        return cell.state_size
    if attr == "output_size":
        return cell.output_size
    return layer_attribute(sim, cell, attr, node)


@method(Cell)
def cell_method(sim: Any, cell: Cell, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if name == "zero_state":
        get = ArgReader(args, kwargs)
        return zero_state(cell.state_size, batch_dim(get(0, "batch_size")), dtype_of(get(1, "dtype")))
    return layer_method(sim, cell, name, args, kwargs, node)
