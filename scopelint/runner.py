"""Lint a list of files with one run's settings: read, check, suppress, select.

A thin layer between the command line and the engine, kept separate so that parallelism
(`--jobs`) and a result cache can be added here without touching either side. Everything that
is the same for every file (settings, selection, the project index for calls across modules) is
built once per run by the caller or by :func:`lint`, never per file.

A file that cannot be read becomes an SL900 finding for that file; the run goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from . import noqa, source
from .config import Settings
from .engine import check_bytes, file_error
from .noqa import UNUSED_NOQA
from .project import ProjectIndex
from .rules import FILE_ERROR
from .types import Diagnostic, FileResult


@dataclass
class Sources:
    """Source lines for the renderers (snippets, fingerprints), by displayed path.

    The runner hands over the text of each file with findings, which it has in hand anyway; a
    path it does not know (later: a cached result) is read on demand.
    """

    _lines: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def remember(self, path: str, data: bytes) -> None:
        text = source.decode(data)
        self._lines[path] = tuple(text.splitlines()) if isinstance(text, str) else ()

    def __call__(self, path: str) -> Sequence[str]:
        if path not in self._lines:
            try:
                self.remember(path, Path(path).read_bytes())
            except OSError:
                self._lines[path] = ()
        return self._lines[path]


def display_path(path: Path, cwd: Path) -> str:
    """The path as findings show it: relative to the working directory when inside it."""
    absolute = Path(os.path.normpath(cwd / path))
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


def lint(
    files: Sequence[Path],
    settings: Settings,
    *,
    cwd: Path | None = None,
    with_events: bool = False,
    sources: Sources | None = None,
) -> list[FileResult]:
    """Lint every file; results come back sorted by path."""
    cwd = cwd or Path.cwd()
    # One index per run: a call into another linted module is followed into it. Paths that do
    # not lead to a file (dangling links, symlink loops) stay out: the index resolves its paths,
    # and those files are reported when they fail to read below.
    project = ProjectIndex([cwd / f for f in files if os.path.exists(cwd / f)])
    results = []
    for path in files:
        shown = display_path(path, cwd)
        try:
            data = (cwd / path).read_bytes()
        except OSError as error:
            # Permission denied, a dangling symlink, a symlink loop (ELOOP), a directory named
            # `x.py`: a finding for this file, not the end of the run.
            reason = error.strerror or str(error)
            results.append(
                _select(
                    FileResult(
                        shown, (file_error(shown, f"cannot read file: {reason}"),), analysed=False
                    ),
                    settings,
                )
            )
            continue
        results.append(
            lint_bytes(
                data, shown, settings, project=project, with_events=with_events, sources=sources
            )
        )
    return sorted(results, key=lambda r: r.path)


def lint_bytes(
    data: bytes,
    path: str,
    settings: Settings,
    *,
    project: ProjectIndex | None = None,
    with_events: bool = False,
    sources: Sources | None = None,
) -> FileResult:
    """One file's bytes (from disk or stdin) to its final findings."""
    result = check_bytes(data, path, with_events=with_events, project=project)
    diagnostics: list[Diagnostic] = list(result.diagnostics)
    directives = _directives(data)
    if not directives.empty:
        diagnostics, used = noqa.apply(diagnostics, directives)
        unreadable = any(d.code == FILE_ERROR.code for d in result.diagnostics)
        # In a file that could not be parsed no rule ran, so every directive would look unused.
        if UNUSED_NOQA.code in settings.enabled and not unreadable:
            diagnostics += noqa.unused(path, directives, used)
    final = _select(replace(result, diagnostics=tuple(diagnostics)), settings)
    if sources is not None and final.diagnostics:
        sources.remember(path, data)
    return final


def _directives(data: bytes) -> noqa.Directives:
    # Most files have no directive: skip tokenizing them.
    if b"noqa" not in data.lower():
        return noqa.NO_DIRECTIVES
    text = source.decode(data)
    return noqa.scan(text) if isinstance(text, str) else noqa.NO_DIRECTIVES


def _select(result: FileResult, settings: Settings) -> FileResult:
    ignored = settings.ignored_for(Path(result.path))
    kept = tuple(
        sorted(
            (d for d in result.diagnostics if d.code in settings.enabled and d.code not in ignored),
            key=Diagnostic.sort_key,
        )
    )
    return replace(result, diagnostics=kept)
