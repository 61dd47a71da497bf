"""Configuration: discovery of `[tool.scopelint]`, validation, selection layers, per-file-ignores,
excludes, and the gitignore pattern language they share."""

from __future__ import annotations

from pathlib import Path

import pytest

from scopelint.read import files as files_module
from scopelint.run.cli import main
from scopelint.run.config import (
    DEFAULT_SELECT,
    ConfigError,
    Overrides,
    build,
    find_config,
    resolve_selectors,
)
from scopelint.read.files import WalkOptions, compile_pattern, compile_patterns, discover

BUGGY = (
    "import tensorflow.compat.v1 as tf\n"
    "w = tf.get_variable('w', [1])\n"
    "w2 = tf.get_variable('w', [1])\n"
)
WARNING_ONLY = (
    "import tensorflow.compat.v1 as tf\n"
    "with tf.variable_scope('s', reuse=tf.AUTO_REUSE):\n"
    "    for i in range(2):\n"
    "        v = tf.Variable(1.0, name='v')\n"
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


@pytest.fixture
def cli(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def codes(out: str) -> list[str]:
    return sorted({line.split(" ")[1] for line in out.splitlines() if line})


def files_of(out: str) -> list[str]:
    return sorted({line.split(":")[0] for line in out.splitlines() if line})


CONCISE = ("--output-format", "concise", "-q")


# -- discovery -----------------------------------------------------------------------------------


def test_nearest_pyproject_with_the_table_wins(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.scopelint]\nignore = ['SL001']\n",
            "proj/pyproject.toml": "[tool.black]\nline-length = 100\n",  # no table: skipped
            "proj/sub/pyproject.toml": "[tool.scopelint]\nignore = ['SL003']\n",
            "proj/sub/a.py": "",
            "proj/b.py": "",
        },
    )
    assert find_config([tmp_path / "proj/sub/a.py"]) == tmp_path / "proj/sub/pyproject.toml"
    assert find_config([tmp_path / "proj/b.py"]) == tmp_path / "pyproject.toml"
    assert find_config([tmp_path / "proj"]) == tmp_path / "pyproject.toml"
    # Several paths: the configuration above their common directory.
    assert (
        find_config([tmp_path / "proj/sub/a.py", tmp_path / "proj/b.py"])
        == tmp_path / "pyproject.toml"
    )


def test_config_from_pyproject_applies(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY, "warn.py": WARNING_ONLY})
    assert codes(cli(*CONCISE, ".")[1]) == ["SL001", "SL003"]
    write(tmp_path, {"pyproject.toml": "[tool.scopelint]\nselect = ['duplicate-variable']\n"})
    assert codes(cli(*CONCISE, ".")[1]) == ["SL001"]


def test_cli_overrides_the_file(cli, tmp_path):
    write(
        tmp_path,
        {
            "bad.py": BUGGY,
            "warn.py": WARNING_ONLY,
            "pyproject.toml": "[tool.scopelint]\nselect = ['SL001']\nignore = ['SL003']\n",
        },
    )
    # a command-line select replaces the file's selection, its ignore included (ruff's layers)
    assert codes(cli(*CONCISE, "--select", "SL003", ".")[1]) == ["SL003"]
    # extend-select on the command line re-enables what the file ignored
    assert codes(cli(*CONCISE, "--extend-select", "SL003", ".")[1]) == ["SL001", "SL003"]
    assert cli(*CONCISE, "--ignore", "SL001", ".")[0] == 0


def test_output_format_from_the_file_and_the_cli(cli, tmp_path):
    write(
        tmp_path,
        {"bad.py": BUGGY, "pyproject.toml": "[tool.scopelint]\noutput-format = 'concise'\n"},
    )
    assert cli("bad.py")[1].startswith("bad.py:3:6: SL001 Variable")
    assert cli("--output-format", "json", "bad.py")[1].startswith("[\n")


