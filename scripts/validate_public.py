#!/usr/bin/env python3
"""Lint checkouts of public TF1 projects with scopelint and tabulate what it finds.

Usage::

    python scripts/validate_public.py DIR [--project NAME ...] [--per-file] [--findings]
                                          [--no-events] [--timeout SECONDS] [--json OUT]

``DIR`` holds one checkout per subdirectory (for example ``DIR/openai+gpt-2``); a ``DIR`` that
is itself a checkout (it has a ``.git``) is linted as the only project. Every ``*.py`` file under
a project is linted with :func:`scopelint.run.engine.check_bytes`, by default with one
:class:`~scopelint.resolve.project.ProjectIndex` per project (so calls into other modules of the project
are followed, as the command line does); ``--per-file`` lints each file on its own instead.

For each project it records the commit (``git rev-parse HEAD``), the number of files and lines,
how many files were analysed (files that never touch TensorFlow are skipped by the engine), the
SL900 count (files scopelint could not read: mostly Python 2 syntax), findings by code, crashes
(any exception escaping ``check_bytes``; each traceback is printed to stderr), timeouts, and the
wall time. It prints one Markdown table, then (with ``--findings``) every finding other than
SL900, one per line as ``path:row:col: CODE message``.

A clean result only means something if the simulator followed the code, so unless ``--no-events``
is given each file is linted a second time with ``with_events=True`` to count the variables the
simulator predicted ("predicted": ``get_variable`` creations and reuses and ``tf.Variable`` calls,
over all entries). Exceptions in that second pass are counted apart ("crashes (events)"), for files
that did not already fail the plain pass: it resolves positions for every event, a code path the
plain run does not take. The time column is the plain pass only.

Exit status: 0 when no file crashed or timed out, 1 otherwise. Findings do not change it: whether
a finding is a real bug or a false positive is for a person to decide (see docs/validation.md).

Standard library and scopelint only.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from scopelint.resolve.project import ProjectIndex  # noqa: E402
from scopelint.rules import RULES  # noqa: E402
from scopelint.run.engine import check_bytes  # noqa: E402

RULE_CODES = tuple(rule.code for rule in RULES)
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".tox", ".venv", "node_modules"}


class FileTimeout(Exception):
    pass


@dataclass
class Finding:
    path: str
    row: int
    column: int
    code: str
    message: str


@dataclass
class ProjectResult:
    name: str
    commit: str = "-"
    files: int = 0
    lines: int = 0
    analysed: int = 0
    unreadable: int = 0  # SL900
    codes: Counter = field(default_factory=Counter)
    crashes: int = 0
    timeouts: int = 0
    predicted: int = 0  # variable events over all entries (events pass)
    event_crashes: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # "path: crash|timeout"


def commit_of(path: Path) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return "-"
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else "-"


def python_files(project: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = Path(dirpath) / name
                if path.is_file() and not path.is_symlink():
                    out.append(path)
    return out


def _alarm(signum, frame):  # noqa: ARG001
    raise FileTimeout()


def lint_project(project: Path, *, per_file: bool, timeout: float, events: bool = True) -> ProjectResult:
    result = ProjectResult(project.name, commit=commit_of(project))
    files = python_files(project)
    index = None if per_file else ProjectIndex(files)
    use_alarm = timeout > 0 and hasattr(signal, "SIGALRM")
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
    started = time.perf_counter()
    failed: set[Path] = set()  # crashed or timed out in the plain pass
    try:
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                print(f"cannot read {path}: {error}", file=sys.stderr)
                continue
            result.files += 1
            result.lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
            relative = path.relative_to(project)
            try:
                file_result = _timed(use_alarm, timeout, check_bytes, data, str(path), project=index)
            except FileTimeout:
                failed.add(path)
                result.timeouts += 1
                result.failures.append(f"{project.name}/{relative}: timeout after {timeout:g}s")
                print(f"TIMEOUT {project.name}/{relative} (>{timeout:g}s)", file=sys.stderr)
                continue
            except Exception:  # noqa: BLE001 - any escape from the engine is a crash to count
                failed.add(path)
                result.crashes += 1
                result.failures.append(f"{project.name}/{relative}: crash")
                print(f"CRASH {project.name}/{relative}", file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
                continue
            if file_result.analysed:
                result.analysed += 1
            for diagnostic in file_result.diagnostics:
                if diagnostic.code == "SL900":
                    result.unreadable += 1
                    continue
                result.codes[diagnostic.code] += 1
                result.findings.append(Finding(
                    f"{project.name}/{relative}", diagnostic.span.start.row,
                    diagnostic.span.start.column, diagnostic.code, diagnostic.message,
                ))
        result.seconds = time.perf_counter() - started
        if events:
            # A fresh index: the events pass must not reuse what the plain pass cached.
            index = None if per_file else ProjectIndex(files)
            for path in files:
                if path in failed:
                    continue  # the same failure again: counted once, in the plain pass
                relative = path.relative_to(project)
                try:
                    data = path.read_bytes()
                    file_result = _timed(
                        use_alarm, timeout, check_bytes, data, str(path),
                        project=index, with_events=True,
                    )
                except OSError:
                    continue
                except FileTimeout:
                    result.event_crashes += 1
                    result.failures.append(f"{project.name}/{relative}: timeout (events pass)")
                    print(f"TIMEOUT (events pass) {project.name}/{relative}", file=sys.stderr)
                    continue
                except Exception:  # noqa: BLE001
                    result.event_crashes += 1
                    result.failures.append(f"{project.name}/{relative}: crash (events pass)")
                    print(f"CRASH (events pass) {project.name}/{relative}", file=sys.stderr)
                    traceback.print_exc(file=sys.stderr)
                    continue
                result.predicted += len(file_result.events)
    finally:
        if use_alarm:
            signal.signal(signal.SIGALRM, previous)
    return result


def _timed(use_alarm: bool, timeout: float, function, *args, **kwargs):
    if use_alarm:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return function(*args, **kwargs)
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)


def projects_in(directory: Path, only: list[str]) -> list[Path]:
    if (directory / ".git").exists():
        candidates = [directory]
    else:
        candidates = sorted(p for p in directory.iterdir() if p.is_dir() and p.name not in SKIP_DIRS)
    if only:
        candidates = [p for p in candidates if p.name in only]
    return candidates


def table(results: list[ProjectResult], events: bool = True) -> str:
    head = ["project", "commit", "files", "lines", "analysed", "SL900", *RULE_CODES,
            "crashes", "timeouts", "time (s)"]
    if events:
        head += ["predicted", "crashes (events)"]
    rows = [head, ["---"] * len(head)]

    def row(r: ProjectResult, commit: str) -> list[str]:
        cells = [
            r.name, commit, str(r.files), str(r.lines), str(r.analysed), str(r.unreadable),
            *(str(r.codes.get(code, 0)) for code in RULE_CODES),
            str(r.crashes), str(r.timeouts), f"{r.seconds:.1f}",
        ]
        if events:
            cells += [str(r.predicted), str(r.event_crashes)]
        return cells

    total = ProjectResult("**total**")
    for r in results:
        rows.append(row(r, r.commit[:12]))
        total.files += r.files
        total.lines += r.lines
        total.analysed += r.analysed
        total.unreadable += r.unreadable
        total.codes.update(r.codes)
        total.crashes += r.crashes
        total.timeouts += r.timeouts
        total.seconds += r.seconds
        total.predicted += r.predicted
        total.event_crashes += r.event_crashes
    if len(results) > 1:
        rows.append(row(total, ""))
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a directory of checkouts (one per subdirectory)")
    parser.add_argument("--project", action="append", default=[],
                        help="only this subdirectory (repeatable)")
    parser.add_argument("--per-file", action="store_true",
                        help="lint each file alone, without following calls into other modules")
    parser.add_argument("--findings", action="store_true",
                        help="after the table, list every finding other than SL900")
    parser.add_argument("--no-events", action="store_true",
                        help="skip the second pass that counts the variables the simulator predicts")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds allowed per file before it counts as a timeout (0: none)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)

    if not args.directory.is_dir():
        parser.error(f"{args.directory} is not a directory")
    projects = projects_in(args.directory, args.project)
    if not projects:
        parser.error(f"no projects under {args.directory}")

    results = []
    for project in projects:
        print(f"linting {project.name} ...", file=sys.stderr, flush=True)
        results.append(lint_project(
            project, per_file=args.per_file, timeout=args.timeout, events=not args.no_events,
        ))

    print(table(results, events=not args.no_events))
    failures = [f for r in results for f in r.failures]
    if failures:
        print("\nCrashes and timeouts:\n")
        for failure in failures:
            print(f"- {failure}")
    if args.findings:
        findings = [f for r in results for f in r.findings]
        print(f"\nFindings ({len(findings)}):\n")
        for f in findings:
            print(f"- {f.path}:{f.row}:{f.column}: {f.code} {f.message}")
    if args.json:
        args.json.write_text(json.dumps([
            {
                "project": r.name, "commit": r.commit, "files": r.files, "lines": r.lines,
                "analysed": r.analysed, "SL900": r.unreadable, "codes": dict(r.codes),
                "crashes": r.crashes, "timeouts": r.timeouts, "seconds": round(r.seconds, 2),
                "predicted": r.predicted, "event_crashes": r.event_crashes,
                "failures": r.failures,
                "findings": [f.__dict__ for f in r.findings],
            }
            for r in results
        ], indent=2) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
