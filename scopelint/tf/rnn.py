"""RNN cells and the rnn functions: ``nn.rnn_cell.*``, ``dynamic_rnn``, ``static_rnn``,
``bidirectional_dynamic_rnn``, and the cell wrappers.

Every cell but ``MultiRNNCell`` is a ``LayerRNNCell``: a legacy layer (``layers.call_layer``)
numbered where it is first called. ``MultiRNNCell`` jumps into the scope current at its first
call and calls its cells in ``cell_<i>``. The rnn functions open ``rnn`` (or ``scope=``) and call
the cell there. Wrappers call the wrapped cell directly, so they are that cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, Tensor, as_int
from ..state import VScope
from .layers import Layer, call_layer, layer_attribute, layer_method
from .registry import api, api_with, attribute, call, method
from .scopes import enter_variable_scope, scope_call
from .tensors import as_tensor, tensor, with_deps


@dataclass(eq=False)
class Cell(Layer):
    """An RNN cell: a layer, or a MultiRNNCell of cells."""

    cell_scope: VScope | None = None  # MultiRNNCell: the var scope current at its first call
    children: tuple = ()


CELLS = {
    "BasicLSTMCell": "basic_lstm_cell",
    "LSTMCell": "lstm_cell",
    "BasicRNNCell": "basic_rnn_cell",
    "GRUCell": "gru_cell",
}


def _plus(a: Any, b: Any) -> Any:
    return a + b if a is not None and b is not None else None


def _times(k: int, a: Any) -> Any:
    return k * a if a is not None else None


def _cell_spec(kind: str, units: Any, num_proj: Any) -> Any:
    """Variables and output of one step, from ``rnn_cell_impl``'s ``build``: kernels take the
    input concatenated with the recurrent state (``num_proj`` wide for a projected LSTM)."""
    units = as_int(units)
    proj = as_int(num_proj)

    def spec(inputs: Tensor) -> tuple[tuple, Any]:
        width = inputs.shape[-1] if inputs.shape else None
        if kind == "GRUCell":
            fan_in = _plus(width, units)
            variables = (
                ("gates/kernel", (fan_in, _times(2, units))), ("gates/bias", (_times(2, units),)),
                ("candidate/kernel", (fan_in, units)), ("candidate/bias", (units,)),
            )
        elif kind == "BasicRNNCell":
            variables = (("kernel", (_plus(width, units), units)), ("bias", (units,)))
        else:
            recurrent = proj if kind == "LSTMCell" and num_proj is not None else units
            variables = (
                ("kernel", (_plus(width, recurrent), _times(4, units))), ("bias", (_times(4, units),)),
            )
            if kind == "LSTMCell" and num_proj is not None:
                variables += (("projection/kernel", (units, proj)),)
        out = proj if kind == "LSTMCell" and num_proj is not None else units
        shape = inputs.shape[:-1] + (out,) if inputs.shape and out is not None else None
        return variables, tensor(shape, inputs.dtype)

    return spec


def _multi_spec(inputs: Tensor) -> tuple[tuple, Any]:
    return (), TENSOR  # its cells make the variables (``call_cell``)


def cell_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if kind == "MultiRNNCell":
        cells = get(0, "cells")
        if not isinstance(cells, (list, tuple)) or not all(isinstance(c, Layer) for c in cells):
            return UNKNOWN
        return Cell("multi_rnn_cell", _multi_spec, get(-1, "reuse"), children=tuple(cells))
    base = CELLS[kind]
    num_proj = None
    if kind == "LSTMCell":
        if get(-1, "use_peepholes", False) is not False:
            return UNKNOWN
        num_proj = get(5, "num_proj")
    name = get(-1, "name")
    if name is not None:
        if not isinstance(name, str):
            return UNKNOWN
        base = name
    return Cell(base, _cell_spec(kind, get(0, "num_units"), num_proj), get(-1, "reuse"))


for _name in (*CELLS, "MultiRNNCell"):
    api_with(f"nn.rnn_cell.{_name}", _name)(cell_class)


@api("nn.rnn_cell.DropoutWrapper", "nn.rnn_cell.ResidualWrapper", "nn.rnn_cell.DeviceWrapper")
def cell_wrapper(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Calling a wrapper calls the wrapped cell's `__call__` directly, so for scopes and names
    the wrapper is the cell itself."""
    cell = ArgReader(args, kwargs)(0, "cell")
    if isinstance(cell, Cell):
        return cell
    sim.opaque(args, kwargs)
    return UNKNOWN


