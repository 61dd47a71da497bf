"""scopelint's prediction for the zoo, run as a user runs it: a child process
``python -m scopelint ... FILES`` with the fetched packages' directory on ``PYTHONPATH``, so that
it reads them as installed packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOBS = 2  # CI has two cores


def _scopelint(args: list[str], site: Path) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(site))
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", "--output-format", "json", "--no-cache",
         "--jobs", str(JOBS), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    # 0: nothing found, 1: findings; anything else is scopelint failing.
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"scopelint exited with {proc.returncode}:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def variables(paths: list[Path], site: Path) -> dict[str, list[dict]]:
    """``--show-variables``: the predicted variable events of each file, by its path."""
    out: dict[str, list[dict]] = {str(p): [] for p in paths}
    for event in _scopelint(["--show-variables", *map(str, paths)], site):
        out.setdefault(_path(event["filename"]), []).append(event)
    return out


def findings(paths: list[Path], site: Path) -> dict[str, list[dict]]:
    """The findings of the default rules, by the path of the file it is reported in."""
    out: dict[str, list[dict]] = {str(p): [] for p in paths}
    for finding in _scopelint(list(map(str, paths)), site):
        out.setdefault(_path(finding["filename"]), []).append(finding)
    return out


def _path(displayed: str) -> str:
    # scopelint displays paths relative to its working directory where it can.
    return str((ROOT / displayed).resolve()) if not os.path.isabs(displayed) else displayed
