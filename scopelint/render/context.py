"""What every format module needs from the run: the context to render in, and the findings in
the one order every format uses. A module of its own so that the package's ``__init__`` can
import the format modules and they can import this without importing each other."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..types import Diagnostic, FileResult, RuleInfo

SourceLines = Callable[[str], Sequence[str]]


def _no_lines(path: str) -> Sequence[str]:
    return ()


@dataclass(frozen=True)
class RenderContext:
    rules: tuple[RuleInfo, ...] = ()  # the enabled rules, in code order (SARIF lists them all)
    root: Path = Path(".")  # repository root: SARIF and GitLab paths are relative to it
    cwd: Path = Path(".")  # display paths (and GitHub `file=`) are relative to it
    lines: SourceLines = _no_lines  # the source lines of a displayed path, without newlines
    color: bool = False
    quiet: bool = False
    version: str = ""
    # Some paths could not be linted (a path that does not exist): the errors go to stderr, and
    # no summary may claim that all checks passed.
    incomplete: bool = False


Renderer = Callable[[Sequence[FileResult], RenderContext], str]


def diagnostics_of(results: Iterable[FileResult]) -> list[Diagnostic]:
    """All findings of a run, in the one order every format uses: file, line, column, code."""
    return sorted((d for r in results for d in r.diagnostics), key=Diagnostic.sort_key)
