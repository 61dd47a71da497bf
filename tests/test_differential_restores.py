"""Differential test of restores: generated programs restore, with calls that read the graph's
collections, a checkpoint TF saved from a variant of themselves (``tests/differential_restores``);
scopelint's verdict and keys against TF's. A fixed seed, so every run checks the same programs;
``python -m tests.differential_restores --examples 500`` runs a longer campaign."""

from __future__ import annotations

from collections import Counter

import pytest

from .differential_restores import cases, check, summary

EXAMPLES = 40
SEED = 20240601


@pytest.fixture(scope="module")
def outcomes():
    return check(cases(EXAMPLES, SEED))


def test_cases_are_deterministic():
    first = [(c.base, c.program) for c in cases(4, SEED)]
    assert first == [(c.base, c.program) for c in cases(4, SEED)]
    assert len({program for _, program in first}) == 4


@pytest.mark.tensorflow
def test_no_wrong_claim(outcomes):
    wrong = [o for o in outcomes if o.status == "wrong"]
    assert not wrong, "\n\n".join(o.describe() for o in wrong[:5])


@pytest.mark.tensorflow
def test_restores_that_fail_and_succeed_are_compared(outcomes, capsys):
    with capsys.disabled():
        print("\n" + summary(outcomes))
    status = Counter(o.status for o in outcomes)
    compared = [o for o in outcomes if o.status != "discard"]
    failing = [o for o in compared if o.tf != "restores"]
    assert len(compared) >= EXAMPLES // 2, status
    assert len(failing) >= 4 and len(compared) - len(failing) >= 4, status
    # Recall: the failures TF has that scopelint reports (it may not know every variable).
    assert status["missed"] <= len(failing) // 8, "\n\n".join(
        o.describe() for o in outcomes if o.status == "missed")
