"""A file read for linting is one ``Source``: decoded once, shared by the engine, the `# noqa`
step and the renderers."""

from __future__ import annotations

from pathlib import Path

from scopelint.read import source
from scopelint.read.source import Source
from scopelint.render import FORMATS, RenderContext
from scopelint.run import runner
from scopelint.run.config import Overrides, build

BUGGY = (
    "# -*- coding: latin-1 -*-\n"
    "import tensorflow.compat.v1 as tf\n"
    "a = tf.get_variable('w', [1])\n"
    "b = tf.get_variable('w', [1])\n"
    "c = tf.get_variable('v', [1])\n"
    "d = tf.get_variable('v', [1])  # noqa: SL001\n"
    "s = '\xe9'\n"
)


def test_source_fields():
    read = Source(BUGGY.encode("latin-1"))
    assert read.encoding == "iso-8859-1"
    assert read.text == BUGGY
    assert read.lines[-1] == "s = '\xe9'"
    assert sorted(read.directives.lines) == [6]
    unreadable = Source(b"x = 1\0\n")
    assert isinstance(unreadable.text, source.Unreadable) and unreadable.lines == ()
    assert Source(b"x = 1\n").directives is Source(b"y = 2\n").directives  # no scan at all


def test_a_file_is_decoded_once_per_run(tmp_path, monkeypatch):
    """Lint, suppress and render the snippets of a file with findings and a directive: its
    bytes go through the decoder once."""
    (tmp_path / "bad.py").write_bytes(BUGGY.encode("latin-1"))
    settings = build([tmp_path], Overrides(), tmp_path)
    decoded: list[bytes] = []
    real = source._decode

    def counting(data: bytes):
        decoded.append(data)
        return real(data)

    monkeypatch.setattr(source, "_decode", counting)
    sources = runner.Sources()
    results = runner.lint([Path("bad.py")], settings, cwd=tmp_path, sources=sources, jobs=1)
    report = FORMATS["full"](results, RenderContext(lines=sources, cwd=tmp_path))
    assert [d.span.start.row for d in results[0].diagnostics] == [4]  # line 6's is suppressed
    assert "b = tf.get_variable('w', [1])" in report  # the snippet, from the same source
    assert decoded == [BUGGY.encode("latin-1")]


def test_the_collector_is_paused_while_parsing_only(monkeypatch):
    """A parse runs with the garbage collector off, and leaves it as it found it, also when the
    text does not parse."""
    import gc

    import libcst as cst

    from scopelint.read.source import Unreadable, paused_collector

    seen = []

    def parse_module(text):
        seen.append(gc.isenabled())
        return real(text)

    real = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", parse_module)
    assert gc.isenabled()
    assert isinstance(source.parse("x = 1\n"), cst.Module)
    assert isinstance(source.parse("x = = 1\n"), Unreadable)
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        assert paused_collector(len, "abc") == 3
        assert not gc.isenabled()
    finally:
        gc.enable()
