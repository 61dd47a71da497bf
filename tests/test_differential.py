"""Differential test: scopelint agrees with TensorFlow on random TF1 scoping programs.

The programs come from ``tests.differential.programs`` (a hypothesis strategy) with a fixed seed,
so every run checks the same ones. All of them run under TF in one child process.
``python -m tests.differential --examples 5000`` runs a longer campaign.
"""

from __future__ import annotations

from collections import Counter

import pytest

from .conftest import DIFFERENTIAL_SUMMARY
from .differential import check_programs, generate

EXAMPLES = 600
SEED = 20240601
SHOWN = 20  # disagreeing programs printed in full
MIN_COMPARED_SHARE = 0.85  # of the variables scopelint predicts, the share compared (91% today)


@pytest.fixture(scope="module")
def outcomes():
    programs = generate(EXAMPLES, seed=SEED)
    assert len(programs) == EXAMPLES
    return check_programs(programs)


def test_generator_is_deterministic():
    first = [p.source() for p in generate(20, seed=SEED)]
    again = [p.source() for p in generate(20, seed=SEED)]
    assert first == again
    assert len(set(first)) == 20


@pytest.mark.tensorflow
def test_enough_programs_are_compared(outcomes, request):
    status = Counter(o.status for o in outcomes)
    # Discarded programs (TF raised something other than a store error, before scopelint's
    # first error) must stay a minority, and both kinds of compared program must be common:
    # ones TF runs to the end, ones it stops.
    assert status["discard"] < EXAMPLES // 4, status
    raised = sum(1 for o in outcomes if o.status != "discard" and o.truth["error"] is not None)
    clean = sum(1 for o in outcomes if o.status != "discard" and o.truth["error"] is None)
    assert raised > EXAMPLES // 10 and clean > EXAMPLES // 10, (raised, clean)
    # Most variables scopelint predicts (before its first error: TF makes none after it) are
    # compared with TF's: a discarded program's are not.
    predicted = sum(o.predicted for o in outcomes)
    compared = sum(o.compared for o in outcomes)
    request.config.stash[DIFFERENTIAL_SUMMARY] = (
        f"{status['agree']} programs agree, {status['disagree']} disagree, {status['discard']} "
        f"discarded; {compared} of the {predicted} variables scopelint predicts compared "
        f"({compared / max(predicted, 1):.1%})"
    )
    assert predicted > 5 * EXAMPLES and compared >= MIN_COMPARED_SHARE * predicted, (compared, predicted)


@pytest.mark.tensorflow
def test_scopelint_agrees_with_tensorflow(outcomes):
    bad = [o for o in outcomes if o.status == "disagree"]
    if bad:
        shown = "\n\n".join(o.describe() for o in bad[:SHOWN])
        more = f"\n\n... and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
        pytest.fail(
            f"{len(bad)} of {len(outcomes)} programs disagree with TensorFlow "
            f"(line numbers count from the file's first line):\n\n{shown}{more}",
            pytrace=False,
        )


def test_an_error_tf_went_past_is_a_disagreement():
    """TF stopped on another exception: the program is discarded unless TF made more variables
    than scopelint predicts before its first error, which TF then never raised."""
    from types import SimpleNamespace

    from scopelint.types import EventKind

    from .differential import compare

    def event(name, order):
        return SimpleNamespace(kind=EventKind.CREATE, name=name, actual=name, line=1,
                               entry="<module>", error=None, order=order, shape=None, dtype=None)

    span = SimpleNamespace(start=SimpleNamespace(row=5))
    duplicate = SimpleNamespace(code="SL001", order=1, span=span, subject="w")
    predicted = SimpleNamespace(diagnostics=(duplicate,), events=(event("w", 0), event("v", 2)))
    other = {"type": "TypeError", "message": "boom", "line": 9, "variable": None}

    def tf_made(*names):
        return {"error": other, "events": [
            {"kind": "create", "name": n, "actual": n, "line": 1, "graph": 0} for n in names
        ]}

    outcome = compare("", tf_made("w", "v"), result=predicted)
    assert outcome.status == "disagree" and outcome.kind.startswith("spurious SL001"), outcome
    assert outcome.predicted == 1 and outcome.compared == 0
    assert compare("", tf_made("w"), result=predicted).status == "discard"
    silent = SimpleNamespace(diagnostics=(), events=predicted.events)
    assert compare("", tf_made("w", "v"), result=silent).status == "discard"
