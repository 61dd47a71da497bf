"""TF's truth for the zoo: every builder (and planted variant) run under real TensorFlow.

    python -m tests.zoo.truth --site DIR FILE [FILE...]

prints one JSON list, an object per file, as ``tests.tfrun`` does (events of every variable TF
created or reused, the error TF raised with its line and variable). All files run in this one
process, after ``tfshim.install()`` and with the fetched packages' directory first on
``sys.path``; modules imported from it are kept between programs like installed packages.
``run(paths, site)`` returns ``{path: report}``: from the cache where an earlier run of the same
file under the same TensorFlow, shims and packages left one, else from child processes (two:
CI has two cores) that each run their share of the files.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .fetch import cache_dir, pins_key

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 120.0  # seconds per file: a builder takes a few
PROCESSES = 2
# What TF's answer for a file depends on besides the file itself.
_HARNESS = ("tests/tfrun.py", "tests/zoo/truth.py", "tests/zoo/tfshim.py", "tests/zoo/stubs.py")
_DISTRIBUTIONS = ("tensorflow", "tf-keras", "tf-slim", "numpy", "protobuf")


def run(paths: list[Path], site: Path) -> dict[str, dict]:
    cache = cache_dir() / "truth"
    cache.mkdir(parents=True, exist_ok=True)
    salt = _salt()
    keys = {str(p): hashlib.sha256(salt + Path(p).read_bytes()).hexdigest()[:24] for p in paths}
    out: dict[str, dict] = {}
    todo = []
    for path, key in keys.items():
        entry = cache / f"{key}.json"
        if entry.exists():
            out[path] = dict(json.loads(entry.read_text()), path=path)
        else:
            todo.append(path)
    for report in _run_processes(todo, site):
        out[report["path"]] = report
        entry = cache / f"{keys[report['path']]}.json"
        with tempfile.NamedTemporaryFile("w", dir=cache, delete=False) as handle:
            json.dump(report, handle)
        os.replace(handle.name, entry)  # atomic: a concurrent run reads all or nothing
    return out


def _salt() -> bytes:
    parts = [pins_key().encode()]
    parts += [(ROOT / name).read_bytes() if (ROOT / name).exists() else b"" for name in _HARNESS]
    parts += [_version(d).encode() for d in _DISTRIBUTIONS]
    return hashlib.sha256(b"\0".join(parts)).digest()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _run_processes(paths: list[str], site: Path) -> list[dict]:
    if not paths:
        return []
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    shares = [paths[i::PROCESSES] for i in range(PROCESSES) if paths[i::PROCESSES]]
    procs = []
    for share in shares:
        out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.zoo.truth", "--site", str(site), *share],
            cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        procs.append((proc, out, err))
    reports = []
    for proc, out, err in procs:
        proc.wait(timeout=1800)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"the zoo's TF process failed:\n{err.read()[-4000:]}")
        reports += json.load(out)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.zoo.truth")
    parser.add_argument("--site", required=True, help="the fetched packages' directory")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)

    # The builders and TF's native code print: keep the real stdout for the JSON.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    from tests import tfrun
    from tests.zoo import stubs, tfshim

    started = time.perf_counter()
    site = os.path.abspath(args.site)
    sys.path.insert(0, site)
    tfshim.install()
    stubs.install()  # after the shims: a stand-in is only made for what is still missing
    results = tfrun.run_files(args.files, time_limit=TIME_LIMIT, library_dirs=(site,))
    print(f"zoo truth: {len(results)} files in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    json.dump(results, out)
    out.write("\n")
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
