"""``isinstance(x, tf.Tensor)`` on values the model made, as library code asks before reading a
shape (``incoming.get_shape()``) or keeping an initializer's shape.

A tensor the model computed is a ``tf.Tensor``; a variable is not (TF's variables are no
``Tensor`` subclass), nor an initializer object, an LSTM state tuple or a layer object. Anything
else, and every other class (``tf.Variable`` answers differently for v1 and v2 variables), is
left unknown. A variable scope is a ``tf.VariableScope``, and none of those is. One approximation: a gradient of a gathered variable is an ``IndexedSlices`` in TF,
a tensor here.
"""

from __future__ import annotations

from typing import Any

from ..interp.values import INITIALIZER, Tensor
from ..state import VScope
from .cell_states import StateTuple
from .layers import Layer
from .registry import on_instance
from .variables import VarRef

_NEITHER = (StateTuple, Layer, VarRef)


@on_instance
def instance(value: Any, api: str) -> bool | None:
    if api == "VariableScope":
        if type(value) is VScope:
            return True
        return False if type(value) is Tensor or value is INITIALIZER or isinstance(
            value, _NEITHER) else None
    if api != "Tensor":
        return None
    if type(value) is Tensor:
        return True
    if value is INITIALIZER or isinstance(value, _NEITHER):
        return False
    return None
