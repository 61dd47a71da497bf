"""``tf.cond``: TF builds both branches, and each output has the most specific shape compatible
with both (a dimension the branches agree on is known, one they do not is unknown, a rank they
do not share leaves the shape unknown), as cond's Merge (TF 1) and If (TF 2) ops give it.

``tf.while_loop``: TF calls ``cond`` and then ``body`` once on the loop variables (tensors of
their shapes, or of the ``shape_invariants``, and dtypes), and the loop's outputs have those
shapes and dtypes, packed like what ``body`` returns; they are computed from the inputs and from
what the body read.

``tf.foldl``, ``tf.foldr``, ``tf.scan``: TF calls ``fn`` once, on the accumulator (the
initializer, or the first element without one) and on one element of ``elems`` (its shape less
the first dimension); a fold gives one tensor of the accumulator's shape and dtype, a scan the
accumulators stacked along the sequence.

``control_flow_util.GetContainingXLAContext``: only ``xla.compile`` and the TPU rewrites build
in an XLA context, and the analysis never runs a function they are given from the program's top
level (it is analysed on its own, as an entry without its caller, where nothing is known).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader, arity
from ..interp.values import STAR, TENSOR, UNKNOWN, Function, Partial, Tensor
from .ops import make_op, take_name
from .registry import api, api_with
from .tensors import as_tensor, deps_of, shape_from, tensor, with_deps
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


@api("ops.control_flow_util.GetContainingXLAContext")
def containing_xla_context(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return None if sim.entry == "<module>" else UNKNOWN  # tensor2tensor's is_xla_compiled()


@api("while_loop", pure=True)
def while_loop(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    cond, body, loop_vars = get(0, "cond"), get(1, "body"), get(2, "loop_vars")
    invariants = get(3, "shape_invariants")
    structured = isinstance(loop_vars, (list, tuple))
    inner = _loop_values(loop_vars, invariants)
    if get.unknown or inner is None or not all(isinstance(f, (Function, Partial)) for f in (cond, body)):
        for fn in (cond, body):
            if isinstance(fn, Function):
                sim.call_function(fn, [TENSOR] * arity(fn), {}, node)
        return TENSOR
    spread = list(inner) if structured else [inner]
    sim.call_value(cond, spread, {}, node)
    result = sim.call_value(body, spread, {}, node)
    deps = deps_of(loop_vars, result)
    if not structured:
        return with_deps(inner, deps)
    if len(inner) == 1 and get(9, "return_same_structure") is not True:
        return TENSOR  # TF 1 gives the one tensor, TF 2's while_loop a list of it
    kind = type(result) if isinstance(result, (list, tuple)) and len(result) == len(inner) else type(inner)
    return kind(with_deps(v, deps) for v in inner)


_NAME_AT = {"foldl": 6, "foldr": 6, "scan": 8}  # where `name` is among the arguments


def fold(sim: Any, api_name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    fn, elems, initializer = get(0, "fn"), get(1, "elems"), get(2, "initializer")
    take_name(sim, api_name, get(_NAME_AT[api_name], "name"))  # its name scope
    element = _element(elems)
    accumulator = element if initializer is None else _loop_values(initializer, None)
    if get.unknown or element is None or accumulator is None or isinstance(accumulator, (list, tuple)):
        # A nest of tensors, or a sequence not known: the function still builds, on tensors.
        if isinstance(fn, Function):
            sim.call_function(fn, [TENSOR] * arity(fn), {}, node)
        return TENSOR
    result = sim.call_value(fn, [accumulator, element], {}, node) if fn is not None else TENSOR
    deps = deps_of(elems, initializer, result)
    if api_name != "scan":
        return with_deps(accumulator, deps)
    known = as_tensor(accumulator)  # (TENSOR when nothing is known of it)
    length = as_tensor(elems).shape
    stacked = None if known.shape is None or length is None else (length[0], *known.shape)
    return with_deps(tensor(stacked, known.dtype), deps)


for _name in _NAME_AT:
    api_with(_name, _name, pure=True)(fold)


def _element(elems: Any) -> Tensor | None:
    """One element of a sequence of one tensor, as the function sees it (None: not known)."""
    if not isinstance(elems, (Tensor, VarRef)):
        return None
    known = as_tensor(elems)
    if known.shape is not None and len(known.shape) == 0:
        return None  # TF rejects a scalar sequence
    return with_deps(tensor(None if known.shape is None else known.shape[1:], known.dtype), known.deps)


def _loop_values(values: Any, invariants: Any) -> Any:
    """What the loop's cond and body get for ``values``: each tensor with its shape (or its
    invariant's), dtype and dependencies; None where one is not known to be a tensor."""
    if isinstance(values, (list, tuple)):
        shapes = invariants if isinstance(invariants, (list, tuple)) and len(invariants) == len(values) else None
        if invariants is not None and shapes is None or STAR in values:
            return None
        inner = [_loop_values(v, None if shapes is None else shapes[i]) for i, v in enumerate(values)]
        return None if any(v is None for v in inner) else type(values)(inner)
    if not isinstance(values, (Tensor, VarRef, int, float)):
        return None
    known = as_tensor(values)
    shape = known.shape if invariants is None else shape_from(invariants)
    # Computed from what the value was computed from (the loop's outputs add what the body read).
    return with_deps(tensor(shape, known.dtype), known.deps)
