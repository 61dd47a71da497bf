"""Imported modules are parsed as skeletons (function bodies on first call): the results must be
exactly those of parsing them whole."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst

from scopelint.resolve.project import ProjectIndex
from scopelint.resolve.skeleton import parse_skeleton
from scopelint.run.engine import check_bytes

LIBRARY = textwrap.dedent('''
    """A helper library."""
    import functools

    import tensorflow as tf

    WIDTH = 4


    @functools.lru_cache
    def dense(x, units, name="dense"):
        """Doc."""
        # a comment before the body
        with tf.variable_scope(name):
            w = tf.get_variable("w", [WIDTH, units])
        return w

    def one_liner(x): return tf.get_variable("one", [1])

    def tower(x, reuse=None,
              scope="tower"):
        with tf.variable_scope(scope, reuse=reuse):
            return dense(x, 3)


    class Net(object):
        def build(self):
            return tf.get_variable("net", [1])
''')

MAIN = textwrap.dedent('''
    import tensorflow as tf
    from lib import tower, one_liner, Net

    tower(1)
    tower(1, reuse=True)
    tower(1)
    one_liner(1)
    one_liner(1)
    Net().build()
    Net().build()
''')


def test_skeleton_keeps_signatures_and_parses_bodies_on_demand():
    skeleton = parse_skeleton(LIBRARY)
    assert skeleton is not None
    stubs = {s.name.value: s for s in skeleton.module.body if isinstance(s, cst.FunctionDef)}
    (net,) = [s for s in skeleton.module.body if isinstance(s, cst.ClassDef)]
    (build,) = net.body.body
    # Multi-line bodies of functions and of top-level classes' methods are left out; a one-line
    # def is parsed whole.
    assert set(skeleton.sources) == {stubs["dense"], stubs["tower"], build}
    assert "get_variable" in cst.Module([]).code_for_node(skeleton.body(build))
    dense = stubs["dense"]
    assert [d.decorator.attr.value for d in dense.decorators] == ["lru_cache"]
    assert [p.name.value for p in dense.params.params] == ["x", "units", "name"]
    assert cst.Module([]).code_for_node(dense.body).strip() == "pass"
    body = skeleton.body(dense)
    assert "tf.get_variable" in cst.Module([]).code_for_node(body)
    assert skeleton.body(dense) is body  # parsed once
    assert skeleton.body(stubs["one_liner"]) is stubs["one_liner"].body


def test_unparseable_text_has_no_skeleton():
    assert parse_skeleton("print 'python 2'\n") is None
    assert parse_skeleton("x = 1\n") is None  # nothing to leave out


def test_imported_module_gives_the_same_results_as_parsing_it_whole(tmp_path: Path):
    (tmp_path / "lib.py").write_text(LIBRARY)
    (tmp_path / "main.py").write_text(MAIN)
    main = tmp_path / "main.py"

    def run(files):
        index = ProjectIndex(files, root=tmp_path)
        result = check_bytes(main.read_bytes(), str(main), with_events=True, project=index)
        return index, [(d.span.start.row, d.code, d.message) for d in result.diagnostics], [
            (e.line, e.kind, e.name, e.actual, e.error, e.shape) for e in result.events
        ]

    lazy_index, lazy_findings, lazy_events = run([main])  # lib.py only imported: a skeleton
    whole_index, whole_findings, whole_events = run([main, tmp_path / "lib.py"])  # linted: whole
    assert lazy_index.skeleton((tmp_path / "lib.py").resolve()).sources  # bodies left out
    assert not whole_index.skeleton((tmp_path / "lib.py").resolve()).sources
    assert lazy_findings == whole_findings
    assert lazy_events == whole_events
    assert [(row, code) for row, code, _ in lazy_findings] == [
        (7, "SL001"), (9, "SL001"), (11, "SL001"),
    ]


GENERATORS = textwrap.dedent('''
    import tensorflow as tf


    def layers(n):
        for i in range(n):
            yield tf.get_variable("w%d" % i, [1])


    def plain(n):
        # no yield here, only in this comment
        return tf.get_variable("p", [n])


    def simple(n):
        return tf.get_variable("s", [n])
''')

GENERATORS_MAIN = textwrap.dedent('''
    import tensorflow as tf
    from gens import layers, plain, simple

    g = layers(2)
    simple(1)
    ws = list(g)
    plain(1)
    simple(1)
''')


def test_a_body_never_spelling_yield_is_known_to_be_no_generator_unparsed(tmp_path: Path):
    skeleton = parse_skeleton(GENERATORS)
    assert skeleton is not None
    stubs = {s.name.value: s for s in skeleton.module.body if isinstance(s, cst.FunctionDef)}
    assert skeleton.may_yield(stubs["layers"]) and skeleton.may_yield(stubs["plain"])
    assert not skeleton.may_yield(stubs["simple"])
    # A module whose text never spells the word: no function of it is asked for its body.
    library = parse_skeleton(LIBRARY)
    assert library.yields_nowhere and not skeleton.yields_nowhere
    assert not any(library.may_yield(stub) for stub in library.sources)
    (tmp_path / "gens.py").write_text(GENERATORS)
    main = tmp_path / "main.py"
    main.write_text(GENERATORS_MAIN)

    def run(files):
        index = ProjectIndex(files, root=tmp_path)
        result = check_bytes(main.read_bytes(), str(main), with_events=True, project=index)
        return [(d.span.start.row, d.code) for d in result.diagnostics], [
            (e.line, e.kind, e.name) for e in result.events
        ]

    lazy = run([main])
    assert lazy == run([main, tmp_path / "gens.py"])
    # The generator runs only when iterated (after the first simple(1)), the others when called.
    assert [name for _, _, name in lazy[1]] == ["s", "w0", "w1", "p", "s"]
    assert lazy[0] == [(9, "SL001")]
