"""``tf.cond``: TF builds both branches, and each output has the most specific shape compatible
with both (a dimension the branches agree on is known, one they do not is unknown, a rank they
do not share leaves the shape unknown), as cond's Merge (TF 1) and If (TF 2) ops give it.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, Function, Tensor
from .ops import make_op
from .registry import api
from .tensors import as_tensor, deps_of, tensor, with_deps
from .variables import VarRef


@api("cond", pure=True)
def cond(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    branches = [get(1, "true_fn"), get(2, "false_fn")]
    branches = [kwargs.get(old, fn) if fn is None else fn for old, fn in zip(("fn1", "fn2"), branches)]
    # Its op name, and any other function it is given (none, in a well-formed call).
    make_op(sim, "cond", [a for a in args if a not in branches], {
        k: v for k, v in kwargs.items() if k not in ("true_fn", "false_fn", "fn1", "fn2")
    }, node)
    results = [sim.call_function(fn, [], {}, node) if isinstance(fn, Function) else TENSOR
               for fn in branches]
    return merged(results[0], results[1])


@api("smart_cond", "slim.smart_cond", "framework.smart_cond.smart_cond", "utils.smart_cond",
     pure=True)
def smart_cond(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``smart_cond(pred, true_fn, false_fn)``: a Python bool (or 0, 1) picks the function TF
    calls, as it does without building a cond (Sonnet 1's batch norm with ``is_training=True``);
    anything else is ``cond``."""
    get = ArgReader(args, kwargs)
    pred = get(0, "pred")
    if pred in (True, False) and not isinstance(pred, float):  # bool, 0 or 1
        fn = get(1, "true_fn") if pred else get(2, "false_fn")
        return sim.call_value(fn, [], {}, node) if fn is not None else TENSOR
    return cond(sim, args, kwargs, node)


def merged(a: Any, b: Any) -> Any:
    """The outputs of two branches as cond returns them."""
    if isinstance(a, (list, tuple)) and type(a) is type(b) and len(a) == len(b):
        return type(a)(merged(x, y) for x, y in zip(a, b))
    if not all(_tensor_like(v) for v in (a, b)):
        return TENSOR
    x, y = as_tensor(a), as_tensor(b)
    shape = None
    if x.shape is not None and y.shape is not None and len(x.shape) == len(y.shape):
        shape = tuple(p if p == q else None for p, q in zip(x.shape, y.shape))
    return with_deps(tensor(shape, x.dtype if x.dtype == y.dtype else None), deps_of(a, b))


def _tensor_like(value: Any) -> bool:
    return isinstance(value, (Tensor, VarRef, int, float)) or value is TENSOR
