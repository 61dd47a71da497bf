"""The model zoo (tests/zoo): real public TF1 models built under TensorFlow and linted by
scopelint as a user runs it (``python -m tests.zoo`` prints the same figures as a table).

Hard: every builder runs under TF, no wrong claim on any model, no finding on correct code.
Held to the checked-in floor (tests/zoo/floor.json): per model, the names and name+shape+dtype
predicted exactly and the planted mistakes caught; ``python -m tests.zoo --write-floor`` raises
it after an improvement.
"""

from __future__ import annotations

import pytest

from tests.conftest import ZOO_SUMMARY

from .zoo import compare, floor, report
from .zoo.run import ModelResult, ZooRun, builders, run

MODELS = [p.stem for p in builders()]


@pytest.fixture(scope="session")
def zoo(request):
    result = run()
    request.config.stash[ZOO_SUMMARY] = report.summary(result)
    return {m.name: m for m in result.models}


def _model(zoo, name):
    model = zoo[name]
    assert model.tf_error is None, f"the builder does not run under TF: {model.tf_error}"
    return model


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", MODELS)
def test_no_wrong_claim(zoo, name):
    model = _model(zoo, name)
    assert model.coverage.truth > 0, "TF made no variable: the builder builds nothing"
    assert not model.coverage.wrong, "\n".join(model.coverage.wrong)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", MODELS)
def test_correct_code_is_silent(zoo, name):
    """Nothing on the builder itself; no finding that TF raises on a variant where TF did not."""
    model = _model(zoo, name)
    assert not model.findings, "\n".join(model.findings)
    noisy = [f"{p.kind}: {f}" for p in model.planted for f in p.extra]
    assert not noisy, "\n".join(noisy)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", MODELS)
def test_not_below_the_floor(zoo, name):
    _model(zoo, name)
    minimum = floor.load().get(name)
    if minimum is None:
        pytest.skip("no floor recorded for this model yet (python -m tests.zoo --write-floor)")
    below = floor.shortfalls(ZooRun((zoo[name],), {}), {name: minimum})
    assert not below, "\n".join(below)


@pytest.mark.tensorflow
def test_comparison_catches_a_doctored_real_prediction(zoo):
    """On a real model's truth and prediction: one exactly predicted variable given another
    name, another dimension, another dtype is each one wrong claim more."""
    model = next(m for m in zoo.values() if m.coverage is not None and m.coverage.full)
    truth = compare.truth_variables(model.report)
    exact = next(e for e in model.predicted if e["actual"] in truth and e["error"] is None
                 and e["entry"] == "<module>" and e["shape"]
                 and e["shape"] == truth[e["actual"]]["shape"])
    others = [e for e in model.predicted if e["actual"] != exact["actual"]]
    base = len(compare.coverage(model.report, others).wrong)
    for doctored in (dict(exact, actual=exact["actual"] + "_doctored"),
                     dict(exact, shape=[exact["shape"][0] + 1, *exact["shape"][1:]]),
                     dict(exact, dtype="float16")):
        wrong = compare.coverage(model.report, [*others, doctored]).wrong
        assert len(wrong) == base + 1, (doctored, wrong)


def test_floor_names_existing_builders():
    """A builder renamed or removed must take its floor entry along (or the floor would hold
    nothing for the model that replaced it)."""
    assert set(floor.load()) <= set(MODELS), set(floor.load()) - set(MODELS)


# ------------------------------------------------------------------------------------------------
# The comparison itself, on doctored predictions (no TF)
# ------------------------------------------------------------------------------------------------

