"""`scopelint checkpoint` on public TF1 code that restores, against TensorFlow itself.

``tests/restore_cases_public`` holds programs written as the public projects' own scripts run
their code, importing it from the zoo's fetched packages (``tests/zoo``; nothing of it is copied
here): BERT (bert-tensorflow) pre-trained with ``modeling.BertModel`` and ``run_pretraining``'s
heads, then fine-tuned with ``run_classifier.model_fn_builder`` (its assignment map from
``get_assignment_map_from_checkpoint`` and ``init_from_checkpoint``), of the same size and of
another; TF-GAN's conditional MNIST GAN, two Adams on the generator's and the discriminator's
variables, resumed with a Saver. TF saves each ``base.py`` and runs every program (as the zoo
runs packages made for TF 1.x); the command itself lints them with the packages importable,
and the checks are those of ``tests/test_restore_apis.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .restore_truth import findings, programs, run_tf, score, verify
from .zoo.fetch import site_dir

pytestmark = pytest.mark.tensorflow

CASES = Path(__file__).resolve().parent / "restore_cases_public"
PROGRAMS = programs(CASES)


@pytest.fixture(scope="module")
def site() -> Path:
    return site_dir()


@pytest.fixture(scope="module")
def truth(site, tmp_path_factory) -> dict:
    return run_tf(CASES, tmp_path_factory.mktemp("public_restores"), site)


@pytest.fixture(scope="module")
def found(truth, site) -> dict:
    """What the command reports on each program (it runs once per program)."""
    return {path: findings(path, truth["prefixes"][path.parent.name], site) for path in PROGRAMS}


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_findings_are_what_tf_does(truth, found, path: Path):
    verify(path, found[path], truth["runs"][path])


def test_measure(truth, site, found, capsys):
    result = score(CASES, truth, site, found)
    with capsys.disabled():
        print("\npublic " + result.line())
    assert result.precision >= 0.95 and result.recall >= 0.90
    assert result.verdicts == result.programs
