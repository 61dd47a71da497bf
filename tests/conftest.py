"""Session-wide tallies printed after the run."""

from __future__ import annotations

from collections import Counter

import pytest

from .shape_claims import summary

_SHAPE_TALLY = pytest.StashKey[Counter]()
ZOO_SUMMARY = pytest.StashKey[str]()  # the model zoo's totals (tests/test_zoo.py)


@pytest.fixture(scope="session")
def shape_tally(request) -> Counter:
    """What the fixture tests compared of the predicted variable shapes and dtypes, and what
    scopelint left unknown (no claim); printed in the terminal summary."""
    return request.config.stash.setdefault(_SHAPE_TALLY, Counter())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tally = config.stash.get(_SHAPE_TALLY, None)
    if tally is not None:
        terminalreporter.write_line(f"scopelint vs TF: {summary(tally)}")
    zoo = config.stash.get(ZOO_SUMMARY, None)
    if zoo is not None:
        terminalreporter.write_line(f"zoo: {zoo}")