def test_explicit_config_file(cli, tmp_path):
    write(
        tmp_path,
        {
            "bad.py": BUGGY,
            "warn.py": WARNING_ONLY,
            "pyproject.toml": "[tool.scopelint]\nselect = ['SL003']\n",
            "ci/scopelint.toml": "select = ['SL001']\n",  # any TOML file: keys at the top level
            "ci/pyproject.toml": "[tool.scopelint]\nignore = ['SL001']\n",
        },
    )
    assert codes(cli(*CONCISE, "--config", "ci/scopelint.toml", ".")[1]) == ["SL001"]
    assert codes(cli(*CONCISE, "--config", "ci/pyproject.toml", ".")[1]) == ["SL003"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.scopelint]\nselct = ['SL001']\n", "unknown key `selct`"),
        ("[tool.scopelint]\nselect = ['SL999']\n", "unknown rule selector `SL999`"),
        ("[tool.scopelint]\nignore = ['no-such-rule']\n", "unknown rule selector `no-such-rule`"),
        ("[tool.scopelint]\nselect = 'SL001'\n", "`select` must be a list of strings"),
        (
            "[tool.scopelint]\nper-file-ignores = {'a.py' = ['SL0x']}\n",
            "unknown rule selector `SL0x`",
        ),
        ("[tool.scopelint]\nper-file-ignores = {'a.py' = 'SL001'}\n", "must be a list of codes"),
        (
            "[tool.scopelint]\nrespect-gitignore = 'yes'\n",
            "`respect-gitignore` must be true or false",
        ),
        ("[tool.scopelint]\noutput-format = 'xml'\n", "unknown `output-format` 'xml'"),
        ("[tool.scopelint\n", "invalid TOML"),
    ],
)
def test_bad_configuration_exits_2(cli, tmp_path, toml, message):
    write(tmp_path, {"bad.py": BUGGY, "pyproject.toml": toml})
    code, out, err = cli("bad.py")
    assert (code, out) == (2, "")
    assert err.startswith("scopelint: error: ") and message in err, err


def test_missing_config_file_exits_2(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY})
    code, _, err = cli("--config", "nope.toml", "bad.py")
    assert code == 2 and "nope.toml" in err


def test_pyproject_without_table_given_explicitly_is_an_error(cli, tmp_path):
    write(tmp_path, {"bad.py": BUGGY, "pyproject.toml": "[tool.black]\n"})
    code, _, err = cli("--config", "pyproject.toml", "bad.py")
    assert code == 2 and "no [tool.scopelint] table" in err


def test_settings_are_built_once_per_run(cli, tmp_path, monkeypatch):
    write(tmp_path, {f"m{i}.py": BUGGY for i in range(5)})
    write(tmp_path, {"pyproject.toml": "[tool.scopelint]\nignore = ['SL003']\n"})
    calls = []
    real = build

    def counting_build(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr("scopelint.run.cli.build", counting_build)
    loads = []
    real_load = __import__("scopelint.run.config", fromlist=["load_file"]).load_file
    monkeypatch.setattr("scopelint.run.config.load_file", lambda p: loads.append(p) or real_load(p))
    assert cli(*CONCISE, ".")[0] == 1
    assert len(calls) == 1 and len(loads) == 1


# -- selection -----------------------------------------------------------------------------------


def test_selectors():
    assert resolve_selectors(["SL001", "share-shape-mismatch"], "x") == {"SL001", "SL006"}
    assert resolve_selectors(["sl001"], "x") == {"SL001"}
    assert resolve_selectors(["SL00"], "x") == {f"SL00{i}" for i in range(1, 7)}
    assert resolve_selectors(["ALL"], "x") == DEFAULT_SELECT | {"SL100"}
    with pytest.raises(ConfigError, match="unknown rule selector `X1`"):
        resolve_selectors(["X1"], "x")


def test_sl100_is_off_by_default():
    assert "SL100" not in DEFAULT_SELECT
    assert {"SL001", "SL002", "SL003", "SL004", "SL005", "SL006", "SL900"} <= DEFAULT_SELECT


def test_select_all_then_ignore(tmp_path):
    settings = build([tmp_path], Overrides(select="ALL", ignore="SL100,unreadable-file"), tmp_path)
    assert settings.enabled == DEFAULT_SELECT - {"SL900"}


# -- per-file-ignores ----------------------------------------------------------------------------


def test_per_file_ignores(cli, tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.scopelint]\n"
                "[tool.scopelint.per-file-ignores]\n"
                "'legacy/**' = ['SL001']\n"
                "'test_*.py' = ['duplicate-variable']\n"
                "'!src/**' = ['SL003']\n"
            ),
            "legacy/deep/old.py": BUGGY,
            "tests/test_model.py": BUGGY,
            "src/model.py": BUGGY,
            "src/warn.py": WARNING_ONLY,
            "scripts/warn.py": WARNING_ONLY,
        },
    )
    _, out, _ = cli(*CONCISE, ".")
    assert [line.split(" ")[0] + " " + line.split(" ")[1] for line in out.splitlines()] == [
        "src/model.py:3:6: SL001",
        "src/warn.py:4:13: SL003",
    ]


