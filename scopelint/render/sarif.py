"""SARIF 2.1.0, for GitHub code scanning (`github/codeql-action/upload-sarif`) and other viewers.

Follows GitHub's "SARIF support for code scanning" requirements rather than the bare minimum:

- URIs are relative to the repository root with `uriBaseId: %SRCROOT%`, and the run's
  `originalUriBaseIds` says where that root is; a file outside the root gets an absolute URI;
- every enabled rule is in `tool.driver.rules` (not only those that fired), with a one-line
  `shortDescription`, a `fullDescription` of at most 1024 characters, `help.text`,
  `help.markdown` (the full rule doc), `helpUri` and `defaultConfiguration.level`;
- every result has a `level`, a full region (start and end line and column, end exclusive) and
  a stable `partialFingerprints.primaryLocationLineHash` (see `locations`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from ..types import Diagnostic, FileResult, Related, RuleInfo, Span
from .context import RenderContext, diagnostics_of
from .locations import SRCROOT, absolute_uri, line_hashes, relative_uri, repo_relative

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/scopelint/scopelint"
MAX_DESCRIPTION = 1024  # GitHub: shortDescription and fullDescription are limited to 1024 chars


def section(doc: str, heading: str) -> str:
    """The text of one `## heading` section of a rule doc, joined into one paragraph."""
    match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
    return " ".join(match.group(1).split()) if match else ""


def full_description(info: RuleInfo) -> str:
    text = (
        " ".join(
            part
            for part in (section(info.doc, "What it does"), section(info.doc, "Why is this bad?"))
            if part
        )
        or info.summary
    )
    if len(text) > MAX_DESCRIPTION:
        text = text[: MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"
    return text


def _level(severity_value: str) -> str:
    return "error" if severity_value == "error" else "warning"


def _rule(info: RuleInfo) -> dict[str, Any]:
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary[:MAX_DESCRIPTION]},
        "fullDescription": {"text": full_description(info)},
        "help": {"text": info.doc, "markdown": info.doc},
        "helpUri": info.url,
        "defaultConfiguration": {"level": _level(info.severity.value)},
        "properties": {
            "tags": ["tensorflow", "correctness"],
            "problem.severity": "error" if info.severity.value == "error" else "warning",
        },
    }


def _artifact(path: str, ctx: RenderContext) -> dict[str, Any]:
    relative = repo_relative(path, ctx)
    if relative is not None:
        return {"uri": relative_uri(relative), "uriBaseId": SRCROOT}
    return {"uri": absolute_uri(path, ctx)}


def _physical(path: str, span: Span, ctx: RenderContext) -> dict[str, Any]:
    end_column = (
        span.end.column
        if span.end.row != span.start.row
        else max(span.end.column, span.start.column + 1)
    )
    return {
        "artifactLocation": _artifact(path, ctx),
        "region": {
            "startLine": span.start.row,
            "startColumn": span.start.column,
            "endLine": span.end.row,
            "endColumn": end_column,
        },
    }


def _related(index: int, related: Related, ctx: RenderContext) -> dict[str, Any]:
    return {
        "id": index,
        "physicalLocation": _physical(related.path, related.span, ctx),
        "message": {"text": related.message},
    }


def _result(
    d: Diagnostic, rule_index: dict[str, int], fingerprint: str, ctx: RenderContext
) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": d.code}
    if d.code in rule_index:
        result["ruleIndex"] = rule_index[d.code]
    result.update(
        {
            "level": _level(d.severity.value),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": _physical(d.path, d.span, ctx)}],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
    )
    if d.related:
        result["relatedLocations"] = [_related(i, r, ctx) for i, r in enumerate(d.related, 1)]
    return result


def sarif_log(results: Sequence[FileResult], ctx: RenderContext) -> dict[str, Any]:
    diagnostics = diagnostics_of(results)
    # A finding of a rule that is not enabled cannot happen (the runner filters), but SARIF
    # consumers resolve ruleIndex blindly, so the rule list must cover every ruleId emitted.
    rules = list(ctx.rules)
    known = {info.code for info in rules}
    rules += sorted(
        {
            d.code: RuleInfo(d.code, d.name, d.severity, d.name, "", "")
            for d in diagnostics
            if d.code not in known
        }.values(),
        key=lambda info: info.code,
    )
    rule_index = {info.code: i for i, info in enumerate(rules)}
    hashes = line_hashes(diagnostics, ctx)
    driver: dict[str, Any] = {
        "name": "scopelint",
        "informationUri": INFORMATION_URI,
        "rules": [_rule(info) for info in rules],
    }
    if ctx.version:
        driver["version"] = ctx.version
        driver["semanticVersion"] = ctx.version
    root_uri = ctx.root.as_uri()
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {
            SRCROOT: {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, rule_index, hashes[id(d)], ctx) for d in diagnostics],
    }
    crashed = [r for r in results if r.crash is not None]
    if crashed:
        # A file scopelint failed on was not checked: say so where SARIF viewers look for it.
        run["invocations"] = [
            {
                "executionSuccessful": False,
                "toolExecutionNotifications": [_crash(r, ctx) for r in crashed],
            }
        ]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _crash(result: FileResult, ctx: RenderContext) -> dict[str, Any]:
    last = (result.crash or "").strip().splitlines()[-1:] or ["internal error"]
    return {
        "level": "error",
        "message": {
            "text": f"internal error while checking {result.path} ({last[0]}); the file was "
            "not checked. This is a bug in scopelint: please report it."
        },
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(result.path, ctx)}}],
    }


def render(results: Sequence[FileResult], ctx: RenderContext) -> str:
    return json.dumps(sarif_log(results, ctx), indent=2, ensure_ascii=False) + "\n"
