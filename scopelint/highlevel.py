"""TF APIs built on get_variable: tf.layers, RNN cells and rnn functions, make_template, optimizers.

Each is expanded into the variable scopes it enters and the get_variable calls it makes, as TF's
own code does (legacy ``base.Layer._set_scope`` / ``__call__``, ``RNNCell.__call__``,
``rnn.dynamic_rnn``, ``template.Template``, ``slot_creator``), so the store model in
``state.py`` decides what happens. Keras layers never touch the store and are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import libcst as cst

from .events import TfVariable
from .state import VScope


def _keyword_literal(node: cst.CSTNode, keyword: str, literal: str) -> bool:
    from .simulator import _keyword_literal as check

    return check(node, keyword, literal)
from .values import INITIALIZER, TENSOR, UNKNOWN, DType, Function, truth

if TYPE_CHECKING:
    from .simulator import Simulator


@dataclass(eq=False)
class Layer:
    """A legacy tf.layers layer or an RNN cell, with the scope it captured at its first call."""

    base: str
    variables: tuple  # ((name, shape), ...); shape None when unknown
    reuse: Any = None  # the layer's own `reuse=` / `_reuse`
    scope: VScope | None = None
    built: bool = False
    reuse_false_literal: bool = False
    is_cell: bool = False
    cell_scope: VScope | None = None  # RNNCell: the var scope current at its first call
    children: tuple = ()  # MultiRNNCell


@dataclass(eq=False)
class Template:
    name: Any
    func: Any
    kwargs: dict
    unique_name: Any
    scope: VScope | None = None
    called: bool = False


@dataclass(eq=False)
class Optimizer:
    name: Any
    slots: int  # slot variables per trained variable
    non_slot: tuple  # non-slot tf.Variables created once (Adam's beta powers)


@dataclass(frozen=True)
class VarRef:
    """A variable value, so that an optimizer or a moving average knows what it trains."""

    actual: str | None
    trainable: bool = True


def _shape_tuple(*dims: Any) -> Any:
    return tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in dims)


# layer kind -> (base name, positional index of units/filters, variables builder)
def _dense_vars(units: Any, use_bias: Any) -> tuple:
    out = [("kernel", _shape_tuple(None, units))]
    if use_bias is not False:
        out.append(("bias", _shape_tuple(units)))
    return tuple(out)


def _conv_vars(names: tuple) -> Any:
    def build(units: Any, use_bias: Any) -> tuple:
        out = [(n, None) for n in names]
        if use_bias is not False:
            out.append(("bias", None))
        return tuple(out)

    return build


LAYERS = {
    "dense": ("dense", _dense_vars),
    "conv1d": ("conv1d", _conv_vars(("kernel",))),
    "conv2d": ("conv2d", _conv_vars(("kernel",))),
    "conv3d": ("conv3d", _conv_vars(("kernel",))),
    "conv2d_transpose": ("conv2d_transpose", _conv_vars(("kernel",))),
    "conv3d_transpose": ("conv3d_transpose", _conv_vars(("kernel",))),
    "separable_conv1d": ("separable_conv1d", _conv_vars(("depthwise_kernel", "pointwise_kernel"))),
    "separable_conv2d": ("separable_conv2d", _conv_vars(("depthwise_kernel", "pointwise_kernel"))),
    # No variables, but still legacy layers: each opens a (numbered) variable scope and name scope.
    **{kind: (kind, lambda units, use_bias: ()) for kind in (
        "flatten", "dropout", "max_pooling1d", "max_pooling2d", "max_pooling3d",
        "average_pooling1d", "average_pooling2d", "average_pooling3d",
    )},
}
LAYER_CLASSES = {
    "Dense": "dense", "Conv1D": "conv1d", "Conv2D": "conv2d", "Conv3D": "conv3d",
    "Conv2DTranspose": "conv2d_transpose", "Conv3DTranspose": "conv3d_transpose",
    "SeparableConv1D": "separable_conv1d", "SeparableConv2D": "separable_conv2d",
    "BatchNormalization": "batch_normalization",
    "Flatten": "flatten", "Dropout": "dropout",
    "MaxPooling1D": "max_pooling1d", "MaxPooling2D": "max_pooling2d", "MaxPooling3D": "max_pooling3d",
    "AveragePooling1D": "average_pooling1d", "AveragePooling2D": "average_pooling2d",
    "AveragePooling3D": "average_pooling3d",
}
CELLS = {
    "BasicLSTMCell": ("basic_lstm_cell", (("kernel", None), ("bias", None))),
    "LSTMCell": ("lstm_cell", (("kernel", None), ("bias", None))),
    "BasicRNNCell": ("basic_rnn_cell", (("kernel", None), ("bias", None))),
    "GRUCell": ("gru_cell", (
        ("gates/kernel", None), ("gates/bias", None),
        ("candidate/kernel", None), ("candidate/bias", None),
    )),
}
OPTIMIZERS = {
    "AdamOptimizer": ("Adam", 2, ("beta1_power", "beta2_power")),
    "MomentumOptimizer": ("Momentum", 1, ()),
    "RMSPropOptimizer": ("RMSProp", 2, ()),
    "AdagradOptimizer": ("Adagrad", 1, ()),
    "AdadeltaOptimizer": ("Adadelta", 2, ()),
    "FtrlOptimizer": ("Ftrl", 2, ()),
    "GradientDescentOptimizer": ("GradientDescent", 0, ()),
}


def _bn_vars(center: Any, scale: Any) -> tuple:
    out = []
    if scale is not False:
        out.append(("gamma", None))
    if center is not False:
        out.append(("beta", None))
    return tuple(out) + (("moving_mean", None), ("moving_variance", None))


# TF-Slim layers: (default scope name, variables builder); custom getters rename kernel/bias.
def _slim_dense_vars(get: Any) -> tuple:
    units = get(1, "num_outputs")
    out = [("weights", _shape_tuple(None, units))]
    if get(-1, "normalizer_fn") is None and get(-1, "biases_initializer", INITIALIZER) is not None:
        out.append(("biases", _shape_tuple(units)))
    return tuple(out)


def _slim_conv_vars(get: Any) -> tuple:
    out = [("weights", None)]
    if get(-1, "normalizer_fn") is None and get(-1, "biases_initializer", INITIALIZER) is not None:
        out.append(("biases", None))
    return tuple(out)


def _slim_bn_vars(get: Any) -> tuple:
    out = []
    if get(-1, "scale", False) is not False:
        out.append(("gamma", None))
    if get(-1, "center", True) is not False:
        out.append(("beta", None))
    return tuple(out) + (("moving_mean", None), ("moving_variance", None))


SLIM = {
    "fully_connected": ("fully_connected", _slim_dense_vars),
    "conv2d": ("Conv", _slim_conv_vars),
    "batch_norm": ("BatchNorm", _slim_bn_vars),
}


class HighLevel:
    """Mixed into the simulator: handlers for the store-touching TF APIs."""

    # -- tf.layers ---------------------------------------------------------------------------

    def _layer_from_args(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode,
                         functional: bool) -> Layer:
        from .simulator import _ArgReader, _keyword_literal

        get = _ArgReader(args, kwargs)
        offset = 1 if functional else 0  # the functional form takes `inputs` first
        if kind == "batch_normalization":
            variables = _bn_vars(get(-1, "center", True), get(-1, "scale", True))
            base = "batch_normalization"
        else:
            base, build = LAYERS[kind]
            variables = build(get(offset, "units" if kind == "dense" else "filters"),
                              get(-1, "use_bias", True))
        name = get(-1, "name")
        reuse = get(-1, "reuse") if functional else get(-1, "_reuse")
        layer = Layer(
            base=name if isinstance(name, str) and not functional else base,
            variables=variables,
            reuse=reuse,
            reuse_false_literal=_keyword_literal(node, "reuse", "False"),
        )
        if name is not None and not isinstance(name, str):
            layer.variables = ()  # unknown scope: nothing predictable
            self.opaque(args, kwargs)
        elif functional and isinstance(name, str):
            # Functional layers pass _scope=name: a string scope captured at construction.
            layer.scope, exit_ = self.enter_variable_scope(self._scope_call(node, name))
            exit_()
        return layer

    def _scope_call(self: "Simulator", node: cst.CSTNode, name_or_scope: Any, default_name: Any = None,
                    reuse: Any = None, aux: bool = True, false_literal: bool = False) -> Any:
        from .simulator import VarScopeCall

        return VarScopeCall(node, name_or_scope, default_name, reuse, false_literal, aux, None, None, None)

    def call_layer(self: "Simulator", layer: Layer, node: cst.CSTNode) -> Any:
        # A name_scope around the layer call still misleads: the layer's scope hangs off the
        # variable scope, not off the name scope.
        outer_name_scope = self.in_name_scope
        if layer.scope is None:
            if truth(layer.reuse):
                call = self._scope_call(node, layer.base)
            else:
                call = self._scope_call(node, None, default_name=layer.base)
            layer.scope, exit_ = self.enter_variable_scope(call)
            exit_()
        reuse = True if layer.built else layer.reuse
        scope, exit_ = self.enter_variable_scope(self._scope_call(
            node, layer.scope, reuse=reuse, aux=False,
            false_literal=layer.reuse_false_literal and not layer.built,
        ))
        self.in_name_scope = outer_name_scope
        try:
            for name, shape in layer.variables:
                self.tf_get_variable([name], {"shape": shape, "dtype": UNKNOWN}, node)
            for index, child in enumerate(layer.children):
                inner, exit_child = self.enter_variable_scope(self._scope_call(node, f"cell_{index}"))
                try:
                    self.call_cell(child, node)
                finally:
                    exit_child()
        finally:
            exit_()
        if layer.scope is not None and layer.scope.original_name_scope:
            # After its variables, the layer makes its ops (MatMul, BiasAdd, ...) in the name
            # scope it first opened.
            self.graph.ops_made_in(layer.scope.original_name_scope[:-1])
        layer.built = True
        return TENSOR

    def tf_layer_function(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return self.call_layer(self._layer_from_args(kind, args, kwargs, node, functional=True), node)

    def tf_layer_class(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return self._layer_from_args(kind, args, kwargs, node, functional=False)

    # -- TF-Slim -------------------------------------------------------------------------------

    def tf_slim_layer(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _ArgReader

        defaults: dict = {}
        for names, scoped in self.arg_scopes:
            if None in names:  # an op the analysis cannot name: any default may apply
                self.opaque(args, kwargs)
                return UNKNOWN
            if f"slim.{kind}" in names:
                defaults.update(scoped)
        get = _ArgReader(args, {**defaults, **kwargs})
        scope = get(-1, "scope")
        if not (scope is None or isinstance(scope, (str, VScope))):
            self.opaque(args, kwargs)
            return UNKNOWN
        base, build = SLIM[kind]
        reuse = get(-1, "reuse")
        _, exit_ = self.enter_variable_scope(self._scope_call(
            node, scope, default_name=base, reuse=reuse,
            false_literal=_keyword_literal(node, "reuse", "False"),
        ))
        try:
            for name, shape in build(get):
                self.tf_get_variable([name], {"shape": shape, "dtype": UNKNOWN}, node)
        finally:
            exit_()
        return TENSOR

    # -- RNN cells and rnn functions ---------------------------------------------------------

    def tf_cell_class(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _ArgReader

        get = _ArgReader(args, kwargs)
        if kind == "MultiRNNCell":
            cells = get(0, "cells")
            if not isinstance(cells, (list, tuple)) or not all(isinstance(c, Layer) for c in cells):
                return UNKNOWN
            return Layer("multi_rnn_cell", (), get(-1, "reuse"), is_cell=True, children=tuple(cells))
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
        return Layer(base, variables, get(-1, "reuse"), is_cell=True)

    def tf_cell_wrapper(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """DropoutWrapper, ResidualWrapper, DeviceWrapper: calling one calls the wrapped cell's
        `__call__` directly, so for scopes and names the wrapper is the cell itself."""
        from .simulator import _ArgReader

        cell = _ArgReader(args, kwargs)(0, "cell")
        if isinstance(cell, Layer) and cell.is_cell:
            return cell
        self.opaque(args, kwargs)
        return UNKNOWN

    def call_cell(self: "Simulator", cell: Layer, node: cst.CSTNode) -> Any:
        if not cell.children:
            # LayerRNNCell (every cell but MultiRNNCell) bypasses RNNCell's captured scope: a plain
            # legacy layer, numbered by default_name where it is first called.
            return self.call_layer(cell, node)
        # MultiRNNCell jumps into the scope current at its first call; leaving the jump restores
        # the default_name counts, so two of them at one place clash.
        if cell.cell_scope is None:
            cell.cell_scope = self.graph.current
        scope, exit_ = self.enter_variable_scope(self._scope_call(node, cell.cell_scope))
        try:
            return self.call_layer(cell, node)
        finally:
            exit_()

    def tf_dynamic_rnn(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode,
                       default: str = "rnn", cell_index: int = 0) -> Any:
        from .simulator import _ArgReader

        get = _ArgReader(args, kwargs)
        cell = get(cell_index, "cell")
        scope = get(-1, "scope")
        if not isinstance(cell, Layer) or not (scope is None or isinstance(scope, (str, VScope))):
            self.opaque(args, kwargs)
            return UNKNOWN
        entered, exit_ = self.enter_variable_scope(self._scope_call(node, scope or default))
        self.graph.ops_made_in(self.graph.name_stack)  # the loop's ops (zeros, while, ...)
        try:
            self.call_cell(cell, node)
        finally:
            exit_()
        return UNKNOWN

    def tf_static_rnn(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return self.tf_dynamic_rnn(args, kwargs, node)

    def tf_bidirectional_rnn(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _ArgReader

        get = _ArgReader(args, kwargs)
        cells = (get(0, "cell_fw"), get(1, "cell_bw"))
        scope = get(-1, "scope")
        if not all(isinstance(c, Layer) for c in cells) or not (scope is None or isinstance(scope, (str, VScope))):
            self.opaque(args, kwargs)
            return UNKNOWN
        outer, exit_outer = self.enter_variable_scope(self._scope_call(node, scope or "bidirectional_rnn"))
        try:
            for direction, cell in zip(("fw", "bw"), cells):
                inner, exit_inner = self.enter_variable_scope(self._scope_call(node, direction))
                exit_inner_later = exit_inner
                try:
                    self.tf_dynamic_rnn([cell], {"scope": inner}, node)
                finally:
                    exit_inner_later()
        finally:
            exit_outer()
        return UNKNOWN

    # -- make_template -----------------------------------------------------------------------

    def tf_make_template(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _STAR_KEY, _ArgReader

        get = _ArgReader(args, kwargs)
        reserved = {"name_", "func_", "create_scope_now_", "unique_name_", "custom_getter_"}
        template = Template(
            name=get(0, "name_"), func=get(1, "func_"),
            kwargs={k: v for k, v in kwargs.items() if k not in reserved and k != _STAR_KEY},
            unique_name=get(3, "unique_name_"),
        )
        if get(-1, "custom_getter_") is not None or not isinstance(template.func, Function):
            self.opaque(args, kwargs)
            return UNKNOWN
        if truth(get(2, "create_scope_now_", False)):
            template.scope, exit_ = self.enter_variable_scope(
                self._scope_call(node, template.unique_name, default_name=template.name)
            )
            exit_()
        return template

    def call_template(self: "Simulator", template: Template, args: list, kwargs: dict,
                      node: cst.CSTNode) -> Any:
        if template.scope is None:
            call = self._scope_call(node, template.unique_name, default_name=template.name)
            template.scope, exit_ = self.enter_variable_scope(call)
        else:
            # Every call after the first shares: it re-enters the captured scope with reuse.
            reuse = True if template.called else None
            _, exit_ = self.enter_variable_scope(self._scope_call(node, template.scope, reuse=reuse))
        try:
            return self.call_function(template.func, list(args), {**template.kwargs, **kwargs}, node)
        finally:
            exit_()
            template.called = True

    # -- optimizers and moving averages ------------------------------------------------------

    def tf_global_step(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """`get_or_create_global_step`: the first call makes `global_step` with get_variable in
        the current variable scope (reuse applies); later calls find it in a graph collection."""
        graph = self.graph
        if graph.global_step is None:
            graph.global_step = self.tf_get_variable(
                ["global_step"],
                {"shape": [], "dtype": DType("int64"), "initializer": INITIALIZER, "trainable": False},
                node,
            )
        return graph.global_step

    def tf_optimizer_class(self: "Simulator", kind: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _ArgReader

        default, slots, non_slot = OPTIMIZERS[kind]
        name = _ArgReader(args, kwargs)(-1, "name", default)
        return Optimizer(name, slots, non_slot)

    def tf_ema_class(self: "Simulator", args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        from .simulator import _ArgReader

        name = _ArgReader(args, kwargs)(-1, "name", "ExponentialMovingAverage")
        return Optimizer(name, 1, ())

    def apply_slots(self: "Simulator", optimizer: Optimizer, variables: Any, node: cst.CSTNode) -> Any:
        """Slot variables: get_variable("") in vs(None, default_name=<var op name>/<name>)."""
        if not isinstance(optimizer.name, str):
            return UNKNOWN
        if variables is None:
            variables = list(self.graph.trainable)
        if not isinstance(variables, (list, tuple)) or not all(
            isinstance(v, VarRef) and v.actual is not None for v in variables
        ) or self.graph.trainable_unknown:
            self.opaque([], {})
            return UNKNOWN
        if optimizer.slots and variables:
            saved = self.graph.name_stack
            self.graph.name_stack = "" if saved is not None else None
            for extra in optimizer.non_slot:
                actual = self.graph.unique_name(extra, self.path)
                # Made under init_scope: the optimizer's own bookkeeping, never a sharing mistake.
                self.emit(TfVariable(self.site(node), extra, actual, False, None, None))
            self.graph.name_stack = saved
        for variable in variables:
            for index in range(optimizer.slots):
                call = self._scope_call(node, None, default_name=f"{variable.actual}/{optimizer.name}")
                _, exit_ = self.enter_variable_scope(call)
                try:
                    self.tf_get_variable([""], {"dtype": UNKNOWN}, node)
                finally:
                    exit_()
        return TENSOR
