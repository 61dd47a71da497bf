"""The shape and dtype comparison the fixture and differential tests use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .shape_claims import compare_pairs, shape_holds, summary


@dataclass(frozen=True)
class Event:  # the fields of scopelint.types.VarEvent the comparison reads
    name: str
    line: int
    shape: tuple | None = None
    dtype: str | None = None


def tf_event(shape, dtype="float32") -> dict:
    return {"kind": "create", "name": "w", "actual": "w", "line": 1, "graph": 0,
            "shape": shape, "dtype": dtype}


def test_shape_holds():
    assert shape_holds(None, [8, 16])
    assert shape_holds(None, None)
    assert shape_holds((8, 16), [8, 16])
    assert shape_holds((None, 16), [8, 16])
    assert shape_holds((None, None), [8, 16])
    assert shape_holds((), [])
    assert not shape_holds((6, 16), [8, 16])
    assert not shape_holds((8,), [8, 16])  # rank differs
    assert not shape_holds((8, 16, 1), [8, 16])
    assert not shape_holds((), [1])
    assert not shape_holds((8, 16), None)  # TF does not even know the rank
    assert not shape_holds((8,), [None])  # TF does not know that dimension: 8 is a wrong claim


def test_compare_pairs_reports_wrong_claims_and_counts_unknowns():
    tally = Counter()
    pairs = [
        (Event("a", 3, (8, 16), "float32"), tf_event([8, 16])),
        (Event("b", 4, (None, 16), None), tf_event([8, 16])),
        (Event("c", 5, None, "float32"), tf_event([2])),
        (Event("d", 6, (6, 16), "float32"), tf_event([8, 16])),
        (Event("e", 7, (2,), "int32"), tf_event([2], "float32")),
    ]
    wrong = compare_pairs(pairs, tally)
    assert [(m.name, m.what) for m in wrong] == [("d", "shape"), ("e", "dtype")]
    assert "scopelint predicts shape (6, 16), TF made [8, 16]" in str(wrong[0])
    assert tally == Counter(shapes=4, dims_unknown=1, shapes_unknown=1, dtypes=4, dtypes_unknown=1)
    assert summary(tally).startswith("4 variable shapes compared, 1 dims left unknown")


def test_events_without_the_fields_claim_nothing():
    @dataclass(frozen=True)
    class Old:
        name: str
        line: int

    tally = Counter()
    assert compare_pairs([(Old("w", 1), tf_event([3]))], tally) == []
    assert tally == Counter(shapes_unknown=1, dtypes_unknown=1)


def test_differential_compare_checks_shape_claims():
    from types import SimpleNamespace

    from scopelint.types import EventKind

    from .differential import compare

    def predicted(name, shape, dtype="float32"):
        return SimpleNamespace(kind=EventKind.CREATE, name=name, actual=name, line=1,
                               entry="<module>", error=None, order=0, shape=shape, dtype=dtype)

    truth = {"error": None, "events": [dict(tf_event([8, 16]), name="w", actual="w"),
                                       dict(tf_event([16]), name="b", actual="b")]}
    right = SimpleNamespace(diagnostics=(), events=(predicted("w", (None, 16)), predicted("b", None)))
    outcome = compare("", truth, result=right)
    assert outcome.status == "agree", outcome.mismatches
    assert outcome.shape_tally["shapes"] == 1 and outcome.shape_tally["dims_unknown"] == 1

    wrong = SimpleNamespace(diagnostics=(), events=(predicted("w", (6, 16)), predicted("b", (16,), "int32")))
    outcome = compare("", truth, result=wrong)
    assert outcome.status == "disagree"
    assert outcome.mismatches["shapes"] == ([("w", "shape", [8, 16]), ("b", "dtype", "float32")],
                                            [("w", "shape", (6, 16)), ("b", "dtype", "int32")])
    assert outcome.kind == "wrong dtype and shape"
