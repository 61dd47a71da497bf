"""Gradients: ``tf.gradients``, what an optimizer's ``compute_gradients`` returns, and clipping.

What an optimizer makes slots for is decided by its gradients: TF skips a pair whose gradient is
``None``, which is what ``tf.gradients`` gives for a variable the loss does not depend on. So a
gradient here is ``None`` for a variable outside the loss's dependencies, and a ``Tensor`` shaped
like the variable otherwise (``is None`` is then decided, and comprehensions that filter on it
keep the right pairs). Clipping keeps ``None`` where TF keeps it (``clip_by_global_norm``).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import UNKNOWN, TFRef, Tensor
from .ops import make_op
from .registry import api
from .tensors import as_tensor, deps_of, first_input, registered
from .variables import VarRef


def loss_deps(loss: Any) -> frozenset | None:
    """The variables a loss (a tensor, or a list of them) is computed from; None when unknown."""
    if isinstance(loss, (list, tuple)):
        return deps_of(*loss) if loss else frozenset()
    if isinstance(loss, (Tensor, VarRef)):
        return as_tensor(loss).deps
    return None


def gradient(deps: frozenset | None, x: Any, zero_if_unconnected: Any = False) -> Any:
    """TF's gradient of a loss computed from ``deps`` with respect to ``x``: None for a variable
    the loss does not depend on (unless unconnected gradients are zeros), else a tensor of
    ``x``'s shape and dtype. When the dependencies are unknown, every variable is taken to be
    connected, as ``minimize`` takes every trainable variable to be trained."""
    if isinstance(x, VarRef):
        if x.actual is None:
            return UNKNOWN
        connected = deps is None or x.actual in deps
        if not connected and zero_if_unconnected is not True:
            return None if zero_if_unconnected is False else UNKNOWN
        return Tensor(x.shape, x.dtype, deps)
    if isinstance(x, Tensor) and deps is not None and x.deps is not None:
        # Whether a tensor reaches the loss is not followed (TF gives None where it does not);
        # where it does, the gradient is computed from the ops between them: from no variable
        # the loss and the tensor are not computed from (a gradient penalty's).
        return Tensor(x.shape, x.dtype, deps | x.deps)
    return UNKNOWN


def _unconnected_zeros(value: Any) -> Any:
    """``unconnected_gradients``: True for zeros, False for None (TF's default), else unknown."""
    if value is None:
        return False
    if isinstance(value, TFRef):
        value = value.path.rsplit(".", 1)[-1].lower()
    if isinstance(value, str) and value.lower() in ("zero", "none"):
        return value.lower() == "zero"
    return UNKNOWN


@api("gradients", "gradients_v2", pure=True)
def gradients(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    make_op(sim, "gradients", args, kwargs, node)
    ys, xs = get(0, "ys"), get(1, "xs")
    if get(7, "stop_gradients") is not None or get(2, "grad_ys") is not None:
        # Gradients stopped at given tensors, or seeded: which variables get one is not followed.
        deps: frozenset | None = frozenset()
        known = False
    else:
        deps, known = loss_deps(ys), True
    zeros = _unconnected_zeros(get(8, "unconnected_gradients"))
    single = isinstance(xs, (Tensor, VarRef))
    if not (single or isinstance(xs, (list, tuple))):
        return UNKNOWN
    return [gradient(deps, x, zeros) if known else UNKNOWN for x in ([xs] if single else xs)]


@api("stop_gradient", pure=True)
def stop_gradient(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """Its input, through which no gradient flows: a loss computed from it has no gradient for
    the variables it was computed from (a DQN's target network)."""
    make_op(sim, "stop_gradient", args, kwargs, node)
    given = as_tensor(first_input(args, kwargs))
    return Tensor(given.shape, given.dtype, frozenset(), given.value)


@registered(["clip_by_global_norm"])
def clip_by_global_norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``(clipped list, global norm)``: each tensor keeps its shape and a None stays None."""
    t_list = ArgReader(args, kwargs)(0, "t_list")
    if not isinstance(t_list, (list, tuple)):
        return UNKNOWN
    clipped = [t if t is None or t is UNKNOWN else _like(t) for t in t_list]
    return (clipped, Tensor((), "float32"))


@registered(["clip_by_norm", "clip_by_average_norm"])
def clip_by_norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return _like(ArgReader(args, kwargs)(0, "t"))


@registered(["global_norm"])
def global_norm(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return Tensor((), "float32")


def _like(value: Any) -> Tensor:
    """A tensor of ``value``'s shape and dtype (its dependencies are added by ``registered``)."""
    known = as_tensor(value)
    return Tensor(known.shape, known.dtype)
