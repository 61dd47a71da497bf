"""``tf.estimator.Estimator``: training builds the model in a graph of its own, as
tensorflow-estimator's ``Estimator.train`` does it:

a new graph; the global step (``create_global_step``); ``input_fn`` then ``model_fn`` called
with the arguments their signatures name (``features`` by keyword; ``labels``, ``mode`` as
``ModeKeys.TRAIN``, ``params``, ``config`` only when named); then, when ``model_dir`` holds no
checkpoint, ``warm_start(*settings)`` for ``warm_start_from`` (a path: every trainable
variable, or a ``WarmStartSettings``); then a monitored session on ``model_dir``, which
restores its latest checkpoint with a Saver of every global variable. The warm start and that
restore are alternatives (``events.Restore.when``).

Evaluation, prediction and export are not modelled: their calls are unknown code, and a
``model_fn`` only they would call runs on its own with an unknown caller, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STR, UNKNOWN, BoundBuiltin, Function
from . import graph_collections as gc
from .optimizers import global_step
from .registry import api, attribute, method
from .restores import emit, pairs_of
from .warm_starts import WarmStartSettings, run_warm_start
from .world import new_graph

TRAIN = "train"  # tf.estimator.ModeKeys.TRAIN


@dataclass(eq=False)
class Estimator:
    model_fn: Function
    params: Any
    config: Any
    warm_start: Any  # a WarmStartSettings, None, or UNKNOWN


def _settings(given: Any) -> Any:
    """``_get_default_warm_start_settings``: a path means every trainable variable."""
    if given is None or isinstance(given, WarmStartSettings):
        return given
    if isinstance(given, str) or given is STR:
        return WarmStartSettings((given, ".*", {}, {}))
    return UNKNOWN


@api("estimator.Estimator")
def estimator(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    model_fn = get(0, "model_fn")
    if get.unknown or not isinstance(model_fn, Function):
        return sim.opaque_value(args, kwargs)
    config = get(2, "config")
    return Estimator(model_fn, get(3, "params"), UNKNOWN if config is None else config,
                     _settings(get(4, "warm_start_from")))


@attribute(Estimator)
def estimator_attribute(sim: Any, value: Estimator, attr: str, node: cst.CSTNode) -> Any:
    if attr == "params":
        return value.params if value.params is not None else {}
    return BoundBuiltin(value, attr) if attr == "train" else UNKNOWN


def _names(fn: Function) -> list[str]:
    """``function_utils.fn_args``: the names of the parameters (``self`` left out of a bound
    method), not ``*args`` nor ``**kwargs``."""
    params = fn.node.params
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    return names[1:] if fn.bound is not None else names


def _call(sim: Any, fn: Any, given: dict, node: cst.CSTNode) -> Any:
    if not isinstance(fn, Function):
        return sim.opaque_value([fn], {})
    names = _names(fn)
    return sim.call_value(fn, [], {k: v for k, v in given.items() if k in names}, node)


@method(Estimator)
def estimator_method(sim: Any, value: Estimator, name: str, args: list, kwargs: dict,
                     node: cst.CSTNode) -> Any:
    if name != "train":
        return sim.opaque_value(args, kwargs)
    get = ArgReader(args, kwargs)
    world = sim.world
    before = world.graph
    world.graph = new_graph(sim)
    try:
        global_step(sim, [], {}, node)
        given = {"mode": TRAIN, "params": value.params or {}, "config": value.config}
        inputs = _call(sim, get(0, "input_fn"), given, node)
        features, labels = (inputs if isinstance(inputs, tuple) and len(inputs) == 2
                            else (inputs, None if isinstance(inputs, dict) else UNKNOWN))
        _call(sim, value.model_fn, {"features": features, "labels": labels, **given}, node)
        restore = "tf.estimator.Estimator.train (the latest checkpoint of model_dir)"
        if value.warm_start is not None:
            when = "init"
            if isinstance(value.warm_start, WarmStartSettings):
                run_warm_start(sim, node, "tf.estimator.Estimator(warm_start_from=...)",
                               value.warm_start, when=when)
            else:
                emit(sim, node, "tf.estimator.Estimator(warm_start_from=...)", None, when=when)
        everything = gc.listing(sim, gc.GLOBAL)
        when = "resume" if value.warm_start is not None else ""
        if everything is None:
            emit(sim, node, restore, None, whole_graph=True, upto=len(sim.trace.events), when=when)
        else:
            emit(sim, node, restore, pairs_of(everything), when=when)
    finally:
        world.graph = before
    return value
