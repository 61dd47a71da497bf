"""The simulator on small programs: TF name resolution, scopes, paths, calls, modules.

These pin behaviour the TF-verified fixtures do not reach cheaply (every import spelling, unknown
values staying silent). What TF itself does is checked in test_fixtures.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scopelint.resolve.project import ProjectIndex
from scopelint.run.engine import check_bytes


def lint(code: str, **kwargs):
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True, **kwargs)
    return [(d.span.start.row, d.code) for d in result.diagnostics], result


DUPLICATE_BODY = """
with {vs}("s"):
    a = {gv}("w", [1])
    b = {gv}("w", [1])
"""


@pytest.mark.parametrize(
    "header, vs, gv",
    [
        ("import tensorflow as tf", "tf.variable_scope", "tf.get_variable"),
        ("import tensorflow.compat.v1 as tf", "tf.variable_scope", "tf.get_variable"),
        ("from tensorflow.compat import v1 as tf", "tf.variable_scope", "tf.get_variable"),
        ("import tensorflow as tf", "tf.compat.v1.variable_scope", "tf.compat.v1.get_variable"),
        ("from tensorflow import variable_scope, get_variable", "variable_scope", "get_variable"),
        ("from tensorflow.python.ops import variable_scope as vs", "vs.variable_scope", "vs.get_variable"),
        ("import tensorflow as tf\nvs = tf.variable_scope\ngv = tf.get_variable", "vs", "gv"),
        ("import tensorflow\n", "tensorflow.variable_scope", "tensorflow.get_variable"),
    ],
)
def test_tf_names_resolve_however_imported(header, vs, gv):
    code = header + DUPLICATE_BODY.format(vs=vs, gv=gv)
    found, _ = lint(code)
    line = code.splitlines().index(f'    b = {gv}("w", [1])') + 1
    assert found == [(line, "SL001")]


def test_file_without_tf_import_is_not_simulated():
    result = check_bytes(b"def f():\n    get_variable('w')\n    get_variable('w')\n", "t.py")
    assert not result.analysed and not result.diagnostics


def test_unknown_names_are_silent():
    found, _ = lint("""
        import tensorflow as tf
        def build(name):
            with tf.variable_scope(name):
                return tf.get_variable("w", [1])
        build(some_config.name)
        build(some_config.name)
    """)
    assert found == []
    # The twin: the same program with a name the analysis knows is a duplicate.
    found, _ = lint("""
        import tensorflow as tf
        def build(name):
            with tf.variable_scope(name):
                return tf.get_variable("w", [1])
        build("known")
        build("known")
    """)
    assert found == [(5, "SL001")]


def test_branches_only_report_duplicates_on_one_path():
    found, _ = lint("""
        import sys
        import tensorflow as tf
        if len(sys.argv) > 1:
            w = tf.get_variable("w", [1])
        else:
            w = tf.get_variable("w", [1])
        if len(sys.argv) > 2:
            v = tf.get_variable("v", [1])
            v2 = tf.get_variable("v", [1])
    """)
    assert found == [(10, "SL001")]


def test_known_conditions_and_loops_are_followed():
    found, result = lint("""
        import tensorflow as tf
        for i in range(3):
            with tf.variable_scope("layer", reuse=(i > 0)):
                w = tf.get_variable("w", [1])
        for i in range(2):
            with tf.variable_scope(f"block_{i}"):
                tf.get_variable("w", [1])
        for name in ["a", "b", "a"]:
            tf.get_variable(name, [1])
    """)
    assert found == [(10, "SL001")]
    names = [e.name for e in result.events if e.kind.value == "create" and e.error is None]
    assert names == ["layer/w", "block_0/w", "block_1/w", "a", "b"]


def test_try_that_catches_value_error_is_expected_to_raise():
    found, _ = lint("""
        import tensorflow as tf
        w = tf.get_variable("w", [1])
        try:
            w = tf.get_variable("w", [1])
        except ValueError:
            tf.get_variable_scope().reuse_variables()
            w = tf.get_variable("w", [1])
    """)
    assert found == []
    # The twin: without the try, the second get_variable is the duplicate TF raises on.
    found, _ = lint("""
        import tensorflow as tf
        w = tf.get_variable("w", [1])
        w = tf.get_variable("w", [1])
    """)
    assert found == [(4, "SL001")]


def test_a_handler_that_reraises_does_not_expect_the_error():
    """Only the handler Python runs for a ValueError (the first that matches) decides, and only
    one that may finish without raising swallows it; `raise`, `raise e` and `raise X from e` on
    every path let the program fail where TF raised."""
    template = """
        import tensorflow as tf
        class BuildError(Exception):
            pass
        w = tf.get_variable("w", [1])
        try:
            w = tf.get_variable("w", [1])
        {handlers}
    """
    reraise = {
        "except ValueError:\n    raise": [(7, "SL001")],
        "except ValueError as e:\n    print(e)\n    raise e": [(7, "SL001")],
        "except ValueError as e:\n    raise BuildError('twice') from e": [(7, "SL001")],
        "except (KeyError, ValueError):\n    raise\nexcept Exception:\n    pass": [(7, "SL001")],
        "except KeyError:\n    pass\nexcept Exception:\n    raise": [(7, "SL001")],
        "except ValueError as e:\n    if 'exists' in str(e):\n        raise\n    else:\n        raise BuildError() from e": [(7, "SL001")],
        # It may finish: the author handles the error.
        "except ValueError as e:\n    if 'exists' in str(e):\n        print(e)\n    else:\n        raise": [],
        "except ValueError:\n    for i in range(2):\n        break\n    raise": [],
        "except ValueError:\n    pass\nexcept Exception:\n    raise": [],
        "except:\n    w = None": [],
        "except KeyError:\n    raise": [(7, "SL001")],
    }
    for handlers, expected in reraise.items():
        indented = handlers.replace("\n", "\n        ")
        found, _ = lint(template.format(handlers=indented))
        assert found == expected, handlers


def test_a_test_that_expects_value_error_is_expected_to_raise():
    """`with self.assertRaises(ValueError):` and `pytest.raises` are a try that catches it (a
    test of TF-Slim's optimizers creates `global_step` twice in one); another class is not."""
    found, _ = lint("""
        import pytest
        import tensorflow as tf
        import unittest
        class T(unittest.TestCase):
            def test_twice(self):
                with tf.Graph().as_default():
                    tf.get_variable("w", [1])
                    with self.assertRaises(ValueError):
                        tf.get_variable("w", [1])
                    with self.assertRaisesRegex((TypeError, ValueError), "exists"):
                        tf.get_variable("w", [1])
                    with pytest.raises(ValueError, match="exists"):
                        tf.get_variable("w", [1])
                    with self.assertRaises(TypeError):
                        tf.get_variable("w", [1])
    """)
    assert found == [(16, "SL001")]


def test_tf_helpers_that_read_a_signature_do_not_call_the_function():
    """An Estimator asks `function_utils.fn_args(model_fn)` and then calls `model_fn` once (the
    TF helper reads its signature); an API that takes a function and calls it still does."""
    found, _ = lint("""
        import tensorflow as tf
        from tensorflow.python.util import function_utils, tf_inspect
        def model_fn(features, labels):
            return tf.get_variable("w", [1])
        args = function_utils.fn_args(model_fn)
        spec = tf_inspect.getfullargspec(model_fn)
        model_fn(1, 2)
    """)
    assert found == []
    found, _ = lint("""
        import tensorflow as tf
        def body(x):
            return tf.get_variable("w", [1])
        tf.map_fn(body, tf.zeros([2]))
        body(1)
    """)
    assert found == [(4, "SL001")]


def test_uncalled_function_is_an_entry_without_false_positives():
    found, _ = lint("""
        import tensorflow as tf
        def tower(x):
            with tf.variable_scope("t", reuse=True):
                return tf.get_variable("w", [1])
        def head(x):
            w = tf.get_variable("w", [1])
            w2 = tf.get_variable("w", [1])
    """)
    assert found == []


def test_recursion_and_depth_are_bounded():
    found, _ = lint("""
        import tensorflow as tf
        def a(n):
            tf.get_variable("w%d" % n, [1])
            return b(n + 1)
        def b(n):
            return a(n + 1)
        a(0)
    """)
    assert found == []


def test_unknown_code_under_a_scope_may_have_created_variables():
    found, _ = lint("""
        import tensorflow as tf
        import mylib
        with tf.variable_scope("enc"):
            mylib.encoder()
        with tf.variable_scope("enc", reuse=True):
            w = tf.get_variable("w", [1])
        with tf.variable_scope("dec", reuse=True):
            w = tf.get_variable("w", [1])
    """)
    assert found == [(9, "SL002")]


def test_class_instantiated_twice():
    found, _ = lint("""
        import tensorflow as tf
        class Model:
            def __init__(self, x):
                self.out = self.build(x)
            def build(self, x):
                with tf.variable_scope("model"):
                    return tf.get_variable("w", [2])
        train = Model(1)
        evaluate = Model(2)
    """)
    assert found == [(8, "SL001")]


def test_new_graph_starts_a_fresh_store():
    found, _ = lint("""
        import tensorflow as tf
        def build():
            return tf.get_variable("w", [1])
        with tf.Graph().as_default():
            build()
        with tf.Graph().as_default():
            build()
        build()
        tf.reset_default_graph()
        build()
    """)
    assert found == []


def test_op_names_next_to_unmodelled_ops_are_left_open():
    """Found by differential testing: `dynamic_rnn` makes ops of its own (`zeros`, `while`, ...) in
    its name scope, so TF named a variable `a/b/zeros` made there afterwards `a/b/zeros_1`. The
    simulator does not model those ops: it leaves such op names open (None) instead of claiming
    `a/b/zeros`, and still names the cell's variables, one level deeper, exactly."""
    found, result = lint("""
        import tensorflow.compat.v1 as tf
        tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(2), tf.zeros([2, 4, 3]), dtype=tf.float32, scope="a/b")
        with tf.variable_scope("a/b"):
            tf.get_variable("zeros", shape=[3])
        with tf.variable_scope("c"):
            tf.get_variable("zeros", shape=[3])
    """)
    assert found == []
    created = {e.name: e.actual for e in result.events if e.kind.value == "create" and e.error is None}
    assert created["a/b/gru_cell/gates/kernel"] == "a/b/gru_cell/gates/kernel"
    assert created["a/b/zeros"] is None
    assert created["c/zeros"] == "c/zeros"


def test_op_names_after_a_split_by_unknown_sizes_are_left_open():
    """A list of sizes becomes an op `Const` (a list holding tensors: `packed`) before the split's
    own name scope; a number or a tensor makes none. With sizes the analysis does not know, TF
    may or may not have made one: names that depend on it stay open, others are still claimed."""
    _, result = lint("""
        import tensorflow.compat.v1 as tf
        x = tf.placeholder(tf.float32, [4, 6])
        parts = tf.split(x, sizes_from_somewhere(), axis=1)
        a = tf.Variable(0.0, name="Const")
        b = tf.Variable(0.0, name="packed")
        c = tf.Variable(0.0, name="w")
        parts = tf.split(x, tf.constant([2, 4]), axis=1)
        d = tf.Variable(0.0, name="Const_5")
    """)
    named = {e.name: e.actual for e in result.events if e.kind.value == "tf.Variable"}
    assert named == {"Const": None, "packed": None, "w": "w", "Const_5": "Const_5"}


def test_a_name_formatted_from_unknown_parts_is_never_none():
    """A helper makes a `tf.Variable` only when no name is given, and a reusing call passes
    `"W_%d" % index` with `index` unknown: the name is a str, so that branch cannot run."""
    found, _ = lint("""
        import sys
        import tensorflow as tf
        def weight_variable(shape, name=None):
            initial = tf.truncated_normal(shape, stddev=0.02)
            if name is None:
                return tf.Variable(initial)
            return tf.get_variable(name, initializer=initial)
        def discriminator(x, layers, reuse):
            with tf.variable_scope("disc") as scope:
                if reuse:
                    scope.reuse_variables()
                for index in range(layers):
                    w = weight_variable([3, 3], name="W_%d" % index)
                    u = weight_variable([3], name=f"u_{index}")
                    v = weight_variable([3], name="v_{}".format(index))
                    b = weight_variable([3], name="b_" + str(index))
        depth = len(sys.argv)
        discriminator(1, depth, False)
        discriminator(2, depth, True)
    """)
    assert found == []
    found, _ = lint("""
        import tensorflow as tf
        def weight_variable(shape, name=None):
            if name is None:
                return tf.Variable(tf.zeros(shape))
            return tf.get_variable(name, shape)
        with tf.variable_scope("disc", reuse=True):
            w = weight_variable([3], name=unknown_name())
    """)
    assert found == [(5, "SL003")]  # a name from unknown code may be None


@pytest.mark.parametrize("ns", ["tf.nn.rnn_cell", "tf.contrib.rnn"])
def test_cell_wrappers_are_the_cells_they_wrap(ns):
    """TF1's `tf.contrib.rnn` names the same classes as `tf.nn.rnn_cell` (TF 2 has no contrib to
    run, so this spelling is checked against the verified one)."""
    found, _ = lint(f"""
        import tensorflow as tf
        x = tf.zeros([2, 4, 3])
        a = {ns}.DropoutWrapper({ns}.GRUCell(2), output_keep_prob=0.5)
        b = {ns}.DropoutWrapper({ns}.GRUCell(2), output_keep_prob=0.5)
        tf.nn.dynamic_rnn(a, x, dtype=tf.float32)
        tf.nn.dynamic_rnn(b, x, dtype=tf.float32)
    """)
    assert found == [(7, "SL001")]


def test_calls_into_another_module_of_the_tree(tmp_path: Path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "tower.py").write_text(
        "import tensorflow.compat.v1 as tf\n\ndef tower(x):\n    return tf.get_variable('w', [3])\n"
    )
    main = tmp_path / "train.py"
    main.write_text("from pkg.tower import tower\nfrom pkg import tower as t\n\na = tower(1)\nb = t.tower(2)\n")
    files = sorted(tmp_path.rglob("*.py"))
    index = ProjectIndex(files)
    result = check_bytes(main.read_bytes(), str(main), project=index)
    assert [(d.span.start.row, d.code) for d in result.diagnostics] == [(5, "SL001")]
    assert result.diagnostics[0].subject == "w"
    # Without the index the other module is unknown code: nothing to say.
    assert not check_bytes(main.read_bytes(), str(main)).diagnostics


def test_super_outside_a_class_body_does_not_crash():
    """`super(Child, self)` in a function assigned as a method later, or in a module-level
    helper: the class is named, so the call is followed; bare `super()` there is unknown."""
    found, result = lint("""
        import tensorflow as tf
        class Base(object):
            def __init__(self, p):
                self.w = tf.get_variable("w", [1])
        def _init(self, p):
            super(Child, self).__init__(p)
        def orphan(self):
            return super().__init__(1)
        class Child(Base):
            __init__ = _init
        Child(1)
        Child(1)
    """)
    assert found == [(5, "SL001")]


ESTIMATOR_MODEL = """
    import tensorflow as tf
    def model_fn(x, mode):
        h = tf.layers.dense(x, 4, name="fc")
        if mode == {check}:
            step = tf.Variable(0, trainable=False, name="step")
            tf.train.AdamOptimizer().minimize(tf.reduce_sum(h), global_step=step)
        return h
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("m"):
        model_fn(x, tf.estimator.ModeKeys.TRAIN)
    with tf.variable_scope("m", reuse=True):
        model_fn(x, {eval_mode})
"""


@pytest.mark.parametrize("check", ["tf.estimator.ModeKeys.TRAIN", "tf.compat.v1.estimator.ModeKeys.TRAIN"])
def test_estimator_mode_keys_decide_branches(check):
    """TF's mode constants are strings: the training branch does not run in the EVAL call
    (TF 2.21 has no tf.estimator, so this cannot be a TF-run fixture)."""
    found, _ = lint(ESTIMATOR_MODEL.format(check=check, eval_mode="tf.estimator.ModeKeys.EVAL"))
    assert found == []
    # The buggy variant: the reusing call is built in TRAIN mode too.
    found, _ = lint(ESTIMATOR_MODEL.format(check=check, eval_mode="tf.estimator.ModeKeys.TRAIN"))
    assert (6, "SL003") in found


def test_attributes_set_on_unknown_objects_are_known():
    found, _ = lint("""
        import tensorflow as tf
        import argparse, copy
        def build(hps):
            w = tf.get_variable("w", [1])
            if hps.is_training:
                return tf.Variable(0, name="step")
        hps = argparse.Namespace(is_training=True)
        with tf.variable_scope("m"):
            build(hps)
        eval_hps = copy.copy(hps)
        eval_hps.is_training = False
        with tf.variable_scope("m", reuse=True):
            build(eval_hps)
    """)
    assert found == []


def test_show_variables_lists_failing_calls_with_their_code():
    _, result = lint("""
        import tensorflow as tf
        w = tf.get_variable("w", [1])
        w = tf.get_variable("w", [1])
        with tf.variable_scope("a", reuse=True):
            tf.get_variable("nope", [1])
        with tf.variable_scope("", reuse=True):
            tf.get_variable("w", [2])
            tf.get_variable("w", [1])
    """)
    rows = [(e.line, e.kind.value, e.name, e.actual, e.error) for e in result.events]
    assert rows == [
        (3, "create", "w", "w", None),
        (4, "create", "w", None, "SL001"),
        (6, "reuse", "a/nope", None, "SL002"),
        (8, "reuse", "w", None, "SL006"),
        (9, "reuse", "w", "w", None),
    ]


def test_one_line_suites_run():
    """`def f(x): return g(x)` and `if c: x = 1` have small statements as their body."""
    found, _ = lint("""
        import tensorflow as tf
        def make(x): return tf.get_variable("w", [1])
        make(1)
        if True: make(2)
    """)
    assert found == [(3, "SL001")]  # the get_variable line, reached from line 5


@pytest.mark.parametrize("literal", [
    '"a"', "'a'", '"""a\nb"""', "r'a\\d'", "u'x'", "'a\\n'", '"a\\"b"', "R'''x\\y'''", "''",
    '""""""', "'\\''", "r'a\\'b'", "'\\x41\\u00e9'",
])
def test_string_literals_read_as_python_does(literal):
    """String literals are read without compiling them where no escape needs decoding."""
    import libcst as cst

    from scopelint.interp.interpreter import Interpreter
    from scopelint.interp.values import Env
    from scopelint.tf import HOOKS

    node = cst.parse_expression(literal)
    assert Interpreter(cst.parse_module(""), HOOKS).ev(node, Env()) == node.evaluated_value
