"""TF's side of one run: the default graph, and where events happen.

``World`` is what TF keeps beside the interpreter (``sim.world``): the default graph's
``GraphState`` (``state.py``), whether a ``name_scope`` was opened inside the current variable
scope, and the ``slim.arg_scope`` stack. ``site`` places an event; ``opaque`` records a call
into code nobody can see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..resolve import tfapi
from ..events import Site
from ..interp.values import UNKNOWN, Instance, OpenObject, TFRef
from .state import GraphState, VScope
from .registry import on_opaque, on_start, on_token


@dataclass(eq=False)
class World:
    graph: GraphState
    graph_counter: int = 1
    in_name_scope: bool = False  # a name_scope was opened inside the current variable scope
    # TF APIs that unknown code was handed by name (mock.patch("tensorflow...get_variable")): it
    # may have replaced them, so calls to them are unknown from then on.
    patched: set = field(default_factory=set)
    arg_scopes: list = field(default_factory=list)  # slim.arg_scope stack: (op names, defaults)
    # Restores made now run only as one of two alternatives (``events.Restore.when``): set while
    # a session runs its Scaffold's init_fn.
    restore_when: str = ""
    # A default summary writer may be set (unknown code ran, or an unknown caller): what
    # tf.contrib.summary's ops do depends on it (``summary_writers.py``).
    summary_writer: bool = False


def new_graph(sim: Any, open_store: bool = False) -> GraphState:
    world = sim.world
    gid = world.graph_counter
    world.graph_counter += 1
    return GraphState(gid, open=open_store)


@on_start
def start(sim: Any, open_store: bool) -> None:
    """A new entry runs in a new default graph (open: an unknown caller may have filled it)."""
    if sim.world is None:
        sim.world = World(GraphState(0, open=open_store))
    else:
        sim.world.graph = new_graph(sim, open_store)
        sim.world.in_name_scope = False
    if open_store:
        sim.world.summary_writer = True


@on_opaque
def opaque(sim: Any, args: list, kwargs: dict) -> None:
    """A call into code the analysis cannot see: it may create variables anywhere below. Once the
    graph records that (``token``), another such call changes nothing."""
    graph = sim.world.graph
    if sim.entry == "<module>" and graph.gid not in sim.trace.unseen_graphs:
        sim.impure()
        sim.trace.unseen_graphs.add(graph.gid)
    here = _taint_key(graph)
    if here not in graph.tainted or not graph.trainable_unknown:
        sim.impure()
    graph.tainted.add(here)
    graph.trainable_unknown = True
    if not sim.world.summary_writer:
        sim.impure()
        sim.world.summary_writer = True  # it may have set a default summary writer
    for value in _scopes_in((*args, *kwargs.values())):
        if value.reuse is False:
            sim.impure()
            value.reuse = UNKNOWN
        # It may enter the scope it was handed (`with tf.variable_scope(scope):`) wherever it runs.
        held = value.name if value.name is not None else ""
        if held not in graph.tainted:
            sim.impure()
            graph.tainted.add(held)
    for index, value in enumerate(args):
        if isinstance(value, str) and tfapi.is_tf_module(value):
            sim.impure()
            sim.world.patched.add(tfapi.canonical(value))
        elif isinstance(value, TFRef) and index + 1 < len(args) and isinstance(args[index + 1], str):
            sim.impure()
            sim.world.patched.add(tfapi.canonical(f"{value.path}.{args[index + 1]}"))


def _scopes_in(values: tuple) -> list:
    """The variable scopes among ``values``, also inside lists, tuples, dicts and the program's
    objects (unknown code may reach them there)."""
    found: list = []
    seen: set = set()
    todo = list(values)
    while todo and len(seen) < _REACH:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, VScope):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            todo.extend(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, (Instance, OpenObject)):
            todo.extend(value.attrs.values())
    return found


_REACH = 1_000  # objects looked through for scopes handed to unknown code


@on_token
def token(sim: Any) -> Any:
    """What pure handlers and an opaque call that changes nothing read of the model's state: the
    APIs unknown code replaced, and whether the graph already records unknown code here."""
    world = sim.world
    graph = world.graph
    return (
        frozenset(world.patched) if world.patched else None,
        graph.trainable_unknown and _taint_key(graph) in graph.tainted,
        sim.entry == "<module>" and graph.gid not in sim.trace.unseen_graphs,
        world.summary_writer,
    )


def _taint_key(graph: GraphState) -> str:
    """The prefix unknown code running now taints: the current scope ("" when unknown)."""
    name = graph.current.name
    return name if name is not None else ""


def is_patched(sim: Any, api: str) -> bool:
    return bool(sim.world.patched) and api in sim.world.patched


def site(sim: Any, node: cst.CSTNode) -> Site:
    return Site(
        node=sim.here(node),
        stack=sim.stack,
        entry=sim.entry,
        graph=sim.world.graph.gid,
        order=len(sim.trace.events),
        suppressed=sim.suppress > 0,
        conditional=bool(sim.path),
    )
