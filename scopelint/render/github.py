"""GitHub Actions workflow commands: `::error file=...,line=...::message`, one per finding.

Constraints from GitHub (see actions/toolkit `packages/core/src/command.ts` and ruff#22074):

- the message escapes `%`, CR and LF; property values also escape `:` and `,`;
- `col`/`endColumn` may only be given when `line == endLine`, otherwise the runner drops the
  annotation from the code view ("'col' and 'endColumn' cannot be set if 'line' and 'endLine'
  are different values");
- only about 10 annotations of each kind are shown per step, so the message repeats
  `path:line:col: CODE` (the log stays complete) and a plain summary line closes the output.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..types import Diagnostic, FileResult, Severity
from .context import RenderContext, diagnostics_of

# Annotations of one kind (error, warning) GitHub shows per step.
ANNOTATION_LIMIT = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _file(path: str, ctx: RenderContext) -> str:
    """Relative to the working directory (the workspace in a workflow), POSIX separators."""
    absolute = Path(path) if os.path.isabs(path) else ctx.cwd / path
    try:
        return absolute.relative_to(ctx.cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


def annotation(d: Diagnostic, ctx: RenderContext) -> str:
    command = "error" if d.severity is Severity.ERROR else "warning"
    start, end = d.span.start, d.span.end
    properties = [
        ("title", f"scopelint ({d.code} {d.name})"),
        ("file", _file(d.path, ctx)),
        ("line", str(start.row)),
    ]
    if start.row == end.row:
        properties.append(("col", str(start.column)))
    properties.append(("endLine", str(end.row)))
    if start.row == end.row:
        properties.append(("endColumn", str(max(end.column, start.column))))
    message = f"{d.path}:{start.row}:{start.column}: {d.code} {d.message}"
    for related in d.related:
        message += (
            f"\n  {related.path}:{related.span.start.row}:{related.span.start.column}: "
            f"{related.message}"
        )
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {props}::{escape_data(message)}\n"


def render(results: Sequence[FileResult], ctx: RenderContext) -> str:
    diagnostics = diagnostics_of(results)
    out = [annotation(d, ctx) for d in diagnostics]
    crashed = [r.path for r in results if r.crash is not None]
    for path in crashed:  # the traceback goes to stderr; the annotation says which file
        props = f"title=scopelint internal error,file={escape_property(_file(path, ctx))}"
        message = f"{path}: internal error; the file was not checked (a bug in scopelint)"
        out.append(f"::error {props}::{escape_data(message)}\n")
    if not ctx.quiet:
        files = len({d.path for d in diagnostics})
        if diagnostics:
            summary = (
                f"scopelint: {len(diagnostics)} finding{'s' if len(diagnostics) != 1 else ''} "
                f"in {files} file{'s' if files != 1 else ''}"
            )
            # The note only where it applies: more annotations of one kind than GitHub shows.
            kinds = Counter(d.severity for d in diagnostics)
            if max(kinds.values()) > ANNOTATION_LIMIT:
                summary += (
                    f" (GitHub shows only the first {ANNOTATION_LIMIT} annotations of each kind "
                    "per step; all are listed above)"
                )
            out.append(summary + "\n")
        elif not ctx.incomplete:
            out.append("scopelint: no findings\n")
        if crashed:
            out.append(f"scopelint: {len(crashed)} file(s) not checked: internal error\n")
    return "".join(out)
