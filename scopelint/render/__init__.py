"""Output formats. One module per format family; each exposes ``render(results, context) -> str``.

Renderers are pure: they get the run's results (already filtered and sorted) and a
:class:`RenderContext`, and return the exact text to print. They never read settings or files
themselves, except source lines through ``context.lines`` (the runner keeps the text of files
with findings, so nothing is read twice).
"""

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


def _formats() -> dict[str, Renderer]:
    # Imported here so that each format module can import this package's helpers.
    from . import github, gitlab, jsonfmt, junit, sarif, text

    return {
        "full": text.render_full,
        "concise": text.render_concise,
        "json": jsonfmt.render_json,
        "json-lines": jsonfmt.render_json_lines,
        "github": github.render,
        "sarif": sarif.render,
        "gitlab": gitlab.render,
        "junit": junit.render,
    }


FORMATS: dict[str, Renderer] = _formats()
DEFAULT_FORMAT = "full"

__all__ = ["FORMATS", "DEFAULT_FORMAT", "RenderContext", "Renderer", "diagnostics_of"]
