"""`json` (one array, like ruff's) and `json-lines` (one object per line, for streaming tools).

Keys follow ruff's JSON output (`code`, `name`, `message`, `filename`, `location`,
`end_location`, `url`, `fix`, `severity`, `noqa_row`) so existing consumers can read scopelint's,
plus `related` (the other places a finding points to) and `variable` (the full variable name it
is about, or null). `filename` is the path as displayed, relative to the working directory.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..types import Diagnostic, FileResult, Position
from .context import RenderContext, diagnostics_of


def _position(position: Position) -> dict[str, int]:
    return {"row": position.row, "column": position.column}


def diagnostic_dict(d: Diagnostic, urls: dict[str, str]) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "severity": d.severity.value,
        "filename": d.path,
        "location": _position(d.span.start),
        "end_location": _position(d.span.end),
        # scopelint has no autofixes; the key is there because ruff's consumers expect it.
        "fix": None,
        # The row a suppression comment must go on to silence this finding.
        "noqa_row": d.span.start.row,
        "url": urls.get(d.code) or None,
        "variable": d.subject,
        "related": [
            {
                "filename": r.path,
                "location": _position(r.span.start),
                "end_location": _position(r.span.end),
                "message": r.message,
            }
            for r in d.related
        ],
    }


def _urls(ctx: RenderContext) -> dict[str, str]:
    return {info.code: info.url for info in ctx.rules}


def render_json(results: Sequence[FileResult], ctx: RenderContext) -> str:
    urls = _urls(ctx)
    items = [diagnostic_dict(d, urls) for d in diagnostics_of(results)]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def render_json_lines(results: Sequence[FileResult], ctx: RenderContext) -> str:
    urls = _urls(ctx)
    return "".join(
        json.dumps(diagnostic_dict(d, urls), ensure_ascii=False, separators=(",", ":")) + "\n"
        for d in diagnostics_of(results)
    )


def render_statistics_json(results: Sequence[FileResult], ctx: RenderContext) -> str:
    """`--statistics --output-format json`: ruff's `[{code, name, count}]`, most frequent first."""
    counts: dict[tuple[str, str], int] = {}
    for d in diagnostics_of(results):
        counts[(d.code, d.name)] = counts.get((d.code, d.name), 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    items = [{"code": code, "name": name, "count": n} for (code, name), n in ordered]
    return json.dumps(items, indent=2) + "\n"


def render_variables_json(results: Sequence[FileResult], ctx: RenderContext) -> str:
    items = [
        {
            "filename": result.path,
            "line": event.line,
            "kind": event.kind.value,
            "name": event.name,
            "actual": event.actual,
            "entry": event.entry,
            "graph": event.graph,
            "error": event.error,
            "shape": list(event.shape) if event.shape is not None else None,
            "dtype": event.dtype,
            "conditional": event.conditional,
        }
        for result in sorted(results, key=lambda r: r.path)
        for event in result.events
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
