"""The property test draws the same examples on every run, so its result and warnings repeat."""

from __future__ import annotations

import pytest

from . import test_robustness


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith's, as in the property test
def test_property_test_draws_the_same_examples_every_time(monkeypatch):
    hooks = test_robustness.test_arbitrary_python_never_escapes.hypothesis
    runs = []
    for _ in range(2):
        drawn: list[str] = []
        # The generated examples, without checking them: only the drawing is under test here.
        monkeypatch.setattr(hooks, "inner_test", _recorder(drawn))
        test_robustness.test_arbitrary_python_never_escapes()
        runs.append(drawn)
    assert len(runs[0]) > 100
    assert runs[0] == runs[1]


def _recorder(drawn: list[str]):
    # A closure, not a default argument: hypothesis seeds a derandomized test from the source and
    # signature of this function, and a default's repr (an address, a list) would vary.
    def record(code):
        drawn.append(code)

    return record
