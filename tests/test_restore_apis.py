"""`scopelint checkpoint` on restores as programs write them, against TensorFlow itself.

For each directory of ``tests/restore_cases``, TF (one child process, ``tests/tfrestore.py``)
saves a checkpoint of ``base.py`` and runs every other program there as written, with its own
restore calls. The tests require that:

- scopelint's findings are exactly the ones each program declares (``# expect: CODE``);
- a program declaring an error-class finding fails under TF at or after that line, one
  declaring none runs to the end (its asserts back the silent cases);
- the key TF names in its error is among the keys scopelint reports, and for ``Saver``
  restores (where TF's own reader gives every failing key, not only the first) the keys
  scopelint reports are exactly the failing ones.

``test_measure`` prints precision, recall and verdicts over all the programs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scopelint.checkpoint import reader as ckpt

from .fixture_spec import expected
from .restore_truth import findings, programs, run_tf, score, verify

pytestmark = pytest.mark.tensorflow

CASES = Path(__file__).resolve().parent / "restore_cases"
PROGRAMS = programs(CASES)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def truth(tmp_path_factory) -> dict:
    return run_tf(CASES, tmp_path_factory.mktemp("restores"))


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_findings_are_what_tf_does(truth, path: Path):
    verify(path, findings(path, truth["prefixes"][path.parent.name]), truth["runs"][path])


def test_v1_checkpoints_read_as_tf_reads_them(truth):
    """A V1 checkpoint (one table file, as the TF-Slim model zoo ships them) lists the tensors TF's
    own reader lists, and restores are checked against it as against the V2 one."""
    saved = {s["prefix"]: s["entries"] for s in truth["saved"]}
    for name, prefix in truth["v1"].items():
        ours = ckpt.load(prefix)
        assert sorted([e.name, e.dtype, list(e.shape)] for e in ours.entries) == saved[prefix]
        assert saved[prefix] == saved[truth["prefixes"][name]]
        assert not os.path.exists(prefix + ".index") and os.path.isfile(prefix)
    data = Path(truth["v1"]["train"]).read_bytes()
    for cut in (len(data) // 2, len(data) - 3, 10):
        damaged = Path(truth["v1"]["train"] + f".cut{cut}")
        damaged.write_bytes(data[:cut])
        with pytest.raises(ckpt.CheckpointError):
            ckpt.load(str(damaged))
    program = CASES / "train" / "saver_all_with_new_counter.py"
    v1_codes = {(d.span.start.row, d.code) for d in findings(program, truth["v1"]["train"])}
    assert v1_codes == set(expected(program))


def test_without_a_restore_call_every_variable_is_checked(truth, tmp_path):
    """No restore call: the question is whether `tf.train.Saver().restore` would work, and the
    finding says that this is the question asked."""
    source = (CASES / "train" / "saver_all_with_new_counter.py").read_text(encoding="utf-8")
    program = tmp_path / "no_restore.py"
    program.write_text(source.split("saver = ")[0], encoding="utf-8")
    found = findings(program, truth["prefixes"]["train"])
    assert [(d.code, d.subject) for d in found] == [("SL200", "eval_count")]
    assert "no restore call seen" in found[0].message


def test_every_restore_api_has_programs():
    text = "\n".join(p.read_text(encoding="utf-8") for p in PROGRAMS)
    for api in ("tf.train.Saver(", "init_from_checkpoint(", "list_variables(",
                "assign_from_checkpoint_fn(", "ignore_missing_vars=True", "variables_to_restore(",
                "get_variables_to_restore(", "warm_start(", "var_name_to_prev_var_name"):
        assert api in text, api


def test_measure(truth, capsys):
    """Precision and recall of the reported failing keys, and the restores/fails verdict per
    program (see ``restore_truth.score``)."""
    result = score(CASES, truth)
    with capsys.disabled():
        print("\n" + result.line())
    assert result.precision >= 0.95 and result.recall >= 0.90
    assert result.verdicts == result.programs
