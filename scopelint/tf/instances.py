"""``isinstance(x, tf.Tensor)`` and the like on values the model made, as library code asks before
reading a shape (``incoming.get_shape()``), keeping an initializer's shape, taking a captured
scope's name (``if isinstance(scope, tf.VariableScope): scope = scope.name``) or wrapping an
optimizer (``if isinstance(opt, tf.train.SyncReplicasOptimizer)``).

A tensor the model computed is a ``tf.Tensor``; a variable is not (TF's variables are no
``Tensor`` subclass), nor an initializer object, an LSTM state tuple or a layer object. A captured
scope is a ``VariableScope`` and nothing else of these. An optimizer is a ``tf.train.Optimizer``;
it is a ``SyncReplicasOptimizer`` exactly when the model made it as one (the wrappers it hands
on, like ``CrossShardOptimizer``, derive from ``Optimizer`` alone). An LSTM state tuple is an
``LSTMStateTuple``. Anything else, and every other
class (``tf.Variable`` answers differently for v1 and v2 variables), is left unknown. One
approximation: a gradient of a gathered variable is an ``IndexedSlices`` in TF, a tensor here.
"""

from __future__ import annotations

from typing import Any

from ..interp.values import INITIALIZER, Tensor
from .state import VScope
from .cell_states import StateTuple
from .layers import Layer
from .optimizers import Optimizer, SyncReplicas
from .registry import on_instance
from .variables import VarRef

# Values the model made that are of none of the classes answered here but their own.
_OWN = {
    "Tensor": lambda v: type(v) is Tensor,
    "VariableScope": lambda v: type(v) is VScope,
    "train.Optimizer": lambda v: type(v) is SyncReplicas or (type(v) is Optimizer and not v.averages),
    "train.SyncReplicasOptimizer": lambda v: type(v) is SyncReplicas,
    "train.ExponentialMovingAverage": lambda v: type(v) is Optimizer and v.averages,
    "nn.rnn_cell.LSTMStateTuple": lambda v: type(v) is StateTuple,
}
_MADE = (StateTuple, Layer, VarRef, Tensor, VScope, Optimizer, SyncReplicas)


@on_instance
def instance(value: Any, api: str) -> bool | None:
    test = _OWN.get(api)
    if test is None:
        return None
    if test(value):
        return True
    if value is INITIALIZER or isinstance(value, _MADE):
        return False
    return None
