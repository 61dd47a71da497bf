"""Paths relative to the repository root, and line fingerprints, for the CI formats.

Code scanning and GitLab track a finding across commits by a fingerprint. A fingerprint built
from line numbers changes whenever a line is added above the finding, which closes and reopens
the alert; so it is built from what the finding *is*: the rule code, the text of its line with
whitespace removed, and its occurrence index among identical (code, text) pairs in the file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath
from typing import Iterable
from urllib.parse import quote

from ..types import Diagnostic
from .context import RenderContext

SRCROOT = "%SRCROOT%"


def repo_relative(path: str, ctx: RenderContext) -> str | None:
    """The displayed path relative to the repository root, POSIX style; None when outside it."""
    absolute = Path(os.path.normpath(ctx.cwd / path))
    try:
        return absolute.relative_to(ctx.root).as_posix()
    except ValueError:
        return None


def absolute_uri(path: str, ctx: RenderContext) -> str:
    return Path(os.path.normpath(ctx.cwd / path)).as_uri()


def relative_uri(relative: str) -> str:
    return "/".join(quote(part) for part in PurePosixPath(relative).parts)


def _normalised_line(d: Diagnostic, ctx: RenderContext) -> str:
    lines = ctx.lines(d.path)
    row = d.span.start.row
    if 1 <= row <= len(lines):
        return "".join(lines[row - 1].split())
    # No source (an undecodable file): the message is the next most stable thing.
    return d.message


def line_hashes(diagnostics: Iterable[Diagnostic], ctx: RenderContext) -> dict[int, str]:
    """`id(diagnostic) -> "<16 hex>:<occurrence>"` (the shape GitHub's docs show)."""
    seen: dict[tuple[str, str, str], int] = {}
    out: dict[int, str] = {}
    for d in diagnostics:
        text = _normalised_line(d, ctx)
        key = (d.path, d.code, text)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{d.code}\0{text}".encode()).hexdigest()[:16]
        out[id(d)] = f"{digest}:{seen[key]}"
    return out
