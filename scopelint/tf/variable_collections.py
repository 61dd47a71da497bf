"""Variables as values: the graph's collections as lists (``tf.global_variables()``,
``tf.trainable_variables(scope)``, ``tf.get_collection(key, scope)``, TF-Slim's
``get_variables`` & co.), ``tf.add_to_collection``, and a variable's ``.op.name`` and
``.trainable``.

A collection is a list of the very values the creating calls returned, in creation order, so
that comprehensions over it (``[v for v in tf.trainable_variables() if 'd_' in v.name]``), a
``var_list`` or a ``Saver`` dict built from it are known values. ``scope`` filters as TF's
``get_collection`` does: ``re.match(scope, var.name)`` on the name with ``:0``. A collection
that may hold a value not seen (``graph_collections.listing`` says when) is unknown, never a
guessed subset.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN
from .state import VScope
from . import graph_collections as gc
from .registry import api, api_with, attribute
from .variables import VarOp, VarRef

# Keys TF itself fills with values this model does not follow (ops, tensors, savers).
_TF_KEYS = frozenset({
    "update_ops", "summaries", "queue_runners", "train_op",
    "cond_context", "while_context", "savers", "saveable_objects", "asset_filepaths", "init_op",
    "local_init_op", "ready_op", "ready_for_local_init_op", "summary_op", "eval_step",
    "table_initializer", "concatenate_context", "activations", "weights", "biases",
    "metric_variables", "resources", "local_resources", "trainable_resource_variables",
    "_SUMMARY_COLLECTION", "_SAVEABLE_OBJECTS",
})
_VARIABLE_KEYS = frozenset({gc.GLOBAL, gc.LOCAL, gc.MODEL, gc.TRAINABLE, gc.MOVING_AVERAGE,
                            gc.GLOBAL_STEP})


def collection(sim: Any, key: Any, scope: Any = None) -> Any:
    """``get_collection(key, scope)``: the collection's values whose name ``scope`` matches at
    its start; unknown when the collection or the filter is not known."""
    sim.impure()
    name = gc.key_of(key)
    if name is None or name in _TF_KEYS:
        return UNKNOWN
    if name in gc.TENSOR_KEYS:
        # The losses TF's families add (``losses.py``), a scope filtering their op names.
        items = gc.matching(sim, name, scope)
        return UNKNOWN if items is None else items
    if name not in _VARIABLE_KEYS:
        graph = sim.world.graph
        record = gc.of(graph)
        # The program's own key: what it added (every family spoils the keys it is given and
        # does not follow: ``graph_collections.spoil_given``); unknown code may add to any.
        if name not in record.lists or graph.trainable_unknown or graph.open:
            return UNKNOWN
    items = gc.listing(sim, name)
    if items is None:
        return UNKNOWN
    if isinstance(scope, VScope):
        scope = scope.name
    if scope is None:
        return items
    if not isinstance(scope, str):
        return UNKNOWN
    try:
        pattern = re.compile(scope)
    except re.error:
        return UNKNOWN  # TF raises
    kept = []
    for item in items:
        if not isinstance(item, VarRef) or item.actual is None:
            return UNKNOWN  # a value whose name is not known (TF skips those without one)
        if pattern.match(f"{item.actual}:0"):
            kept.append(item)
    return kept


_SHORTHANDS = {
    "global_variables": gc.GLOBAL,
    "all_variables": gc.GLOBAL,
    "local_variables": gc.LOCAL,
    "model_variables": gc.MODEL,
    "trainable_variables": gc.TRAINABLE,
    "moving_average_variables": gc.MOVING_AVERAGE,
}


def shorthand(sim: Any, key: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``tf.global_variables(scope)`` and the like: ``get_collection(KEY, scope)``."""
    return collection(sim, key, ArgReader(args, kwargs)(0, "scope"))


for _api, _key in _SHORTHANDS.items():
    api_with(_api, _key)(shorthand)


