"""Programs that once crashed or exhausted the interpreter: each class found on public code or by
generated programs. Every one must lint to the end (memory and time stay small: values past the
interpreter's bounds are unknown, never built)."""

from __future__ import annotations

import textwrap

import pytest

from scopelint.run.engine import check_bytes

PROGRAMS = {
    "format_spec_on_none": """
        def snapshot(step=None):
            with tf.variable_scope("snap"):
                tf.get_variable("w", [1])
            return "iter_{:d}".format(step)
        snapshot()
    """,
    "format_missing_attribute": 'name = "{0.real}{0.bogus}".format(3)\ntf.get_variable(name, [1])\n',
    "format_index_on_int": 'name = "{0[1]}".format(3)\ntf.get_variable(name, [1])\n',
    "format_huge_width": 'name = "{:1500000000}".format(1)\ntf.get_variable("w", [1])\n',
    "percent_huge_width": 'name = "%1500000000d" % 1\ntf.get_variable("w", [1])\n',
    "fstring_huge_width": 'n = 1\nname = f"{n:1500000000}"\ntf.get_variable("w", [1])\n',
    "list_repeat": "pad = [0] * (10 ** 10)\ntf.get_variable('w', [1])\n",
    "str_repeat": "pad = 'ab' * (10 ** 9)\ntf.get_variable('w', [1])\n",
    "power_tower": "a = 10 ** 60\n" + "a = a ** 60\n" * 6 + "tf.get_variable('w', [1])\n",
    "square_doubling": "a = 3\n" + "a = a * a\n" * 40 + "tf.get_variable('w', [1])\n",
    "replace_blowup": 's = "a" * 9000\nt = s.replace("", s)\nu = t.replace("", t)\ntf.get_variable("w", [1])\n',
    "join_blowup": 's = ["a" * 5000] * 2\nt = ("x" * 9000).join(s)\ntf.get_variable("w", [1])\n',
    "class_attribute_added_by_entry": """
        class Layer(object):
            count = 0
            def __init__(self):
                type(self).count += 1
                Layer.made = True
                self.w = tf.get_variable("w%d" % Layer.count, [1])
    """,
    "super_outside_class_body": """
        class Base(object):
            def build(self):
                return tf.get_variable("w", [1])
        class Child(Base):
            pass
        def build(self):
            with tf.variable_scope("child"):
                return super(Child, self).build()
        Child.build = build
        Child().build()
    """,
}


# Appended to every program: a duplicate on its last line, which only an analysis that reached
# the end of the file reports (one stopped by a budget or a crash would not).
END = 'tf.get_variable("end_of_file", [1])\ntf.get_variable("end_of_file", [1])\n'


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("with_events", [False, True])
def test_program_lints_to_the_end(name, with_events):
    source = "import tensorflow as tf\n" + textwrap.dedent(PROGRAMS[name]) + END
    last = source.count("\n")
    result = check_bytes(source.encode(), "t.py", with_events=with_events)
    assert all(d.code != "SL900" for d in result.diagnostics)
    assert [(d.code, d.subject) for d in result.diagnostics if d.span.start.row == last] == [
        ("SL001", "end_of_file")
    ], result.diagnostics
    if with_events:
        assert [e.name for e in result.events if e.line >= last - 1] == ["end_of_file"] * 2


def test_bounded_values_still_compute_what_fits():
    source = textwrap.dedent("""
        import tensorflow as tf
        name = "{}_{:03d}".format("layer", 7) + "/" + "%s%d" % ("w", 2 ** 10)
        tf.get_variable(name, [1])
        tf.get_variable(name, [1])
    """)
    result = check_bytes(source.encode(), "t.py", with_events=True)
    assert [(e.name, e.error) for e in result.events] == [
        ("layer_007/w1024", None), ("layer_007/w1024", "SL001"),
    ]


def _counting_steps(monkeypatch) -> list[int]:
    """A one-item list that counts the interpreter's steps from now on."""
    from scopelint.interp.interpreter import Interpreter

    taken = [0]
    tick = Interpreter._tick

    def counting(self):
        taken[0] += 1
        tick(self)

    monkeypatch.setattr(Interpreter, "_tick", counting)
    return taken


