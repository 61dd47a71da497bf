"""Every fixture: scopelint finds exactly what it declares, and TensorFlow agrees with scopelint.

The TF half runs all fixtures in one child process (importing TF takes seconds), each in a fresh
default graph, and compares: the line and variable of the first ValueError, and every variable
the program creates, with what the simulator predicts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint.engine import check_bytes
from scopelint.project import ProjectIndex
from scopelint.rules import ERROR_CODES
from scopelint.types import EventKind

from .fixture_spec import ROOT, expected, fixture_files, fixture_id, unpredicted
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
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfrun", *map(str, FILES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {item["path"]: item for item in json.loads(proc.stdout)}


def _renumber(events, key=lambda e: e["graph"]):
    """Graph ids by first appearance, so both sides number graphs alike."""
    ids: dict = {}
    return [ids.setdefault(key(e), len(ids)) for e in events]


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
        assert error["line"] == first.span.start.row, (error, first.message)
        assert error["variable"] == first.subject, (error, first.message)
        cut = first.order
    else:
        assert error is None, f"TF raised {error}; scopelint predicts no error"
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
    theirs = [
        (g, e["kind"], e["name"] if e["kind"] == "create" else None, e["actual"], e["line"])
        for g, e in zip(_renumber(real), real)
    ]
    assert mine == theirs
    # The same variables, in the same order: every shape and dtype scopelint claims is TF's.
    shape_tally["variables"] += len(predicted)
    wrong = compare_pairs(zip(predicted, real), shape_tally)
    assert not wrong, "\n".join(map(str, wrong))


def test_shape_claims_are_counted(shape_tally):
    """Runs after the fixtures (file order): the tally printed at the end of the run covers every
    variable they compared, each with its shape and dtype either compared or not predicted."""
    assert shape_tally["shapes"] + shape_tally["shapes_unknown"] == shape_tally["variables"]
    assert shape_tally["dtypes"] + shape_tally["dtypes_unknown"] == shape_tally["variables"]
    assert shape_tally["shapes"] or not shape_tally["dims_unknown"]
    print(summary(shape_tally))
