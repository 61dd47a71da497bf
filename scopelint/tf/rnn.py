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
from ..interp.values import UNKNOWN
from ..state import VScope
from .layers import Layer, call_layer, layer_attribute, layer_method
from .registry import api, api_with, attribute, call, method
from .scopes import enter_variable_scope, scope_call


@dataclass(eq=False)
class Cell(Layer):
    """An RNN cell: a layer, or a MultiRNNCell of cells."""

    cell_scope: VScope | None = None  # MultiRNNCell: the var scope current at its first call
    children: tuple = ()


CELLS = {
    "BasicLSTMCell": ("basic_lstm_cell", (("kernel", None), ("bias", None))),
    "LSTMCell": ("lstm_cell", (("kernel", None), ("bias", None))),
    "BasicRNNCell": ("basic_rnn_cell", (("kernel", None), ("bias", None))),
    "GRUCell": ("gru_cell", (
        ("gates/kernel", None), ("gates/bias", None),
        ("candidate/kernel", None), ("candidate/bias", None),
    )),
}


def cell_class(sim: Any, kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if kind == "MultiRNNCell":
        cells = get(0, "cells")
        if not isinstance(cells, (list, tuple)) or not all(isinstance(c, Layer) for c in cells):
            return UNKNOWN
        return Cell("multi_rnn_cell", (), get(-1, "reuse"), children=tuple(cells))
    base, variables = CELLS[kind]
    if kind == "LSTMCell":
        if get(-1, "use_peepholes", False) is not False:
            return UNKNOWN
        if get(5, "num_proj") is not None:
            variables = variables + (("projection/kernel", None),)
    name = get(-1, "name")
    if name is not None:
        if not isinstance(name, str):
            return UNKNOWN
        base = name
    return Cell(base, variables, get(-1, "reuse"))


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


def call_cell(sim: Any, cell: Layer, node: cst.CSTNode) -> Any:
    if not isinstance(cell, Cell) or not cell.children:
        # LayerRNNCell (every cell but MultiRNNCell) bypasses RNNCell's captured scope: a plain
        # legacy layer, numbered by default_name where it is first called.
        return call_layer(sim, cell, node)
    # MultiRNNCell jumps into the scope current at its first call; leaving the jump restores
    # the default_name counts, so two of them at one place clash.
    if cell.cell_scope is None:
        cell.cell_scope = sim.world.graph.current

    def cells() -> None:
        for index, child in enumerate(cell.children):
            _, exit_child = enter_variable_scope(sim, scope_call(node, f"cell_{index}"))
            try:
                call_cell(sim, child, node)
            finally:
                exit_child()

    scope, exit_ = enter_variable_scope(sim, scope_call(node, cell.cell_scope))
    try:
        return call_layer(sim, cell, node, inside=cells)
    finally:
        exit_()


@call(Cell)
def call_cell_object(sim: Any, cell: Cell, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return call_cell(sim, cell, node)


attribute(Cell)(layer_attribute)
method(Cell)(layer_method)


@api("nn.dynamic_rnn", "nn.static_rnn")
def dynamic_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    cell = get(0, "cell")
    scope = get(-1, "scope")
    if not isinstance(cell, Layer) or not (scope is None or isinstance(scope, (str, VScope))):
        sim.opaque(args, kwargs)
        return UNKNOWN
    entered, exit_ = enter_variable_scope(sim, scope_call(node, scope or "rnn"))
    sim.world.graph.ops_made_in(sim.world.graph.name_stack)  # the loop's ops (zeros, while, ...)
    try:
        call_cell(sim, cell, node)
    finally:
        exit_()
    return UNKNOWN


@api("nn.bidirectional_dynamic_rnn", "nn.static_bidirectional_rnn")
def bidirectional_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    cells = (get(0, "cell_fw"), get(1, "cell_bw"))
    scope = get(-1, "scope")
    if not all(isinstance(c, Layer) for c in cells) or not (scope is None or isinstance(scope, (str, VScope))):
        sim.opaque(args, kwargs)
        return UNKNOWN
    outer, exit_outer = enter_variable_scope(sim, scope_call(node, scope or "bidirectional_rnn"))
    try:
        for direction, cell in zip(("fw", "bw"), cells):
            inner, exit_inner = enter_variable_scope(sim, scope_call(node, direction))
            try:
                dynamic_rnn(sim, [cell], {"scope": inner}, node)
            finally:
                exit_inner()
    finally:
        exit_outer()
    return UNKNOWN
