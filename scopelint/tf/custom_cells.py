"""RNN cells the program writes itself: subclasses of ``RNNCell`` (``tf.nn.rnn_cell``,
``tf.contrib.rnn``, ``rnn_cell_impl``), stepped by the rnn functions and by ``MultiRNNCell``.

As TF runs them: a cell that overrides ``__call__(inputs, state, scope=None)`` is called as it is
(its own ``variable_scope`` opens inside the rnn's); a cell that defines ``call`` runs through
``RNNCell.__call__``, a legacy layer call: a variable scope named after the class
(``MyGRUCell`` -> ``my_gru_cell``, numbered like any layer, captured at the first call and
re-entered with reuse after it), ``build(inputs.shape)`` once, then ``call(inputs, state)``.
The cell's code is the program's: the interpreter runs it. Its ``state_size`` and
``output_size`` give the zero state an rnn starts from. Any other object of the program's
classes with ``__call__``, ``state_size`` and ``output_size`` is a cell too, called as it is
(TF's rnn functions take any such callable: Sonnet 1's ``RNNCore``).
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from ..resolve import tfapi
from ..interp.values import TENSOR, UNKNOWN, Builtin, Class, Function, Instance, Property, TFRef
from .cell_states import StateTuple
from .layers import Layer, call_layer, no_variables
from .tensors import as_tensor, dims

# TF's RNNCell base classes as ``tfapi.canonical`` spells them however they were imported.
CELL_BASES = frozenset({
    "nn.rnn_cell.RNNCell", "contrib.rnn.RNNCell", "RNNCell", "LayerRNNCell", "rnn_cell.RNNCell",
    "rnn_cell_impl.RNNCell", "rnn_cell_impl.LayerRNNCell", "contrib.rnn.LayerRNNCell",
})
_LAYER = "\0rnn_cell_layer"  # where a `call` cell keeps its layer state (no program name)
# Where a cell keeps the (name, _reuse) its __init__ gave RNNCell's, as RNNCell.__init__ ran.
CELL_INIT = "\0rnn_cell_init"


def _tf_base(cls: Class) -> str | None:
    """The canonical name of the first class of ``cls``'s method order that is not the
    program's, when it is an RNNCell base; None otherwise."""
    for klass in cls.mro():
        if type(klass) is Class:
            continue
        if type(klass) is TFRef:
            api = tfapi.canonical(klass.path)
            return api if api in CELL_BASES else None
        if type(klass) is Builtin and klass.name == "object":
            continue
        return None
    return None


def is_user_cell(value: Any) -> bool:
    return type(value) is Instance and (_tf_base(value.cls) is not None or _duck_cell(value.cls))


def _duck_cell(cls: Class) -> bool:
    """TF's rnn functions take any callable with ``state_size`` and ``output_size`` as a cell
    and call it as it is (Sonnet 1's ``RNNCore``): a class of the program's own (no base it
    cannot see) that defines all three."""
    if any(type(k) is not Class and type(k) is not Builtin for k in cls.mro()):
        return False
    return type(cls.lookup("__call__")) is Function and all(
        type(cls.lookup(name)) in (Function, Property) for name in ("state_size", "output_size"))


def own_method(cell: Instance, name: str) -> Function | None:
    """The program's method ``name`` of ``cell``, bound; None when its classes do not define it
    (the TF base class's own applies)."""
    member = cell.cls.lookup(name)
    if type(member) is not Function:
        return None
    return Function(member.node, member.env, member.qualname, bound=cell, owner=member.owner,
                    module=member.module)


def _property(sim: Any, cell: Instance, name: str, node: cst.CSTNode) -> Any:
    if name in cell.attrs:
        return cell.attrs[name]
    member = cell.cls.lookup(name)
    if type(member) is Property:
        return sim.call_function(member.fn, [cell], {}, node)
    return UNKNOWN


def cell_sizes(sim: Any, cell: Instance, node: cst.CSTNode) -> tuple[Any, Any]:
    """(state_size, output_size) as the cell's properties give them."""
    return _property(sim, cell, "state_size", node), _property(sim, cell, "output_size", node)


def user_zero_state(sim: Any, cell: Instance, batch: Any, dtype: Any, node: cst.CSTNode) -> Any:
    """``cell.zero_state(batch, dtype)`` when the program defines it; None when RNNCell's applies."""
    method = own_method(cell, "zero_state")
    if method is None:
        return None
    return sim.call_function(method, [batch, dtype], {}, node)


def snake_case(name: str) -> str:
    """``base_layer_utils.to_snake_case``: the default name of a layer of class ``name``."""
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def _split(result: Any) -> tuple[Any, Any]:
    if isinstance(result, tuple) and len(result) == 2 and not isinstance(result, StateTuple):
        return result
    return TENSOR, TENSOR


def step_user_cell(sim: Any, cell: Instance, node: cst.CSTNode, inputs: Any, state: Any,
                   own_call: bool = True) -> tuple:
    """One step of the program's cell: (output, new state); ``own_call`` False: the base
    class's ``__call__`` (the program's calls it on itself)."""
    if own_call and own_method(cell, "__call__") is not None:
        return _split(sim.call_value(cell, [inputs, state], {}, node))
    call = own_method(cell, "call")
    layer = cell.attrs.get(_LAYER)
    if layer is None and call is not None:
        layer = _layer(sim, cell)
    if call is None or layer is None:
        sim.opaque([inputs, state], {})
        return TENSOR, TENSOR
    results: list = []

    def inside() -> Any:
        build_once(sim, cell, layer, inputs, node)
        results.append(_split(sim.call_function(call, [inputs, state], {}, node)))
        return results[-1][0]

    call_layer(sim, layer, node, inputs, inside=inside)
    return results[-1] if results else (TENSOR, TENSOR)


def build_once(sim: Any, obj: Instance, layer: Layer, inputs: Any, node: cst.CSTNode) -> None:
    """A legacy layer's first call runs the program's ``build(input_shape)``, if it has one."""
    if not layer.built:
        build = own_method(obj, "build")
        if build is not None:
            shape = as_tensor(inputs).shape
            sim.call_function(build, [dims(shape) if shape is not None else UNKNOWN], {}, node)


def _layer(sim: Any, cell: Instance) -> Layer | None:
    """The legacy layer RNNCell.__call__ runs the cell as, named after its class or the ``name``
    its ``__init__`` gave RNNCell's (``CELL_INIT``); None when its name is unknown."""
    base = snake_case(cell.cls.qualname.rpartition(".")[2])
    given = cell.attrs.get(CELL_INIT)
    if given is None:
        return None  # RNNCell's __init__ did not run: TF's layer is not set up
    name, given_reuse = given
    if name is not None and not isinstance(name, str):
        return None
    base = name or base
    reuse: Any = True if given_reuse is True else None
    if given_reuse not in (None, False, True):
        # `_reuse` unseen: a reused layer is not numbered; the names agree while it is the first
        # of its name in the scope it is first called in.
        graph = sim.world.graph
        if graph.unique_var_scope(base, sim.path) != base:
            return None
        reuse = UNKNOWN
    layer = Layer(base, no_variables, reuse)
    cell.attrs[_LAYER] = layer
    return layer
