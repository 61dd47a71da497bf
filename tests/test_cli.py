"""The command line end to end: exit codes, options, stdin, discovery, the `rule` command."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint import __version__
from scopelint.run import runner
from scopelint.run.cli import _use_color, main

ROOT = Path(__file__).resolve().parent.parent

BUGGY = (
    "import tensorflow.compat.v1 as tf\n"
    "w = tf.get_variable('w', [1])\n"
    "w2 = tf.get_variable('w', [1])\n"
)
CLEAN = (
    "import tensorflow.compat.v1 as tf\n"
    "with tf.variable_scope('a'):\n"
    "    w = tf.get_variable('w', [1])\n"
)
WARNING_ONLY = (
    "import tensorflow.compat.v1 as tf\n"
    "with tf.variable_scope('s', reuse=tf.AUTO_REUSE):\n"
    "    for i in range(2):\n"
    "        v = tf.Variable(1.0, name='v')\n"
)


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    """Run `scopelint ARGS` in tmp_path; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)  # colour only where a test asks for it

    def run(*args: str, stdin: bytes | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


# -- exit codes ----------------------------------------------------------------------------------


def test_exit_0_without_findings(cli, tmp_path):
    write(tmp_path, {"clean.py": CLEAN})
    assert cli("clean.py") == (0, "All checks passed!\n", "")


def test_exit_1_with_findings(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    code, out, err = cli("bad.py")
    assert code == 1
    assert out.startswith("bad.py:3:6: SL001 [duplicate-variable] Variable `w` already exists")
    assert out.endswith("Found 1 error.\n")
    assert err == ""


def test_warnings_also_exit_1(cli, tmp_path):
    write(tmp_path, {"warn.py": WARNING_ONLY})
    code, out, _ = cli("--output-format", "concise", "warn.py")
    assert code == 1 and " SL003 " in out


def test_exit_zero(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    code, out, _ = cli("--exit-zero", "bad.py")
    assert code == 0 and "SL001" in out
    assert cli("-e", "bad.py")[0] == 0


def test_missing_path_exits_2_but_lints_the_rest(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    code, out, err = cli("--output-format", "concise", "missing.py", "bad.py")
    assert code == 2
    assert "bad.py:3:6: SL001" in out
    assert err == "scopelint: error: missing.py: No such file or directory\n"
    # --exit-zero does not hide an error
    assert cli("--exit-zero", "missing.py")[0] == 2


def test_usage_error_exits_2(cli):
    with pytest.raises(SystemExit) as info:
        cli("--output-format", "nope", ".")
    assert info.value.code == 2


def test_unknown_selector_exits_2(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    code, out, err = cli("--select", "SL001,not-a-rule", "bad.py")
    assert (code, out) == (2, "")
    assert "unknown rule selector `not-a-rule`" in err


def test_internal_error_exits_2_with_traceback(cli, tmp_path, monkeypatch):
    write(tmp_path, {"bad.py": BUGGY})

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("scopelint.run.runner.check_source", boom)
    code, _, err = cli("bad.py")
    assert code == 2
    assert "RuntimeError: simulated bug" in err and "internal error" in err


def test_internal_error_in_one_file_keeps_the_others(cli, tmp_path, monkeypatch):
    """A bug that surfaces on one file costs that file only: the others are still checked and
    reported, the traceback names the file, and the exit code is 2, not 1."""
    write(tmp_path, {"bad.py": BUGGY, "odd.py": BUGGY})
    real = runner.check_source

    def flaky(read, path, **kwargs):
        if path.endswith("odd.py"):
            raise RuntimeError("simulated bug")
        return real(read, path, **kwargs)

    monkeypatch.setattr("scopelint.run.runner.check_source", flaky)
    code, out, err = cli("--no-cache", "--jobs", "1", "--exit-zero", "--output-format", "concise", ".")
    assert code == 2  # --exit-zero never hides an internal error
    assert "bad.py:" in out and "odd.py" not in out
    assert "RuntimeError: simulated bug" in err
    assert "internal error while checking odd.py" in err


def test_version(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("--version")
    assert info.value.code == 0
    assert capsys.readouterr().out == f"scopelint {__version__}\n"


def test_python_dash_m(tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", "--output-format", "concise", "bad.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 1
    assert proc.stdout == (
        "bad.py:3:6: SL001 Variable `w` already exists: this call creates it again while reuse "
        "is off (first created at line 2); pass `reuse=True` or `reuse=tf.AUTO_REUSE` to share it\n"
        "Found 1 error.\n"
    )


# -- output options ------------------------------------------------------------------------------


def test_quiet_prints_findings_only(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY, "clean.py": CLEAN})
    code, out, _ = cli("-q", "--output-format", "concise", "bad.py")
    assert code == 1 and out.count("\n") == 1 and "Found" not in out
    assert cli("--quiet", "clean.py") == (0, "", "")


def test_statistics(cli, tmp_path):
    write(tmp_path, {"a.py": BUGGY, "b.py": BUGGY, "w.py": WARNING_ONLY})
    code, out, _ = cli("--statistics", ".")
    assert code == 1
    assert out == "2\tSL001\tduplicate-variable\n1\tSL003\tunshared-variable\n"
    code, out, _ = cli("--statistics", "--output-format", "json", ".")
    assert json.loads(out) == [
        {"code": "SL001", "name": "duplicate-variable", "count": 2},
        {"code": "SL003", "name": "unshared-variable", "count": 1},
    ]


def test_show_variables(cli, tmp_path):
    write(
        tmp_path,
        {
            "m.py": (
                "import tensorflow.compat.v1 as tf\n"
                "with tf.variable_scope('enc'):\n"
                "    w = tf.get_variable('w', [1])\n"
                "with tf.variable_scope('enc', reuse=True):\n"
                "    w2 = tf.get_variable('w', [1])\n"
                "v = tf.Variable(1.0, name='v')\n"
            )
        },
    )
    code, out, _ = cli("--show-variables", "m.py")
    assert code == 0
    assert out == (
        "m.py\n"
        "  3  create       enc/w  -> enc/w  (1,) float32\n"
        "  5  reuse        enc/w  -> enc/w  (1,) float32\n"
        "  6  tf.Variable  v      -> v  () float32\n"
    )
    code, out, _ = cli("--show-variables", "--output-format", "json", "m.py")
    assert [
        (e["line"], e["kind"], e["name"], e["actual"], e["shape"], e["dtype"]) for e in json.loads(out)
    ] == [
        (3, "create", "enc/w", "enc/w", [1], "float32"),
        (5, "reuse", "enc/w", "enc/w", [1], "float32"),
        (6, "tf.Variable", "v", "v", [], "float32"),
    ]


def test_show_variables_marks_creations_on_some_paths_only(cli, tmp_path):
    """A variable made inside a branch the analysis cannot decide is a possibility, not a
    claim: listed, and said to happen on some paths only."""
    write(tmp_path, {"m.py": (
        "import sys\n"
        "import tensorflow.compat.v1 as tf\n"
        "w = tf.get_variable('w', [2])\n"
        "if len(sys.argv) > 1:\n"
        "    v = tf.get_variable('v', [3])\n"
        "u = tf.get_variable('u', [4])\n"
    )})
    code, out, _ = cli("--show-variables", "m.py")
    assert code == 0
    assert out == (
        "m.py\n"
        "  3  create  w  -> w  (2,) float32\n"
        "  5  create  v  -> v  (3,) float32  [on some paths]\n"
        "  6  create  u  -> u  (4,) float32\n"
    )
    code, out, _ = cli("--show-variables", "--output-format", "json", "m.py")
    assert [(e["name"], e["conditional"]) for e in json.loads(out)] == [
        ("w", False), ("v", True), ("u", False)
    ]


def test_findings_are_sorted_by_file_line_column_code(cli, tmp_path):
    write(tmp_path, {"b.py": BUGGY, "a/z.py": BUGGY, "a/b.py": BUGGY + BUGGY.split("\n", 1)[1]})
    code, out, _ = cli("--output-format", "concise", "-q", "b.py", "a")
    locations = [line.split(" ")[0] for line in out.splitlines()]
    assert locations == ["a/b.py:3:6:", "a/b.py:4:5:", "a/b.py:5:6:", "a/z.py:3:6:", "b.py:3:6:"]


def test_colour_only_on_a_tty_and_never_with_no_color(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert _use_color(Tty()) is True
    assert _use_color(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert _use_color(Tty()) is False


def test_colour_output(cli, tmp_path, monkeypatch):
    write(tmp_path, {"bad.py": BUGGY})
    monkeypatch.setattr("scopelint.run.cli._use_color", lambda stream, choice="auto": True)
    _, out, _ = cli("bad.py")
    assert "\x1b[1;31m" in out or "\x1b[1m\x1b[31m" in out
    _, out, _ = cli("--output-format", "json", "bad.py")
    assert "\x1b[" not in out  # machine formats never get colour


# -- stdin ---------------------------------------------------------------------------------------


def test_stdin(cli):
    code, out, _ = cli("--output-format", "concise", "-", stdin=BUGGY.encode())
    assert code == 1 and out.startswith("-:3:6: SL001 ")


def test_stdin_filename(cli, tmp_path):
    code, out, _ = cli(
        "--output-format", "concise", "--stdin-filename", "pkg/model.py", "-", stdin=BUGGY.encode()
    )
    assert code == 1 and out.startswith("pkg/model.py:3:6: SL001 ")


def test_stdin_full_format_shows_the_source(cli):
    _, out, _ = cli("-", stdin=BUGGY.encode())
    assert "3 | w2 = tf.get_variable('w', [1])" in out


def test_stdin_filename_uses_config_and_per_file_ignores(cli, tmp_path):
    write(
        tmp_path,
        {"pyproject.toml": '[tool.scopelint]\nper-file-ignores = {"gen/*.py" = ["SL001"]}\n'},
    )
    assert cli("--stdin-filename", "gen/x.py", "-", stdin=BUGGY.encode())[0] == 0
    assert cli("--stdin-filename", "src/x.py", "-", stdin=BUGGY.encode())[0] == 1


def test_stdin_force_exclude(cli, tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.scopelint]\nextend-exclude = ["generated"]\n'})
    args = ("--stdin-filename", "generated/x.py", "-")
    assert cli(*args, stdin=BUGGY.encode())[0] == 1
    assert cli("--force-exclude", *args, stdin=BUGGY.encode())[:2] == (0, "All checks passed!\n")


def test_stdin_cannot_mix_with_paths(cli):
    with pytest.raises(SystemExit) as info:
        cli("-", "x.py", stdin=b"")
    assert info.value.code == 2


# -- selection -----------------------------------------------------------------------------------


def test_select_ignore_extend_select_by_code_and_name(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY, "warn.py": WARNING_ONLY})
    codes = lambda out: sorted({line.split(" ")[1] for line in out.splitlines()})  # noqa: E731
    base = ("--output-format", "concise", "-q")
    assert codes(cli(*base, ".")[1]) == ["SL001", "SL003"]
    assert codes(cli(*base, "--select", "SL003", ".")[1]) == ["SL003"]
    assert codes(cli(*base, "--select", "unshared-variable", ".")[1]) == ["SL003"]
    assert codes(cli(*base, "--ignore", "duplicate-variable", ".")[1]) == ["SL003"]
    assert codes(cli(*base, "--select", "SL001", "--extend-select", "SL003", ".")[1]) == [
        "SL001",
        "SL003",
    ]
    assert codes(cli(*base, "--select", "SL001,SL003", "--ignore", "SL001", ".")[1]) == ["SL003"]
    assert codes(cli(*base, "--select", "SL00", ".")[1]) == ["SL001", "SL003"]
    assert cli(*base, "--select", "SL002", ".")[0] == 0


# -- discovery -----------------------------------------------------------------------------------


def test_directories_recurse_into_py_and_pyi(cli, tmp_path):
    write(
        tmp_path,
        {
            "pkg/a.py": BUGGY,
            "pkg/sub/b.pyi": BUGGY,
            "pkg/notes.txt": BUGGY,
            "pkg/c.pyx": BUGGY,
        },
    )
    _, out, _ = cli("--output-format", "concise", "-q", "pkg")
    assert [line.split(":")[0] for line in out.splitlines()] == ["pkg/a.py", "pkg/sub/b.pyi"]


def test_default_excludes_are_pruned(cli, tmp_path):
    excluded = [
        ".git",
        ".venv",
        "venv",
        "build",
        "dist",
        "node_modules",
        "site-packages",
        "__pycache__",
        "x.egg-info",
        ".scopelint_cache",
        ".tox",
    ]
    write(tmp_path, {f"{d}/bad.py": BUGGY for d in excluded} | {"src/bad.py": BUGGY})
    _, out, _ = cli("--output-format", "concise", "-q", ".")
    assert [line.split(":")[0] for line in out.splitlines()] == ["src/bad.py"]


def test_explicit_file_in_excluded_dir_is_linted_unless_force_exclude(cli, tmp_path):
    write(tmp_path, {"build/bad.py": BUGGY})
    assert cli("build/bad.py")[0] == 1
    code, out, _ = cli("--force-exclude", "build/bad.py")
    assert code == 0 and "SL001" not in out


def test_gitignore_is_respected_and_can_be_disabled(cli, tmp_path):
    write(
        tmp_path,
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "generated/bad.py": BUGGY,
            "model_pb2.py": BUGGY,
            "sub/.gitignore": "local.py\n",
            "sub/local.py": BUGGY,
            "local.py": BUGGY,
        },
    )
    _, out, _ = cli("--output-format", "concise", "-q", ".")
    assert [line.split(":")[0] for line in out.splitlines()] == ["local.py"]
    _, out, _ = cli("--output-format", "concise", "-q", "--no-respect-gitignore", ".")
    assert [line.split(":")[0] for line in out.splitlines()] == [
        "generated/bad.py",
        "local.py",
        "model_pb2.py",
        "sub/local.py",
    ]


def test_unreadable_file_is_reported_and_the_run_goes_on(cli, tmp_path):
    write(tmp_path, {"ok.py": BUGGY, "secret.py": BUGGY})
    os.symlink("nowhere.py", tmp_path / "dangling.py")
    code, out, _ = cli("--output-format", "concise", ".")
    assert code == 1
    assert "dangling.py:1:1: SL900 cannot read file: No such file or directory\n" in out
    assert "ok.py:3:6: SL001" in out and "secret.py:3:6: SL001" in out


def test_permission_denied_is_reported(cli, tmp_path, monkeypatch):
    # Tests may run as root, who reads anything: make the read itself fail.
    write(tmp_path, {"secret.py": BUGGY, "ok.py": BUGGY})
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, _ = cli("--output-format", "concise", ".")
    assert code == 1
    assert "secret.py:1:1: SL900 cannot read file: Permission denied\n" in out
    assert "ok.py:3:6: SL001" in out


def test_symlink_loops_do_not_hang(cli, tmp_path):
    write(tmp_path, {"pkg/bad.py": BUGGY})
    os.symlink("..", tmp_path / "pkg" / "up")  # a directory loop
    os.symlink("loop_b.py", tmp_path / "loop_a.py")  # a file loop
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    code, out, _ = cli("--output-format", "concise", "-q", ".")
    assert code == 1
    lines = out.splitlines()
    assert lines.count("pkg/bad.py:3:6: SL001 " + lines[-1].split(" SL001 ", 1)[1]) == 1
    assert any(
        line.startswith("loop_a.py:1:1: SL900 cannot read file: Too many levels of symbolic links")
        for line in lines
    )


def test_no_python_files_warns(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    assert cli("empty") == (
        0,
        "All checks passed!\n",
        "scopelint: warning: no Python files found under the given paths\n",
    )


def test_a_file_that_does_not_use_tensorflow_is_skipped(cli, tmp_path):
    write(tmp_path, {"plain.py": "x = 1\n"})
    assert cli("plain.py")[0] == 0


# -- the rule command ----------------------------------------------------------------------------


def test_rule_by_code_and_name(cli):
    code, by_code, _ = cli("rule", "SL001")
    assert code == 0
    assert by_code.startswith("# duplicate-variable (SL001)\n\nSeverity: error.")
    assert "## What it does" in by_code and "Use instead:" in by_code
    assert cli("rule", "duplicate-variable")[1] == by_code
    assert cli("rule", "sl001")[1] == by_code


def test_rule_sl100_and_sl900_are_documented(cli):
    assert cli("rule", "SL100")[1].startswith("# unused-noqa (SL100)")
    assert cli("rule", "unreadable-file")[1].startswith("# unreadable-file (SL900)")


def test_rule_all(cli):
    code, out, _ = cli("rule", "--all")
    assert code == 0
    codes = [line.split()[0] for line in out.splitlines()]
    assert codes == [
        "SL001", "SL002", "SL003", "SL004", "SL005", "SL006", "SL100",
        "SL200", "SL201", "SL202", "SL203", "SL204", "SL900", "SL901",
    ]


def test_rule_unknown(cli):
    code, out, err = cli("rule", "SL999")
    assert (code, out) == (2, "")
    assert "unknown rule `SL999`" in err
