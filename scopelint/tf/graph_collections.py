"""A graph's collections of variables, as TF keeps them: ordered lists under string keys.

Every family that makes a variable adds it here (``add``) under the keys TF adds it to
(``variables`` for the global ones, ``local_variables``, ``model_variables``, ...); the
collections family (``variable_collections.py``) reads them back as values. A collection is
only answered when every variable that may be in it was seen: one made on an undecided branch,
one whose name is not known, or one that unknown code may have made, spoils it (``spoil``), and
it reads as unknown from then on. The trainable variables are the graph's own list
(``GraphState.trainable``), kept by ``variables.track``.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from ..resolve import tfapi
from ..interp.values import TFRef
from .registry import constant
from .state import VScope

# TF's names for the graph keys of variable collections (tf.GraphKeys).
GLOBAL = "variables"
LOCAL = "local_variables"
MODEL = "model_variables"
TRAINABLE = "trainable_variables"
MOVING_AVERAGE = "moving_average_variables"
GLOBAL_STEP = "global_step"
# The losses TF's families add (tf.losses.*, regularizers of the variables they make): tensors,
# read back to know what a total loss is computed from.
LOSSES = "losses"
REGULARIZATION = "regularization_losses"
TENSOR_KEYS = frozenset({LOSSES, REGULARIZATION})
KEYS = {
    "GLOBAL_VARIABLES": GLOBAL,
    "VARIABLES": GLOBAL,
    "LOCAL_VARIABLES": LOCAL,
    "MODEL_VARIABLES": MODEL,
    "TRAINABLE_VARIABLES": TRAINABLE,
    "MOVING_AVERAGE_VARIABLES": MOVING_AVERAGE,
    "GLOBAL_STEP": GLOBAL_STEP,
    # The keys of what TF keeps beside variables (ops, losses, savers, ...): known by name, so
    # that touching one of them leaves the others alone.
    **{name: name.lower() for name in (
        "ACTIVATIONS", "ASSET_FILEPATHS", "BIASES", "CONCATENATED_VARIABLES", "COND_CONTEXT",
        "EVAL_STEP", "INIT_OP", "LOCAL_INIT_OP", "LOCAL_RESOURCES", "LOSSES", "METRIC_VARIABLES",
        "QUEUE_RUNNERS", "READY_FOR_LOCAL_INIT_OP", "READY_OP", "REGULARIZATION_LOSSES",
        "RESOURCES", "SAVEABLE_OBJECTS", "SAVERS", "SUMMARIES", "SUMMARY_OP",
        "TRAINABLE_RESOURCE_VARIABLES", "TRAIN_OP", "UPDATE_OPS", "WEIGHTS", "WHILE_CONTEXT",
    )},
    "TABLE_INITIALIZERS": "table_initializer",
}


# tf.GraphKeys are plain strings in TF: a set or dict of keys, `key == "variables"`, compare so.
for _name, _value in KEYS.items():
    for _module in ("GraphKeys.", "ops.GraphKeys."):
        constant(_module + _name, _value)


@dataclass(eq=False)
class Collections:
    lists: dict = field(default_factory=dict)  # key -> values in the order they were added
    spoiled: set = field(default_factory=set)  # keys whose contents are not known
    all_spoiled: bool = False  # every key (unknown code may add to any collection)
    # id(value) -> how its op name starts, for the tensors a family added knowing that.
    names: dict = field(default_factory=dict)


_BY_GRAPH: weakref.WeakKeyDictionary[Any, Collections] = weakref.WeakKeyDictionary()


def of(graph: Any) -> Collections:
    found = _BY_GRAPH.get(graph)
    if found is None:
        found = _BY_GRAPH[graph] = Collections()
    return found


def add(sim: Any, key: str, value: Any) -> None:
    """``value`` joins collection ``key`` of the current graph; on an undecided branch, or
    with a name not known, it may or may not be there: the collection is spoiled."""
    sim.impure()
    record = of(sim.world.graph)
    if sim.path or getattr(value, "actual", "") is None:
        record.spoiled.add(key)
        return
    items = record.lists.setdefault(key, [])
    if value not in items:  # TF's add_to_collections skips a value already there
        items.append(value)


def add_variable(sim: Any, value: Any, local: bool = False, model: bool = False) -> None:
    """A variable made with TF's default collections (global or local), and ``model``'s."""
    add(sim, LOCAL if local else GLOBAL, value)
    if model:
        add(sim, MODEL, value)


def key_of(value: Any) -> str | None:
    """A collection key as code gives it: a string, or ``tf.GraphKeys.X``; None when unknown."""
    if isinstance(value, str):
        return value
    if isinstance(value, TFRef):
        api = tfapi.canonical(value.path)
        if api.startswith(("GraphKeys.", "ops.GraphKeys.")):
            return KEYS.get(api.rpartition(".")[2])
    return None


def add_to_given(sim: Any, value: Any, given: Any, default: str) -> None:
    """A variable made with a ``collections=`` argument: TF adds it to those (None: to
    ``default``); a list not known spoils every collection."""
    if given is None:
        add(sim, default, value)
        return
    # A set's order does not matter: TF adds to each (a set of unknown items holds UNKNOWN_ITEMS)
    keys = [key_of(k) for k in given] if isinstance(given, (list, tuple, set, frozenset)) else [None]
    if None in keys:
        spoil(sim)
        return
    for key in keys:
        add(sim, key, value)


def spoil_given(sim: Any, given: Any) -> None:
    """Collections a call was given (``collections=``, ``outputs_collections=``) that TF adds
    to and this model does not follow: each may hold values not seen (a key not known: all)."""
    if given is None:
        return
    if isinstance(given, dict):  # slim's variables_collections: a list (or None) per variable
        for each in given.values():
            spoil_given(sim, each)
        return
    keys = [key_of(k) for k in given] if isinstance(given, (list, tuple, set, frozenset)) else [
        key_of(given)]
    for key in keys:
        spoil(sim, key)


def spoil_named(sim: Any, kwargs: dict) -> None:
    """``spoil_given`` for every keyword of a call that names collections."""
    for name, value in kwargs.items():
        if isinstance(name, str) and name.endswith(("collections", "collection")):
            spoil_given(sim, value)


def spoil(sim: Any, key: str | None = None) -> None:
    """Collection ``key`` (None: every one) may hold values not seen."""
    sim.impure()
    record = of(sim.world.graph)
    if key is None:
        record.all_spoiled = True
    else:
        record.spoiled.add(key)


def listing(sim: Any, key: str) -> list | None:
    """Collection ``key`` of the current graph as a new list, or None when it is not known."""
    graph = sim.world.graph
    record = of(graph)
    if record.all_spoiled or key in record.spoiled or graph.open:
        return None
    if key == TRAINABLE:
        if graph.trainable_unknown or record.lists.get(TRAINABLE) is not None:
            return None
        return list(graph.trainable)
    # Unknown code may have made variables, Keras layers make ones not named.
    if key in (GLOBAL, LOCAL, MODEL, MOVING_AVERAGE) and (graph.tainted or graph.trainable_unknown):
        return None
    if key == GLOBAL_STEP:
        return [] if graph.global_step is None else [graph.global_step]
    if key in TENSOR_KEYS and graph.trainable_unknown:
        return None  # unknown code (or a Keras layer) may have added a loss
    return list(record.lists.get(key, ()))


def add_named(sim: Any, key: str, value: Any, name_start: str | None) -> None:
    """``add`` for a tensor whose op name starts with ``name_start`` (a regularization loss:
    ``<variable>/Regularizer/...``; None: not known), so that a scope can filter it."""
    add(sim, key, value)
    if name_start is not None:
        of(sim.world.graph).names[id(value)] = name_start


def matching(sim: Any, key: str, scope: Any) -> list | None:
    """``get_collection(key, scope)`` for a collection of tensors: those whose op name
    ``re.match``-es ``scope``, decided on how their names start for a plain-text scope; None
    when not known."""
    items = listing(sim, key)
    if items is None or scope is None:
        return items
    if isinstance(scope, VScope):
        scope = scope.name
    if not isinstance(scope, str) or re.escape(scope) != scope:
        return None  # a regular expression: the rest of the name may decide
    names = of(sim.world.graph).names
    kept = []
    for item in items:
        start = names.get(id(item))
        if start is None or len(scope) > len(start):
            return None
        if start.startswith(scope):
            kept.append(item)
    return kept
