"""`--jobs` and the result cache: neither may change a byte of the output.

In-process tests use `runner.lint` (with a counting `check_bytes` to see exactly which files the
engine ran on); end-to-end tests run `python -m scopelint` on the benchmark corpus with findings
in it, so the real worker pool (enough files to start one) and the real cache are exercised.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import build as build_corpus
from scopelint.run import cache as cache_mod
from scopelint.run import lanes, runner
from scopelint.run.cache import (
    CACHEDIR_TAG,
    Cache,
    Deps,
    cache_dir,
    project_root,
    result_from_json,
    result_to_json,
)
from scopelint.read.files import WalkOptions, compile_patterns, discover
from scopelint.run.config import Overrides, build
from scopelint.types import (
    Diagnostic,
    EventKind,
    FileResult,
    Position,
    Related,
    Severity,
    Span,
    VarEvent,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TF = "import tensorflow.compat.v1 as tf\n"


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", cache_mod.ENV_VAR)}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "scopelint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=600,
    )
    return proc.returncode, proc.stdout, proc.stderr


def settings_for(root: Path):
    return build([root], Overrides(), root)


def files_under(root: Path, relative_to: Path | None = None) -> list[Path]:
    options = WalkOptions(exclude=compile_patterns((".scopelint_cache",), root))
    return [f.relative_to(relative_to or root) for f in discover([root], options).files]


@pytest.fixture
def counting(monkeypatch, tmp_path):
    """Record the displayed path of every file this process sends through the engine's parse and
    simulation (files the byte test rules out are not), for runs in tmp_path (the engine finds a
    file's imports from its path relative to the process's working directory)."""
    monkeypatch.chdir(tmp_path)
    seen: list[str] = []
    real = runner._lint_one

    def lint_one(index, cache, path, shown, *args):
        seen.append(shown)
        return real(index, cache, path, shown, *args)

    monkeypatch.setattr(runner, "_lint_one", lint_one)
    return seen


def lint_tree(root: Path, cache: Cache | None, jobs: int = 1) -> list[FileResult]:
    return runner.lint(files_under(root), settings_for(root), cwd=root, jobs=jobs, cache=cache)


# -- the serializer ------------------------------------------------------------------------------


def sample_result() -> FileResult:
    span = Span(Position(3, 5), Position(3, 30))
    return FileResult(
        "pkg/model.py",
        (
            Diagnostic(
                "SL001",
                "duplicate-variable",
                Severity.ERROR,
                'Variable `w` already exists — twice; `quotes"` and \\ back',
                "pkg/model.py",
                span,
                related=(
                    Related("pkg/model.py", Span(Position(1, 1), Position(1, 9)), "first"),
                    Related("pkg/model.py", Span(Position(7, 2), Position(8, 4)), "call"),
                ),
                subject="tower/w",
                order=12,
            ),
            Diagnostic(
                "SL004", "reuse-false-inherited", Severity.WARNING, "m", "pkg/model.py", span
            ),
        ),
        analysed=True,
    )


def test_serializer_round_trips():
    result = sample_result()
    encoded = json.loads(json.dumps(result_to_json(result)))
    assert result_from_json(encoded) == result
    skipped = FileResult("a.py", analysed=False)
    assert result_from_json(result_to_json(skipped)) == skipped


def test_serializer_refuses_events():
    event = VarEvent(EventKind.CREATE, "w", "w", 1, "<module>")
    with pytest.raises(ValueError):
        result_to_json(FileResult("a.py", events=(event,)))


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("analysed"),
        lambda d: d.update(analysed="yes"),
        lambda d: d["diagnostics"][0].update(span=[1, 2, 3]),
        lambda d: d["diagnostics"][0].update(span=[1, 2, 3, "4"]),
        lambda d: d["diagnostics"][0].update(severity="fatal"),
        lambda d: d["diagnostics"][0].update(order=1.5),
        lambda d: d["diagnostics"][0].update(message=None),
        lambda d: d["diagnostics"][0]["related"].append(["x"]),
        lambda d: d.update(diagnostics={}),
    ],
)
def test_serializer_rejects_malformed(damage):
    encoded = result_to_json(sample_result())
    damage(encoded)
    with pytest.raises((ValueError, KeyError, TypeError)):
        result_from_json(encoded)


# -- parallel ------------------------------------------------------------------------------------


def test_pool_results_equal_serial_on_fixtures(monkeypatch):
    """Every fixture (cross-module imports included), linted by two workers, chunk by chunk."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(runner, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(lanes, "CHUNK_MAX", 3)
    files = files_under(FIXTURES, ROOT)
    settings = settings_for(FIXTURES)
    serial = runner.lint(files, settings, cwd=ROOT, jobs=1)
    pooled = runner.lint(files, settings, cwd=ROOT, jobs=2)
    assert pooled == serial
    assert any(r.diagnostics for r in serial)


