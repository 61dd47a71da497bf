"""Whole-process measurements both benchmark modes share: wall time, and CPU time and peak RSS
from ``wait4`` including every descendant (on Linux the benchmark makes itself a subreaper, so a
worker pool's fork server is counted too)."""

from __future__ import annotations

import ctypes
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    label: str
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and every descendant reaped
    rss_kb: int  # peak resident set size of the largest process
    code: int


def cpus() -> int:
    # As scopelint's default --jobs; scopelint itself is not imported here (see version_of).
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def version_of(distribution: str) -> str:
    # Not by importing: the benchmark process stays small, because a child's peak RSS as wait4
    # reports it starts from its parent's size at fork time.
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def become_subreaper() -> bool:
    """Linux: orphaned descendants (the fork server of a worker pool) are reparented to us."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _kb(maxrss: int) -> int:
    return maxrss // 1024 if sys.platform == "darwin" else maxrss  # macOS reports bytes


def measure(label: str, cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[Run, str]:
    """Run ``cmd`` to completion; returns the measurements and its standard output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
        rss = _kb(usage.ru_maxrss)
        # Descendants it did not wait for were reparented to us: wait for them (briefly).
        deadline = time.monotonic() + 10
        while True:
            try:
                pid, _, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
                continue
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, _kb(usage.ru_maxrss))
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if code not in (0, 1):
        sys.stderr.write(f"benchmark: `{' '.join(cmd)}` exited with {code}:\n{stderr}\n")
    return Run(label, wall, cpu, rss, code), stdout
