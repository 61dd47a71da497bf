"""TF 1.15's ``tf.contrib.training.HParams`` (``tf/hparams.py``).

HParams left TensorFlow with ``contrib``: what these tests expect is what TF 1.15's
``contrib/training/python/training/hparam.py`` does (``add_hparam`` records each value's type,
``set_hparam`` casts with ``_cast_to_type_if_compatible``, ``parse`` reads ``parse_values``'s
syntax), checked through the variables a model sizes from the hyperparameters.
"""

from __future__ import annotations

import textwrap

from scopelint.run.engine import check_bytes
from scopelint.types import EventKind


def created(code: str) -> list[tuple[str, tuple | None]]:
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True)
    return [(e.name, e.shape) for e in result.events if e.kind is EventKind.CREATE]


def test_values_known_after_construction_and_changes():
    assert created("""
        import tensorflow as tf
        hps = tf.contrib.training.HParams(hidden=8, layers=2, rate=0.1, bias=True, cell="lstm",
                                          widths=[3, 4])
        hps.parse("hidden=16, rate=1, bias=false, widths=[5, 6]")
        hps.add_hparam("embed", 4)
        hps.set_hparam("layers", 3)
        hps.override_from_dict({"embed": 6})
        with tf.variable_scope("m"):
            tf.get_variable("w", [hps.hidden, hps.embed])
            for i in range(hps.layers):
                tf.get_variable("l%d" % i, [hps.widths[1]])
            if hps.bias:
                tf.get_variable("b", [1])
            if hps.cell == "lstm" and hps.rate == 1.0:
                tf.get_variable("lstm", [1])
            else:
                tf.get_variable("gru", [1])
    """) == [("m/w", (16, 6)), ("m/l0", (6,)), ("m/l1", (6,)), ("m/l2", (6,)), ("m/lstm", (1,))]


def test_copies_and_direct_assignment():
    """``HParams(**hps.values())`` is a copy; ``hps.x = v`` changes only that object."""
    assert created("""
        import tensorflow as tf
        hps = tf.contrib.training.HParams(units=8)
        copy = tf.contrib.training.HParams(**hps.values())
        copy.units = 3
        tf.get_variable("a", [hps.units, copy.units])
        del copy.units
        tf.get_variable("b", [hps.get("units"), hps.get("missing", 2)])
    """) == [("a", (8, 3)), ("b", (8, 2))]


def test_casts_as_tf_does():
    """An int given to a float hparam becomes a float; a float given to an int one, or a str
    to a number, raises in TF and leaves the value as it was."""
    assert created("""
        import tensorflow as tf
        hps = tf.contrib.training.HParams(rate=0.5, units=4)
        hps.set_hparam("rate", 2)
        hps.set_hparam("units", 2.0)
        tf.get_variable("w_%s" % hps.rate, [hps.units])
    """) == [("w_2.0", (4,))]


def test_unknown_changes_leave_values_unknown():
    """A parse string, dict or name the analysis does not know may change any hparam: nothing is
    sized from them afterwards, rather than from a stale value."""
    for change in ('hps.parse(FLAGS.hparams)', 'hps.override_from_dict(FLAGS.overrides)',
                   'hps.set_hparam(FLAGS.name, 3)', 'hps.parse_json(FLAGS.json)'):
        assert created(f"""
            import tensorflow as tf
            from absl import flags
            FLAGS = flags.FLAGS
            hps = tf.contrib.training.HParams(units=8)
            {change}
            tf.get_variable("w", [hps.units])
        """) == [("w", None)], change