def test_per_file_ignores_are_relative_to_the_config(cli, tmp_path):
    write(
        tmp_path,
        {
            "proj/pyproject.toml": "[tool.scopelint.per-file-ignores]\n'gen/*.py' = ['SL001']\n",
            "proj/gen/a.py": BUGGY,
            "proj/src/gen/a.py": BUGGY,
        },
    )
    _, out, _ = cli(*CONCISE, "proj")
    assert files_of(out) == ["proj/src/gen/a.py"]


# -- excludes ------------------------------------------------------------------------------------


def test_exclude_and_extend_exclude(cli, tmp_path):
    layout = {"build/a.py": BUGGY, "gen/b.py": BUGGY, "src/c.py": BUGGY, "src/skip_me.py": BUGGY}
    write(
        tmp_path,
        layout
        | {"pyproject.toml": "[tool.scopelint]\nextend-exclude = ['gen', 'src/skip_*.py']\n"},
    )
    assert files_of(cli(*CONCISE, ".")[1]) == ["src/c.py"]
    # `exclude` replaces the defaults: build/ is linted again
    write(tmp_path, {"pyproject.toml": "[tool.scopelint]\nexclude = ['gen']\n"})
    assert files_of(cli(*CONCISE, ".")[1]) == ["build/a.py", "src/c.py", "src/skip_me.py"]


def test_force_exclude_applies_to_named_files(cli, tmp_path):
    write(
        tmp_path,
        {
            "gen/b.py": BUGGY,
            "src/c.py": BUGGY,
            "pyproject.toml": "[tool.scopelint]\nextend-exclude = ['gen']\n",
        },
    )
    assert files_of(cli(*CONCISE, "gen/b.py", "src/c.py")[1]) == ["gen/b.py", "src/c.py"]
    assert files_of(cli(*CONCISE, "--force-exclude", "gen/b.py", "src/c.py")[1]) == ["src/c.py"]


def test_force_exclude_ignores_directories_above_the_root(tmp_path):
    # A checkout inside a directory called `build` must not exclude itself.
    root = tmp_path / "build" / "proj"
    write(root, {"a.py": BUGGY})
    options = WalkOptions(compile_patterns(files_module.DEFAULT_EXCLUDE, root), force_exclude=True)
    assert discover([root / "a.py"], options).files == (root / "a.py",)


def test_respect_gitignore_false_in_the_file(cli, tmp_path):
    write(
        tmp_path,
        {
            ".gitignore": "gen/\n",
            "gen/a.py": BUGGY,
            "pyproject.toml": "[tool.scopelint]\nrespect-gitignore = false\n",
        },
    )
    assert files_of(cli(*CONCISE, ".")[1]) == ["gen/a.py"]


