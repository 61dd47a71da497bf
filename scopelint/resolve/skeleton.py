"""Imported modules, parsed lazily: the bodies of top-level functions only when one is called.

A linted file that imports a helper library (tensor2tensor's ``common_layers``, a project's
``utils``) runs the library's top-level code but calls a few of its functions. Parsing every
function body with libcst costs more than everything else a run does, so a module that is only
imported is parsed as a *skeleton*: Python's own ``ast`` (several times faster) finds the
top-level functions and the methods of top-level classes, their bodies are replaced by
``pass``, and the rest is parsed with libcst as usual. A function's real body is parsed from
its source the first time it is called.

Nothing of an imported module is ever reported at its own position (findings are anchored at
the linted file's call), so the skeleton's line numbers do not matter; names, decorators,
parameters and defaults are the module's own.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..read.source import paused_collector

if TYPE_CHECKING:
    import libcst as cst


@dataclass(eq=False)
class Skeleton:
    module: cst.Module
    # The stub of each top-level function whose body was left out -> the function's source.
    sources: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)  # stub -> its real body, once parsed
    # Function -> whether its own body yields: asked at every call, by every file that imports
    # the module, so answered once per module.
    yields: dict = field(default_factory=dict)
    # The module's text never spells ``yield``: none of its functions is a generator.
    yields_nowhere: bool = False
    parsed_bytes: int = 0  # the source of the bodies parsed so far (what they cost in memory)

    def may_yield(self, stub: cst.FunctionDef) -> bool:
        """False when ``stub``'s body surely does not yield: the module's text, or the source of
        the body left out, never spells the word (then it need not be walked, or parsed)."""
        if self.yields_nowhere:
            return False
        source = self.sources.get(stub)
        return source is None or "yield" in source

    def body(self, stub: cst.FunctionDef) -> cst.BaseSuite:
        """The body to run for ``stub``: its own, or the one left out, parsed now (once)."""
        if stub not in self.sources:
            return stub.body
        if stub not in self.bodies:
            import libcst as cst

            self.parsed_bytes += len(self.sources[stub])
            try:
                parsed = paused_collector(cst.parse_statement, self.sources[stub])
            except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError):
                parsed = None
            if isinstance(parsed, cst.ClassDef) and isinstance(parsed.body, cst.IndentedBlock):
                parsed = parsed.body.body[0]  # a method, parsed inside a class of its own
            self.bodies[stub] = parsed.body if isinstance(parsed, cst.FunctionDef) else stub.body
        return self.bodies[stub]


def parse_skeleton(text: str) -> Skeleton | None:
    """The skeleton of ``text``; None when it cannot be built (the caller parses it whole)."""
    import libcst as cst

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to report
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    lines = text.splitlines(keepends=True)
    skeleton_lines = list(lines)
    # (top-level index, method index or None) -> the source its body is parsed from later
    lazy: dict[tuple[int, int | None], str] = {}
    for index, statement in enumerate(tree.body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            source = _cut(statement, lines, skeleton_lines)
            if source is not None:
                lazy[(index, None)] = source
        elif isinstance(statement, ast.ClassDef):
            methods = [n for n in statement.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
            for number, method in enumerate(methods):
                source = _cut(method, lines, skeleton_lines)
                if source is not None:
                    # Indented as in its class: parsed inside a class of its own.
                    lazy[(index, number)] = "class _:\n" + source
    if not lazy:
        return None
    try:
        module = paused_collector(cst.parse_module, "".join(skeleton_lines))
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError):
        return None
    if len(module.body) != len(tree.body):
        return None
    sources = {}
    for (index, number), source in lazy.items():
        stub = module.body[index]
        if number is not None:
            if not isinstance(stub, cst.ClassDef) or not isinstance(stub.body, cst.IndentedBlock):
                return None
            methods = [s for s in stub.body.body if isinstance(s, cst.FunctionDef)]
            if number >= len(methods):
                return None
            stub = methods[number]
        if not isinstance(stub, cst.FunctionDef):
            return None
        sources[stub] = source
    return Skeleton(module, sources, yields_nowhere="yield" not in text)


def _cut(fn: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str], skeleton_lines: list[str]) -> str | None:
    """Replace ``fn``'s body by ``pass`` in ``skeleton_lines``; returns the function's source
    (decorators included), or None when its body cannot be cut out."""
    first = fn.body[0]
    end = fn.end_lineno
    # Only a body that starts on a line of its own, after the header, can be cut out.
    if end is None or first.lineno <= fn.lineno or lines[first.lineno - 1][: first.col_offset].strip():
        return None
    start = min([d.lineno for d in fn.decorator_list] + [fn.lineno])
    indent = lines[first.lineno - 1][: first.col_offset]
    skeleton_lines[first.lineno - 1] = indent + "pass\n"
    for number in range(first.lineno, end):
        skeleton_lines[number] = "\n"
    return "".join(lines[start - 1 : end])
