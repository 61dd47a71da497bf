"""Every fixture: scopelint finds exactly what it declares, and TensorFlow agrees with scopelint.

The TF half runs all fixtures in one child process (importing TF takes seconds), each in a fresh
default graph, and compares: the line, kind and variable of the first ValueError, and every
variable the program creates, with what the simulator predicts. Then every marker is checked on
its own: each file with error markers runs again with the statements at those lines caught, so
that TF reaches each of its errors (`test_every_marker_is_what_tensorflow_does`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint.resolve.project import ProjectIndex
from scopelint.rules import ERROR_CODES
from scopelint.run.engine import check_bytes
from scopelint.types import EventKind

from .fixture_spec import ROOT, expected, fixture_files, fixture_id, names_open, raises, unpredicted
from .shape_claims import compare_pairs, summary

FILES = fixture_files()
INDEX = ProjectIndex(FILES)  # one index for the run, as the CLI builds it: modules import each other


def lint(path: Path):
    return check_bytes(path.read_bytes(), str(path), with_events=True, project=INDEX)


def test_there_are_fixtures_for_every_rule():
    groups = {p.parent.name for p in FILES}
    for group in ("sl001", "sl002", "sl003", "sl004", "sl005", "sl006"):
        bad = [p for p in FILES if p.parent.name == group and p.name.startswith("bad_")]
        good = [p for p in FILES if p.parent.name == group and p.name.startswith("good_")]
        assert len(bad) >= 5 and len(good) >= 5, (group, len(bad), len(good))
    assert "seeds" in groups
    # Shapes: each way of sharing a variable across inputs whose static shapes decide its shape.
    for family in ("dense", "conv", "helper"):
        shapes = [p.name for p in FILES if p.parent.name == "shapes" and family in p.name]
        bad = [n for n in shapes if n.startswith("bad_")]
        assert len(bad) >= 5 and len(shapes) - len(bad) >= 5, (family, shapes)


@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_lint_matches_declared_findings(path: Path):
    result = lint(path)
    found = sorted((d.span.start.row, d.code) for d in result.diagnostics)
    assert found == expected(path), "\n".join(
        f"{d.span.start.row}: {d.code} {d.message}" for d in result.diagnostics
    )
    if path.name.startswith("good_"):
        assert not found
    else:
        assert found


@pytest.fixture(scope="session")
def tf_truth() -> dict[str, dict]:
    """path -> TF's report of the plain run; a file with error markers also has the report of
    the run that goes on after store errors, under ``"catching_run"``."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    catch = [str(p) for p in FILES if any(c in ERROR_CODES for _, c in expected(p))]
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfrun", *(f"--catch={p}" for p in catch), *map(str, FILES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    items = json.loads(proc.stdout)
    assert len(items) == len(FILES) + len(catch)
    plain = {item["path"]: item for item in items if "catching" not in item}
    for item in items:
        if "catching" in item:
            plain[item["path"]]["catching_run"] = item
    return plain


def _renumber(events, key=lambda e: e["graph"]):
    """Graph ids by first appearance, so both sides number graphs alike."""
    ids: dict = {}
    return [ids.setdefault(key(e), len(ids)) for e in events]


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", FILES, ids=fixture_id)
def test_tensorflow_agrees(path: Path, tf_truth, shape_tally):
    truth = tf_truth[str(path)]
    result = lint(path)
    main = [d for d in result.diagnostics]
    errors = sorted((d for d in main if d.code in ERROR_CODES), key=lambda d: d.order)
    error = truth["error"]
    if errors:
        first = errors[0]
        assert error is not None, f"scopelint predicts {first.code} at line {first.span.start.row}; TF ran to the end"
        assert error["type"] == "ValueError", error
        assert error["code"] == first.code, (error, first.message)
        assert error["line"] == first.span.start.row, (error, first.message)
        assert error["variable"] == first.subject, (error, first.message)
        cut = first.order
    else:
        # An error no rule reports is declared where TF raises it, with its class.
        marked = raises(path)
        if error is None:
            assert not marked, f"declared to raise at {marked}; TF ran to the end"
        else:
            assert marked.get(error["line"]) == error["type"], f"TF raised {error}; scopelint predicts no error"
            assert error["code"] is None, f"TF raised the store error {error}; scopelint reports none"
        cut = None

    predicted = [
        e for e in result.events
        if e.entry == "<module>" and e.kind is not EventKind.REUSE and e.error is None
        and (cut is None or e.order < cut)
    ]
    skipped = unpredicted(path)
    assert not [e for e in predicted if e.line in skipped], "predicted on an `# unpredicted` line"
    real = [e for e in truth["events"] if e["kind"] != "reuse" and e["line"] not in skipped]
    if skipped:
        assert any(e["line"] in skipped for e in truth["events"]), "TF made nothing on the `# unpredicted` lines"
    mine = [
        (g, e.kind.value, e.name if e.kind is EventKind.CREATE else None, e.actual, e.line)
        for g, e in zip(_renumber(predicted, key=lambda e: e.graph), predicted)
    ]
    opened = names_open(path)
    assert opened <= {e["line"] for e in real}, "TF made no variable on a `# name open` line"
    theirs = [
        (g, e["kind"], e["name"] if e["kind"] == "create" else None,
         None if e["line"] in opened else e["actual"], e["line"])
        for g, e in zip(_renumber(real), real)
    ]
    assert mine == theirs
    # The same variables, in the same order: every shape and dtype scopelint claims is TF's.
    shape_tally["files"] += 1
    shape_tally["variables"] += len(predicted)
    wrong = compare_pairs(zip(predicted, real), shape_tally)
    assert not wrong, "\n".join(map(str, wrong))


