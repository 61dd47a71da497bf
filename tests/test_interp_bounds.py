"""Programs that once crashed or exhausted the interpreter: each class found on public code or by
generated programs. Every one must lint to the end (memory and time stay small: values past the
interpreter's bounds are unknown, never built)."""

from __future__ import annotations

import textwrap

import pytest

from scopelint.engine import check_bytes

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


@pytest.mark.parametrize("name", sorted(PROGRAMS))
@pytest.mark.parametrize("with_events", [False, True])
def test_program_lints_to_the_end(name, with_events):
    source = "import tensorflow as tf\n" + textwrap.dedent(PROGRAMS[name])
    result = check_bytes(source.encode(), "t.py", with_events=with_events)
    assert result.crash is None
    assert all(d.code != "SL900" for d in result.diagnostics)


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
