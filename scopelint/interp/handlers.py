"""What a ``try`` statement's handlers do, read from the source alone: whether a handler
swallows TF's ValueError or raises on every path, and whether a body that only imports can
reach its handlers at all."""

from __future__ import annotations

from typing import Iterable, Sequence

import libcst as cst

from .args import contains_own, dotted
from .values import Class, Env, Function, ProjectModule, TFRef


def imports_that_resolved(node: cst.Try | cst.TryStar, env: Env) -> bool:
    """Does ``node``'s body only import (and name or return what it imported, or set a flag:
    `is_tf2 = False`), every name it bound resolving to the modelled API or a module of the
    run, and do its handlers catch only ImportError (or everything: a bare `except:`, which
    such a body can only reach through a failed import)? Then no handler runs."""
    for handler in node.handlers:
        caught = handler.type
        if caught is None:
            continue
        names = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
        if any((dotted(n) or "").split(".")[-1] not in _IMPORT_ERRORS for n in names):
            return False
    for statement in node.body.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, (cst.Name, cst.Attribute)):
                continue  # `core = rnn_cell_impl`: naming what was imported
            if isinstance(small, cst.Return) and (
                small.value is None or isinstance(small.value, (cst.Name, cst.Attribute))
            ):
                continue  # `return contrib_layers`
            if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(
                small.names, cst.ImportStar
            ):
                return False
            for alias in small.names:
                bound = alias.asname.name if alias.asname is not None else alias.name
                name = (dotted(bound) or "").split(".")[0]
                if type(env.lookup(name)) not in (TFRef, ProjectModule, Function, Class):
                    return False
    return True


# What a handler of a try that only imports may catch and still not run.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def only_raises(body: cst.BaseSuite) -> bool:
    """A handler whose body is one ``raise`` statement."""
    stmts = body.body
    return (
        len(stmts) == 1 and type(stmts[0]) is cst.SimpleStatementLine
        and len(stmts[0].body) == 1 and type(stmts[0].body[0]) is cst.Raise
    )


def swallows_value_error(handlers: Iterable[cst.ExceptHandler | cst.ExceptStarHandler]) -> bool:
    """A ValueError raised in the try body ends there: the first handler that matches it (Python
    runs no other) may finish without raising. One that raises on every path (``raise``,
    ``raise e``, ``raise Other(...) from e``) lets the program fail where TF raised."""
    for handler in handlers:
        if handler.type is None or names_value_error(handler.type):
            return not _always_raises(handler.body.body)
    return False


def _always_raises(body: Sequence[cst.BaseStatement]) -> bool:
    """Every way through ``body`` ends in a ``raise`` statement, read from the source alone. A
    ``return``, ``break`` or ``continue`` before it, anywhere but in a nested definition, counts
    as a way out (even inside a loop of its own): the handler may swallow the error."""
    for stmt in body:
        if type(stmt) is cst.SimpleStatementLine:
            for small in stmt.body:
                kind = type(small)
                if kind is cst.Raise:
                    return True
                if kind is cst.Return or kind is cst.Break or kind is cst.Continue:
                    return False
            continue
        if type(stmt) is cst.If and _if_always_raises(stmt):
            return True
        if _may_leave(stmt):
            return False
    return False


def _if_always_raises(node: cst.If) -> bool:
    orelse = node.orelse
    if orelse is None or not _always_raises(node.body.body):
        return False
    if type(orelse) is cst.If:
        return _if_always_raises(orelse)
    return _always_raises(orelse.body.body)


def _may_leave(stmt: cst.CSTNode) -> bool:
    return contains_own(stmt, (cst.Return, cst.Break, cst.Continue))


def names_value_error(expression: cst.BaseExpression) -> bool:
    """``expression`` names ValueError (or a class above it), alone or in a tuple."""
    if isinstance(expression, cst.Tuple):
        return any(names_value_error(e.value) for e in expression.elements)
    name = dotted(expression)
    return name is not None and name.split(".")[-1] in ("ValueError", "Exception", "BaseException")
