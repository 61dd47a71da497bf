"""Losses: ``tf.losses.*``, the ``tf.nn`` cross entropies, ``l2_loss`` and ``add_n``.

Their results are tensors computed from their arguments, so an optimizer minimising them trains
exactly the variables those depend on (``optimizers.py``). ``tf.losses.get_total_loss`` and the
regularization losses come from graph collections: they are not modelled and stay unknown.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR
from . import graph_collections
from .tensors import as_tensor, registered, tensor

# Losses of their arguments: what they depend on is what an optimizer trains (the result of
# tf.losses.get_total_loss and friends comes from a collection, and stays unknown).
_SCALAR_LOSSES = [
    "losses.softmax_cross_entropy", "losses.sparse_softmax_cross_entropy",
    "losses.sigmoid_cross_entropy", "losses.mean_squared_error", "losses.absolute_difference",
    "losses.huber_loss", "losses.log_loss", "losses.hinge_loss", "losses.cosine_distance",
    "nn.l2_loss",
]


@registered(_SCALAR_LOSSES)
def scalar_loss(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """A reduced loss (the default reduction of tf.losses): a float32 scalar."""
    if "loss_collection" in kwargs:
        graph_collections.spoil_given(sim, kwargs["loss_collection"])  # not followed
    if "reduction" in kwargs:
        return TENSOR  # another reduction: the shape is not followed
    return tensor((), "float32")


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
