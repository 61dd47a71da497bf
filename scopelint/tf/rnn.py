"""The rnn functions: ``dynamic_rnn``, ``static_rnn``, ``raw_rnn``, the bidirectional ones and
TF 1.15's ``contrib.rnn.stack_bidirectional_dynamic_rnn``.

Each opens ``rnn`` (or ``scope=``; the bidirectional ones ``bidirectional_rnn/fw`` and ``/bw``)
and steps the cell there once, as TF's loop body does, from ``initial_state`` or the cell's zero
state (``cells.py``); outputs put the time axis back. ``raw_rnn`` calls the program's
``loop_fn`` for the first input and state, and once more after the step.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, Function, Tensor
from .state import VScope
from .cells import call_cell, initial_state, usable
from .registry import api, api_with
from .scopes import enter_variable_scope, scope_call
from .tensors import as_tensor, deps_of, tensor, with_deps


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


def _start(sim: Any, cell: Any, given: Any, step: Tensor, dtype: Any, node: cst.CSTNode) -> Any:
    """The state the loop starts from: ``initial_state``, else ``cell.zero_state(batch, dtype)``."""
    if given is not None:
        return given
    batch = step.shape[0] if step.shape else None
    return initial_state(sim, cell, batch if batch is not None else TENSOR, dtype, node)


def _run(sim: Any, cell: Any, scope: Any, node: cst.CSTNode, step: Tensor, state: Any,
         dtype: Any, loop: bool = False) -> tuple[Any, Any]:
    """(step output, final state) of ``cell`` run in ``scope`` (default ``rnn``); in a while
    ``loop``, each of them computed from everything the loop reads."""
    _, exit_ = enter_variable_scope(sim, scope_call(node, scope or "rnn"))
    sim.world.graph.ops_made_in(sim.world.graph.name_stack)  # the loop's ops (zeros, while, ...)
    try:
        start = _start(sim, cell, state, step, dtype, node)
        output, final = call_cell(sim, cell, node, step, start)
    finally:
        exit_()
    if not loop:
        return output, final
    # TF finds gradients through a while loop for every variable its body reads: the state of a
    # stacked cell's first layer has gradients for the layers above it.
    deps = deps_of(step, start, output, final)
    return with_deps(output, deps), with_deps(final, deps)


def _usable(cells: tuple, scope: Any) -> bool:
    return all(usable(c) for c in cells) and (scope is None or isinstance(scope, (str, VScope)))


@api("nn.dynamic_rnn")
def dynamic_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``dynamic_rnn(cell, inputs, sequence_length, initial_state, dtype, parallel_iterations,
    swap_memory, time_major, scope)``: (outputs [batch, time, output width], final state)."""
    get = ArgReader(args, kwargs)
    cell, scope, time_major = get(0, "cell"), get(8, "scope"), get(7, "time_major", False)
    if not _usable((cell,), scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    step, time = _step(get(1, "inputs"), time_major)
    output, state = _run(sim, cell, scope, node, step, get(3, "initial_state"), get(4, "dtype"),
                         loop=True)
    return _sequence(output, time, time_major), state


@api("nn.static_rnn")
def static_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``static_rnn(cell, inputs, initial_state, dtype, sequence_length, scope)``: (a list of
    step outputs, final state), for a list of [batch, width] inputs."""
    get = ArgReader(args, kwargs)
    cell, scope, inputs = get(0, "cell"), get(5, "scope"), get(1, "inputs")
    if not _usable((cell,), scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    steps = inputs if isinstance(inputs, (list, tuple)) and inputs else None
    first = as_tensor(steps[0]) if steps else Tensor()
    output, state = _run(sim, cell, scope, node, first, get(2, "initial_state"), get(3, "dtype"))
    if not steps:
        return TENSOR, state
    # One step ran, on the first input: the unrolled steps read them all (the final state in
    # TF; each output at most, a complete answer though not the least one).
    deps = deps_of(output, state, *steps)
    return [with_deps(output, deps)] * len(steps), with_deps(state, deps)


def _concat(a: Any, b: Any, axis: int) -> Any:
    """Two outputs joined on their last axis (``axis`` counts from the end)."""
    left, right = as_tensor(a), as_tensor(b)
    deps = deps_of(left, right)
    if left.shape is None or right.shape is None or len(left.shape) != len(right.shape) or axis != -1:
        return with_deps(TENSOR, deps)
    x, y = left.shape[axis], right.shape[axis]
    joined = x + y if x is not None and y is not None else None
    return with_deps(tensor(left.shape[:axis] + (joined,), left.dtype), deps)


@api_with("nn.bidirectional_dynamic_rnn", True)
@api_with("nn.static_bidirectional_rnn", False)
@api_with("contrib.rnn.static_bidirectional_rnn", False)
def bidirectional_rnn(sim: Any, dynamic: bool, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``bidirectional_dynamic_rnn``: ((fw outputs, bw outputs), (fw state, bw state));
    ``static_bidirectional_rnn``: (outputs with fw and bw joined, fw state, bw state)."""
    get = ArgReader(args, kwargs)
    cells = (get(0, "cell_fw"), get(1, "cell_bw"))
    scope = get(10 if dynamic else 7, "scope")
    if not _usable(cells, scope):
        sim.opaque(args, kwargs)
        return UNKNOWN
    inputs = get(2, "inputs")
    states = (get(4 if dynamic else 3, "initial_state_fw"), get(5 if dynamic else 4, "initial_state_bw"))
    dtype = get(6 if dynamic else 5, "dtype")
    results = []
    _, exit_outer = enter_variable_scope(sim, scope_call(node, scope or "bidirectional_rnn"))
    try:
        for direction, cell, state in zip(("fw", "bw"), cells, states):
            inner, exit_inner = enter_variable_scope(sim, scope_call(node, direction))
            try:
                if dynamic:
                    result = dynamic_rnn(sim, [cell, inputs], {
                        "scope": inner, "time_major": get(9, "time_major", False),
                        "initial_state": state, "dtype": dtype}, node)
                else:
                    result = static_rnn(sim, [cell, inputs], {
                        "scope": inner, "initial_state": state, "dtype": dtype}, node)
                results.append(result if isinstance(result, tuple) else (TENSOR, TENSOR))
            finally:
                exit_inner()
    finally:
        exit_outer()
    (out_fw, state_fw), (out_bw, state_bw) = results
    if dynamic:
        return (out_fw, out_bw), (state_fw, state_bw)
    if isinstance(out_fw, list) and isinstance(out_bw, list) and len(out_fw) == len(out_bw):
        return [_concat(f, b, -1) for f, b in zip(out_fw, out_bw)], state_fw, state_bw
    return TENSOR, state_fw, state_bw


@api_with("contrib.rnn.stack_bidirectional_dynamic_rnn", True)
@api_with("contrib.rnn.stack_bidirectional_rnn", False)
def stack_bidirectional_rnn(sim: Any, dynamic: bool, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """TF 1.15's ``contrib.rnn.stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs,
    initial_states_fw, initial_states_bw, dtype, sequence_length, parallel_iterations,
    time_major, scope, swap_memory)`` and ``stack_bidirectional_rnn(cells_fw, cells_bw, inputs,
    initial_states_fw, initial_states_bw, dtype, sequence_length, scope)``: layer ``i`` runs in
    ``<scope or stack_bidirectional_rnn>/cell_<i>`` on the previous layer's joined outputs, a
    ``bidirectional_dynamic_rnn`` there (``.../cell_<i>/bidirectional_rnn/fw``), or a
    ``static_bidirectional_rnn`` given that scope (``.../cell_<i>/fw``)."""
    get = ArgReader(args, kwargs)
    cells_fw, cells_bw, scope = get(0, "cells_fw"), get(1, "cells_bw"), get(9 if dynamic else 7, "scope")
    if not (isinstance(cells_fw, (list, tuple)) and isinstance(cells_bw, (list, tuple))
            and len(cells_fw) == len(cells_bw) and _usable((*cells_fw, *cells_bw), scope)):
        sim.opaque(args, kwargs)
        return UNKNOWN
    layer, dtype = get(2, "inputs"), get(5, "dtype")
    states_fw, states_bw = [], []
    _, exit_outer = enter_variable_scope(sim, scope_call(node, scope or "stack_bidirectional_rnn"))
    try:
        for index, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
            inner, exit_inner = enter_variable_scope(sim, scope_call(node, f"cell_{index}"))
            try:
                if dynamic:
                    (out_fw, out_bw), (state_fw, state_bw) = bidirectional_rnn(
                        sim, True, [fw, bw, layer], {"dtype": dtype, "time_major": get(8, "time_major", False)},
                        node)
                    layer = _concat(out_fw, out_bw, -1)
                else:
                    layer, state_fw, state_bw = bidirectional_rnn(
                        sim, False, [fw, bw, layer], {"dtype": dtype, "scope": inner}, node)
            finally:
                exit_inner()
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    finally:
        exit_outer()
    return layer, tuple(states_fw), tuple(states_bw)


@api("nn.raw_rnn")
def raw_rnn(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``raw_rnn(cell, loop_fn, parallel_iterations, swap_memory, scope)``: in ``rnn``, the
    program's ``loop_fn(time, cell_output=None, cell_state=None, loop_state=None)`` gives the
    first input and state, the cell steps once, ``loop_fn`` runs again on its output. Returns
    (emit TensorArray, final state, final loop state), which are not followed."""
    get = ArgReader(args, kwargs)
    cell, loop_fn, scope = get(0, "cell"), get(1, "loop_fn"), get(4, "scope")
    if not _usable((cell,), scope) or not isinstance(loop_fn, Function):
        sim.opaque(args, kwargs)
        return UNKNOWN
    time = Tensor((), "int32")
    _, exit_ = enter_variable_scope(sim, scope_call(node, scope or "rnn"))
    sim.world.graph.ops_made_in(sim.world.graph.name_stack)
    try:
        first = sim.call_function(loop_fn, [time, None, None, None], {}, node)
        if not (isinstance(first, tuple) and len(first) == 5):
            sim.opaque([], {})
            return TENSOR, TENSOR, TENSOR
        _, step, state, _, loop_state = first
        output, new_state = call_cell(sim, cell, node, step, state)
        sim.call_function(loop_fn, [time, output, new_state, loop_state], {}, node)
    finally:
        exit_()
    return TENSOR, new_state, TENSOR
