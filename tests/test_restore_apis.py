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

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint import checkpoint as ckpt
from scopelint.engine import check_bytes
from scopelint.restore import compare
from scopelint.rules import ERROR_CODES
from scopelint.rules.checkpoint_rules import RESTORE_CALL_ERROR

from .fixture_spec import expected

pytestmark = pytest.mark.tensorflow

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "restore_cases"
PROGRAMS = sorted(p for p in CASES.glob("*/*.py") if p.name != "base.py")
ERRORS = ERROR_CODES | {"SL200", "SL201", RESTORE_CALL_ERROR.code}
_TF_KEY = (
    re.compile(r"Key (\S+) not found in checkpoint"),
    re.compile(r"Tensor (\S+) (?:\(.*?\) )?is not found in"),
    re.compile(r"Shape of variable (\S+):0"),
)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.fixture(scope="module")
def truth(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("restores")
    prefixes = {d.name: str(root / d.name / "model.ckpt") for d in CASES.iterdir() if d.is_dir()}
    v1 = {name: str(root / name / "v1" / "model.ckpt") for name in prefixes}
    spec = {
        "save": [{"program": str(CASES / name / "base.py"), "prefix": p} for name, p in prefixes.items()]
        + [{"program": str(CASES / name / "base.py"), "prefix": p, "v1": True} for name, p in v1.items()],
        "run": [{"program": str(p), "prefix": prefixes[p.parent.name]} for p in PROGRAMS],
    }
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfrestore", str(spec_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    runs = {Path(r["program"]): r for r in out["runs"]}
    return {"runs": runs, "prefixes": prefixes, "v1": v1, "saved": out["saved"]}


def findings(path: Path, prefix: str):
    """What `scopelint checkpoint PREFIX path` reports: the lint findings and the restore ones."""
    checkpoint = ckpt.load(prefix)
    ckpt.activate(checkpoint)
    try:
        result = check_bytes(path.read_bytes(), str(path), with_events=True)
    finally:
        ckpt.activate(None)
    return list(result.diagnostics) + list(compare(result, checkpoint).diagnostics)


def _tf_key(message: str | None) -> str | None:
    for pattern in _TF_KEY:
        match = pattern.search(message or "")
        if match:
            return match.group(1)
    return None


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_findings_are_what_tf_does(truth, path: Path):
    found = findings(path, truth["prefixes"][path.parent.name])
    shown = "\n".join(f"{d.span.start.row}: {d.code} {d.message}" for d in found)
    assert sorted({(d.span.start.row, d.code) for d in found}) == expected(path), shown
    run = truth["runs"][path]
    errors = [d for d in found if d.code in ERRORS]
    if not errors:
        assert run["error"] is None, (run["error"], run["message"], shown)
        return
    assert run["error"] is not None, shown
    assert run["line"] is not None and run["line"] >= min(d.span.start.row for d in errors)
    key = _tf_key(run["message"])
    if key is not None:
        assert key in {d.subject for d in errors}, (key, shown)
    if run["saver"]:
        failing = {k for restore in run["saver"] for k, _ in restore}
        assert {d.subject for d in errors} == failing, shown


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


def test_every_restore_api_has_programs():
    text = "\n".join(p.read_text(encoding="utf-8") for p in PROGRAMS)
    for api in ("tf.train.Saver(", "init_from_checkpoint(", "list_variables(",
                "assign_from_checkpoint_fn(", "ignore_missing_vars=True", "variables_to_restore(",
                "get_variables_to_restore(", "warm_start(", "var_name_to_prev_var_name"):
        assert api in text, api


def test_measure(truth, capsys):
    """Precision and recall of the reported failing keys, and the restores/fails verdict per
    program. For Saver restores every failing key is known; for the others only the one TF
    names (other keys reported there are counted as unverified, neither right nor wrong)."""
    right = wrong = missed = unverified = verdicts = 0
    for path in PROGRAMS:
        run = truth["runs"][path]
        found = findings(path, truth["prefixes"][path.parent.name])
        keys = {d.subject for d in found if d.code in ERRORS}
        errors = [d for d in found if d.code in ERRORS]
        verdicts += bool(errors) == (run["error"] is not None)
        if run["saver"]:
            failing = {k for restore in run["saver"] for k, _ in restore}
            right += len(keys & failing)
            wrong += len(keys - failing)
            missed += len(failing - keys)
        elif run["error"] is not None:
            key = _tf_key(run["message"])
            if key is None:  # TF names no checkpoint key (an assignment map it rejects)
                right += bool(errors)
                missed += not errors
            else:
                right += key in keys
                missed += key not in keys
                unverified += len(keys - {key})
        else:
            wrong += len(keys)
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / (right + missed) if right + missed else 1.0
    with capsys.disabled():
        print(
            f"\nrestore programs: {len(PROGRAMS)}; failing keys: precision {precision:.2f} "
            f"({right} right, {wrong} wrong), recall {recall:.2f} ({missed} missed), "
            f"{unverified} unverified; verdict right for {verdicts} of {len(PROGRAMS)}"
        )
    assert precision >= 0.95 and recall >= 0.90 and verdicts == len(PROGRAMS)