def test_lanes_split_the_files_in_order_into_chunks_that_shrink(monkeypatch):
    """Every file in exactly one chunk, in path order; lanes of about equal bytes; chunks within
    the limits, a heavy file in a chunk of its own, and each lane ending in single files."""
    monkeypatch.setattr(lanes, "CHUNK_MAX", 4)
    items = list(range(120))
    sizes = {i: 1_000 for i in items}
    sizes[20] = 50_000
    plan = lanes.plan(items, 2, sizes)
    assert len(plan) == 2
    assert [i for lane in plan for chunk in lane for i in chunk] == items
    weights = [sum(sizes[i] for chunk in lane for i in chunk) for lane in plan]
    assert abs(weights[0] - weights[1]) <= 50_000
    assert all(1 <= len(chunk) <= 4 for lane in plan for chunk in lane)
    assert [20] in plan[0]
    assert all([len(chunk) for chunk in lane[-2:]] == [1, 1] for lane in plan)
    assert lanes.plan([1, 2], 4, {1: 5, 2: 5}) == [[[1]], [[2]]]


def test_board_hands_out_every_chunk_once_own_lane_first_then_the_others_last():
    board = lanes.Board(multiprocessing.get_context(), [[[0], [1], [2]], [[3], [4], [5], [6]]])
    assert [board.join(), board.join()] == [0, 1]
    taken = [board.take(0) for _ in range(4)]  # its three, then the other lane's last
    assert taken == [[0], [1], [2], [6]]
    assert [board.take(1) for _ in range(4)] == [[3], [4], [5], []]
    assert board.take(0) == []
    assert board.files(1) == [3, 4, 5, 6]


def test_a_worker_imports_other_lanes_files_as_skeletons(tmp_path):
    """In a worker, a file of the run outside its lane is linted by another worker: importing it
    parses it lazily (a skeleton); a file of its own lane is parsed whole, once, for its lint."""
    body = "import tensorflow as tf\n\ndef f(x):\n    return tf.get_variable('w', [1])\n"
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(body)
    a, b = (tmp_path / "a.py").resolve(), (tmp_path / "b.py").resolve()
    index = runner.RunIndex([a, b])
    index.set_mine([tmp_path / "a.py"])
    index.module(a)
    index.module(b)
    assert not index.skeleton(a).sources  # parsed whole: no body left out
    assert index.skeleton(b).sources
    serial = runner.RunIndex([a, b])  # one process lints everything: every file parsed whole
    serial.module(b)
    assert not serial.skeleton(b).sources


def test_worker_errors_reach_the_main_process(monkeypatch, tmp_path):
    """A file the workers cannot read is a finding; the run goes on (in the pool too)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "POOL_MIN_FILES", 1)
    (tmp_path / "a.py").write_text(TF + "w = tf.get_variable('w', [1])\n" * 2)
    (tmp_path / "b.py").write_text(TF)
    files = [Path("a.py"), Path("b.py"), Path("gone.py")]
    settings = settings_for(tmp_path)
    serial = runner.lint(files, settings, cwd=tmp_path, jobs=1)
    pooled = runner.lint(files, settings, cwd=tmp_path, jobs=2)
    assert pooled == serial
    assert [r.path for r in serial] == ["a.py", "b.py", "gone.py"]
    assert serial[2].diagnostics[0].code == "SL900"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Enough TF files with findings (some through imports) for the CLI to start workers."""
    root = tmp_path_factory.mktemp("corpus")
    build_corpus(root, 90, tf_every=1, bugs_every=7)
    build_corpus(root / "mixed", 40, tf_every=4, bugs_every=3)
    assert 90 >= runner.POOL_MIN_FILES
    return root


