"""Restore programs against TensorFlow: run them under TF, lint them with their checkpoint, and
score scopelint's verdicts and failing keys. Used by ``tests/test_restore_apis.py``, and on any
directory laid out the same way (``DIR/<base>/base.py`` saved, every other ``DIR/<base>/*.py``
run against it):

    python -m tests.restore_truth DIR [--public]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from scopelint.checkpoint import reader as ckpt
from scopelint.checkpoint.restore import compare
from scopelint.checkpoint.rules import (
    MISSING_KEY,
    RESTORE_CALL_ERROR,
    SHAPE_MISMATCH,
)
from scopelint.rules import ERROR_CODES
from scopelint.run.engine import check_bytes

from .fixture_spec import expected

ROOT = Path(__file__).resolve().parent.parent
ERRORS = ERROR_CODES | {MISSING_KEY.code, SHAPE_MISMATCH.code, RESTORE_CALL_ERROR.code}
_TF_KEY = (
    re.compile(r"Key (\S+) not found in checkpoint"),
    re.compile(r"Tensor (\S+) (?:\(.*?\) )?is not found in"),
    re.compile(r"Shape of variable (\S+):0"),
    re.compile(r"tensor_name = ([^;\s]+); expected dtype"),
)


def programs(cases: Path) -> list[Path]:
    return sorted(p for p in cases.glob("*/*.py") if p.name != "base.py")


def run_tf(cases: Path, root: Path, site: Path | None = None) -> dict:
    """Every base saved (V2, and V1 beside it), every program run under TF, in one process;
    with ``site``, the programs import the zoo's public packages from there."""
    bases = sorted(d.name for d in cases.iterdir() if (d / "base.py").is_file())
    prefixes = {name: str(root / name / "model.ckpt") for name in bases}
    v1 = {name: str(root / name / "v1" / "model.ckpt") for name in bases}
    spec = {
        "save": [{"program": str(cases / n / "base.py"), "prefix": p} for n, p in prefixes.items()]
        + [{"program": str(cases / n / "base.py"), "prefix": p, "v1": True} for n, p in v1.items()],
        "run": [{"program": str(p), "prefix": prefixes[p.parent.name]} for p in programs(cases)],
        "site": str(site) if site is not None else None,
    }
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfrestore", str(spec_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    out = json.loads(proc.stdout)
    runs = {Path(r["program"]): r for r in out["runs"]}
    return {"runs": runs, "prefixes": prefixes, "v1": v1, "saved": out["saved"]}


def findings(path: Path, prefix: str, site: Path | None = None) -> list:
    """What `scopelint checkpoint PREFIX path` reports: the lint findings and the restore ones;
    with ``site``, from the command itself run with the public packages there importable."""
    if site is not None:
        return _command_findings(path, prefix, site)
    checkpoint = ckpt.load(prefix)
    ckpt.activate(checkpoint)
    try:
        result = check_bytes(path.read_bytes(), str(path), with_events=True)
    finally:
        ckpt.activate(None)
    return list(result.diagnostics) + list(compare(result, checkpoint).diagnostics)


def _command_findings(path: Path, prefix: str, site: Path) -> list:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((str(site), str(ROOT))))
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", "checkpoint", "--output-format", "json", "--no-cache",
         prefix, str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(proc.stderr[-3000:])
    return [
        SimpleNamespace(code=d["code"], message=d["message"], subject=d.get("variable"),
                        span=SimpleNamespace(start=SimpleNamespace(row=d["location"]["row"])))
        for d in json.loads(proc.stdout)
    ]


def verify(path: Path, found: list, run: dict) -> None:
    """Asserts that scopelint's findings on one program are what TF did (the module's doc)."""
    shown = "\n".join(f"{d.span.start.row}: {d.code} {d.message}" for d in found)
    assert sorted({(d.span.start.row, d.code) for d in found}) == expected(path), shown
    errors = [d for d in found if d.code in ERRORS]
    if not errors:
        assert run["error"] is None, (run["error"], run["message"], shown)
        return
    assert run["error"] is not None, shown
    assert run["line"] is not None and run["line"] >= min(d.span.start.row for d in errors)
    key = tf_key(run["message"])
    if key is not None:
        assert key in {d.subject for d in errors}, (key, shown)
    if run["saver"]:
        failing = {k for restore in run["saver"] for k, _ in restore}
        assert {d.subject for d in errors} == failing, shown


def tf_key(message: str | None) -> str | None:
    """The checkpoint key TF names in its error, if it names one."""
    for pattern in _TF_KEY:
        match = pattern.search(message or "")
        if match:
            return match.group(1)
    return None


@dataclass
class Score:
    programs: int = 0
    right: int = 0  # failing keys reported
    wrong: int = 0  # keys reported that do not fail
    missed: int = 0  # failing keys not reported
    unverified: int = 0  # keys reported after the first failure TF names (it stops there)
    verdicts: int = 0  # programs whose restores/fails verdict is right

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0

    def line(self) -> str:
        return (
            f"restore programs: {self.programs}; failing keys: precision {self.precision:.2f} "
            f"({self.right} right, {self.wrong} wrong), recall {self.recall:.2f} "
            f"({self.missed} missed), {self.unverified} unverified; verdict right for "
            f"{self.verdicts} of {self.programs}"
        )


def score(cases: Path, truth: dict, site: Path | None = None, known: dict | None = None) -> Score:
    """For Saver restores every failing key is known (TF's reader checks each); for the others
    only the one TF names, and other keys reported there are counted as unverified. ``known``:
    the findings already made, by program."""
    out = Score()
    for path in programs(cases):
        out.programs += 1
        run = truth["runs"][path]
        found = (known or {}).get(path)
        if found is None:
            found = findings(path, truth["prefixes"][path.parent.name], site)
        errors = [d for d in found if d.code in ERRORS]
        keys = {d.subject for d in errors}
        out.verdicts += bool(errors) == (run["error"] is not None)
        if run["saver"]:
            failing = {k for restore in run["saver"] for k, _ in restore}
            out.right += len(keys & failing)
            out.wrong += len(keys - failing)
            out.missed += len(failing - keys)
        elif run["error"] is not None:
            key = tf_key(run["message"])
            if key is None:  # TF names no checkpoint key (an assignment map it rejects)
                out.right += bool(errors)
                out.missed += not errors
            else:
                out.right += key in keys
                out.missed += key not in keys
                out.unverified += len(keys - {key})
        else:
            out.wrong += len(keys)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.restore_truth")
    parser.add_argument("cases", type=Path, help="a directory of <base>/base.py and programs")
    parser.add_argument("--public", action="store_true",
                        help="the programs import the zoo's public packages (fetched if need be)")
    args = parser.parse_args(argv)
    cases = args.cases.resolve()
    site = None
    if args.public:
        from .zoo.fetch import site_dir

        site = site_dir()
    with tempfile.TemporaryDirectory() as tmp:
        truth = run_tf(cases, Path(tmp), site)
        for path in programs(cases):
            run = truth["runs"][path]
            found = findings(path, truth["prefixes"][path.parent.name], site)
            codes = sorted({d.code for d in found})
            tf_says = "runs" if run["error"] is None else f"{run['error']} line {run['line']}"
            print(f"{path.parent.name}/{path.name}: TF {tf_says}; scopelint {', '.join(codes) or '-'}")
        print(score(cases, truth, site).line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
