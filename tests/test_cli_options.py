"""The command line, continued: a missing path, stdin following imports, the `check` alias,
`--output-file`, `--show-settings`, `--show-files`, `--color`, and the progress line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint import cli as cli_module
from tests.test_cli import BUGGY, CLEAN, cli, write  # noqa: F401 (cli is a fixture)

ROOT = Path(__file__).resolve().parent.parent

TOWERS = (
    "import tensorflow.compat.v1 as tf\n"
    "\n"
    "def tower(x):\n"
    "    w = tf.get_variable('w', [3, 3])\n"
    "    return tf.matmul(x, w)\n"
    "\n"
    "def wide(x):\n"
    "    w = tf.get_variable('w', [4, 4])\n"
    "    return x\n"
)
# Imports its towers from a module of the project: every finding needs that module.
MODEL = (
    "import tensorflow.compat.v1 as tf\n"
    "from pkg.towers import tower, wide\n"
    "\n"
    "x = tf.zeros([3, 3])\n"
    "with tf.variable_scope('shared', reuse=True):\n"
    "    a = tower(x)\n"
    "with tf.variable_scope('twice'):\n"
    "    b = tower(x)\n"
    "with tf.variable_scope('twice', reuse=True):\n"
    "    c = wide(x)\n"
    "with tf.variable_scope('dup'):\n"
    "    d1 = tower(x)\n"
    "    d2 = tower(x)\n"
)
PROJECT = {
    "pyproject.toml": "[tool.scopelint]\n",
    "pkg/__init__.py": "",
    "pkg/towers.py": TOWERS,
    "pkg/model.py": MODEL,
}


def codes(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if ": SL" in line]


# -- a path that does not exist --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["full", "concise", "github"])
def test_missing_path_alone_never_says_all_checks_passed(cli, fmt):
    code, out, err = cli("--output-format", fmt, "nope.py")
    assert code == 2
    assert "nope.py" in err and "No such file" in err
    assert "All checks passed" not in out and "no findings" not in out
    assert out == ""


def test_missing_path_beside_a_clean_file(cli, tmp_path):
    write(tmp_path, {"clean.py": CLEAN})
    code, out, err = cli("clean.py", "nope.py")
    assert code == 2
    assert "All checks passed" not in out
    assert "nope.py" in err


def test_missing_path_beside_findings_still_counts_them(cli, tmp_path):
    write(tmp_path, {"buggy.py": BUGGY})
    code, out, err = cli("--output-format", "concise", "buggy.py", "nope.py")
    assert code == 2
    assert out.endswith("Found 1 error.\n")


# -- stdin follows imports like a path run ---------------------------------------------------------


def test_stdin_follows_imports_exactly_like_the_path(cli, tmp_path):
    write(tmp_path, PROJECT)
    by_path = cli("--output-format", "concise", "--no-cache", "pkg/model.py")
    assert by_path[0] == 1
    assert sorted(codes(by_path[1])) == ["SL001", "SL002", "SL006"]
    by_stdin = cli(
        "--output-format", "concise", "-", "--stdin-filename", "pkg/model.py",
        stdin=MODEL.encode(),
    )
    assert by_stdin == by_path


def test_stdin_uses_the_buffer_not_the_file_on_disk(cli, tmp_path):
    write(tmp_path, PROJECT)
    edited = MODEL.replace("reuse=True):\n    a = tower", "):\n    a = tower")
    code, out, _ = cli(
        "--output-format", "concise", "-", "--stdin-filename", "pkg/model.py",
        stdin=edited.encode(),
    )
    assert code == 1
    assert "SL002" not in codes(out) and "SL001" in codes(out)


def test_stdin_for_a_file_not_yet_on_disk_follows_its_imports(cli, tmp_path):
    write(tmp_path, {k: v for k, v in PROJECT.items() if k != "pkg/model.py"})
    code, out, _ = cli(
        "--output-format", "concise", "-", "--stdin-filename", "pkg/new.py",
        stdin=MODEL.encode(),
    )
    assert code == 1
    assert sorted(codes(out)) == ["SL001", "SL002", "SL006"]
    assert out.startswith("pkg/new.py:")
