"""Bad input never produces a traceback, the linter never runs or writes what it reads, and the
same input always gives the same output."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from scopelint.rules import FILE_ERROR
from scopelint.run.engine import check_bytes

TF = b"import tensorflow as tf\n"
DUP = b"tf.get_variable('w', [1])\ntf.get_variable('w', [1])\n"

BAD_INPUTS = {
    "syntax-error": (TF + b"def f(:\n", "syntax error"),
    "python2-print": (TF + b"print 'hello'\n", "Python 2"),
    "undecodable": (TF + b"x = '\xff\xfe'\n", "cannot decode"),
    "nul-bytes": (TF + b"x = 1\0\n", "NUL"),
    "unknown-coding": (b"# -*- coding: nonsense -*-\n" + TF, "unknown encoding"),
    "huge": (TF + b"x = 1\n" * 900_000, "too large"),
    "deep-blocks": (TF + b"".join(b" " * i + b"if x:\n" for i in range(1000)) + b" " * 1000 + b"pass\n", "indentation"),
    "deep-lists": (TF + b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n", "nested too deeply"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_gets_one_clear_diagnostic(name):
    data, words = BAD_INPUTS[name]
    result = check_bytes(data, f"{name}.py")
    assert [d.code for d in result.diagnostics] == [FILE_ERROR.code]
    assert words in result.diagnostics[0].message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbf" + TF + DUP, id="bom"),
        pytest.param((TF + DUP).replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(TF + b"\x0c\n" + DUP, id="form-feed"),
        pytest.param(b"# -*- coding: latin-1 -*-\n" + TF + b"x = '\xe9'\n" + DUP, id="latin-1"),
    ],
)
def test_odd_but_valid_files_are_checked(data):
    result = check_bytes(data, "t.py")
    assert [(d.code, d.subject) for d in result.diagnostics] == [("SL001", "w")]


def test_empty_file_and_deep_expression_and_mutual_recursion():
    assert check_bytes(b"", "t.py").diagnostics == ()
    deep = TF + b"x = " + b"(" * 1000 + b"1" + b")" * 1000 + b"\n"
    assert all(d.code == FILE_ERROR.code for d in check_bytes(deep, "t.py").diagnostics)
    mutual = TF + b"def a():\n    return b()\ndef b():\n    return a()\na()\n"
    assert check_bytes(mutual, "t.py").diagnostics == ()


# The same examples on every run and machine: derandomized (seeded from the test itself), no
# example database, health checks (which time generation) off. hypothesmith compile()s what it
# generates; the SyntaxWarnings that raises (`...()`: "'ellipsis' object is not callable") are
# about its examples, not scopelint, and under -W error they would change which examples it keeps.
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(hypothesmith.from_grammar())
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
def test_arbitrary_python_never_escapes(code):
    data = TF + code.encode("utf-8", "surrogatepass")
    result = check_bytes(data, "t.py", with_events=True)
    assert all(d.span.start.row >= 1 for d in result.diagnostics)


def test_never_runs_or_writes_what_it_reads(tmp_path: Path):
    marker = tmp_path / "marker"
    target = tmp_path / "evil.py"
    target.write_text(textwrap.dedent(f"""
        import tensorflow as tf
        open({str(marker)!r}, "w").write("ran")
        __import__("os").system("touch {marker}")
        tf.get_variable("w", [1])
        tf.get_variable("w", [1])
    """))
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    result = check_bytes(target.read_bytes(), str(target))
    assert [d.code for d in result.diagnostics] == ["SL001"]
    assert not marker.exists()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before


def test_same_input_same_output():
    code = TF + textwrap.dedent("""
        def f():
            with tf.variable_scope("a", reuse=True):
                tf.Variable(1.0, name="v")
                tf.get_variable("missing", [2])
        f(); f()
        with tf.name_scope("x"):
            tf.get_variable("w", [1])
        with tf.name_scope("y"):
            tf.get_variable("w", [1])
    """).encode()
    runs = {repr(check_bytes(code, "t.py", with_events=True)) for _ in range(5)}
    assert len(runs) == 1