def _steps_and_events(source: str, monkeypatch) -> tuple[int, list]:
    """Steps the interpreter took over ``source`` (all entries), and the variables it predicts."""
    taken = _counting_steps(monkeypatch)
    result = check_bytes(textwrap.dedent(source).encode(), "t.py", with_events=True)
    assert result.crash is None
    return taken[0], [(e.name, e.conditional) for e in result.events]


def test_a_model_that_builds_a_copy_of_itself_is_not_followed_into_the_copy(monkeypatch):
    """Each undecided arm leads back into the method through a new object of its class: followed
    to the call-depth limit that is 3**16 calls; the copy's call is a recursion instead."""
    steps, events = _steps_and_events("""
        import tensorflow as tf
        class Model(object):
            def __init__(self, spec):
                self.spec = spec
            def build(self, kind):
                tf.get_variable("w", [1])
                if kind == "a":
                    Model(self.spec).build(kind)
                elif kind == "b":
                    Model(self.spec).build(kind)
                else:
                    Model(self.spec).build(kind)
        def main(kind):
            with tf.variable_scope("m"):
                Model(1).build(kind)
        main(input())
    """, monkeypatch)
    assert steps < 1_000
    assert events == [("m/w", False)]


# A table filled cell by cell: a loop that touches no variable.
_TABLE_LOOP = """\
table = {}
total = 0
for x in range(1000):
    for y in range(1000):
        table[x, y] = x * y
        total += 1
"""


def test_a_long_loop_that_leaves_the_model_alone_stops_unrolling(monkeypatch):
    """A table filled cell by cell: unrolled until it has cost IDLE_LOOP_STEPS, then its other
    rounds are one possibility; what they change is unknown, what came before stays known."""
    from scopelint.interp.signals import IDLE_LOOP_STEPS

    steps, events = _steps_and_events(
        "import tensorflow as tf\n" + _TABLE_LOOP
        + 'tf.get_variable("before_%d" % len(["a", "b"]), [1])\n'
        + 'tf.get_variable("after_%d" % total, [1])\n',
        monkeypatch,
    )
    assert steps < 3 * IDLE_LOOP_STEPS
    assert events == [("before_2", False)]


def test_a_loop_that_builds_the_model_unrolls_to_the_end(monkeypatch):
    steps, events = _steps_and_events("""
        import tensorflow as tf
        for i in range(1000):
            a = i + 1
            b = a + 1
            c = b + 1
            d = c + 1
            e = d + 1
            f = e + 1
            g = f + 1
            h = g + 1
            j = h + 1
            k = j + 1
            l = k + 1
            m = l + 1
            n = m + 1
            o = n + 1
            p = o + 1
            q = p + 1
            r = q + 1
            s = r + 1
            t = s + 1
            u = t + 1
            v = u + 1
            tf.get_variable("w%d" % v, [1])
        tf.get_variable("last_%d" % i, [1])
    """, monkeypatch)
    assert steps > 20_000
    assert len(events) == 1001 and events[-1] == ("last_999", False)


def _lint_with_module(tmp_path, module: str, main: str) -> list:
    from scopelint.resolve.project import ProjectIndex

    (tmp_path / "lib.py").write_text(textwrap.dedent(module))
    path = tmp_path / "main.py"
    path.write_text(textwrap.dedent(main))
    result = check_bytes(path.read_bytes(), str(path), with_events=True,
                         project=ProjectIndex([path], root=tmp_path))
    assert result.crash is None
    return [(e.name, e.error) for e in result.events]


def test_star_import_of_a_namespace_with_a_computed_name(tmp_path):
    """tensorpack binds names through ``globals()[computed] = ...``: the namespace then has a key
    that is no text, which a star import must pass over (it crashed: an internal error)."""
    events = _lint_with_module(tmp_path, """
        globals()["kcah"[::-1].upper() + str(len(dir()))] = 1
        import tensorflow as tf
        def dense(name):
            return tf.get_variable(name, [1])
    """, """
        import tensorflow as tf
        from lib import *
        dense("w")
        dense("w")
    """)
    assert events == [("w", None), ("w", "SL001")]


