"""Imported modules, parsed lazily: the bodies of top-level functions only when one is called.

A linted file that imports a helper library (tensor2tensor's ``common_layers``, a project's
``utils``) runs the library's top-level code but calls a few of its functions. Parsing every
function body with libcst costs more than everything else a run does, so a module that is only
imported is parsed as a *skeleton*: Python's own ``ast`` (several times faster) finds the
top-level functions, their bodies are replaced by ``pass``, and the rest is parsed with libcst
as usual. A function's real body is parsed from its source the first time it is called.

Nothing of an imported module is ever reported at its own position (findings are anchored at
the linted file's call), so the skeleton's line numbers do not matter; names, decorators,
parameters and defaults are the module's own.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst


@dataclass(eq=False)
class Skeleton:
    module: cst.Module
    # The stub of each top-level function whose body was left out -> the function's source.
    sources: dict = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)  # stub -> its real body, once parsed

    def body(self, stub: cst.FunctionDef) -> cst.BaseSuite:
        """The body to run for ``stub``: its own, or the one left out, parsed now (once)."""
        if stub not in self.sources:
            return stub.body
        if stub not in self.bodies:
            import libcst as cst

            try:
                parsed = cst.parse_statement(self.sources[stub])
            except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError):
                parsed = None
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
    lazy: list[tuple[int, str]] = []  # (index among top-level defs, source of the def)
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for index, fn in enumerate(defs):
        first = fn.body[0]
        end = fn.end_lineno
        # Only a body that starts on a line of its own, after the header, can be cut out.
        if end is None or first.lineno <= fn.lineno or lines[first.lineno - 1][: first.col_offset].strip():
            continue
        start = min([d.lineno for d in fn.decorator_list] + [fn.lineno])
        lazy.append((index, "".join(lines[start - 1 : end])))
        indent = lines[first.lineno - 1][: first.col_offset]
        skeleton_lines[first.lineno - 1] = indent + "pass\n"
        for number in range(first.lineno, end):
            skeleton_lines[number] = "\n"
    if not lazy:
        return None
    try:
        module = cst.parse_module("".join(skeleton_lines))
    except (cst.ParserSyntaxError, cst.CSTValidationError, RecursionError):
        return None
    stubs = [s for s in module.body if isinstance(s, cst.FunctionDef)]
    if len(stubs) != len(defs):
        return None
    return Skeleton(module, {stubs[index]: source for index, source in lazy})
