"""Save and restore checkpoints under real TensorFlow (TF1 behaviour), in one process.

    python -m tests.tfcheckpoint SPEC.json

SPEC is ``{"save": [{"program": P, "prefix": X}, ...], "restore": [{"program": P, "prefix": X},
...]}``. Each program runs as ``__main__`` in a fresh ``tf.Graph``, with TF1 variables
(``tf.disable_v2_behavior()``, as every TF 1.x user had: a shape mismatch raises at restore
only with those).

- ``save``: the graph's variables are initialised and ``tf.train.Saver().save(sess, X)``
  writes the checkpoint; TF's own reader then lists it (name, dtype, shape per tensor).
- ``restore``: ``tf.train.Saver().restore(sess, X)`` once for the whole graph (its error type
  and the key TF names), and once per variable (``Saver({op_name: v})``): the outcome of each,
  so that every variable that would fail is known, not only the first one TF reports.

Prints one JSON object: ``{"saved": [...], "restored": [...], "dtypes": {enum: name}}``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings

_KEY = re.compile(r"Key (\S+) not found in checkpoint")


def _tf():
    if os.environ.get("SCOPELINT_TEST_WITHOUT_TF"):
        raise RuntimeError("TensorFlow imported by a test not marked `tensorflow`")
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    warnings.filterwarnings("ignore")
    import tensorflow.compat.v1 as tf
    from absl import logging as absl_logging

    absl_logging.set_verbosity(absl_logging.ERROR)
    tf.get_logger().setLevel("ERROR")
    tf.disable_v2_behavior()
    return tf


def _build(tf, program: str):
    graph = tf.Graph()
    with graph.as_default():
        with open(program, encoding="utf-8") as handle:
            code = compile(handle.read(), program, "exec")
        exec(code, {"__name__": "__main__", "__file__": program})
    return graph


def _save(tf, program: str, prefix: str) -> dict:
    graph = _build(tf, program)
    with graph.as_default(), tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, prefix)
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    entries = sorted([name, dtypes[name].name, list(shapes[name])] for name in shapes)
    return {"program": program, "prefix": prefix, "entries": entries}


def _outcome(error: Exception | None) -> dict:
    if error is None:
        return {"type": None, "key": None}
    match = _KEY.search(str(error))
    return {"type": type(error).__name__, "key": match.group(1) if match else None}


def _restore(tf, program: str, prefix: str) -> dict:
    graph = _build(tf, program)
    with graph.as_default(), tf.Session(graph=graph) as sess:
        variables = tf.global_variables()
        try:
            tf.train.Saver().restore(sess, prefix)
            whole = None
        except (tf.errors.NotFoundError, tf.errors.InvalidArgumentError) as error:
            whole = error
        each = []
        for variable in variables:
            name = variable.op.name
            try:
                tf.train.Saver({name: variable}).restore(sess, prefix)
                error = None
            except (tf.errors.NotFoundError, tf.errors.InvalidArgumentError) as caught:
                error = caught
            each.append({"name": name, **_outcome(error)})
    return {"program": program, "prefix": prefix, "whole": _outcome(whole), "variables": each}


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as handle:
        spec = json.load(handle)
    tf = _tf()
    out = {
        "saved": [_save(tf, s["program"], s["prefix"]) for s in spec.get("save", ())],
        "restored": [_restore(tf, r["program"], r["prefix"]) for r in spec.get("restore", ())],
        "dtypes": {str(n): tf.as_dtype(n).name for n in spec.get("dtypes", ())},
    }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
