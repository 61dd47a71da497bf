"""Session-wide tallies printed after the run, and the `tensorflow` marker kept complete."""

from __future__ import annotations

import os
import sys
from collections import Counter

import pytest

from .shape_claims import summary

_SHAPE_TALLY = pytest.StashKey[Counter]()
ZOO_SUMMARY = pytest.StashKey[str]()  # the model zoo's totals (tests/test_zoo.py)
DIFFERENTIAL_SUMMARY = pytest.StashKey[str]()  # what the differential test compared


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
    differential = config.stash.get(DIFFERENTIAL_SUMMARY, None)
    if differential is not None:
        terminalreporter.write_line(f"differential: {differential}")


# A test not marked `tensorflow` runs (with its fixtures) with this set: the TF runners refuse
# it, in this process or a child, and importing TF here fails the test. So `-m 'not tensorflow'`
# runs no TF, and a test that needs TF cannot be left unmarked.
_WITHOUT_TF = "SCOPELINT_TEST_WITHOUT_TF"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _without_tf(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _without_tf(item))


def _without_tf(item):
    if item.get_closest_marker("tensorflow") is not None:
        return (yield)
    had = "tensorflow" in sys.modules
    os.environ[_WITHOUT_TF] = "1"
    try:
        result = yield
    finally:
        del os.environ[_WITHOUT_TF]
    if not had and "tensorflow" in sys.modules:
        raise RuntimeError(f"{item.nodeid} imported TensorFlow: mark it `tensorflow`")
    return result
