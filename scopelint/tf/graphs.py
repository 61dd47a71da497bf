"""Graphs: ``tf.Graph()``, ``as_default()``, ``get_default_graph()``, ``reset_default_graph()``.

Each graph has its own ``GraphState`` (store, scopes, op names); entering ``as_default()`` makes
it the one every other family acts on (``sim.world.graph``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import libcst as cst

from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin
from .state import GraphState
from .registry import api, attribute, context, dict_key, method
from .scopes import NameScopeCall, name_scope_text
from .world import new_graph


@dataclass(frozen=True)
class GraphObj:
    """A ``tf.Graph``: equal to another for the same graph (``get_default_graph()`` twice)."""

    state: GraphState  # compared by identity


@dict_key(GraphObj)
def graph_key(graph: GraphObj) -> bool:
    return True  # the same graph, the same key (Sonnet 1 keys its reuse records by graph)


@dataclass(eq=False)
class GraphDefault:
    """``graph.as_default()`` before it is entered."""

    graph: GraphObj


@api("Graph")
def graph(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return GraphObj(new_graph(sim))


@api("get_default_graph")
def get_default_graph(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return GraphObj(sim.world.graph)


@api("reset_default_graph")
def reset_default_graph(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    sim.world.graph = new_graph(sim, open_store=sim.world.graph.open and sim.entry != "<module>")
    return None


@context(GraphDefault)
def enter_graph(sim: Any, manager: GraphDefault, node: cst.CSTNode) -> tuple[Any, Callable[[], None]]:
    world = sim.world
    previous = world.graph
    world.graph = manager.graph.state

    def exit_() -> None:
        world.graph = previous

    return manager.graph, exit_


@attribute(GraphObj)
def graph_attribute(sim: Any, obj: GraphObj, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(obj, attr)


@method(GraphObj)
def graph_method(sim: Any, obj: GraphObj, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    if name == "as_default":
        return GraphDefault(obj)
    if name == "name_scope":
        return NameScopeCall(args[0] if args else kwargs.get("name", UNKNOWN))
    if name == "get_name_scope" and not args and not kwargs:
        return name_scope_text(obj.state)
    return TENSOR