BAD = [p for p in FILES if expected(p)]


@pytest.mark.tensorflow
@pytest.mark.parametrize("path", BAD, ids=fixture_id)
def test_every_marker_is_what_tensorflow_does(path: Path, tf_truth):
    """Each marker on its own, read from the file (not from what scopelint reports):

    - an error marker is an error TF raises at that line, of that kind (SL001 "already exists",
      SL002 "does not exist", SL005/SL006 "specified dtype/shape"), naming the variable
      scopelint names there; every one is reached, as TF goes on after each store error (the
      first is TF's own, `test_tensorflow_agrees`; the later ones are what the same program does
      after it, which may raise more than scopelint, whose model stops a failed layer, reports);
    - SL003: TF makes a `tf.Variable` at that line where sharing was expected (reuse on, or a
      renamed second copy made by the same line), named as scopelint names it;
    - SL004: a `variable_scope` TF enters at that line still has reuse on.
    """
    plain = tf_truth[str(path)]
    truth = plain.get("catching_run", plain)
    markers = expected(path)
    diagnostics = {(d.span.start.row, d.code): d for d in lint(path).diagnostics}
    problems = []
    if "catching_run" in plain:
        assert truth["error"] is None, f"TF raised {truth['error']}, going on after store errors"
        raised: dict = {}
        for e in truth["caught"]:  # the first at each line, as scopelint reports the first
            raised.setdefault((e["line"], e["code"]), e)
        declared = {(line, code) for line, code in markers if code in ERROR_CODES}
        for line, code in sorted(declared):
            error = raised.get((line, code))
            at_line = [e for e in truth["caught"] if e["line"] == line]
            if error is None:
                problems.append(f"line {line}: {code} declared, TF raised {at_line or 'nothing'}")
            elif (line, code) in diagnostics and error["variable"] != diagnostics[line, code].subject:
                problems.append(f"line {line}: TF names {error['variable']}, scopelint "
                                f"{diagnostics[line, code].subject}")
    for line, code in markers:
        if code == "SL003":
            made = [e for e in truth["events"] if e["kind"] == "tf.Variable" and e["line"] == line]
            unshared = [
                e for k, e in enumerate(made) if e["reuse"] or k and e["actual"] != made[0]["actual"]
            ]
            finding = diagnostics.get((line, code))
            named = finding.subject if finding is not None else None
            # The finding names the copy it was reported at (the first one, for a function
            # whose calls each make one); what makes it a finding is the copy made where
            # sharing was expected.
            if not unshared or named is not None and named not in [e["actual"] for e in made]:
                problems.append(f"line {line}: SL003 ({named}), TF made {made}")
        elif code == "SL004":
            entered = [s for s in truth["scopes"] if s["line"] == line]
            if not [s for s in entered if s["reuse"]]:
                problems.append(f"line {line}: SL004, TF entered {entered or 'no scope'}")
    assert not problems, "\n".join(problems)


@pytest.mark.tensorflow
def test_shape_claims_are_counted(shape_tally):
    """Runs after the fixtures (file order): the tally printed at the end of the run covers every
    variable they compared, each with its shape and dtype either compared or not predicted."""
    assert shape_tally["shapes"] + shape_tally["shapes_unknown"] == shape_tally["variables"]
    assert shape_tally["dtypes"] + shape_tally["dtypes_unknown"] == shape_tally["variables"]
    assert shape_tally["shapes"] or not shape_tally["dims_unknown"]
    # Floors: a simulator that learns nothing (or stops early) must not pass. Today nearly every
    # variable's shape and dtype is predicted, all dims known, four variables a fixture.
    assert shape_tally["shapes"] >= 0.95 * shape_tally["variables"], summary(shape_tally)
    assert shape_tally["dtypes"] >= 0.95 * shape_tally["variables"], summary(shape_tally)
    assert shape_tally["dims_unknown"] <= 0.05 * shape_tally["shapes"], summary(shape_tally)
    if shape_tally["files"] == len(FILES):  # the whole run, not a -k selection
        assert shape_tally["variables"] >= 3 * len(FILES), summary(shape_tally)
    print(summary(shape_tally))
