"""Losses: ``tf.losses.*``, the ``tf.nn`` cross entropies, ``l2_loss`` and ``add_n``, and the
loss collections ``tf.losses.get_total_loss`` and friends read.

Their results are tensors computed from their arguments, so an optimizer minimising them trains
exactly the variables those depend on (``optimizers.py``). Each ``tf.losses`` function also adds
its loss to the ``losses`` collection (or its ``loss_collection``); the variables made with a
regularizer add theirs to ``regularization_losses`` (``variables.py``, ``slim_layers.py``). A
total loss is computed from everything in both, when both are known
(``graph_collections.listing``): unknown code, a regularizer the analysis does not follow, or a
loss added on an undecided branch leaves it unknown.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN
from . import graph_collections as gc
from .ops import make_op
from .registry import api_with
from .tensors import as_tensor, deps_of, registered, tensor, with_deps

# tf.losses' reduced losses, by where each takes ``loss_collection`` (``reduction`` follows it).
_SCALAR_LOSSES = {
    "losses.softmax_cross_entropy": 5, "losses.sparse_softmax_cross_entropy": 4,
    "losses.sigmoid_cross_entropy": 5, "losses.mean_squared_error": 4,
    "losses.absolute_difference": 4, "losses.huber_loss": 5, "losses.log_loss": 5,
    "losses.hinge_loss": 4, "losses.cosine_distance": 5, "losses.mean_pairwise_squared_error": 4,
    "losses.compute_weighted_loss": 3,
}
_NOT_DATA = ("name", "scope", "loss_collection", "reduction")


def _collect(sim: Any, loss: Any, given: Any) -> None:
    """TF's ``util.add_loss``: ``loss`` joins collection ``given`` (None: none)."""
    if given is None:
        return
    key = gc.key_of(given)
    if key is None:
        gc.spoil(sim)  # a collection not known: any may hold it
    else:
        gc.add(sim, key, loss)


def scalar_loss(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A reduced loss (the default reduction of tf.losses): a float32 scalar, computed from its
    arguments, added to its loss collection."""
    make_op(sim, api_name, args, kwargs, node)
    get = ArgReader(args, kwargs)
    at = _SCALAR_LOSSES[api_name]
    reduced = get(at + 1, "reduction") is None and not get.unknown
    data = [a for i, a in enumerate(args) if i < at - 1]  # not scope, collection, reduction
    deps = deps_of(*data, *(v for k, v in kwargs.items() if k not in _NOT_DATA))
    loss = with_deps(tensor((), "float32") if reduced else TENSOR, deps)
    if get.unknown:
        gc.spoil(sim)
    else:
        _collect(sim, loss, get(at, "loss_collection", gc.LOSSES))
    return loss


for _name in _SCALAR_LOSSES:
    api_with(_name, _name)(scalar_loss)


@registered(["nn.l2_loss"])
def l2_loss(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return tensor((), as_tensor(ArgReader(args, kwargs)(0, "t")).dtype)


@api_with("losses.add_loss")
def add_loss(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown:
        gc.spoil(sim)
    else:
        _collect(sim, get(0, "loss"), get(1, "loss_collection", gc.LOSSES))
    return None


def _listed(sim: Any, key: str, scope: Any) -> list | None:
    """A loss collection's tensors (those whose op name ``scope`` matches); None when not
    known."""
    return gc.matching(sim, key, scope)


@api_with("losses.get_losses")
def get_losses(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    key = gc.key_of(get(1, "loss_collection", gc.LOSSES))
    # Another collection of the program's: ``get_collection`` answers it.
    found = None if get.unknown or key not in gc.TENSOR_KEYS else _listed(sim, key, get(0, "scope"))
    return UNKNOWN if found is None else found


@api_with("losses.get_regularization_losses")
def get_regularization_losses(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    found = None if get.unknown else _listed(sim, gc.REGULARIZATION, get(0, "scope"))
    return UNKNOWN if found is None else found


@api_with("losses.get_regularization_loss")
def get_regularization_loss(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """The regularization losses added up (a constant 0 when there are none)."""
    make_op(sim, "losses.get_regularization_loss", args, kwargs, node)
    get = ArgReader(args, kwargs)
    found = None if get.unknown else _listed(sim, gc.REGULARIZATION, get(0, "scope"))
    total = tensor((), "float32")
    return total if found is None else with_deps(total, deps_of(*found))


@api_with("losses.get_total_loss")
def get_total_loss(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``get_total_loss(add_regularization_losses=True, name, scope)``: the losses (and the
    regularization losses) added up."""
    make_op(sim, "losses.get_total_loss", args, kwargs, node)
    get = ArgReader(args, kwargs)
    regularized = get(0, "add_regularization_losses", True)
    if get.unknown or regularized not in (True, False):
        return tensor((), "float32")
    scope = get(2, "scope")
    parts = [_listed(sim, gc.LOSSES, scope)]
    if regularized:
        parts.append(_listed(sim, gc.REGULARIZATION, scope))
    if any(p is None for p in parts) or not any(parts):
        return tensor((), "float32")  # unknown, or none at all (TF raises)
    return with_deps(tensor((), "float32"), deps_of(*parts))


@registered([
    "nn.softmax_cross_entropy_with_logits", "nn.softmax_cross_entropy_with_logits_v2",
    "nn.sparse_softmax_cross_entropy_with_logits",
])
def cross_entropy(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """One loss per example: the logits' shape without the class axis."""
    logits = as_tensor(kwargs.get("logits", TENSOR))
    shape = logits.shape[:-1] if logits.shape else None
    return tensor(shape, logits.dtype)


@registered(["nn.sigmoid_cross_entropy_with_logits"])
def sigmoid_cross_entropy(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    logits = as_tensor(kwargs.get("logits", TENSOR))
    return tensor(logits.shape, logits.dtype)


@registered(["add_n", "math.add_n"])
def add_n(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    inputs = ArgReader(args, kwargs)(0, "inputs")
    if not isinstance(inputs, (list, tuple)) or not inputs:
        return TENSOR
    first = as_tensor(inputs[0])
    return tensor(first.shape, first.dtype)
