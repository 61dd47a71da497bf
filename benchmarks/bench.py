"""Time scopelint on the synthetic corpus against the floor: libcst parsing every file.

    python -m benchmarks.bench --files 1000 [--tf-every 1] [--jobs N] [--repeat R] [--out DIR]
    python -m benchmarks.bench --real DIR [--jobs N] [--repeat R]    # see benchmarks/real.py

Builds the deterministic corpus of `benchmarks/corpus.py`, then measures, in one run:

- the floor: `libcst.parse_module` of every file, in one loop in one process (the loop's own time,
  without the interpreter's start-up);
- scopelint with an empty cache, `--jobs 1` and `--jobs N`;
- scopelint again with the cache the `--jobs N` run left (nothing changed);
- ruff and flake8 on the same files, when they are installed (for scale; they check other things).

Every scopelint run is a separate `python -m scopelint` process, so start-up, discovery and
printing count. Wall time is the time until that process exits; CPU time and peak memory come
from `wait4`, and include the worker processes (on Linux the benchmark makes itself a "child
subreaper", so that the worker pool's fork server, which its parent does not wait for, is
reparented to the benchmark and counted). Peak RSS is that of the largest single process, as
`ru_maxrss` reports it; with `--jobs N` there are N workers of about that size at once.

Prints a Markdown table. Timings are never asserted: compare rows of one run, on one machine.
With `--repeat R` every row is run R times and the fastest run is shown (the machine's noise only
ever adds time).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import build
from benchmarks.measure import Run, become_subreaper, cpus, measure, version_of
from benchmarks.real import run as run_real

PARSE_LOOP = """
import sys, time
import libcst
files = open(sys.argv[1], encoding="utf-8").read().splitlines()
start = time.perf_counter()
for name in files:
    with open(name, "rb") as handle:
        libcst.parse_module(handle.read().decode("utf-8"))
print(time.perf_counter() - start)
"""


def fastest(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--files", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument(
        "--tf-every", type=int, default=1, help="one file in this many uses TF (default 1: all)"
    )
    parser.add_argument("--bugs-every", type=int, default=0, help="see corpus.build (default 0)")
    parser.add_argument(
        "--jobs", type=int, default=None, help="N for the parallel run (default: CPUs)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the fastest is shown")
    parser.add_argument("--out", type=Path, default=None, help="build the corpus here and keep it")
    parser.add_argument("--no-others", action="store_true", help="do not time ruff and flake8")
    real = parser.add_argument_group("real code (see benchmarks/real.py)")
    real.add_argument(
        "--real",
        metavar="DIR",
        default=None,
        help="run on the repositories fetch_real.py cloned into DIR instead of the corpus",
    )
    real.add_argument("--list", type=Path, default=None, help="the list (real_repos.txt)")
    real.add_argument("--repos", default=None, help="only these owner/name, comma-separated")
    args = parser.parse_args(argv)
    if args.real is not None:
        return run_real(args)

    jobs = args.jobs or cpus()
    reaping = become_subreaper()
    workdir = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="scopelint-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        corpus_root = workdir / "tree"
        if corpus_root.exists():
            shutil.rmtree(corpus_root)
        files = build(corpus_root, args.files, tf_every=args.tf_every, bugs_every=args.bugs_every)
        lines = sum(f.read_bytes().count(b"\n") for f in files)
        file_list = workdir / "files.txt"
        file_list.write_text("".join(f"{f}\n" for f in files))
        n_files = len(files) + 1  # and corpus/__init__.py

        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        here = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = here + os.pathsep + env.get("PYTHONPATH", "")
        scopelint = [sys.executable, "-m", "scopelint", "--output-format", "concise"]
        notes: list[str] = []

        def cache_env(name: str) -> dict[str, str]:
            directory = workdir / "caches" / name
            if directory.exists():
                shutil.rmtree(directory)
            return {**env, "SCOPELINT_CACHE_DIR": str(directory)}

        warm_dir = workdir / "caches" / "cold-n"
        floor_label = "libcst.parse_module, every file (in-process loop)"
        specs: list[tuple[str, list[str], dict[str, str] | None]] = [
            # (label, command, environment; None: a fresh, empty cache directory)
            (floor_label, [sys.executable, "-c", PARSE_LOOP, str(file_list)], env),
            ("scopelint cold, --jobs 1", [*scopelint, "--jobs", "1", "corpus"], None),
            (f"scopelint cold, --jobs {jobs}", [*scopelint, "--jobs", str(jobs), "corpus"], None),
            (
                f"scopelint warm (nothing changed), --jobs {jobs}",
                [*scopelint, "--jobs", str(jobs), "corpus"],
                {**env, "SCOPELINT_CACHE_DIR": str(warm_dir)},
            ),
        ]
        if not args.no_others:
            # ruff's default rule set, whatever the user's configuration says
            ruff = ["ruff", "check", "--isolated", "--no-cache", "--select", "E4,E7,E9,F"]
            ruff += ["--exit-zero", "-q", "corpus"]
            for tool, cmd in (("ruff", ruff), ("flake8", ["flake8", "--exit-zero", "corpus"])):
                if shutil.which(tool) is None:
                    notes.append(f"{tool}: not installed")
                else:
                    specs.append((f"{tool} (default rules)", cmd, env))

        # Round robin: the machine's speed drifts, so every row gets runs spread over the
        # whole benchmark rather than one row measured early and another late.
        runs: dict[str, list[Run]] = {label: [] for label, _, _ in specs}
        outputs: set[str] = set()
        for _ in range(args.repeat):
            for label, cmd, run_env in specs:
                if run_env is None:
                    name = "cold-1" if "--jobs 1" in label else "cold-n"
                    run_env = cache_env(name)  # the cold --jobs N run fills the warm one's cache
                run, out = measure(label, cmd, corpus_root, run_env)
                if label == floor_label:
                    run.wall = float(out.strip() or "nan")  # the loop's own time: the floor
                elif label.startswith("scopelint"):
                    outputs.add(out)
                runs[label].append(run)
        rows = [fastest(runs[label]) for label, _, _ in specs]
        floor = rows[0]
        if len(outputs) != 1:
            notes.append("**the scopelint runs printed different output**")

        print_report(args, jobs, n_files, lines, rows, floor, notes, reaping)
    finally:
        if args.out is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def print_report(args, jobs, n_files, lines, rows, floor, notes, reaping) -> None:
    tf_files = len(range(0, args.files, args.tf_every))
    print(f"### {n_files} files, {lines} lines, {tf_files} using TF (--tf-every {args.tf_every})\n")
    print(
        f"scopelint {version_of('scopelint')}, libcst {version_of('libcst')}, Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"fastest of {args.repeat}\n"
    )
    print("| run | wall s | files/s | lines/s | CPU s | peak RSS MB | × bare parse |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for run in rows:
        ratio = run.wall / floor.wall if floor.wall > 0 else float("nan")
        print(
            f"| {run.label} | {run.wall:.2f} | {n_files / run.wall:,.0f} | {lines / run.wall:,.0f} "
            f"| {run.cpu:.2f} | {run.rss_kb / 1024:.0f} | {ratio:.2f} |"
        )
    print()
    print(
        "The bare parse is the loop's own time (no interpreter start-up; CPU and RSS are its "
        "whole process's); every other row is a whole process."
        + ("" if reaping else " Worker processes' CPU and memory may be missing (no subreaper).")
    )
    for note in notes:
        print(f"\n{note}")


if __name__ == "__main__":
    raise SystemExit(main())