@pytest.mark.parametrize("fmt", ["full", "json"])
def test_output_is_byte_identical_across_jobs(corpus, fmt):
    outputs = {
        jobs: run_cli(corpus, "--no-cache", "--jobs", str(jobs), "--output-format", fmt, ".")
        for jobs in (1, 2, 3)
    }
    assert outputs[1][0] == 1 and "SL001" in outputs[1][1]
    assert outputs[2] == outputs[1]
    assert outputs[3] == outputs[1]
    assert not (corpus / ".scopelint_cache").exists()


def test_jobs_must_be_positive(tmp_path):
    code, out, err = run_cli(tmp_path, "--jobs", "0", ".")
    assert code == 2 and "--jobs" in err


# -- the cache -----------------------------------------------------------------------------------


def test_cold_and_warm_runs_are_byte_identical(corpus, tmp_path):
    env = {cache_mod.ENV_VAR: str(tmp_path / "c")}
    formats = ("full", "sarif")  # sarif: fingerprints from source lines read on demand
    uncached = {fmt: run_cli(corpus, "--no-cache", "--output-format", fmt, ".") for fmt in formats}
    assert uncached["full"][0] == 1
    assert run_cli(corpus, ".", env=env) == uncached["full"]  # cold, with workers

    def entries():
        return {(p, p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "c").rglob("*")}

    written = entries()
    assert len(written) > 90
    for fmt in formats:
        assert run_cli(corpus, "--output-format", fmt, ".", env=env) == uncached[fmt]
    assert run_cli(corpus, "--jobs", "1", ".", env=env) == uncached["full"]
    assert entries() == written  # the warm runs were all hits: nothing rewritten
    assert not (corpus / ".scopelint_cache").exists()  # the variable moved it


def test_warm_run_never_loads_libcst(tmp_path):
    """What makes a warm run cheap: with every result cached, neither libcst nor the interpreter
    nor the TF model is imported (the import alone costs more than checking a thousand cached files)."""
    (tmp_path / "m.py").write_text(TF + "w = tf.get_variable('w', [1])\nw = tf.get_variable('w', [1])\n")
    (tmp_path / "plain.py").write_text("x = 1\n")
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['scopelint', '.']\n"
        "try:\n"
        "    runpy.run_module('scopelint', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'libcst' in sys.modules,\n"
        "          'scopelint.interp.interpreter' in sys.modules or 'scopelint.tf' in sys.modules)\n"
    )
    env = {**os.environ, cache_mod.ENV_VAR: str(tmp_path / "c")}

    def run():
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env,
                              capture_output=True, text=True, check=True)
        return done.stdout.splitlines()[-1]

    assert run() == "exit 1 True True"  # cold: m.py is simulated
    assert run() == "exit 1 False False"  # warm: the same finding, from the cache


TOWER = TF + (
    "def tower(x):\n"
    "    with tf.variable_scope('tower'{reuse}):\n"
    "        return tf.get_variable('w', [1])\n"
)
TRAIN = TF + "from models import tower\n\ntower(1)\ntower(2)\n"


def test_imports_of_files_not_on_the_command_line_are_followed(tmp_path):
    """pre-commit passes only the changed files: a module they import is read from disk (below
    the project root), and the cache notices when that module changes or appears."""
    (tmp_path / "pyproject.toml").write_text("[tool.scopelint]\n")
    (tmp_path / "train.py").write_text(TRAIN)
    args = ("--output-format", "concise", "train.py")
    code, out, _ = run_cli(tmp_path, *args)
    assert code == 0 and "SL001" not in out  # no models.py anywhere: the call stays unknown

    (tmp_path / "models.py").write_text(TOWER.format(reuse=""))  # appears; train.py unchanged
    code, out, _ = run_cli(tmp_path, *args)
    assert code == 1 and "train.py:5:1: SL001" in out

    (tmp_path / "models.py").write_text(TOWER.format(reuse=", reuse=tf.AUTO_REUSE"))
    code, out, _ = run_cli(tmp_path, *args)
    assert code == 0 and "SL001" not in out
    assert run_cli(tmp_path, "--no-cache", *args)[:2] == (code, out)


