"""``isinstance(x, tf.Tensor)`` on values the model made, as library code asks before reading a
shape (``incoming.get_shape()``) or keeping an initializer's shape; and whether an optimizer is a
``tf.train.SyncReplicasOptimizer`` (TF-GAN makes its dummy global steps only for those).

A tensor the model computed is a ``tf.Tensor``; a variable is not (TF's variables are no
``Tensor`` subclass), nor an initializer object, an LSTM state tuple or a layer object. Anything
else, and every other class (``tf.Variable`` answers differently for v1 and v2 variables), is
left unknown. One approximation: a gradient of a gathered variable is an ``IndexedSlices`` in TF,
a tensor here.
"""

from __future__ import annotations

from typing import Any

from ..interp.values import INITIALIZER, Tensor
from .cell_states import StateTuple
from .layers import Layer
from .optimizers import Optimizer, SyncReplicas
from .registry import on_instance
from .variables import VarRef

_NEITHER = (StateTuple, Layer, VarRef)


@on_instance
def instance(value: Any, api: str) -> bool | None:
    if api == "train.SyncReplicasOptimizer":
        if type(value) is SyncReplicas:
            return True
        return False if type(value) is Optimizer and not value.averages else None
    if api != "Tensor":
        return None
    if type(value) is Tensor:
        return True
    if value is INITIALIZER or isinstance(value, _NEITHER):
        return False
    return None