# -- the gitignore pattern language --------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        ("*.py", "a.py", False, True),
        ("*.py", "deep/er/a.py", False, True),  # no slash: any depth
        ("*.py", "a.pyc", False, False),
        ("build/", "build", True, True),
        ("build/", "build", False, False),  # trailing slash: directories only
        ("build/", "src/build", True, True),
        ("/build", "build", True, True),  # leading slash: anchored
        ("/build", "src/build", True, False),
        ("src/*.py", "src/a.py", False, True),
        ("src/*.py", "src/x/a.py", False, False),  # `*` stops at a slash
        ("src/**/*.py", "src/a.py", False, True),
        ("src/**/*.py", "src/x/y/a.py", False, True),
        ("**/gen", "a/b/gen", True, True),
        ("**/gen/x.py", "a/gen/x.py", False, True),
        ("**/gen/x.py", "gen/x.py", False, True),
        ("data/**", "data/a/b.py", False, True),
        ("data/**", "data", True, False),
        ("a?.py", "ab.py", False, True),
        ("a?.py", "a/.py", False, False),
        ("[ab].py", "b.py", False, True),
        ("[!ab].py", "c.py", False, True),
        ("[!ab].py", "a.py", False, False),
        ("\\#x.py", "#x.py", False, True),
        ("foo\\ ", "foo ", False, True),  # escaped trailing space is kept
        ("foo  ", "foo", False, True),  # unescaped trailing spaces are not
    ],
)
def test_pattern(pattern, path, is_dir, expected):
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert compiled.matches(path, is_dir) is expected


def test_comments_and_blank_lines():
    assert compile_pattern("# comment") is None
    assert compile_pattern("   ") is None
    assert compile_pattern("") is None


def test_gitignore_negation_nesting_and_pruning(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            ".gitignore": "*.py\n!keep.py\nvendor/\n",
            "keep.py": BUGGY,
            "drop.py": BUGGY,
            "vendor/keep.py": BUGGY,  # the directory is ignored: `!keep.py` cannot re-include it
            # A nested ignore file applies to pkg/ only, and wins there.
            "pkg/.gitignore": "!*.py\nlocal_*.py\n",
            "pkg/a.py": BUGGY,
            "pkg/local_b.py": BUGGY,
        },
    )
    walked = []
    real = files_module._Walker._walk

    def spy(self, directory, chain):
        walked.append(Path(directory).name)
        return real(self, directory, chain)

    monkeypatch.setattr(files_module._Walker, "_walk", spy)
    monkeypatch.chdir(tmp_path)
    options = WalkOptions(compile_patterns(files_module.DEFAULT_EXCLUDE, tmp_path))
    found = [p.as_posix() for p in discover(["."], options).files]
    assert found == ["keep.py", "pkg/a.py"]
    assert "vendor" not in walked  # pruned, never listed


def test_gitignore_above_the_walked_directory_applies_inside_a_repository(tmp_path, monkeypatch):
    write(tmp_path, {".gitignore": "sub/gen/\n", "sub/gen/a.py": BUGGY, "sub/b.py": BUGGY})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    options = WalkOptions(compile_patterns((), tmp_path))
    assert [p.as_posix() for p in discover(["."], options).files] == ["b.py"]


def test_without_a_toml_reader_a_config_file_is_a_clear_error(tmp_path, monkeypatch):
    import scopelint.run.config as config_module

    monkeypatch.setattr(config_module, "tomllib", None)
    write(tmp_path, {"with/pyproject.toml": "[tool.scopelint]\n"})
    with pytest.raises(ConfigError, match="needs Python 3.11\\+ or the `tomli` package"):
        build([tmp_path / "with"], Overrides(), tmp_path / "with")
    bare = tmp_path / "without"
    bare.mkdir()
    # ... while a run without a config file needs no TOML reader at all
    assert build([bare], Overrides(), bare).enabled == DEFAULT_SELECT