@api("get_collection")
def get_collection(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return collection(sim, get(0, "key"), get(1, "scope"))


@api("get_collection_ref")
def get_collection_ref(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    # The graph's own list, which the program may change in place: not followed. The collection
    # is unknown from now on, so what is done to the list does not matter: a list's methods
    # create nothing (a harmless value, not unknown code).
    gc.spoil(sim, gc.key_of(ArgReader(args, kwargs)(0, "key")))
    return TENSOR


@api("add_to_collection", "add_to_collections")
def add_to_collection(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    names, value = get(0, "name"), get(1, "value")
    if get.unknown:
        gc.spoil(sim)
        return None
    if not isinstance(names, (list, tuple, set)):
        names = [names]
    keys = [gc.key_of(n) for n in names]
    if None in keys:
        gc.spoil(sim)
        return None
    record = gc.of(sim.world.graph)
    for key in dict.fromkeys(keys):  # add_to_collections adds once per distinct name
        if sim.path:
            gc.spoil(sim, key)
        elif key not in _VARIABLE_KEYS and key not in _TF_KEYS:
            # The program's own collection: TF keeps whatever it is given (TFLearn's training
            # ops), read back as the very objects.
            record.lists.setdefault(key, []).append(value)
        elif not isinstance(value, VarRef) or value.actual is None:
            gc.spoil(sim, key)
        else:
            record.lists.setdefault(key, []).append(value)  # TF appends, duplicates too
    return None


# -- TF-Slim's variable getters (tf_slim/ops/variables.py) --------------------------------------

_SLIM_MODULES = ("slim.", "slim.variables.", "slim.ops.variables.", "slim.python.ops.variables.")


def _slim(name: str) -> tuple[str, ...]:
    return tuple(module + name for module in _SLIM_MODULES)


def slim_variables(sim: Any, scope: Any, suffix: Any, key: Any) -> Any:
    """``get_variables(scope, suffix, collection)``: a suffix matches anywhere after the scope,
    up to the ``:``."""
    if isinstance(scope, VScope):
        scope = scope.name
    if suffix is not None:
        if not isinstance(suffix, str) or not (scope is None or isinstance(scope, str)):
            return UNKNOWN
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return collection(sim, key, scope)


@api(*_slim("get_variables"))
def slim_get_variables(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    return slim_variables(sim, get(0, "scope"), get(1, "suffix"), get(2, "collection", gc.GLOBAL))


def _slim_of(key: str) -> Any:
    def handler(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        get = ArgReader(args, kwargs)
        return slim_variables(sim, get(0, "scope"), get(1, "suffix"), key)

    return handler


api(*_slim("get_model_variables"))(_slim_of(gc.MODEL))
api(*_slim("get_trainable_variables"))(_slim_of(gc.TRAINABLE))
api(*_slim("get_local_variables"))(_slim_of(gc.LOCAL))


@api(*_slim("get_variables_to_restore"))
def slim_variables_to_restore(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``get_variables_to_restore(include, exclude)``: the variables under any ``include``
    scope (all by default), less those under any ``exclude`` scope, in order."""
    get = ArgReader(args, kwargs)
    include, exclude = get(0, "include"), get(1, "exclude")
    if get.unknown:
        return UNKNOWN
    if include is None:
        chosen = slim_variables(sim, None, None, gc.GLOBAL)
    elif isinstance(include, (list, tuple)):
        chosen = []
        for scope in include:
            found = slim_variables(sim, scope, None, gc.GLOBAL)
            if found is UNKNOWN:
                return UNKNOWN
            chosen += found
    else:
        return UNKNOWN  # TF raises a TypeError
    if chosen is UNKNOWN:
        return UNKNOWN
    dropped: list = []
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            return UNKNOWN
        for scope in exclude:
            found = slim_variables(sim, scope, None, gc.GLOBAL)
            if found is UNKNOWN:
                return UNKNOWN
            dropped += found
    return [v for v in chosen if v not in dropped]


@api(*_slim("get_variables_by_name"))
def slim_variables_by_name(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    name, scope = get(0, "given_name"), get(1, "scope")
    if not isinstance(name, str):
        return UNKNOWN
    return slim_variables(sim, scope, f"/{name}:|^{name}:", gc.GLOBAL)


@attribute(VarOp, pure=True)
def op_attribute(sim: Any, op: VarOp, attr: str, node: cst.CSTNode) -> Any:
    """``var.op.name``: the variable's op name (its name without ``:0``)."""
    if attr == "name" and op.name is not None:
        return op.name
    return UNKNOWN