def test_a_changed_file_follows_imports_from_the_repository_top_without_a_config(tmp_path):
    """pre-commit passes the changed file alone: its import of another package of the
    repository (the nearest directory above it with `.git`) is followed as in a run on the
    whole tree, from the top or from inside the package."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "pkg" / "layers").mkdir(parents=True)
    (tmp_path / "pkg" / "models").mkdir()
    (tmp_path / "pkg" / "layers" / "towers.py").write_text(TOWER.format(reuse=""))
    (tmp_path / "pkg" / "models" / "train.py").write_text(
        TF + "from pkg.layers.towers import tower\n\ntower(1)\ntower(2)\n"
    )
    args = ("--no-cache", "--output-format", "concise")
    code, out, err = run_cli(tmp_path, *args, "pkg/models/train.py")
    assert code == 1, err
    assert out.splitlines()[0].startswith("pkg/models/train.py:5:1: SL001")
    _, whole, _ = run_cli(tmp_path, *args, ".")
    assert [line for line in whole.splitlines() if "train.py" in line] == [
        line for line in out.splitlines() if "train.py" in line
    ]
    code, out, _ = run_cli(tmp_path / "pkg" / "models", *args, "train.py")
    assert code == 1 and out.startswith("train.py:5:1: SL001")
    # Without a marker, the common directory of the paths: the other package stays unknown.
    (tmp_path / ".git").rmdir()
    code, out, _ = run_cli(tmp_path, *args, "pkg/models/train.py")
    assert code == 0 and "SL001" not in out


def test_cache_directory_layout(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(TF + "w = tf.get_variable('w', [1])\n")
    code, _, err = run_cli(tmp_path, "pkg")
    assert code == 0, err
    directory = tmp_path / "pkg" / ".scopelint_cache"  # the common directory of the paths
    assert (directory / ".gitignore").read_text() == "*\n"
    assert (directory / "CACHEDIR.TAG").read_text() == CACHEDIR_TAG
    assert CACHEDIR_TAG.startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    assert list(directory.rglob("*.json"))
    assert not list(directory.rglob(".tmp-*"))


def test_cache_lives_next_to_the_config(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.scopelint]\nignore = []\n")
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "m.py").write_text(TF)
    code, _, err = run_cli(tmp_path / "src", "pkg")
    assert code == 0, err
    assert (tmp_path / ".scopelint_cache" / "CACHEDIR.TAG").is_file()
    assert not (tmp_path / "src" / "pkg" / ".scopelint_cache").exists()


def test_project_root_and_override(tmp_path, monkeypatch):
    config = tmp_path / "pyproject.toml"
    assert project_root(config, [tmp_path / "a" / "b.py"]) == tmp_path
    (tmp_path / "a").mkdir()
    assert project_root(None, [tmp_path / "a" / "b.py", tmp_path / "a"]) == tmp_path / "a"
    # No config: the nearest directory above them with `.git`, `.hg` or a `pyproject.toml`.
    (tmp_path / "a" / "c").mkdir()
    (tmp_path / ".git").mkdir()
    assert project_root(None, [tmp_path / "a" / "c" / "b.py"]) == tmp_path
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.black]\n")
    assert project_root(None, [tmp_path / "a" / "c" / "b.py"]) == tmp_path / "a"
    assert project_root(config, [tmp_path / "a" / "c" / "b.py"]) == tmp_path
    monkeypatch.delenv(cache_mod.ENV_VAR, raising=False)
    assert cache_dir(tmp_path) == tmp_path / ".scopelint_cache"
    monkeypatch.setenv(cache_mod.ENV_VAR, "elsewhere")
    assert cache_dir(tmp_path, cwd=Path("/w")) == Path("/w/elsewhere")


def test_no_cache_neither_reads_nor_writes(tmp_path):
    (tmp_path / "m.py").write_text(TF + "w = tf.get_variable('w', [1])\n")
    code, clean, _ = run_cli(tmp_path, "--output-format", "concise", "m.py")
    assert code == 0
    # Forge the entry: a finding the engine never reported.
    (entry,) = (tmp_path / ".scopelint_cache").rglob("*.json")
    data = json.loads(entry.read_text())
    forged = result_to_json(
        FileResult(
            "m.py",
            (
                Diagnostic(
                    "SL001",
                    "duplicate-variable",
                    Severity.ERROR,
                    "forged",
                    "m.py",
                    Span(Position(2, 5), Position(2, 9)),
                ),
            ),
        )
    )
    data["result"] = forged
    entry.write_text(json.dumps(data))
    code, out, _ = run_cli(tmp_path, "--output-format", "concise", "m.py")
    assert (code, "forged" in out) == (1, True)  # the cache is read...
    code, out, _ = run_cli(tmp_path, "--no-cache", "--output-format", "concise", "m.py")
    assert (code, out) == (0, clean)  # ...and --no-cache does not read it
    before = entry.stat().st_mtime_ns, entry.read_bytes()
    (tmp_path / "m.py").write_text(TF + "v = tf.get_variable('v', [1])\n")
    run_cli(tmp_path, "--no-cache", "m.py")
    assert (entry.stat().st_mtime_ns, entry.read_bytes()) == before  # nor write it


def test_show_variables_is_never_cached(tmp_path):
    (tmp_path / "m.py").write_text(TF + "w = tf.get_variable('w', [1])\n")
    code, out, _ = run_cli(tmp_path, "--show-variables", "m.py")
    assert code == 0 and "w" in out
    assert not (tmp_path / ".scopelint_cache").exists()


def _write_project(root: Path) -> None:
    (root / "pkg").mkdir(parents=True, exist_ok=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "deep.py").write_text(
        TF + "def block(x):\n    return tf.get_variable('w', [3])\n"
    )
    (root / "pkg" / "lib.py").write_text(
        TF
        + "from . import deep\n"
        + "def tower(x):\n"
        + "    with tf.variable_scope('tower'):\n"
        + "        return deep.block(x)\n"
    )
    (root / "pkg" / "app.py").write_text(
        TF + "from . import lib\n" + "a = lib.tower(1)\n" + "b = lib.tower(2)\n"
    )
    (root / "pkg" / "other.py").write_text(TF + "c = tf.get_variable('c', [1])\n")
    (root / "pkg" / "plain.py").write_text("import os\nprint(os.sep)\n")


def test_edits_re_lint_exactly_the_affected_files(tmp_path, counting):
    _write_project(tmp_path)
    store = Cache(tmp_path / "cache")
    cold = lint_tree(tmp_path, store)
    # plain.py and __init__.py never reach the engine: the byte test finishes them.
    assert sorted(counting) == ["pkg/app.py", "pkg/deep.py", "pkg/lib.py", "pkg/other.py"]
    assert any(d.code == "SL001" for r in cold for d in r.diagnostics if r.path == "pkg/app.py")

    counting.clear()
    assert lint_tree(tmp_path, store) == cold
    assert counting == []  # warm: nothing re-linted

    # An edit to a file with no importers: only that file.
    counting.clear()
    (tmp_path / "pkg" / "other.py").write_text(TF + "c = tf.get_variable('c2', [1])\n")
    lint_tree(tmp_path, store)
    assert counting == ["pkg/other.py"]

    # An edit to an imported module: it and its importers.
    counting.clear()
    lib = tmp_path / "pkg" / "lib.py"
    lib.write_text(lib.read_text().replace("'tower'", "'tower', reuse=tf.AUTO_REUSE"))
    after = lint_tree(tmp_path, store)
    assert sorted(counting) == ["pkg/app.py", "pkg/lib.py"]
    assert not any(r.diagnostics for r in after if r.path == "pkg/app.py")
    assert after == lint_tree(tmp_path, None)

    # An edit two imports away: app.py reads deep.py through lib.py.
    counting.clear()
    deep = tmp_path / "pkg" / "deep.py"
    deep.write_text(deep.read_text().replace("[3]", "[4]"))
    lint_tree(tmp_path, store)
    assert sorted(counting) == ["pkg/app.py", "pkg/deep.py", "pkg/lib.py"]


def test_a_new_module_that_changes_an_import_re_lints_the_importer(tmp_path, counting):
    (tmp_path / "app.py").write_text(
        TF + "import helpers\n" + "helpers.make()\n" + "helpers.make()\n"
    )
    store = Cache(tmp_path / "cache")
    first = lint_tree(tmp_path, store)
    assert not first[0].diagnostics  # `helpers` is unknown code: silent
    counting.clear()
    # The same import now names a module of the run.
    (tmp_path / "helpers.py").write_text(TF + "def make():\n    return tf.get_variable('v', [1])\n")
    second = lint_tree(tmp_path, store)
    assert sorted(counting) == ["app.py", "helpers.py"]
    assert [d.code for d in second[0].diagnostics] == ["SL001"]
    assert second == lint_tree(tmp_path, None)
    # Nothing changed since: every entry valid again, including after the file set changed.
    counting.clear()
    assert lint_tree(tmp_path, store) == second
    assert counting == []


def test_selection_and_noqa_apply_to_cached_results(tmp_path):
    _write_project(tmp_path)
    app = tmp_path / "pkg" / "app.py"
    env = {cache_mod.ENV_VAR: str(tmp_path / "cache")}
    run_cli(tmp_path, "pkg", env=env)  # fill the cache with the default selection
    for args in (("--select", "SL002"), ("--extend-select", "SL100"), ()):
        assert run_cli(tmp_path, *args, "pkg", env=env) == run_cli(
            tmp_path, "--no-cache", *args, "pkg"
        )
    # A noqa comment changes nothing the engine sees... but the file's bytes, so it is re-linted;
    # the suppression applies either way.
    app.write_text(app.read_text().replace("b = lib.tower(2)", "b = lib.tower(2)  # noqa"))
    assert run_cli(tmp_path, "pkg", env=env) == run_cli(tmp_path, "--no-cache", "pkg")


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"\x00\xff garbage"),
        lambda p: p.write_text(p.read_text()[:40]),
        lambda p: p.write_text("[]"),
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "result": {"x": 1}})),
        lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "modules": 3})),
        lambda p: (p.unlink(), p.mkdir()),
    ],
)
def test_corrupt_entries_are_misses(tmp_path, counting, damage):
    _write_project(tmp_path)
    store = Cache(tmp_path / "cache")
    cold = lint_tree(tmp_path, store)
    for entry in (tmp_path / "cache").rglob("*.json"):
        damage(entry)
    counting.clear()
    assert lint_tree(tmp_path, store) == cold
    assert len(counting) == 4  # every entry was a miss, and no error


def test_another_engine_is_a_miss(tmp_path, counting):
    _write_project(tmp_path)
    lint_tree(tmp_path, Cache(tmp_path / "cache", fingerprint="engine-a"))
    counting.clear()
    lint_tree(tmp_path, Cache(tmp_path / "cache", fingerprint="engine-b"))
    assert len(counting) == 4


def test_an_unwritable_cache_is_not_an_error(tmp_path):
    (tmp_path / "m.py").write_text(TF + "w = tf.get_variable('w', [1])\n" * 2)
    (tmp_path / "blocker").write_text("a file where the cache directory should be")
    env = {cache_mod.ENV_VAR: str(tmp_path / "blocker")}
    expected = run_cli(tmp_path, "--no-cache", "m.py")
    assert expected[0] == 1
    assert run_cli(tmp_path, "m.py", env=env) == expected


def test_store_is_atomic_and_skips_events(tmp_path):
    store = Cache(tmp_path / "c", fingerprint="x")
    result = sample_result()
    store.store("/abs/pkg/model.py", "pkg/model.py", "d1", "f1", Deps(), result)
    loaded = store.load(
        "/abs/pkg/model.py", "pkg/model.py", "d1", "f1", lambda *a: None, lambda p: ""
    )
    assert loaded == result
    assert (
        store.load("/abs/pkg/model.py", "pkg/model.py", "d2", "f1", lambda *a: None, lambda p: "")
        is None
    )
    assert (
        store.load("/abs/pkg/model.py", "other.py", "d1", "f1", lambda *a: None, lambda p: "")
        is None
    )
    assert not list((tmp_path / "c").rglob(".tmp-*"))


# -- memory --------------------------------------------------------------------------------------


def test_bounded_module_table_keeps_results(tmp_path, monkeypatch):
    """With room for a single parsed module, imports are parsed again: same results."""
    monkeypatch.chdir(ROOT)
    files = files_under(FIXTURES, ROOT)
    settings = settings_for(FIXTURES)
    expected = runner.lint(files, settings, cwd=ROOT)
    monkeypatch.setattr(runner, "PARSED_BUDGET", 1)
    assert runner.lint(files, settings, cwd=ROOT) == expected
    index = runner.RunIndex([ROOT / f for f in files], budget=1)
    for f in files[:20]:
        index.module((ROOT / f).resolve())
    assert len(index._parsed) == 1
