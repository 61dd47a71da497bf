"""What a handler of the TF model may return, and the part of the model's state it must leave as
it found it (``test_handlers_total.py``, ``test_tensor_shapes.py``)."""

from __future__ import annotations


def in_domain(value, depth: int = 0) -> bool:
    """A value the interpreter computes with: a plain Python value, a container of such, or one
    of the classes scopelint defines (the interpreter's values and the model's objects); not a
    tree node, a Python function, or anything else a handler may leak."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return depth > 3 or all(in_domain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return depth > 3 or all(in_domain(k, depth + 1) and in_domain(v, depth + 1)
                                for k, v in value.items())
    return type(value).__module__.startswith("scopelint.")


def state(sim) -> tuple:
    """What of the model's state no handler but a context manager's (and CHANGES_GRAPH) moves."""
    world = sim.world
    graph = world.graph
    current = graph.current
    return (id(graph), id(current), current.name, graph.name_stack, world.in_name_scope,
            len(world.arg_scopes))
