"""The command line, continued: a missing path, stdin following imports, the `check` alias,
`--output-file`, `--show-settings`, `--show-files`, `--color`, and the progress line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scopelint.run import cli as cli_module
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


# -- `scopelint check` -----------------------------------------------------------------------------


def test_check_is_an_alias(cli, tmp_path):
    write(tmp_path, {"buggy.py": BUGGY, "clean.py": CLEAN})
    plain = cli("--output-format", "concise", "buggy.py", "clean.py")
    aliased = cli("check", "--output-format", "concise", "buggy.py", "clean.py")
    assert plain == aliased and plain[0] == 1 and "SL001" in plain[1]
    assert cli("check") == cli()  # no paths: the current directory, both ways


def test_check_alias_from_the_console(tmp_path):
    write(tmp_path, {"buggy.py": BUGGY})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", "check", "."],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert proc.returncode == 1, proc.stderr
    assert "No such file" not in proc.stderr
    assert "buggy.py:3:6: SL001" in proc.stdout


# -- --output-file ---------------------------------------------------------------------------------


def test_output_file_gets_the_report_and_stdout_stays_empty(cli, tmp_path):
    write(tmp_path, {"buggy.py": BUGGY})
    expected = cli("--output-format", "json", "buggy.py")
    code, out, err = cli("--output-format", "json", "--output-file", "reports/out.json", "buggy.py")
    assert (code, out, err) == (1, "", "")
    assert (tmp_path / "reports" / "out.json").read_text() == expected[1]
    assert json.loads(expected[1])[0]["code"] == "SL001"


def test_output_file_is_never_coloured(cli, tmp_path):
    write(tmp_path, {"buggy.py": BUGGY})
    cli("--color", "always", "-o", "out.txt", "buggy.py")
    text = (tmp_path / "out.txt").read_text()
    assert "SL001" in text and "\x1b[" not in text


def test_output_file_that_cannot_be_written_exits_2(cli, tmp_path):
    write(tmp_path, {"buggy.py": BUGGY, "blocker": "a file, not a directory"})
    code, out, err = cli("-o", "blocker/out.txt", "buggy.py")
    assert code == 2
    assert "--output-file" in err and "Traceback" not in err


# -- --show-settings -------------------------------------------------------------------------------


def test_show_settings_names_the_project_root_a_run_would_use(cli, tmp_path, monkeypatch):
    """Without a config: the nearest directory above the paths with `.git` (imports below it
    are followed, the cache lives there), wherever the command runs from."""
    write(tmp_path, {"repo/pkg/m.py": BUGGY, "repo/.git/HEAD": "ref: refs/heads/main\n"})
    monkeypatch.chdir(tmp_path / "repo" / "pkg")
    code, out, _ = cli("--show-settings", "m.py")
    assert code == 0
    assert out.splitlines()[:2] == [
        "Settings path: (none: built-in defaults)", f"Project root: {tmp_path / 'repo'}"]


def test_show_settings_names_the_file_and_each_origin(cli, tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.scopelint]\nignore = ['SL004']\noutput-format = 'concise'\n"
                "extend-exclude = ['generated']\n"
                "[tool.scopelint.per-file-ignores]\n'tests/**' = ['SL001']\n"
            ),
            "buggy.py": BUGGY,
        },
    )
    code, out, err = cli("--show-settings", "--extend-select", "SL100", "buggy.py")
    assert (code, err) == (0, "")
    config = str(tmp_path / "pyproject.toml")
    lines = out.splitlines()
    assert lines[0] == f"Settings path: {config}"
    assert lines[1] == f"Project root: {tmp_path}"
    enabled = next(line for line in lines if line.startswith("enabled = "))
    assert '"SL100"' in enabled and '"SL004"' not in enabled and '"SL001"' in enabled
    assert enabled.endswith(f"# {config}, then command line")
    assert f'output-format = "concise"  # {config}' in lines
    assert any(line.startswith("exclude = [") and '"generated"' in line for line in lines)
    assert "respect-gitignore = true  # default" in lines
    assert f'per-file-ignores = {{"tests/**" = ["SL001"]}}  # {config}' in lines


def test_show_settings_without_a_config_file(cli, tmp_path):
    code, out, _ = cli("--show-settings", "--no-respect-gitignore")
    assert code == 0
    assert out.splitlines()[0] == "Settings path: (none: built-in defaults)"
    assert "respect-gitignore = false  # command line" in out.splitlines()
    assert 'output-format = "full"  # default' in out.splitlines()


# -- --show-files ----------------------------------------------------------------------------------


def test_show_files_lists_what_would_be_linted(cli, tmp_path):
    write(
        tmp_path,
        {
            "b.py": BUGGY,
            "a/x.pyi": CLEAN,
            "a/notes.txt": "not python",
            "venv/lib.py": BUGGY,  # excluded by default
            ".gitignore": "ignored.py\n",
            "ignored.py": BUGGY,
        },
    )
    (tmp_path / ".git").mkdir()
    code, out, err = cli("--show-files")
    assert (code, err) == (0, "")
    assert out == "a/x.pyi\nb.py\n"


def test_show_files_with_a_missing_path_exits_2(cli, tmp_path):
    write(tmp_path, {"b.py": BUGGY})
    code, out, err = cli("--show-files", "b.py", "nope.py")
    assert code == 2
    assert out == "b.py\n" and "nope.py" in err


# -- --color ---------------------------------------------------------------------------------------


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "choice, tty, env, expected",
    [
        ("always", False, {}, True),
        ("always", True, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
        ("never", True, {"FORCE_COLOR": "1"}, False),
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": "0"}, False),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_color_choice(monkeypatch, choice, tty, env, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert cli_module._use_color(FakeStream(tty), choice) is expected


def test_color_flag_end_to_end(cli, tmp_path, monkeypatch):
    write(tmp_path, {"buggy.py": BUGGY})
    assert "\x1b[" in cli("--color", "always", "buggy.py")[1]
    assert "\x1b[" not in cli("buggy.py")[1]  # captured stdout is not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("buggy.py")[1]
    assert "\x1b[" not in cli("--color", "never", "buggy.py")[1]
    # Machine formats never get colour.
    assert "\x1b[" not in cli("--color", "always", "--output-format", "json", "buggy.py")[1]


def test_color_rejects_other_values(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("--color", "sometimes")
    assert info.value.code == 2
    assert "--color" in capsys.readouterr().err


# -- the progress line -----------------------------------------------------------------------------


def test_progress_wanted_only_on_a_terminal_outside_ci(monkeypatch):
    from scopelint.run.progress import progress_wanted

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    master, slave = os.openpty()
    try:
        with open(slave, "w", closefd=False) as terminal:
            assert progress_wanted(terminal)
            monkeypatch.setenv("CI", "true")
            assert not progress_wanted(terminal)
            monkeypatch.delenv("CI")
            monkeypatch.setenv("TERM", "dumb")
            assert not progress_wanted(terminal)
    finally:
        os.close(master)
        os.close(slave)
    monkeypatch.delenv("TERM")
    read, write_end = os.pipe()
    try:
        with open(write_end, "w", closefd=False) as pipe:
            assert not progress_wanted(pipe)
    finally:
        os.close(read)
        os.close(write_end)


class Recorder:
    def __init__(self) -> None:
        import threading

        self.text = ""
        self.written = threading.Event()

    def write(self, text: str) -> None:
        self.text += text
        self.written.set()

    def flush(self) -> None:
        pass


def test_progress_line_appears_after_the_delay_and_is_erased():
    """No timing: the run inside waits until the line is written (however slow the machine)."""
    from scopelint.run.progress import Progress

    stream = Recorder()
    with Progress(3, stream, enabled=True, delay=0.0):
        assert stream.written.wait(60)
    assert stream.text.startswith("\r\x1b[Kscopelint: checking 3 files... ")
    assert stream.text.endswith("\r\x1b[K")  # erased: the report starts on a clean line

    quick = Recorder()
    with Progress(3, quick, enabled=True, delay=3600.0):
        pass  # done before the delay: nothing printed
    assert quick.text == ""
    off = Recorder()
    with Progress(3, off, enabled=False, delay=0.0) as progress:
        assert progress._thread is None  # no line to draw, not even later
    assert off.text == ""


def run_on_pty(tmp_path: Path, env: dict[str, str]) -> tuple[int, str, str]:
    """`scopelint .` with stderr on a pseudo-terminal (stdout a pipe), as a person runs it. The
    delay is set to 0 and the run waits until the progress line is drawn (when there is one),
    through a tiny wrapper, so that the test does not depend on timing."""
    import pty  # noqa: F401 (POSIX only, like the rest of this check)

    script = (
        "import sys, time\n"
        "from scopelint.run import cli, progress\n"
        "progress.DELAY = 0.0\n"
        "made = []\n"
        "enter = progress.Progress.__enter__\n"
        "def entered(self):\n"
        "    made.append(self)\n"
        "    return enter(self)\n"
        "progress.Progress.__enter__ = entered\n"
        "real = cli.lint\n"
        "def slow(*a, **k):\n"
        "    deadline = time.monotonic() + 60\n"
        "    while made[-1].enabled and not made[-1].shown and time.monotonic() < deadline:\n"
        "        time.sleep(0.01)\n"
        "    return real(*a, **k)\n"
        "cli.lint = slow\n"
        "sys.exit(cli.main(['--no-cache', '.']))\n"
    )
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    out, _ = proc.communicate(timeout=60)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the other end closed: everything has been read
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode()


def test_progress_on_a_terminal_and_never_in_ci(tmp_path):
    write(tmp_path, {"buggy.py": BUGGY})
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM", "NO_COLOR")}
    code, out, err = run_on_pty(tmp_path, env)
    assert code == 1
    assert "scopelint: checking 1 file... " in err
    assert "checking" not in out and "buggy.py:3:6: SL001" in out
    code, out, err = run_on_pty(tmp_path, {**env, "CI": "true"})
    assert code == 1 and "checking" not in err
