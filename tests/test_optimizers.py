"""Optimizer state on small programs: what is left open when a gradient or a name is not known,
and what the optimizer objects answer. What TF itself makes is checked by the fixtures under
``fixtures/optimizers`` (test_fixtures.py)."""

from __future__ import annotations

import textwrap

from scopelint.run.engine import check_bytes
from scopelint.types import EventKind

HEAD = """
import os
import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 3])
with tf.variable_scope("m"):
    w = tf.get_variable("w", [3, 2])
    b = tf.get_variable("b", [2])
loss = tf.reduce_sum(tf.matmul(x, w) + b)
unknown = getattr(tf, os.environ["OP"])
"""


def lint(body: str):
    code = HEAD + textwrap.dedent(body)
    result = check_bytes(code.encode(), "t.py", with_events=True)
    found = [(d.span.start.row - HEAD.count("\n"), d.code) for d in result.diagnostics]
    made = {
        e.actual: e for e in result.events
        if e.kind is not EventKind.REUSE and e.error is None and e.actual is not None
    }
    return found, made


def test_slots_of_unknown_gradients_are_left_open():
    """A gradient that went through unknown code may be None: no slot is claimed for it, a later
    lookup of that name is not reported, and a later optimizer's numbering is not claimed."""
    found, made = lint("""
        grads = [unknown(g) for g in tf.gradients(loss, [w])]
        tf.train.AdamOptimizer().apply_gradients(list(zip(grads, [w])))
        second = tf.train.AdamOptimizer().minimize(loss, var_list=[w, b])
        with tf.variable_scope("m/w/Adam", reuse=True):
            tf.get_variable("", [3, 2])
    """)
    assert found == []
    assert not any(name.startswith("m/w/Adam") for name in made)
    assert "beta1_power" not in made  # TF may raise instead (all gradients may be None)
    # The second optimizer's slots of w may be Adam or Adam_2: not claimed; those of b are.
    assert {"m/b/Adam", "m/b/Adam_1"} <= set(made)
    assert "beta1_power_1" not in made  # the first one's name was only maybe taken


def test_only_variables_with_a_gradient_get_slots():
    found, made = lint("""
        with tf.variable_scope("unused"):
            u = tf.get_variable("u", [4])
        params = tf.trainable_variables()
        grads, norm = tf.clip_by_global_norm(tf.gradients(loss, params), 1.0)
        tf.train.MomentumOptimizer(0.1, 0.9).apply_gradients(zip(grads, params))
    """)
    assert found == []
    assert {"m/w/Momentum", "m/b/Momentum"} <= set(made)
    assert "unused/u/Momentum" not in made


def test_gradients_stopped_at_given_tensors_are_not_followed():
    _, made = lint("""
        grads = tf.gradients(loss, [w, b], stop_gradients=[b])
        tf.train.AdagradOptimizer(0.1).apply_gradients(list(zip(grads, [w, b])))
    """)
    assert not any("Adagrad" in name for name in made)


def test_one_set_of_slots_per_optimizer_and_variable():
    found, made = lint("""
        opt = tf.train.AdagradOptimizer(0.1)
        opt.minimize(loss)
        opt.minimize(loss, var_list=[w])
        with tf.variable_scope("m/w/Adagrad_1", reuse=True):
            tf.get_variable("", [3, 2])  # no such slot: TF raises
    """)
    assert "m/w/Adagrad_1" not in made
    assert found == [(6, "SL002")]


def test_moving_average_and_slot_lookups_answer_the_shadow():
    """`average(var)` and `get_slot(var, name)` are the slot variables, with their shapes."""
    found, made = lint("""
        ema = tf.train.ExponentialMovingAverage(0.9)
        ema.apply([w])
        opt = tf.train.AdamOptimizer()
        opt.minimize(loss)
        shadow = tf.get_variable("copy", ema.average(w).shape)
        second = tf.get_variable("moment", opt.get_slot(b, "v").shape)
        missing = tf.get_variable("none", [1] if ema.average(b) is None else [2])
    """)
    assert made["copy"].shape == (3, 2)
    assert made["moment"].shape == (2,)
    assert made["none"].shape == (1,)


def test_an_optimizer_name_not_known_claims_nothing():
    found, made = lint("""
        tf.train.AdamOptimizer(name=os.environ["NAME"]).minimize(loss)
        tf.train.RMSPropOptimizer(0.1, centered=os.environ.get("C") == "1").minimize(loss)
    """)
    assert found == []
    assert not any(name.startswith("m/w/") for name in made)
    # The twin: with the names known, the slots are claimed.
    found, made = lint("""
        tf.train.AdamOptimizer(name="Known").minimize(loss)
        tf.train.RMSPropOptimizer(0.1, centered=True).minimize(loss)
    """)
    assert found == []
    assert {"m/w/Known", "m/w/Known_1", "m/w/RMSProp", "m/w/RMSProp_1", "m/w/RMSProp_2"} <= set(made)


def test_contrib_lazy_adam_is_an_adam():
    """TF 1's contrib.opt.LazyAdamOptimizer subclasses AdamOptimizer and only changes sparse
    updates (the zoo's t2t models build it under TF through a stand-in of TF 1.15's class)."""
    _, made = lint("""
        tf.contrib.opt.LazyAdamOptimizer(0.1).minimize(loss)
    """)
    assert {"beta1_power", "m/w/Adam", "m/w/Adam_1", "m/b/Adam", "m/b/Adam_1"} <= set(made)


def test_moving_average_stops_at_an_integer_variable():
    """TF averages floats only: it raises a TypeError at the global step, after averaging the
    variables before it (checked against TF by hand: `m/w/ExponentialMovingAverage` only)."""
    _, made = lint("""
        step = tf.train.get_or_create_global_step()
        tf.train.ExponentialMovingAverage(0.9).apply([w, step, b])
    """)
    assert "m/w/ExponentialMovingAverage" in made
    assert not {"global_step/ExponentialMovingAverage", "m/b/ExponentialMovingAverage"} & set(made)


def test_a_tensors_moving_average_leaves_open_only_the_names_it_can_take():
    """The shadow of a tensor is `<op name>/avg[_n]` (slot_creator's default-named scope), the
    op name not followed: a later op, scope or variable that may have that form is not named
    (TF: `loss/avg_1`, `loss/avg_1/b`); others are, and a lookup under reuse is still checked."""
    found, made = lint("""
        named = tf.identity(loss, name="loss")
        tf.train.ExponentialMovingAverage(0.9, name="avg").apply([named])
        with tf.variable_scope("m", reuse=True):
            tf.get_variable("missing", [2])
        tf.Variable(0.0, name="avg")
        with tf.variable_scope(None, default_name="head"):
            tf.get_variable("c", [2])
        tf.Variable(0.0, name="loss/avg")
        with tf.variable_scope(None, default_name="loss/avg"):
            tf.get_variable("b", [2])
    """)
    assert found == [(5, "SL002")]
    assert {"avg_1", "head/c"} <= set(made)
    assert not any(name.startswith("loss/avg") for name in made)


def test_a_moving_average_with_zero_debiasing_leaves_its_scope_open():
    """Zero debiasing makes `biased` and `local_step` under a scope named after the tensor's
    shadow (`<scope>/<shadow>/biased`): no lookup in that scope is claimed missing."""
    found, _ = lint("""
        ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True, name="avg")
        ema.apply([loss])
        with tf.variable_scope("m", reuse=True):
            tf.get_variable("missing", [2])
    """)
    assert found == []
