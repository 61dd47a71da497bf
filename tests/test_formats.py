"""Every output format, byte for byte, on the small inputs in tests/data/formats.

The goldens pin what CI consumers parse (ruff keeps one snapshot per format for the same
reason). To accept an intended change, regenerate them and review the diff:

    SCOPELINT_UPDATE_GOLDEN=1 python -m pytest tests/test_formats.py

A golden it rewrites fails that run; the next run (without the variable) checks it.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from scopelint.render import FORMATS, RenderContext
from scopelint.render.github import annotation, escape_data, escape_property
from scopelint.render.sarif import MAX_DESCRIPTION
from scopelint.run.cli import main
from scopelint.run.config import ALL_RULES, DEFAULT_SELECT
from scopelint.types import Diagnostic, FileResult, Position, Severity, Span

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "formats"
GOLDEN = ROOT / "tests" / "golden"
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
INPUTS = ["buggy.py", "clean.py", "py2.py", "suppressed.py"]
EXTENSIONS = {
    "full": "txt",
    "concise": "txt",
    "json": "json",
    "json-lines": "jsonl",
    "github": "txt",
    "sarif": "sarif",
    "gitlab": "json",
    "junit": "xml",
}
# The one machine-specific value in any format: SARIF's absolute `%SRCROOT%`.
ROOT_URI = ROOT.as_uri() + "/"
ROOT_PLACEHOLDER = "file:///SRCROOT/"
UPDATE = os.environ.get("SCOPELINT_UPDATE_GOLDEN") == "1"


def run(monkeypatch, capsys, *args: str, cwd: Path = DATA) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE and (not path.exists() or path.read_text(encoding="utf-8") != text):
        # Rewritten, and failed: a run that changes a golden never passes (in CI neither),
        # the next run without the variable checks what was written.
        path.write_text(text, encoding="utf-8", newline="")
        pytest.fail(f"{name} rewritten (SCOPELINT_UPDATE_GOLDEN=1): review the diff, rerun without it")
    assert path.exists(), f"missing golden {path}: run with SCOPELINT_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden (SCOPELINT_UPDATE_GOLDEN=1 to update)"


def test_every_format_has_a_golden():
    assert set(EXTENSIONS) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_golden(fmt, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, "--output-format", fmt, *INPUTS)
    assert code == 1
    assert err == ""
    check_golden(f"{fmt}.{EXTENSIONS[fmt]}", out.replace(ROOT_URI, ROOT_PLACEHOLDER))


def test_golden_statistics(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--statistics", *INPUTS)
    assert code == 1
    check_golden("statistics.txt", out)
    first = out.splitlines()[0].split("\t")
    assert [part.strip() for part in first] == ["2", "SL001", "duplicate-variable"]


def test_golden_show_variables(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--show-variables", "buggy.py", "clean.py")
    assert code == 0
    check_golden("show-variables.txt", out)


def test_output_is_deterministic(monkeypatch, capsys):
    _, first, _ = run(monkeypatch, capsys, "--output-format", "sarif", *INPUTS)
    _, second, _ = run(monkeypatch, capsys, "--output-format", "sarif", *reversed(INPUTS))
    assert first == second


# -- full / concise ------------------------------------------------------------------------------


def test_full_has_location_snippet_related_and_footer(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "buggy.py")
    assert out.startswith("buggy.py:6:9: SL001 [duplicate-variable] Variable `w` already exists")
    assert ' 6 |     w = tf.get_variable("w", [3, 3])\n' in out
    assert "   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ SL001\n" in out
    assert "----------------------- first call\n" in out
    assert out.endswith("\nFound 4 errors.\n")
    assert "\x1b[" not in out  # not a TTY: no colour


def test_concise_is_one_line_per_finding(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "concise", "buggy.py")
    lines = out.splitlines()
    assert lines[0].startswith("buggy.py:6:9: SL001 Variable `w`")
    assert lines[-1] == "Found 4 errors."
    assert len(lines) == 5


def test_tabs_keep_the_marker_under_the_span():
    from scopelint.render.text import render_full

    d = Diagnostic(
        "SL001",
        "duplicate-variable",
        Severity.ERROR,
        "m",
        "t.py",
        Span(Position(1, 3), Position(1, 6)),
    )
    ctx = RenderContext(lines=lambda path: ["\t\tabc = 1"])
    out = render_full([FileResult("t.py", (d,))], ctx)
    assert "1 |         abc = 1\n  |         ^^^ SL001\n" in out


# -- json ----------------------------------------------------------------------------------------


def test_json_fields(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "json", "buggy.py")
    items = json.loads(out)
    assert len(items) == 4
    first = items[0]
    assert {
        "code",
        "name",
        "message",
        "filename",
        "location",
        "end_location",
        "url",
        "fix",
        "severity",
        "noqa_row",
        "related",
    } <= set(first)
    assert first["location"] == {"row": 6, "column": 9}
    assert first["end_location"] == {"row": 6, "column": 37}
    assert first["fix"] is None
    assert first["noqa_row"] == 6
    assert first["url"].endswith("#sl001-duplicate-variable")
    assert [r["message"] for r in first["related"]] == [
        "first created here",
        "first call",
        "second call",
    ]
    assert items[3]["severity"] == "warning"


def test_json_lines_matches_json(monkeypatch, capsys):
    _, array, _ = run(monkeypatch, capsys, "--output-format", "json", *INPUTS)
    _, lines, _ = run(monkeypatch, capsys, "--output-format", "json-lines", *INPUTS)
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(array)


def test_json_empty_is_an_empty_array(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--output-format", "json", "clean.py")
    assert (code, out) == (0, "[]\n")


# -- github --------------------------------------------------------------------------------------


def test_github_annotations(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "github", "buggy.py")
    lines = out.splitlines()
    assert lines[0].startswith(
        "::error title=scopelint (SL001 duplicate-variable),file=buggy.py,line=6,col=9,"
        "endLine=6,endColumn=37::buggy.py:6:9: SL001 Variable `w`"
    )
    # The multi-line call: no col/endColumn, or GitHub drops the annotation (ruff#22074).
    assert lines[2].startswith(
        "::error title=scopelint (SL002 reuse-before-definition),file=buggy.py,line=18,endLine=19::"
    )
    assert lines[3].startswith("::warning title=scopelint (SL003 unshared-variable),")
    # `%` in the message is escaped; related places follow on escaped newlines.
    assert "odd%25name,with:chars/c" in lines[1]
    assert "%0A  buggy.py:14:9: first created here" in lines[1]
    # A plain summary closes the output: GitHub shows only ~10 annotations per step.
    assert lines[-1].startswith("scopelint: 4 findings in 1 file")


def test_github_escaping():
    assert escape_data("50%\r\nx") == "50%25%0D%0Ax"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    d = Diagnostic(
        "SL001",
        "duplicate-variable",
        Severity.ERROR,
        "line1\nline2: 100%",
        "d,ir/a:b.py",
        Span(Position(3, 1), Position(3, 5)),
    )
    ctx = RenderContext(cwd=Path("/repo"))
    assert annotation(d, ctx) == (
        "::error title=scopelint (SL001 duplicate-variable),file=d%2Cir/a%3Ab.py,line=3,col=1,"
        "endLine=3,endColumn=5::d,ir/a:b.py:3:1: SL001 line1%0Aline2: 100%25\n"
    )


def test_github_file_is_relative_to_cwd(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "github", str(DATA / "buggy.py"))
    assert ",file=buggy.py," in out.splitlines()[0]


# -- sarif ---------------------------------------------------------------------------------------


def sarif(monkeypatch, capsys, *args: str, cwd: Path = DATA) -> dict:
    _, out, _ = run(monkeypatch, capsys, "--output-format", "sarif", *args, cwd=cwd)
    return json.loads(out)


def validate(log: dict) -> None:
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_sarif_validates_against_the_oasis_schema(monkeypatch, capsys):
    log = sarif(monkeypatch, capsys, *INPUTS)
    validate(log)
    assert log["version"] == "2.1.0"


def test_internal_errors_are_annotated_in_github_sarif_and_junit():
    """A file scopelint failed on shows up where CI looks: a GitHub `::error` annotation on the
    file, and a SARIF tool execution notification (the run is not successful)."""
    crashed = FileResult("pkg/odd.py", analysed=False, crash="Traceback...\nRuntimeError: boom\n")
    ctx = RenderContext(cwd=Path("/repo"), root=Path("/repo"))
    out = FORMATS["github"]([crashed], ctx)
    assert out.startswith("::error title=scopelint internal error,file=pkg/odd.py::pkg/odd.py:")
    assert "1 file(s) not checked" in out
    log = json.loads(FORMATS["sarif"]([crashed], ctx))
    validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "RuntimeError: boom" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/odd.py"
    suites = ET.fromstring(FORMATS["junit"]([crashed], ctx))
    assert suites.get("errors") == "1"
    assert "No errors found" not in FORMATS["junit"]([crashed], ctx)
    (error,) = suites.iter("error")
    assert "RuntimeError: boom" in error.text


def test_sarif_empty_run_validates(monkeypatch, capsys):
    log = sarif(monkeypatch, capsys, "clean.py")
    validate(log)
    assert log["runs"][0]["results"] == []


def test_sarif_lists_every_enabled_rule(monkeypatch, capsys):
    log = sarif(monkeypatch, capsys, "clean.py")
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    # tests/data/formats/pyproject.toml extends the default selection with SL100.
    assert [r["id"] for r in rules] == sorted(DEFAULT_SELECT | {"SL100"})
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert 0 < len(rule["fullDescription"]["text"]) <= MAX_DESCRIPTION
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith("## What it does")
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    log = sarif(monkeypatch, capsys, "--select", "SL003", "clean.py")
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["SL003"]


def test_sarif_results(monkeypatch, capsys):
    run_ = sarif(monkeypatch, capsys, "buggy.py")["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT_URI
    rules = run_["tool"]["driver"]["rules"]
    first, second, multi, warning = run_["results"]
    assert first["ruleId"] == "SL001" and rules[first["ruleIndex"]]["id"] == "SL001"
    assert first["level"] == "error" and warning["level"] == "warning"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "tests/data/formats/buggy.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 6, "startColumn": 9, "endLine": 6, "endColumn": 37}
    assert multi["locations"][0]["physicalLocation"]["region"]["endLine"] == 19
    assert [r["message"]["text"] for r in first["relatedLocations"]] == [
        "first created here",
        "first call",
        "second call",
    ]
    fingerprint = first["partialFingerprints"]["primaryLocationLineHash"]
    assert fingerprint.endswith(":1") and len(fingerprint.split(":")[0]) == 16


def test_sarif_fingerprints_survive_unrelated_edits(monkeypatch, capsys, tmp_path):
    source = (DATA / "buggy.py").read_text()
    (tmp_path / "a.py").write_text(source)
    before = sarif(monkeypatch, capsys, "a.py", cwd=tmp_path)["runs"][0]["results"]
    edited = source.replace(
        "import tensorflow.compat.v1 as tf\n",
        "import tensorflow.compat.v1 as tf\n\nimport os  # unrelated\n\n\n",
    )
    (tmp_path / "a.py").write_text(edited)
    after = sarif(monkeypatch, capsys, "a.py", cwd=tmp_path)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after] != [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before
    ]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]


def test_sarif_fingerprints_tell_identical_lines_apart(monkeypatch, capsys, tmp_path):
    (tmp_path / "a.py").write_text(
        "import tensorflow as tf\n"
        "for i in range(2):\n    w = tf.get_variable('w', [1])\n"
        "for i in range(2):\n    w = tf.get_variable('w', [1])\n"
    )
    results = sarif(monkeypatch, capsys, "a.py", cwd=tmp_path)["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(hashes) == len(set(hashes)) >= 2
    assert {h.split(":")[0] for h in hashes} == {hashes[0].split(":")[0]}


def test_sarif_full_description_is_capped():
    from scopelint.render.sarif import full_description
    from scopelint.types import RuleInfo

    long = RuleInfo("SL999", "x", Severity.ERROR, "s", "## What it does\n" + "word " * 600)
    text = full_description(long)
    assert len(text) <= MAX_DESCRIPTION and text.endswith("…")
    assert all(len(full_description(info)) <= MAX_DESCRIPTION for info in ALL_RULES)


# -- gitlab / junit ------------------------------------------------------------------------------


def test_gitlab_code_quality(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "gitlab", *INPUTS)
    issues = json.loads(out)
    assert len(issues) == 6
    first = issues[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["location"]["path"] == "tests/data/formats/buggy.py"
    assert first["location"]["lines"]["begin"] == 6
    assert first["check_name"] == "SL001"
    assert {i["severity"] for i in issues} == {"critical", "minor"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_is_well_formed(monkeypatch, capsys):
    _, out, _ = run(monkeypatch, capsys, "--output-format", "junit", *INPUTS)
    root = ET.fromstring(out.encode())
    assert root.tag == "testsuites" and root.get("failures") == "6"
    suites = {s.get("name"): s for s in root}
    assert set(suites) == {"buggy.py", "py2.py", "suppressed.py"}
    case = suites["buggy.py"][0]
    assert case.get("name") == "org.scopelint.SL001" and case.get("line") == "6"
    assert case[0].tag == "failure"


# -- small defects, each pinned by a golden --------------------------------------------------------


def test_golden_full_same_line_related_is_not_printed_twice(monkeypatch, capsys):
    # A function called twice: the duplicate and "first created here" are the same line. The
    # line is shown once, with both markers under it.
    _, out, _ = run(monkeypatch, capsys, "buggy.py")
    check_golden("full-same-line.txt", out.split("\n\n")[0] + "\n")
    assert out.count(' 6 |     w = tf.get_variable("w", [3, 3])\n') == 1
    assert "   |         ---------------------------- first created here\n" in out


def test_golden_junit_clean_counts_its_one_test(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "--output-format", "junit", "clean.py")
    assert code == 0
    check_golden("junit-clean.xml", out)
    root = ET.fromstring(out.encode())
    (suite,) = root
    assert root.get("tests") == suite.get("tests") == str(len(suite)) == "1"


def test_golden_github_limit_note_only_beyond_the_limit(monkeypatch, capsys):
    _, few, _ = run(monkeypatch, capsys, "--output-format", "github", "buggy.py")
    assert few.splitlines()[-1] == "scopelint: 4 findings in 1 file"
    code, many, _ = run(
        monkeypatch, capsys, "--output-format", "github", ".", cwd=ROOT / "tests" / "data" / "many"
    )
    assert code == 1
    check_golden("github-many.txt", many)
    assert many.count("::error ") == 11
    assert many.splitlines()[-1] == (
        "scopelint: 11 findings in 1 file (GitHub shows only the first 10 annotations of each "
        "kind per step; all are listed above)"
    )
