"""Run restore programs under real TensorFlow (TF1 behaviour), in one process.

    python -m tests.tfrestore SPEC.json

SPEC is ``{"save": [{"program": P, "prefix": X, "v1": bool}, ...], "run": [{"program": P,
"prefix": X}, ...], "site": DIR}``; with ``site`` (the zoo's fetched packages) the programs
import public packages, run as the zoo runs them (``_public_packages``). A ``tolerant`` save
records a program TF cannot save instead of failing, and a run ``if_saved`` is skipped
(``{"program", "skipped": true}``) when its checkpoint was not written. ``save`` builds each program in a fresh graph and writes
``tf.train.Saver().save`` to X (in the V1 format when ``v1``), then lists it with TF's reader.
``run`` executes each program as ``__main__`` in a fresh graph, as it is written (it restores
with its own calls, from the checkpoint named by the environment variable ``RESTORE_CKPT``), and
records what TF did: nothing, or the error it raised (type, message, and the program's line);
and for each ``Saver.restore`` it runs, every key that fails (TF itself stops at the first).

Prints one JSON object: ``{"saved": [{"program", "prefix", "entries"}, ...], "runs":
[{"program", "error", "message", "line", "saver"}, ...]}``.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback

from .tfcheckpoint import _build, _tf
from .tfestimator import install as install_estimator


@contextlib.contextmanager
def _own_flags():
    """The flags a program's modules define are dropped after it (``run_pretraining`` and
    ``run_classifier`` define the same ones), as they would be in a process of its own."""
    from absl import flags

    before = set(flags.FLAGS)
    try:
        yield
    finally:
        for name in set(flags.FLAGS) - before:
            delattr(flags.FLAGS, name)


def _save(tf, program: str, prefix: str, v1: bool = False) -> dict:
    """The checkpoint written (a V1 one when asked), as TF's own reader lists it."""
    with _own_flags():
        graph = _build(tf, program)
    version = tf.train.SaverDef.V1 if v1 else tf.train.SaverDef.V2
    os.makedirs(os.path.dirname(prefix), exist_ok=True)  # V1 does not make it itself
    with graph.as_default(), tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver(write_version=version).save(sess, prefix)
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    entries = sorted([name, dtypes[name].name, list(shapes[name])] for name in shapes)
    return {"program": program, "prefix": prefix, "entries": entries}


def _saved(tf, item: dict) -> dict:
    """``_save``; for a ``tolerant`` item (a generated program), a program TF cannot build or
    save is recorded as such instead of stopping the run."""
    if not item.get("tolerant"):
        return _save(tf, item["program"], item["prefix"], item.get("v1", False))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return _save(tf, item["program"], item["prefix"])
    except (ValueError, TypeError, tf.errors.OpError) as error:
        return {"program": item["program"], "prefix": item["prefix"], "error": str(error)[:300]}


def _failing(tf, saver, prefix: str) -> list:
    """Every key of a Saver's restore that fails, and how: TF stops at the first, this lists
    them all (a key the checkpoint lacks, or another shape or dtype there)."""
    from tensorflow.python.ops import variables
    from tensorflow.python.training.saving import saveable_object_util

    var_list = saver._var_list
    if var_list is None:
        var_list = variables._all_saveable_objects()
    reader = tf.train.load_checkpoint(prefix)
    shapes, dtypes = reader.get_variable_to_shape_map(), reader.get_variable_to_dtype_map()
    out = []
    if not isinstance(var_list, dict):
        var_list = saveable_object_util.op_list_to_dict(var_list)
    for key, var in var_list.items():
        if key not in shapes:
            out.append([key, "missing"])
        elif var.get_shape().as_list() != shapes[key]:
            out.append([key, "shape"])
        elif var.dtype.base_dtype != dtypes[key]:
            out.append([key, "dtype"])
    return sorted(out)


def _run(tf, program: str, prefix: str) -> dict:
    os.environ["RESTORE_CKPT"] = prefix
    restores: list = []
    original = tf.train.Saver.restore

    def restore(saver, sess, save_path):
        restores.append(_failing(tf, saver, prefix))
        return original(saver, sess, save_path)

    tf.train.Saver.restore = restore
    out = {"program": program, "error": None, "message": None, "line": None, "saver": restores}
    try:
        with contextlib.redirect_stdout(sys.stderr), _own_flags():  # prints are not the report
            _build(tf, program)
    except (ValueError, TypeError, AssertionError, tf.errors.OpError) as error:
        lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == program]
        # An op's error carries the stacks where its nodes were made: only TF's own words.
        words = "\n".join(line for line in str(error).splitlines() if not line.startswith(" "))
        out.update(error=type(error).__name__, message=words[:2000],
                   line=lines[-1] if lines else None)
    finally:
        tf.train.Saver.restore = original
    return out


def _public_packages(site: str) -> None:
    """Programs of public TF1 packages (the zoo's): the fetched packages' directory first on
    ``sys.path``, TF made to look like TF 1.15 as the zoo does it, and the
    ``TPUEstimatorSpec`` that fine-tuning code returns (the model's graph is built by then)."""
    import collections

    from .zoo import stubs, tfshim

    sys.path.insert(0, os.path.abspath(site))
    tfshim.install()
    stubs.install()
    import tensorflow

    spec = collections.namedtuple("TPUEstimatorSpec", "mode loss train_op scaffold_fn")
    spec.__new__.__defaults__ = (None, None, None)
    tensorflow.estimator.tpu.TPUEstimatorSpec = spec


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as handle:
        spec = json.load(handle)
    tf = _tf()
    if spec.get("site"):
        _public_packages(spec["site"])
    install_estimator(tf)
    saved = [_saved(tf, item) for item in spec.get("save", ())]
    runs = [
        {"program": item["program"], "skipped": True}
        if item.get("if_saved") and not os.path.exists(item["prefix"] + ".index")
        else _run(tf, item["program"], item["prefix"])
        for item in spec.get("run", ())
    ]
    json.dump({"saved": saved, "runs": runs}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
