"""Reading calls as written: dotted names, arguments by position or keyword, literal keywords."""

from __future__ import annotations

import dataclasses

from typing import Any

import libcst as cst

from .values import STAR, STAR_KEY, UNKNOWN, Function


def dotted(node: cst.CSTNode) -> str | None:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


class ArgReader:
    """Reads a call's arguments by position or keyword (index -1: keyword only)."""

    __slots__ = ("args", "kwargs", "unknown")

    def __init__(self, args: list, kwargs: dict) -> None:
        self.args, self.kwargs = args, kwargs
        self.unknown = STAR in args or STAR_KEY in kwargs

    def __call__(self, index: int, name: str, default: Any = None) -> Any:
        if name in self.kwargs:
            return self.kwargs[name]
        if 0 <= index < len(self.args) and STAR not in self.args[: index + 1]:
            return self.args[index]
        return UNKNOWN if self.unknown else default


def keyword_literal(node: cst.CSTNode, keyword: str, literal: str) -> bool:
    """The call spells ``keyword=literal`` in its source (``reuse=False``, not a variable)."""
    if not isinstance(node, cst.Call):
        return False
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return isinstance(arg.value, cst.Name) and arg.value.value == literal
    return False


def arity(fn: Function) -> int:
    """Positional parameters without a default."""
    params = fn.node.params
    return len([p for p in params.params if p.default is None])


_NESTED = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
# Fields of a node type that hold code (not whitespace or punctuation), by type.
_CODE_FIELDS: dict[type, tuple[str, ...]] = {}
_LAYOUT = ("whitespace", "lpar", "rpar", "comma", "semicolon", "leading_lines", "header",
           "footer", "trailing", "lines_after", "empty_lines")


def _code_fields(kind: type) -> tuple[str, ...]:
    names = _CODE_FIELDS.get(kind)
    if names is None:
        names = _CODE_FIELDS[kind] = tuple(
            f.name for f in dataclasses.fields(kind) if not f.name.startswith(_LAYOUT)
        )
    return names


def contains_own(node: cst.CSTNode, kinds: tuple) -> bool:
    """A node of one of ``kinds`` is in ``node``, outside the functions, classes and lambdas
    nested in it (a ``yield`` of the function itself, a ``break`` of the loop itself). A plain
    walk over the nodes' fields: libcst's visitor costs several times more, and this runs for
    every function called (is it a generator?)."""
    # Exact types (``kinds`` and the nested ones are classes no node type derives from):
    # isinstance on libcst's node classes, which are ABCs, costs most of the walk.
    stack = [node]
    while stack:
        current = stack.pop()
        for name in _code_fields(type(current)):
            value = getattr(current, name)
            items = value if type(value) in (list, tuple) else (value,)
            for item in items:
                kind = type(item)
                if kind in kinds:
                    return True
                if kind not in _NESTED and _is_node(kind):
                    stack.append(item)
    return False


_NODE_TYPES: dict[type, bool] = {}


def _is_node(kind: type) -> bool:
    found = _NODE_TYPES.get(kind)
    if found is None:
        found = _NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return found
