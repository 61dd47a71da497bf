"""JUnit XML, for CI systems that show test reports: one test suite per file, one failing test
case per finding (ruff's layout: `name="org.scopelint.SL001"`, `classname` = the file)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from typing import Sequence

from ..types import FileResult
from .context import RenderContext, diagnostics_of


def render(results: Sequence[FileResult], ctx: RenderContext) -> str:
    diagnostics = diagnostics_of(results)
    crashed = [r for r in results if r.crash is not None]
    total = str(len(diagnostics))
    root = ET.Element(
        "testsuites", {"name": "scopelint", "tests": total, "failures": total, "errors": "0"}
    )
    if not diagnostics and not crashed:
        suite = ET.SubElement(
            root, "testsuite", {"name": "scopelint", "tests": "1", "failures": "0", "errors": "0"}
        )
        ET.SubElement(suite, "testcase", {"name": "No errors found", "classname": "scopelint"})
    for path, group in groupby(diagnostics, key=lambda d: d.path):
        items = list(group)
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": path, "tests": str(len(items)), "failures": str(len(items)), "errors": "0"},
        )
        for d in items:
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "name": f"org.scopelint.{d.code}",
                    "classname": path,
                    "file": path,
                    "line": str(d.span.start.row),
                    "column": str(d.span.start.column),
                },
            )
            failure = ET.SubElement(case, "failure", {"message": d.message, "type": d.code})
            failure.text = (
                f"line {d.span.start.row}, col {d.span.start.column}, "
                f"{d.code} [{d.name}] {d.message}"
            )
    for result in crashed:  # an internal error is a JUnit error, not a failure
        suite = ET.SubElement(
            root,
            "testsuite",
            {"name": result.path, "tests": "1", "failures": "0", "errors": "1"},
        )
        case = ET.SubElement(
            suite,
            "testcase",
            {"name": "org.scopelint.internal-error", "classname": result.path, "file": result.path},
        )
        error = ET.SubElement(
            case, "error", {"message": "internal error: the file was not checked", "type": "crash"}
        )
        error.text = result.crash
    # The totals are those of the suites: with no findings, the one passing test case counts.
    root.set("tests", str(sum(int(suite.get("tests", "0")) for suite in root)))
    root.set("errors", str(len(crashed)))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
