"""Comparing scopelint's prediction for one zoo model with what TF did.

Truth is every variable TF made while the builder ran (store creations and ``tf.Variable``s, by
the variable's own name). A prediction is one of scopelint's ``create`` / ``tf.Variable`` events
reached from the builder's top level (``entry`` ``<module>``) on every path (one made only inside
a branch scopelint could not decide is a possibility, not a claim) that does not fail in TF:

- *name exact*: its name (``actual``) is a variable TF made;
- *full exact*: and its shape is fully predicted and TF's, and its dtype is TF's;
- *wrong claim*: its name is none TF made, or a shape dimension or dtype it claims is not TF's
  (``tests/shape_claims.py``'s rule: an unknown dimension claims only the rank);
- *unknown name*: a creation whose variable name scopelint leaves open (``actual`` null).

Planted mistakes: TF's error in a variant decides what scopelint must report there.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from tests.shape_claims import compare_pairs

# TF's store errors, by the start of the message, and the code scopelint reports them with.
_ERROR_CODES = (
    ("already exists", "SL001"),
    ("does not exist", "SL002"),
)
# Codes of findings that say TF raises (scopelint.rules.ERROR_CODES, without importing it here:
# the zoo judges scopelint only through its command line).
RAISING_CODES = frozenset({"SL001", "SL002", "SL005", "SL006"})


@dataclass(frozen=True, slots=True)
class Coverage:
    truth: int
    names: int
    full: int
    unknown_names: int
    wrong: tuple[str, ...]  # one line per wrong claim


@dataclass(frozen=True, slots=True)
class Planted:
    kind: str  # "twice" | "reuse_first" | "shared"
    tf_error: str | None  # TF's error: "ValueError at line 12: Variable x already exists..."
    expected: tuple[str, int, str | None] | None  # (code, line, variable) scopelint must report
    caught: bool  # the expected finding is there (always False when nothing is expected)
    extra: tuple[str, ...]  # findings that say TF raises where TF did not (or not there)

    @property
    def is_mistake(self) -> bool:
        return self.expected is not None


def truth_variables(report: dict) -> dict[str, dict]:
    """TF's variables of one run, by name (the first event that made each)."""
    out: dict[str, dict] = {}
    for event in report["events"]:
        if event["kind"] in ("create", "tf.Variable"):
            out.setdefault(event["actual"], event)
    return out


def coverage(report: dict, predicted: list[dict]) -> Coverage:
    truth = truth_variables(report)
    made = [e for e in predicted
            if e["kind"] in ("create", "tf.Variable") and e["entry"] == "<module>"
            and e["error"] is None and not e.get("conditional")]
    unknown = sum(1 for e in made if e["actual"] is None)
    named: dict[str, dict] = {}
    for event in made:
        if event["actual"] is not None:
            named.setdefault(event["actual"], event)
    wrong = [f"line {e['line']}: {name}: no variable of that name in TF's graph"
             for name, e in named.items() if name not in truth]
    pairs = [(_claim(e), truth[name]) for name, e in named.items() if name in truth]
    wrong += [str(m) for m in compare_pairs(pairs)]
    full = sum(1 for mine, theirs in pairs if _exact(mine, theirs))
    return Coverage(truth=len(truth), names=len(pairs), full=full, unknown_names=unknown,
                    wrong=tuple(wrong))


def _claim(event: dict) -> SimpleNamespace:
    shape = tuple(event["shape"]) if event["shape"] is not None else None
    return SimpleNamespace(line=event["line"], name=event["actual"], shape=shape,
                           dtype=event["dtype"])


def _exact(mine: SimpleNamespace, theirs: dict) -> bool:
    return (mine.shape is not None and None not in mine.shape
            and list(mine.shape) == theirs["shape"] and mine.dtype == theirs["dtype"])


def expected_finding(report: dict) -> tuple[str, int, str | None] | None:
    """What scopelint must report for the error TF raised in this run (None: TF raised no store
    error, so nothing is expected)."""
    error = report["error"]
    if error is None or error["type"] != "ValueError":
        return None
    for text, code in _ERROR_CODES:
        if text in error["message"]:
            return code, error["line"], error["variable"]
    return None


def planted(kind: str, report: dict, findings: list[dict]) -> Planted:
    """Judge one variant by scopelint's ``findings`` in its file. Where TF raises, the finding
    TF's error calls for must be there (more findings after it are of code TF never reaches, and
    the builder's own part is judged on the builder); where TF raises no store error, no
    finding may say it does."""
    error = report["error"]
    described = None if error is None else (
        f"{error['type']} at line {error['line']}: {error['message']}")
    expected = expected_finding(report)
    raising = [f for f in findings if f["code"] in RAISING_CODES]
    caught = expected is not None and any(
        (f["code"], f["location"]["row"], f["variable"]) == expected for f in raising)
    extra = () if expected is not None else tuple(describe(f) for f in raising)
    return Planted(kind=kind, tf_error=described, expected=expected, caught=caught, extra=extra)


def describe(finding: dict) -> str:
    return (f"{finding['code']} at line {finding['location']['row']}: "
            f"{finding['message'].splitlines()[0]}")