def call_cell(sim: Any, cell: Layer, node: cst.CSTNode, inputs: Any = TENSOR) -> Any:
    """One step of ``cell`` on ``inputs`` (batch, width): its output tensor."""
    if not isinstance(cell, Cell) or not cell.children:
        # LayerRNNCell (every cell but MultiRNNCell) bypasses RNNCell's captured scope: a plain
        # legacy layer, numbered by default_name where it is first called.
        return call_layer(sim, cell, node, inputs)
    # MultiRNNCell jumps into the scope current at its first call; leaving the jump restores
    # the default_name counts, so two of them at one place clash.
    if cell.cell_scope is None:
        cell.cell_scope = sim.world.graph.current

    def cells() -> Any:
        current = inputs
        for index, child in enumerate(cell.children):
            _, exit_child = enter_variable_scope(sim, scope_call(node, f"cell_{index}"))
            try:
                current = call_cell(sim, child, node, current)
            finally:
                exit_child()
        return current

    scope, exit_ = enter_variable_scope(sim, scope_call(node, cell.cell_scope))
    try:
        return call_layer(sim, cell, node, inputs, inside=cells)
    finally:
        exit_()


@call(Cell)
def call_cell_object(sim: Any, cell: Cell, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``cell(inputs, state)``: (output, new state); the state's shape is not followed."""
    return call_cell(sim, cell, node, ArgReader(args, kwargs)(0, "inputs", TENSOR)), TENSOR


attribute(Cell)(layer_attribute)
method(Cell)(layer_method)


def _step(inputs: Any, time_major: Any) -> tuple[Tensor, Any]:
    """One step's input of a [batch, time, width] (or time-major) sequence, and the time length."""
    whole = as_tensor(inputs)
    if whole.shape is None or len(whole.shape) < 3 or time_major not in (True, False):
        return Tensor(None, whole.dtype, whole.deps), None
    axis = 0 if time_major else 1
    return Tensor(whole.shape[:axis] + whole.shape[axis + 1:], whole.dtype, whole.deps), whole.shape[axis]


def _sequence(step: Any, time: Any, time_major: Any) -> Any:
    """The outputs of all steps: the step output with the time axis put back."""
    if not isinstance(step, Tensor) or step.shape is None or time_major not in (True, False):
        return with_deps(TENSOR, step.deps) if isinstance(step, Tensor) else TENSOR
    axis = 0 if time_major else 1
    return with_deps(tensor(step.shape[:axis] + (time,) + step.shape[axis:], step.dtype), step.deps)


def _run(sim: Any, cell: Layer, scope: Any, default: str, node: cst.CSTNode, step: Tensor) -> Any:
    entered, exit_ = enter_variable_scope(sim, scope_call(node, scope or default))
    sim.world.graph.ops_made_in(sim.world.graph.name_stack)  # the loop's ops (zeros, while, ...)
    try:
        return call_cell(sim, cell, node, step)
    finally:
        exit_()


def _usable(cells: tuple, scope: Any) -> bool:
    return all(isinstance(c, Layer) for c in cells) and (scope is None or isinstance(scope, (str, VScope)))


@api("nn.dynamic_rnn")
def dynamic_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """(outputs [batch, time, output width], final state)."""
    get = ArgReader(args, kwargs)
    cell, scope, time_major = get(0, "cell"), get(-1, "scope"), get(-1, "time_major", False)
    if not _usable((cell,), scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    step, time = _step(get(1, "inputs"), time_major)
    output = _run(sim, cell, scope, "rnn", node, step)
    return _sequence(output, time, time_major), TENSOR


@api("nn.static_rnn")
def static_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """(a list of step outputs, final state), for a list of [batch, width] inputs."""
    get = ArgReader(args, kwargs)
    cell, scope, inputs = get(0, "cell"), get(-1, "scope"), get(1, "inputs")
    if not _usable((cell,), scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    steps = inputs if isinstance(inputs, (list, tuple)) and inputs else None
    output = _run(sim, cell, scope, "rnn", node, as_tensor(steps[0]) if steps else Tensor())
    return ([output] * len(steps) if steps else TENSOR), TENSOR


@api_with("nn.bidirectional_dynamic_rnn", True)
@api_with("nn.static_bidirectional_rnn", False)
def bidirectional_rnn(sim: Any, dynamic: bool, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """bidirectional_dynamic_rnn: ((fw outputs, bw outputs), (fw state, bw state));
    static_bidirectional_rnn's (outputs, fw state, bw state) are not followed."""
    get = ArgReader(args, kwargs)
    cells = (get(0, "cell_fw"), get(1, "cell_bw"))
    scope = get(-1, "scope")
    if not _usable(cells, scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    outputs = []
    outer, exit_outer = enter_variable_scope(sim, scope_call(node, scope or "bidirectional_rnn"))
    try:
        for direction, cell in zip(("fw", "bw"), cells):
            inner, exit_inner = enter_variable_scope(sim, scope_call(node, direction))
            try:
                result = dynamic_rnn(sim, [cell, get(2, "inputs")], {
                    "scope": inner, "time_major": get(-1, "time_major", False),
                }, node)
                outputs.append(result[0] if isinstance(result, tuple) else TENSOR)
            finally:
                exit_inner()
    finally:
        exit_outer()
    return (tuple(outputs), (TENSOR, TENSOR)) if dynamic else TENSOR
