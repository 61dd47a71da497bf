"""GitLab Code Quality report (`artifacts: reports: codequality`): a JSON array of issues.

Paths are relative to the repository root (GitLab resolves them against the project), and the
fingerprint does not depend on line numbers (see `locations`), so an issue keeps its identity
when code above it moves.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

from ..types import Diagnostic, FileResult, Severity
from .context import RenderContext, diagnostics_of
from .locations import line_hashes, repo_relative

# An error-class rule is an exception when the graph is built, so it blocks the job's purpose.
SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor"}


def _issue(d: Diagnostic, line_hash: str, ctx: RenderContext) -> dict[str, Any]:
    path = repo_relative(d.path, ctx) or d.path
    fingerprint = hashlib.sha256(f"{path}\0{line_hash}".encode()).hexdigest()[:32]
    return {
        "description": f"{d.code} [{d.name}] {d.message}",
        "check_name": d.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[d.severity],
        "location": {
            "path": path,
            "lines": {"begin": d.span.start.row, "end": d.span.end.row},
        },
    }


def render(results: Sequence[FileResult], ctx: RenderContext) -> str:
    diagnostics = diagnostics_of(results)
    hashes = line_hashes(diagnostics, ctx)
    issues = [_issue(d, hashes[id(d)], ctx) for d in diagnostics]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