def test_star_import_takes_the_names_of_all(tmp_path):
    events = _lint_with_module(tmp_path, """
        import tensorflow as tf
        __all__ = ["dense"]
        def dense(name):
            return tf.get_variable(name, [1])
        def conv(name):
            return tf.get_variable(name, [2])
    """, """
        import tensorflow as tf
        from lib import *
        dense("w")
        conv("v")
    """)
    assert events == [("w", None)]


def test_a_function_run_without_its_caller_has_a_smaller_budget(monkeypatch):
    """Module code runs up to MAX_STEPS; a function no entry reached, analysed with unknown
    arguments, up to MAX_ENTRY_STEPS (here made small): past it, it stops where it is."""
    from scopelint.interp import interpreter, signals

    assert signals.MAX_ENTRY_STEPS < signals.MAX_STEPS
    monkeypatch.setattr(interpreter, "MAX_ENTRY_STEPS", 300)
    loop = """
        for i in range(20):
            for j in range(10):
                tf.get_variable("w%d_%d" % (i, j), [1])
    """
    at_module, events = _steps_and_events("import tensorflow as tf\n" + textwrap.dedent(loop), monkeypatch)
    in_entry, _ = _steps_and_events(
        "import tensorflow as tf\ndef build():" + textwrap.indent(textwrap.dedent(loop), "    "),
        monkeypatch,
    )
    assert len(events) == 200 and at_module > 400
    assert 300 < in_entry < 310


def test_a_function_run_without_its_caller_stops_early_until_it_reaches_tf(monkeypatch):
    """A function no entry reached that has not called TF in its first IDLE_ENTRY_STEPS steps
    (a string algorithm, a data generator) stops there; one that has called TF by then goes on
    up to MAX_ENTRY_STEPS (here: to the duplicate after its loop)."""
    from scopelint.interp import interpreter, signals

    assert signals.IDLE_ENTRY_STEPS < signals.MAX_ENTRY_STEPS
    monkeypatch.setattr(interpreter, "IDLE_ENTRY_STEPS", 100)
    loop = "total = 0\nfor i in range(200):\n    total += i\n"
    graph = "with tf.Graph().as_default():\n"
    duplicate = "    tf.get_variable('w', [1])\n    tf.get_variable('w', [1])\n"

    def run(body: str) -> tuple[int, list]:
        source = "import tensorflow as tf\ndef build():\n" + textwrap.indent(body, "    ")
        steps, _ = _steps_and_events(source, monkeypatch)
        codes = [d.code for d in check_bytes(source.encode(), "t.py").diagnostics]
        return steps, codes

    assert run(graph + textwrap.indent(loop, "    ") + duplicate)[1] == ["SL001"]
    steps, codes = run(loop + graph + duplicate)
    assert codes == [] and 100 < steps < 110


def test_a_long_loop_in_an_imported_module_stops_unrolling_sooner(tmp_path, monkeypatch):
    """An imported module's top-level code runs again in every file that imports it: its idle
    loops are widened after IDLE_IMPORT_LOOP_STEPS, what came before them stays known, and the
    same loop in the linted file itself still has IDLE_LOOP_STEPS."""
    from scopelint.interp.signals import IDLE_IMPORT_LOOP_STEPS, IDLE_LOOP_STEPS

    assert IDLE_IMPORT_LOOP_STEPS < IDLE_LOOP_STEPS
    taken = _counting_steps(monkeypatch)
    events = _lint_with_module(tmp_path, "before = 2\n" + _TABLE_LOOP, """
        import tensorflow as tf
        from lib import before, total
        tf.get_variable("before_%d" % before, [1])
        tf.get_variable("after_%d" % total, [1])
    """)
    assert events == [("before_2", None)]
    assert IDLE_IMPORT_LOOP_STEPS < taken[0] < 3 * IDLE_IMPORT_LOOP_STEPS
    own, _ = _steps_and_events("import tensorflow as tf\n" + _TABLE_LOOP, monkeypatch)
    assert own > IDLE_LOOP_STEPS
