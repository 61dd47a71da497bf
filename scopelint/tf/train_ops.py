"""Training helpers that build an optimizer's step: TF-Slim's ``create_train_op`` (``slim.learning``
and ``slim.training``, TF 1's ``contrib.training``) and ``optimize_loss`` (``contrib.layers``).

``create_train_op`` makes the global step (``get_or_create_global_step``, unless one is given),
then computes and applies the gradients as ``minimize`` would; its clipping and multipliers keep
each gradient None or not. ``optimize_loss`` works inside ``variable_scope(name,
"OptimizeLoss")``: a float learning rate becomes the variable ``learning_rate`` there, and the
optimizer's slots and beta powers are made under that scope (``OptimizeLoss/w/Adam``). It only
looks the global step up.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..resolve import tfapi
from ..interp.values import INITIALIZER, TENSOR, UNKNOWN, Function, Instance, Partial, Tensor, TFRef
from .custom_cells import own_method
from .optimizers import Optimizer, apply_slots, global_step, gradient_pairs, optimizer_class
from .registry import api, api_with, constant
from .scopes import enter_variable_scope, scope_call
from .variables import VarRef, get_variable

_CREATE_TRAIN_OP = {
    "slim.learning.create_train_op": False,
    # These take `transform_grads_fn` (5th argument) and apply it to the pairs.
    "slim.training.create_train_op": True,
    "slim.training.training.create_train_op": True,
    "contrib.training.create_train_op": True,
}


def create_train_op(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    optimizer = get(1, "optimizer")
    if get.unknown or not isinstance(optimizer, Optimizer):
        return sim.opaque_value(args, kwargs)
    if len(args) < 3 and "global_step" not in kwargs:
        global_step(sim, [], {}, node)
    pairs = gradient_pairs(sim, get(0, "total_loss"), get(4, "variables_to_train"))
    if _CREATE_TRAIN_OP[api_name]:
        pairs = _transformed(sim, pairs, get(5, "transform_grads_fn"), node)
    apply_slots(sim, optimizer, pairs, node)
    return TENSOR


for _name in _CREATE_TRAIN_OP:
    api_with(_name, _name)(create_train_op)


def _transformed(sim: Any, pairs: Any, transform: Any, node: cst.CSTNode) -> Any:
    """The (gradient, variable) pairs after a function given to rewrite them (None: as they are)."""
    if transform is None:
        return pairs
    if isinstance(transform, Function):
        return sim.call_value(transform, [pairs], {}, node)
    return sim.opaque_value([pairs, transform], {})


# optimize_loss's optimizers given by name: the class, and the arguments it adds.
_BY_NAME = {
    "Adagrad": ("AdagradOptimizer", {}),
    "Adam": ("AdamOptimizer", {}),
    "Ftrl": ("FtrlOptimizer", {}),
    "Momentum": ("MomentumOptimizer", {"momentum": 0.9}),
    "RMSProp": ("RMSPropOptimizer", {}),
    "SGD": ("GradientDescentOptimizer", {}),
}

# contrib.layers.OPTIMIZER_CLS_NAMES, the same table as TF 1.15 exports it: each name's class
# (Momentum's, a function of the learning rate: the class with its momentum given).
for _api in ("slim.OPTIMIZER_CLS_NAMES", "slim.optimizers.OPTIMIZER_CLS_NAMES"):
    constant(_api, {
        name: Partial(TFRef(f"tensorflow.train.{kind}"), (), extra) if extra
        else TFRef(f"tensorflow.train.{kind}")
        for name, (kind, extra) in _BY_NAME.items()
    })


@api("slim.optimize_loss", "slim.optimizers.optimize_loss")
def optimize_loss(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    learning_rate = get(2, "learning_rate")
    if get.unknown or not (
        learning_rate is None or isinstance(learning_rate, (float, Tensor, VarRef)) or learning_rate is TENSOR
    ):
        return sim.opaque_value(args, kwargs)
    opened = scope_call(node, get(10, "name"), default_name="OptimizeLoss")
    _, exit_ = enter_variable_scope(sim, opened)
    try:
        rate = learning_rate
        if isinstance(learning_rate, float):
            rate = get_variable(sim, ["learning_rate", []], {
                "trainable": False, "initializer": INITIALIZER,
            }, node)
        decay = get(7, "learning_rate_decay_fn")
        if learning_rate is not None and decay is not None:
            rate = sim.call_value(decay, [rate, get(1, "global_step")], {}, node)
        optimizer = _optimizer(sim, get(3, "optimizer"), learning_rate, rate, node)
        own = _own_optimizer(optimizer)
        if not isinstance(optimizer, Optimizer) and own is None:
            return sim.opaque_value(args, kwargs)
        variables = get(9, "variables")
        if own is not None:
            # The program's optimizer: its own compute_gradients, given the trainable
            # variables when no list is given, as TF passes them.
            if variables is None:
                graph = sim.world.graph
                variables = UNKNOWN if graph.trainable_unknown else list(graph.trainable)
            pairs = sim.call_function(own[0], [get(0, "loss"), variables], {
                "colocate_gradients_with_ops": get(12, "colocate_gradients_with_ops", False),
            }, node)
        else:
            pairs = gradient_pairs(sim, get(0, "loss"), variables)
        clip = get(6, "clip_gradients")
        if clip is not None and not isinstance(clip, float):
            # A float clips by global norm (None stays None); a function rewrites the pairs.
            pairs = _transformed(sim, pairs, clip, node)
        if own is not None:
            step = get(1, "global_step") if get(13, "increment_global_step", True) else None
            sim.call_function(own[1], [pairs], {"global_step": step, "name": "train"}, node)
        else:
            apply_slots(sim, optimizer, pairs, node)
    finally:
        exit_()
    return TENSOR


def _own_optimizer(optimizer: Any) -> tuple[Function, Function] | None:
    """A tf.train.Optimizer the program wrote with its own compute_gradients and
    apply_gradients (tensor2tensor's ConditionalOptimizer, which hands both to the optimizer it
    wraps): optimize_loss calls them."""
    if not isinstance(optimizer, Instance) or optimizer.spoilt:
        return None
    if not any(isinstance(k, TFRef) and tfapi.canonical(k.path) == "train.Optimizer"
               for k in optimizer.cls.mro()):
        return None
    compute = own_method(optimizer, "compute_gradients")
    apply = own_method(optimizer, "apply_gradients")
    return None if compute is None or apply is None else (compute, apply)


def _optimizer(sim: Any, given: Any, learning_rate: Any, rate: Any, node: cst.CSTNode) -> Any:
    """The optimizer ``optimize_loss`` makes from its ``optimizer`` argument: a name, a class, an
    instance, or a function of the learning rate."""
    if isinstance(given, str) and given in _BY_NAME and learning_rate is not None:
        kind, extra = _BY_NAME[given]
        return optimizer_class(sim, kind, [], {"learning_rate": rate, **extra}, node)
    if isinstance(given, TFRef) and learning_rate is not None:
        return sim.call_value(given, [], {"learning_rate": rate}, node)
    if isinstance(given, (Optimizer, Instance)):
        return given
    if isinstance(given, Function):
        return sim.call_value(given, [rate] if learning_rate is not None else [], {}, node)
    return UNKNOWN
