"""`scopelint checkpoint` against TensorFlow itself.

TensorFlow (one child process, ``tests/tfcheckpoint.py``) saves checkpoints of the base programs
below into a temporary directory, then restores them into the changed programs, the whole graph
at once and variable by variable. The tests require that:

- the checkpoint reader lists exactly what TF's own reader lists (names, dtypes, shapes);
- scopelint's restore errors are exactly the variables whose restore TF refuses: SL200 for a
  `NotFoundError` (that key), SL201 for an `InvalidArgumentError` (shape or dtype), and none
  for a program that restores cleanly;
- a damaged, truncated or missing checkpoint is refused with SL901 and exit 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scopelint.checkpoint import reader as ckpt
from scopelint.checkpoint.restore import closest, compare, is_optimizer_state, variables_by_graph
from scopelint.run.cli import main
from scopelint.run.engine import check_bytes

pytestmark = pytest.mark.tensorflow

ROOT = Path(__file__).resolve().parent.parent
HEADER = "import tensorflow.compat.v1 as tf\n\n"

# Base programs: TF saves a checkpoint of each.
BASES = {
    "base": """
        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("model"):
            with tf.variable_scope("encoder"):
                h = tf.layers.dense(x, 16, name="fc")
            h = tf.layers.dense(h, 16)
            h = tf.layers.dense(h, 4)
            w = tf.get_variable("w", [4, 3])
            steps = tf.Variable(tf.zeros([2], tf.int64), name="steps", trainable=False)
    """,
    "train": """
        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("rnn_model"):
            h = tf.layers.dense(x, 16, name="fully_connected")
            logits = tf.layers.dense(h, 3)
        loss = tf.reduce_mean(logits)
        step = tf.train.get_or_create_global_step()
        train_op = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    """,
    "towers": """
        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("tower_0"):
            h = tf.layers.dense(x, 8)
        v1 = tf.Variable(tf.zeros([3]), name="v1")
    """,
    "dtypes": """
        a = tf.get_variable("a/half", [2, 2], dtype=tf.float16)
        b = tf.get_variable("a/double", [], dtype=tf.float64)
        c = tf.Variable([True, False], name="b/flag")
        d = tf.Variable(tf.zeros([4, 1, 2], tf.int64), name="b/count")
        e = tf.Variable(["x", "yz"], name="c/text")
        f = tf.get_variable("c/int8", [3], dtype=tf.int8)
        g = tf.get_variable("part", [10, 3], partitioner=tf.fixed_size_partitioner(2))
    """,
    # Enough variables for several index blocks and restart points, names sharing prefixes.
    "many": "\n".join(
        f'v{i} = tf.get_variable("layer_{i // 10}/unit_{i % 10}/w", [{i % 7 + 1}, {i % 5 + 1}])'
        for i in range(300)
    ),
}

# Changed programs, each restored from a base's checkpoint.
PROBES = {
    "same": ("base", BASES["base"]),
    "scope_removed": ("base", BASES["base"].replace(
        'with tf.variable_scope("encoder"):\n                h =', 'if True:\n                h =')),
    "scope_added": ("base", BASES["base"].replace(
        'with tf.variable_scope("model"):', 'with tf.variable_scope("net"), '
        'tf.variable_scope("model"):')),
    "layer_renamed": ("base", BASES["base"].replace('name="fc"', 'name="fc1"')),
    "renumbered": ("base", BASES["base"].replace(
        "h = tf.layers.dense(h, 16)",
        "h = tf.layers.dense(h, 16)\n            h = tf.layers.dense(h, 16)")),
    "width_changed": ("base", BASES["base"].replace("tf.layers.dense(h, 4)", "tf.layers.dense(h, 5)")),
    "dtype_changed": ("base", BASES["base"].replace('[4, 3])', '[4, 3], dtype=tf.float64)')),
    "get_variable_renamed": ("base", BASES["base"].replace('"w", [4, 3]', '"weights", [4, 3]')),
    "inference": ("train", """
        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("rnn_model"):
            h = tf.layers.dense(x, 16, name="fully_connected")
            logits = tf.layers.dense(h, 3)
    """),
    "inference_no_scope": ("train", """
        x = tf.placeholder(tf.float32, [None, 8])
        h = tf.layers.dense(x, 16, name="fully_connected")
        logits = tf.layers.dense(h, 3)
    """),
    "train_again": ("train", BASES["train"]),
    "tower_renumbered": ("towers", BASES["towers"].replace('"tower_0"', '"tower_1"')),
    "variable_duplicated": ("towers", BASES["towers"] + """
        def counter():
            return tf.Variable(tf.zeros([3]), name="v1")
        c = counter()
    """),
    "eval_under_top_scope": ("towers", """
        x = tf.placeholder(tf.float32, [None, 8])
        with tf.variable_scope("eval"):
            with tf.variable_scope("tower_0"):
                h = tf.layers.dense(x, 8)
            v1 = tf.Variable(tf.zeros([3]), name="v1")
    """),
    # Without the partitioned variable, which scopelint does not predict (restoring without it
    # is fine: its entry is simply not used).
    "dtypes_again": ("dtypes", BASES["dtypes"].replace("[4, 1, 2]", "[4, 2, 1]").split(
        "        g = tf.get_variable(\"part\"")[0]),
    "many_again": ("many", BASES["many"]),
}

# Variables whose shape the simulation does not predict (a tf.Variable from a Python list).
UNPREDICTED = {"b/flag", "c/text"}

# What scopelint must hint for a missing key: probe -> {key: (hinted key, words of the cause)}.
HINTS = {
    "scope_removed": {"model/fc/kernel": ("model/encoder/fc/kernel", "no longer opens")},
    "scope_added": {"net/model/w": ("model/w", "added since")},
    "layer_renamed": {"model/encoder/fc1/bias": ("model/encoder/fc/bias", "renamed")},
    "tower_renumbered": {"tower_1/dense/kernel": ("tower_0/dense/kernel", "numbering")},
    "variable_duplicated": {"v1_1": ("v1", "numbering")},
    "eval_under_top_scope": {"eval/v1": ("v1", "added since")},
    "inference_no_scope": {"fully_connected/kernel": ("rnn_model/fully_connected/kernel", "")},
}


def _write(path: Path, body: str) -> Path:
    path.write_text(HEADER + textwrap.dedent(body).strip() + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """Every program written, every base saved and every probe restored, in one TF process."""
    root = tmp_path_factory.mktemp("checkpoints")
    programs = {name: _write(root / f"{name}.py", body) for name, body in BASES.items()}
    prefixes = {name: str(root / name / "model.ckpt") for name in BASES}
    probes = {name: _write(root / f"probe_{name}.py", body) for name, (_, body) in PROBES.items()}
    spec = {
        "save": [{"program": str(programs[n]), "prefix": prefixes[n]} for n in BASES],
        "restore": [
            {"program": str(probes[n]), "prefix": prefixes[base]}
            for n, (base, _) in PROBES.items()
        ],
        "dtypes": sorted(ckpt.DTYPES),
    }
    spec_path = root / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.tfcheckpoint", str(spec_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    truth = json.loads(proc.stdout)
    return {
        "root": root,
        "prefixes": prefixes,
        "programs": programs,
        "probes": probes,
        "saved": {Path(s["program"]).stem: s for s in truth["saved"]},
        "restored": {Path(r["program"]).stem[len("probe_"):]: r for r in truth["restored"]},
        "dtypes": truth["dtypes"],
    }


def _lint(path: Path):
    return check_bytes(path.read_bytes(), str(path), with_events=True)


# -- the reader ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BASES))
def test_reader_round_trips_what_tf_wrote(world, name):
    saved = world["saved"][name]
    ours = ckpt.load(world["prefixes"][name])
    listed = sorted([e.name, e.dtype, list(e.shape)] for e in ours.entries)
    assert listed == saved["entries"]
    assert len(listed) >= 1


def test_reader_resolves_a_directory_and_an_index_path(world):
    prefix = world["prefixes"]["base"]
    directory = str(Path(prefix).parent)
    assert ckpt.resolve(directory) == prefix
    assert ckpt.resolve(prefix + ".index") == prefix
    assert ckpt.resolve(prefix) == prefix


def test_many_variables_span_several_blocks(world):
    data = Path(world["prefixes"]["many"] + ".index").read_bytes()
    assert len(data) > 2 * 4096  # TF's table blocks hold about 4 KiB: several were read
    assert len(ckpt.load(world["prefixes"]["many"]).entries) == 300


def test_sliced_variable_is_listed_once(world):
    entries = ckpt.load(world["prefixes"]["dtypes"]).by_name()
    assert entries["part"].sliced and entries["part"].shape == (10, 3)
    assert not entries["a/half"].sliced


def test_dtype_table_matches_tensorflow(world):
    assert world["dtypes"] == {str(n): name for n, name in ckpt.DTYPES.items()}


# -- restore predictions ---------------------------------------------------------------------------


def _tf_failures(restored: dict) -> set[tuple[str, str]]:
    kinds = {"NotFoundError": "SL200", "InvalidArgumentError": "SL201"}
    return {(kinds[v["type"]], v["name"]) for v in restored["variables"] if v["type"] is not None}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_restore_errors_are_exactly_tensorflows(world, probe):
    base = PROBES[probe][0]
    restored = world["restored"][probe]
    result = _lint(world["probes"][probe])
    checkpoint = ckpt.load(world["prefixes"][base])
    comparison = compare(result, checkpoint)
    ours = {(d.code, d.subject) for d in comparison.diagnostics if d.code in ("SL200", "SL201")}
    assert ours == _tf_failures(restored), [d.message for d in comparison.diagnostics]
    # The comparison was not vacuous: every variable TF made was predicted, name and shape.
    predicted = {v.actual for vs in variables_by_graph(result).values() for v in vs}
    assert predicted == {v["name"] for v in restored["variables"]}
    # Only optimizer slots, whose shape the simulation leaves open, went uncompared.
    unknown = [v for vs in variables_by_graph(result).values() for v in vs
               if v.shape is None or None in v.shape]
    assert all(is_optimizer_state(v.actual) or v.actual in UNPREDICTED for v in unknown), unknown
    assert sum(note.unknown for note in comparison.notes) == len(unknown)
    whole = restored["whole"]
    if whole["type"] is None:
        assert not ours
    elif whole["type"] == "NotFoundError":
        assert ("SL200", whole["key"]) in ours  # the key TF names is among those reported
    else:
        assert any(code == "SL201" for code, _ in ours)


def test_the_probes_cover_both_outcomes(world):
    outcomes = {probe: bool(_tf_failures(world["restored"][probe])) for probe in PROBES}
    assert not outcomes["same"] and not outcomes["inference"] and not outcomes["train_again"]
    assert sum(outcomes.values()) >= 10
    kinds = {code for probe in PROBES for code, _ in _tf_failures(world["restored"][probe])}
    assert kinds == {"SL200", "SL201"}


@pytest.mark.parametrize("probe", sorted(HINTS))
def test_missing_key_hints(world, probe):
    result = _lint(world["probes"][probe])
    comparison = compare(result, ckpt.load(world["prefixes"][PROBES[probe][0]]))
    messages = {d.subject: d.message for d in comparison.diagnostics if d.code == "SL200"}
    for key, (hint, cause) in HINTS[probe].items():
        assert f"the checkpoint has `{hint}`" in messages[key], messages[key]
        assert cause in messages[key]


def test_optimizer_slots_are_not_reported_for_inference(world):
    result = _lint(world["probes"]["inference"])
    comparison = compare(result, ckpt.load(world["prefixes"]["train"]))
    assert comparison.diagnostics == ()
    renamed = compare(_lint(world["probes"]["inference_no_scope"]),
                      ckpt.load(world["prefixes"]["train"]))
    unused = [d for d in renamed.diagnostics if d.code == "SL202"]
    assert len(unused) == 1
    assert "4 checkpoint entries" in unused[0].message  # the renamed layers, one line
    assert "optimizer slot" in unused[0].message


def test_unknown_variables_are_counted_not_compared(tmp_path, world):
    program = _write(tmp_path / "unknown.py", """
        import numpy as np
        width = int(np.random.randint(1, 9))
        x = tf.placeholder(tf.float32, [None, width])
        h = tf.layers.dense(x, 16)
        w = tf.get_variable("w_new", [2])
    """)
    comparison = compare(_lint(program), ckpt.load(world["prefixes"]["base"]))
    codes = sorted((d.code, d.subject) for d in comparison.diagnostics)
    # dense's kernel has an unknown shape (its input's width is random): not compared
    assert codes == [("SL200", "dense/bias"), ("SL200", "w_new")]
    (note,) = comparison.notes
    assert note.unknown == 1 and note.variables == 3


def test_closest_prefers_a_key_no_variable_restores():
    entries = (ckpt.TensorEntry("dense/kernel", "float32", (2, 2)),
               ckpt.TensorEntry("dense_1/kernel", "float32", (2, 2)))
    assert closest("dense_2/kernel", (2, 2), entries, {"dense/kernel"})[0] == "dense_1/kernel"
    assert closest("x/y/z", (2,), entries) is None


# -- the command -----------------------------------------------------------------------------------


def _cli(monkeypatch, capsys, cwd: Path, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    code = main(["checkpoint", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_reports_and_exits_1(world, monkeypatch, capsys):
    probe = world["probes"]["width_changed"]
    code, out, _ = _cli(monkeypatch, capsys, probe.parent, str(Path(world["prefixes"]["base"]).parent),
                        probe.name, "--output-format", "concise")
    assert code == 1
    assert "SL201 restore will fail: `model/dense_1/kernel` has shape (16, 5) here but (16, 4)" in out


def test_command_clean_exits_0(world, monkeypatch, capsys):
    probe = world["probes"]["same"]
    code, out, _ = _cli(monkeypatch, capsys, probe.parent, world["prefixes"]["base"], probe.name)
    assert (code, out) == (0, "All checks passed!\n")


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "json-lines", "github", "sarif",
                                 "gitlab", "junit"])
def test_every_format_renders_restore_findings(world, monkeypatch, capsys, fmt):
    probe = world["probes"]["scope_removed"]
    code, out, err = _cli(monkeypatch, capsys, probe.parent, world["prefixes"]["base"],
                          probe.name, "--output-format", fmt)
    assert code == 1, err
    assert "SL200" in out and "model/fc/kernel" in out


def test_noqa_suppresses_a_restore_finding(world, monkeypatch, capsys, tmp_path):
    body = BASES["base"].replace('"w", [4, 3])', '"w2", [4, 3])  # noqa: SL200')
    program = _write(tmp_path / "noqa.py", body)
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, world["prefixes"]["base"], program.name,
                        "--output-format", "concise")
    assert code == 1
    assert "SL200" not in out
    assert "SL202" in out and "`model/w`" in out  # the entry it no longer restores


def test_command_needs_a_checkpoint_and_a_path(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["checkpoint", "ckpt"])
    assert exit_info.value.code == 2
    assert "expected a checkpoint" in capsys.readouterr().err


# -- refusals: never a traceback -------------------------------------------------------------------


def _refused(monkeypatch, capsys, cwd: Path, spec: str, program: Path) -> str:
    code, out, err = _cli(monkeypatch, capsys, cwd, spec, str(program), "--output-format",
                          "concise")
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert "SL901" in out
    return out


def test_truncated_index_at_every_length(world):
    data = Path(world["prefixes"]["base"] + ".index").read_bytes()
    for length in range(len(data)):
        with pytest.raises(ckpt.CheckpointError):
            ckpt.parse_index(data[:length])


def test_every_single_byte_damage_is_refused_or_harmless(world):
    data = Path(world["prefixes"]["dtypes"] + ".index").read_bytes()
    expected = ckpt.parse_index(data)
    refused = 0
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0x41
        try:
            entries = ckpt.parse_index(bytes(damaged))
        except ckpt.CheckpointError:
            refused += 1
            continue
        # Only the footer's padding carries no information (and no checksum covers it).
        assert entries == expected, i
    assert refused >= len(data) - ckpt.FOOTER_SIZE


def test_garbage_is_refused():
    for data in (b"", b"\x00" * 100, os.urandom(5000), b"x" * 40 + ckpt.TABLE_MAGIC.to_bytes(8, "little")):
        with pytest.raises(ckpt.CheckpointError):
            ckpt.parse_index(data)


def test_command_refuses_unreadable_checkpoints(world, monkeypatch, capsys, tmp_path):
    program = world["probes"]["same"]
    good = Path(world["prefixes"]["base"] + ".index").read_bytes()
    (tmp_path / "cut.index").write_bytes(good[: len(good) // 2])
    out = _refused(monkeypatch, capsys, tmp_path, "cut", program)
    assert "cut.index" in out
    (tmp_path / "empty").mkdir()
    assert "without a `checkpoint` file" in _refused(monkeypatch, capsys, tmp_path, "empty", program)
    (tmp_path / "stale").mkdir()
    (tmp_path / "stale" / "checkpoint").write_text('model_checkpoint_path: "gone.ckpt-7"\n')
    assert "gone.ckpt-7" in _refused(monkeypatch, capsys, tmp_path, "stale", program)
    (tmp_path / "v1.ckpt").write_bytes(b"\x00" * 64)
    assert "neither a V2 checkpoint" in _refused(monkeypatch, capsys, tmp_path, "v1.ckpt", program)
    assert "no checkpoint at" in _refused(monkeypatch, capsys, tmp_path, "nothing", program)
    code, out, _ = _cli(monkeypatch, capsys, tmp_path, "nothing", str(program), "--output-format",
                        "json")
    assert code == 2 and json.loads(out)[0]["code"] == "SL901"


def test_state_file_relative_and_escaped_paths(tmp_path, world):
    prefix = Path(world["prefixes"]["base"])
    target = tmp_path / 'we"ird'
    target.mkdir()
    for suffix in (".index", ".data-00000-of-00001"):
        (target / ("model.ckpt" + suffix)).write_bytes((prefix.parent / (prefix.name + suffix)).read_bytes())
    (target / "checkpoint").write_text(
        'model_checkpoint_path: "model.ckpt"\nall_model_checkpoint_paths: "model.ckpt"\n'
    )
    assert ckpt.resolve(target) == str(target / "model.ckpt")
    (tmp_path / "checkpoint").write_text('model_checkpoint_path: "we\\"ird/model.ckpt"\n')
    assert ckpt.resolve(tmp_path) == str(tmp_path / 'we"ird' / "model.ckpt")
    assert len(ckpt.load(tmp_path).entries) == len(ckpt.load(prefix).entries)
