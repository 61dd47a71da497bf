"""The real-code mode of the benchmark: scopelint on public TF1 repositories.

    python benchmarks/fetch_real.py DIR                 # clone the pinned repositories once
    python -m benchmarks.bench --real DIR [--repeat R] [--jobs N]

Three sets of files, each measured against the floor every run pays, libcst parsing files:

- the TF-heavy files: the files of every listed repository that its rule in `real_repos.txt`
  selects (files that import tensorflow), linted in one run, by path;
- the whole tree: every listed repository's directory, linted as directories (what
  `scopelint .` in a project does), every .py file scopelint finds there;
- a pre-commit style run: a copy of the largest repository (with a `[tool.scopelint]` table in
  its `pyproject.toml`, so that the project root is the repository's), linted once to fill its
  cache; then five of its TF-heavy files get a comment line appended and `scopelint <the five>`
  runs, with that cache: the whole process, start-up included.

Each set has two floors: the bare parse of the files it lints, and the bare parse of every file
the run parses, which adds the modules that scopelint follows through imports. That second set
is scopelint's own: a helper process runs scopelint's command line (`--jobs 1 --no-cache`) with
its run index wrapped to record each module it parses; scopelint itself is not changed.

Every row is a whole process (`measure.py`: wall time, and CPU and peak RSS from
`wait4`), except that a bare-parse row shows its loop's own time, without interpreter start-up.
Rows run round robin, R times; the table shows the median and the fastest wall time.
"""

from __future__ import annotations

import fnmatch
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from benchmarks.fetch_real import LIST, ListError, Repo, read_list
from benchmarks.measure import Run, become_subreaper, cpus, measure, version_of

PARSE_LOOP = """
import sys, time
import libcst
files = open(sys.argv[1], encoding="utf-8").read().splitlines()
failed = 0
start = time.perf_counter()
for name in files:
    with open(name, "rb") as handle:
        data = handle.read()
    try:
        libcst.parse_module(data)
    except (libcst.ParserSyntaxError, SyntaxError, UnicodeDecodeError, LookupError):
        failed += 1  # Python 2, a bad encoding: scopelint reports these too, after one try
print(time.perf_counter() - start, failed)
"""

# Runs scopelint's command line in this process with the run's index wrapped, to record the
# files the run parses: the linted files the engine parses (`remember` with a module) and the
# modules the simulation follows into (`module`). --jobs 1, so that one index sees everything.
READS = """
import contextlib, io, json, sys
from pathlib import Path
import scopelint.run.runner as runner
from scopelint.run.cli import main
linted, parsed = [], set()
class Recording(runner.RunIndex):
    def __init__(self, files, *args, **kwargs):
        super().__init__(files, *args, **kwargs)
        linted.extend(str(self._real(Path(f))) for f in files)
    def module(self, path):
        parsed.add(str(self._real(Path(path))))
        return super().module(path)
    def remember(self, path, data, module=None):
        if module is not None:
            parsed.add(str(self._real(Path(path))))
        super().remember(path, data, module)
runner.RunIndex = Recording
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["--jobs", "1", "--no-cache", "--output-format", "concise", *sys.argv[2:]])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "linted": linted, "parsed": sorted(parsed)}, out)
"""

IMPORTS_TF = re.compile(
    rb"^[ \t]*(?:import[ \t]+tensorflow\b|from[ \t]+tensorflow[\w.]*[ \t]+import\b)", re.MULTILINE
)
CHANGED = 5  # files changed in the pre-commit style run


@dataclass(frozen=True)
class Spec:
    label: str
    group: str  # rows of one group share a floor, and their scopelint output must agree
    cmd: list[str]
    cwd: Path
    env: dict[str, str] | None  # None: a fresh, empty cache directory (see cache_name)
    n_files: int
    lines: int
    kind: str  # "parse", "scopelint" or "other"
    cache_name: str = ""
    prepare: Callable[[int], None] | None = None  # called with the round before each run


def py_files(base: Path) -> list[Path]:
    return sorted(p for p in base.rglob("*.py") if p.is_file())


def tf_heavy(repo: Repo, base: Path) -> list[Path]:
    """The files of ``repo`` (checked out at ``base``) that its rule selects."""
    chosen = []
    for path in py_files(base):
        if repo.rule == "imports-tensorflow":
            if IMPORTS_TF.search(path.read_bytes()):
                chosen.append(path)
        elif fnmatch.fnmatch(path.relative_to(base).as_posix(), repo.rule[len("glob:") :]):
            chosen.append(path)
    return chosen


def count_lines(files: list[Path]) -> int:
    return sum(f.read_bytes().count(b"\n") for f in files)


