"""Reading calls as written: dotted names, arguments by position or keyword, literal keywords."""

from __future__ import annotations

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


class _Finder(cst.CSTVisitor):
    def __init__(self, kinds: tuple) -> None:
        self.kinds = kinds
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found:
            return False
        if isinstance(node, self.kinds):
            self.found = True
            return False
        return not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda))


def contains_own(node: cst.CSTNode, kinds: tuple) -> bool:
    """A node of one of ``kinds`` is in ``node``, outside the functions, classes and lambdas
    nested in it (a ``yield`` of the function itself, a ``break`` of the loop itself)."""
    finder = _Finder(kinds)
    node.visit(finder)
    return finder.found