_TRUTH = {
    "path": "model.py",
    "error": None,
    "events": [
        {"kind": "create", "name": "enc/w", "actual": "enc/w", "line": 5, "graph": 0,
         "shape": [4, 8], "dtype": "float32"},
        {"kind": "create", "name": "enc/b", "actual": "enc/b", "line": 6, "graph": 0,
         "shape": [8], "dtype": "float32"},
        {"kind": "reuse", "name": "enc/w", "actual": "enc/w", "line": 9, "graph": 0,
         "shape": [4, 8], "dtype": "float32"},
        {"kind": "create", "name": "enc/w/Adam/", "actual": "enc/w/Adam", "line": 12,
         "graph": 0, "shape": [4, 8], "dtype": "float32"},
        {"kind": "tf.Variable", "name": "beta1_power", "actual": "beta1_power", "line": 12,
         "graph": 0, "shape": [], "dtype": "float32"},
    ],
}


def _predicted(name, shape, dtype="float32", kind="create", entry="<module>", error=None):
    return {"filename": "model.py", "line": 5, "kind": kind, "name": name, "actual": name,
            "entry": entry, "graph": 0, "error": error, "shape": shape, "dtype": dtype}


def test_comparison_counts_exact_predictions():
    predicted = [
        _predicted("enc/w", [4, 8]),
        _predicted("enc/b", [None]),  # the name, and only the rank of the shape
        _predicted("enc/w/Adam", None, dtype=None),
        _predicted("beta1_power", [], kind="tf.Variable"),
        _predicted("enc/w", [4, 8]),  # the same variable twice counts once
        _predicted("helper/v", [3], entry="helper"),  # a function analysed alone: not counted
        _predicted("enc/c", [2], error="SL002"),  # fails in TF: no variable
        dict(_predicted("x", [1]), actual=None),  # name left open
    ]
    got = compare.coverage(_TRUTH, predicted)
    assert (got.truth, got.names, got.full, got.unknown_names, got.wrong) == (4, 4, 2, 1, ())


@pytest.mark.parametrize("doctored, what", [
    (_predicted("enc/v", [4, 8]), "no variable of that name"),
    (_predicted("enc/w", [8, 4]), "shape"),
    (_predicted("enc/w", [4, None, 8]), "shape"),
    (_predicted("enc/w", [4, 8], dtype="float64"), "dtype"),
    (_predicted("enc/w/Adam", [None, 9]), "shape"),
])
def test_comparison_catches_a_wrong_claim(doctored, what):
    got = compare.coverage(_TRUTH, [_predicted("enc/b", [8]), doctored])
    assert len(got.wrong) == 1 and what in got.wrong[0], got.wrong


def _finding(code, row, variable):
    return {"code": code, "location": {"row": row, "column": 1}, "variable": variable,
            "message": f"{code} about {variable}"}


_RAISED = dict(_TRUTH, error={"type": "ValueError", "line": 5, "variable": "enc/w",
                              "message": "Variable enc/w already exists, disallowed."})


def test_planted_mistake_needs_the_code_line_and_variable():
    assert compare.planted("twice", _RAISED, [_finding("SL001", 5, "enc/w")]).caught
    for wrong in (_finding("SL002", 5, "enc/w"), _finding("SL001", 6, "enc/w"),
                  _finding("SL001", 5, "enc/b")):
        judged = compare.planted("twice", _RAISED, [wrong])
        assert judged.is_mistake and not judged.caught


def test_correct_copy_must_be_silent():
    judged = compare.planted("shared", _TRUTH, [_finding("SL001", 5, "enc/w")])
    assert not judged.is_mistake and judged.extra
    assert not compare.planted("shared", _TRUTH, []).extra


def test_summary_line_totals():
    coverage = compare.coverage(_TRUTH, [_predicted("enc/w", [4, 8]), _predicted("enc/b", None)])
    planted = (compare.planted("twice", _RAISED, [_finding("SL001", 5, "enc/w")]),
               compare.planted("shared", _TRUTH, []))
    line = report.summary(ZooRun((ModelResult("m", None, coverage, (), planted),), {}))
    assert line == ("1 models, 4 variables in truth, names 2/4 (50.0 %), name+shape+dtype 1/4 "
                    "(25.0 %), wrong claims 0, unknown names 0, planted 1/1, "
                    "correct copies silent 2/2")