def files_read(cwd: Path, paths: list[str], env: dict[str, str], workdir: Path) -> dict:
    """What scopelint lints and parses for ``scopelint paths`` run in ``cwd`` (see READS)."""
    out = workdir / "reads.json"
    proc = subprocess.run(
        [sys.executable, "-c", READS, str(out), *paths],
        cwd=cwd,
        env=env,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"recording the files scopelint reads failed:\n{proc.stderr.decode()}")
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def write_list(path: Path, files: list[Path]) -> Path:
    path.write_text("".join(f"{f}\n" for f in files), encoding="utf-8")
    return path


def spread(items: list[Path], n: int) -> list[Path]:
    """``n`` items evenly spaced over ``items`` (deterministic)."""
    if len(items) <= n:
        return list(items)
    return [items[(2 * i + 1) * len(items) // (2 * n)] for i in range(n)]


def run(args) -> int:
    directory = Path(args.real).resolve()
    try:
        repos = read_list(args.list or LIST)
    except (OSError, ListError) as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 2
    if args.repos:
        wanted = set(args.repos.split(","))
        repos = [r for r in repos if r.name in wanted or r.dirname in wanted]
    missing = [r.name for r in repos if not (directory / r.dirname / r.subdir).is_dir()]
    if missing or not repos:
        print(
            f"benchmark: not in {directory}: {', '.join(missing) or 'any repository'}; "
            "fetch them with `python benchmarks/fetch_real.py DIR`",
            file=sys.stderr,
        )
        return 2

    jobs = args.jobs or cpus()
    reaping = become_subreaper()
    workdir = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="scopelint-real-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, directory, repos, jobs, reaping, workdir)
    finally:
        if args.out is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args, directory: Path, repos: list[Repo], jobs: int, reaping: bool, workdir: Path) -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SCOPELINT_CACHE_DIR")}
    here = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = here + os.pathsep + env.get("PYTHONPATH", "")
    scopelint = [sys.executable, "-m", "scopelint", "--output-format", "concise"]
    ruff = ["ruff", "check", "--isolated", "--no-cache", "--select", "E4,E7,E9,F"]
    ruff += ["--exit-zero", "-q"]
    flake8 = ["flake8", "--exit-zero", "-j", str(jobs)]
    others = [] if args.no_others else [t for t in ("ruff", "flake8") if shutil.which(t)]
    notes = (
        []
        if args.no_others
        else [
            f"{t}: not installed, not timed (`pip install {t}`)"
            for t in ("ruff", "flake8")
            if not shutil.which(t)
        ]
    )

    bases = {r: directory / r.dirname / r.subdir for r in repos}
    heavy = {r: tf_heavy(r, bases[r]) for r in repos}
    specs: list[Spec] = []
    summary: dict[str, object] = {}

    def floors(group: str, cwd: Path, paths: list[str], title: str) -> dict:
        reads = files_read(cwd, paths, env, workdir)
        linted = [Path(p) for p in reads["linted"]]
        parsed = [Path(p) for p in reads["parsed"]]
        for what, files in ((title, linted), ("every file the run parses", parsed)):
            listing = write_list(workdir / f"{group}-{len(specs)}.txt", files)
            specs.append(
                Spec(
                    f"bare parse, {what}",
                    group,
                    [sys.executable, "-c", PARSE_LOOP, str(listing)],
                    cwd,
                    env,
                    len(files),
                    count_lines(files),
                    "parse",
                )
            )
        summary[group] = {
            "linted": len(linted),
            "parsed": len(parsed),
            "followed": len(set(parsed) - set(linted)),
        }
        return reads

    def lint_rows(group: str, cwd: Path, paths: list[str], n: int, lines: int) -> None:
        for label, cache, cache_env in (
            ("scopelint cold, --jobs 1", f"{group}-cold-1", None),
            (f"scopelint cold, --jobs {jobs}", f"{group}-cold-n", None),
            (
                f"scopelint warm (nothing changed), --jobs {jobs}",
                "",
                {**env, "SCOPELINT_CACHE_DIR": str(workdir / "caches" / f"{group}-cold-n")},
            ),
        ):
            j = "1" if "--jobs 1" in label else str(jobs)
            cmd = [*scopelint, "--jobs", j, *paths]
            specs.append(Spec(label, group, cmd, cwd, cache_env, n, lines, "scopelint", cache))
        for tool in others:
            cmd = [*(ruff if tool == "ruff" else flake8), *paths]
            label = "ruff (default rules)" if tool == "ruff" else f"flake8 -j {jobs}"
            specs.append(Spec(label, group, cmd, cwd, env, n, lines, "other"))

    # 1. The TF-heavy files of every repository, in one run, by path.
    tf_files = [f for r in repos for f in heavy[r]]
    tf_paths = [str(f.relative_to(directory)) for f in tf_files]
    # Counted as scopelint counts them: a symbolic link to a file already named is linted once.
    tf_linted = [Path(p) for p in floors("tf", directory, tf_paths, "the linted files")["linted"]]
    lint_rows("tf", directory, tf_paths, len(tf_linted), count_lines(tf_linted))

    # 2. Every repository's tree, as directories.
    tree_paths = [str(bases[r].relative_to(directory)) for r in repos]
    reads = floors("tree", directory, tree_paths, "every .py file in the tree")
    tree_files = [Path(p) for p in reads["linted"]]
    lint_rows("tree", directory, tree_paths, len(tree_files), count_lines(tree_files))

    # 3. Pre-commit style: five changed files of the largest repository, the rest cached.
    largest = max(repos, key=lambda r: len(py_files(bases[r])))
    copy = workdir / "precommit" / largest.dirname
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(
        bases[largest],
        copy,
        ignore=lambda d, names: [
            n for n in names if os.path.isfile(os.path.join(d, n)) and not n.endswith(".py")
        ],
    )
    (copy / "pyproject.toml").write_text("[tool.scopelint]\n", encoding="utf-8")
    changed = [copy / f.relative_to(bases[largest]) for f in spread(heavy[largest], CHANGED)]
    changed_paths = [str(f.relative_to(copy)) for f in changed]
    warmup, _ = measure("warm-up", [*scopelint, "."], copy, env)
    reads = floors("precommit", copy, changed_paths, f"the {len(changed)} changed files")

    def touch(round_: int) -> None:
        for f in changed:
            with open(f, "a", encoding="utf-8") as handle:
                handle.write(f"# edited for the benchmark, round {round_}\n")

    specs.append(
        Spec(
            f"scopelint {' '.join(changed_paths[:1])} … ({len(changed)} changed files, warm cache)",
            "precommit",
            [*scopelint, *changed_paths],
            copy,
            env,
            len(changed),
            count_lines(changed),
            "scopelint",
            prepare=touch,
        )
    )

    # Round robin: the machine's speed drifts, so every row's runs are spread over the whole
    # benchmark.
    runs: dict[int, list[Run]] = {i: [] for i in range(len(specs))}
    failures: dict[int, int] = {}
    outputs: dict[tuple[str, int], str] = {}
    mismatched: set[str] = set()
    for round_ in range(args.repeat):
        for i, spec in enumerate(specs):
            run_env = spec.env
            if run_env is None:
                cache = workdir / "caches" / spec.cache_name
                if cache.exists():
                    shutil.rmtree(cache)
                run_env = {**env, "SCOPELINT_CACHE_DIR": str(cache)}
            if spec.prepare is not None:
                spec.prepare(round_)
            result, out = measure(spec.label, spec.cmd, spec.cwd, run_env)
            if spec.kind == "parse":
                seconds, failed = out.split()
                result.wall = float(seconds)
                failures[i] = int(failed)
            elif spec.kind == "scopelint" and spec.group != "precommit":
                previous = outputs.setdefault((spec.group, round_), out)
                if previous != out:
                    mismatched.add(spec.group)
            runs[i].append(result)
            print(
                f"  round {round_ + 1}: {spec.group}: {spec.label}: {result.wall:.2f} s",
                file=sys.stderr,
                flush=True,
            )

    if mismatched:
        notes.append(f"**the scopelint runs printed different output** ({', '.join(mismatched)})")
    report(Results(args, directory, repos, heavy, jobs, specs, runs, failures, summary, warmup,
                   largest, notes, reaping))
    return 0


@dataclass
class Results:
    """What one run of the benchmark measured and found, for the report."""

    args: Any
    directory: Path
    repos: list
    heavy: Any
    jobs: int
    specs: list
    runs: dict
    failures: dict
    summary: Any
    warmup: Any
    largest: Any
    notes: list
    reaping: bool


def _median(values: list[float]) -> float:
    return statistics.median(values)


def report(results: Results) -> None:
    print(f"### Real code: {len(results.repos)} repositories, --jobs {results.jobs}\n")
    print(
        f"scopelint {version_of('scopelint')}, libcst {version_of('libcst')}, Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"median of {results.args.repeat}\n"
    )
    print("| repository | commit | tf-heavy files |")
    print("|---|---|---:|")
    for r in results.repos:
        print(
            f"| {r.name}{'' if r.subdir == '.' else '/' + r.subdir} | {r.commit[:12]} "
            f"| {len(results.heavy[r])} |"
        )
    print()
    titles = {
        "tf": "TF-heavy files, by path, one run",
        "tree": "every repository's tree, as directories",
        "precommit": f"pre-commit style, a copy of {results.largest.name}",
    }
    medians: dict[tuple[str, str], Run] = {}
    print(
        "| set | run | files | lines | wall s (median) | fastest s | CPU s | peak RSS MB | "
        "× bare parse |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for group in ("tf", "tree", "precommit"):
        rows = [(i, s) for i, s in enumerate(results.specs) if s.group == group]
        floor = _median([r.wall for r in results.runs[rows[0][0]]])
        for i, spec in rows:
            walls = [r.wall for r in results.runs[i]]
            med = Run(
                spec.label,
                _median(walls),
                _median([r.cpu for r in results.runs[i]]),
                max(r.rss_kb for r in results.runs[i]),
                results.runs[i][-1].code,
            )
            medians[(group, spec.label)] = med
            failed = f" ({results.failures[i]} not parsed)" if results.failures.get(i) else ""
            print(
                f"| {titles[group]} | {spec.label}{failed} | {spec.n_files} | {spec.lines:,} "
                f"| {med.wall:.2f} | {min(walls):.2f} | {med.cpu:.2f} | {med.rss_kb / 1024:.0f} "
                f"| {med.wall / floor:.2f} |"
            )
    print()

    def find(group: str, prefix: str) -> Run | None:
        for (g, label), med in medians.items():
            if g == group and label.startswith(prefix):
                return med
        return None

    def wall(group: str, prefix: str) -> float:
        med = find(group, prefix)
        return med.wall if med else float("nan")

    def rss(group: str) -> float:
        kb = [m.rss_kb for (g, label), m in medians.items() if g == group and "scopelint" in label]
        return max(kb) / 1024

    cold1, coldn = "scopelint cold, --jobs 1", f"scopelint cold, --jobs {results.jobs}"
    figures = [  # (text, numerator row, denominator row, target)
        (
            "TF-heavy files: cold `--jobs 1` / bare parse of the linted files",
            ("tf", cold1),
            ("tf", "bare parse, the linted"),
            "≤ 1.5",
        ),
        (
            "TF-heavy files: cold `--jobs 1` / bare parse of every file the run parses",
            ("tf", cold1),
            ("tf", "bare parse, every file the run"),
            "",
        ),
        (
            "tree: cold `--jobs 1` / bare parse of every .py file in the tree",
            ("tree", cold1),
            ("tree", "bare parse, every .py"),
            "≤ 1",
        ),
        (
            f"tree: cold `--jobs {results.jobs}` / flake8 `-j {results.jobs}`",
            ("tree", coldn),
            ("tree", "flake8"),
            "",
        ),
        (
            f"tree: `--jobs {results.jobs}` speed-up over `--jobs 1`",
            ("tree", cold1),
            ("tree", coldn),
            "≥ 1.8",
        ),
        (
            f"TF-heavy files: `--jobs {results.jobs}` speed-up over `--jobs 1`",
            ("tf", cold1),
            ("tf", coldn),
            "≥ 1.8",
        ),
    ]
    # The CPU-time ratio too: on a busy machine wall time stretches with the load, CPU time
    # much less (a speed-up is about wall time, so its CPU ratio only shows the pool's overhead).
    print("| figure | wall-time ratio | CPU-time ratio | target |")
    print("|---|---:|---:|---|")
    for text, top, bottom, target in figures:
        a, b = find(*top), find(*bottom)
        if a is None or b is None:
            print(f"| {text} | n/a | n/a | {target} |")
            continue
        print(f"| {text} | {a.wall / b.wall:.2f} | {a.cpu / b.cpu:.2f} | {target} |")
    print(
        f"| pre-commit style run, {CHANGED} changed files, wall time | "
        f"{wall('precommit', 'scopelint'):.2f} s | | < 1 s |"
    )
    tree_files = next(s.n_files for s in results.specs if s.group == "tree" and s.kind == "scopelint")
    print(
        f"| peak RSS of a scopelint process, tree ({tree_files} files) | "
        f"{rss('tree'):.0f} MB | | < 300 MB on 3,000 files |"
    )
    print()
    for group in ("tf", "tree", "precommit"):
        s = results.summary[group]
        print(
            f"- {titles[group]}: scopelint lints {s['linted']} files and parses {s['parsed']}, "
            f"{s['followed']} of them modules it follows through imports."
        )
    print(
        f"- pre-commit style: the cache was filled by `scopelint .` in the copy "
        f"({results.warmup.wall:.1f} s); each run appends a comment line to the {CHANGED} files first."
    )
    print(
        "- A bare-parse row is its loop's own time (no interpreter start-up; CPU and RSS are its "
        "whole process's); every other row is a whole process. Peak RSS is the largest single "
        "process's, the largest of the runs."
        + ("" if results.reaping else " Worker processes' CPU and memory may be missing (no subreaper).")
    )
    for note in results.notes:
        print(f"\n{note}")
