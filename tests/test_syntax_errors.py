"""A file that does not parse gets one SL900 at the mistake, in CPython's words where it has them."""

from __future__ import annotations

import warnings

import pytest

from scopelint.read import source
from scopelint.rules import FILE_ERROR
from scopelint.run.engine import check_bytes
from scopelint.types import Position

TF = "import tensorflow as tf\n"


def only_error(text: str):
    result = check_bytes(text.encode(), "t.py")
    assert [d.code for d in result.diagnostics] == [FILE_ERROR.code]
    return result.diagnostics[0]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        # libcst gives up at line 3, where the def's body starts; the mistake is the `:` on line 2
        pytest.param(TF + "def f(:\n    pass\n", Position(2, 7), "invalid syntax", id="def-paren"),
        pytest.param(TF + "x = (1,\ny = 2\n", Position(2, 5), "'(' was never closed", id="unclosed"),
        pytest.param(TF + "x = [1,\n", Position(2, 5), "'[' was never closed", id="unclosed-at-eof"),
        # libcst reports a tokenizer error at line 1, column 1
        pytest.param(
            TF + "if x:\n        a = 1\n\tb = 2\n",
            Position(4, 1),
            "inconsistent use of tabs and spaces in indentation",
            id="tabs-and-spaces",
        ),
        pytest.param(
            TF + "if x:\npass\n",
            Position(3, 1),
            "expected an indented block after 'if' statement on line 2",
            id="no-indent",
        ),
    ],
)
def test_syntax_error_is_reported_where_cpython_puts_it(text, where, words):
    diagnostic = only_error(text)
    assert diagnostic.span.start == where
    assert diagnostic.message == f"syntax error: {words}"


@pytest.mark.parametrize("tail", ["y = 1\n", ""], ids=["more-lines", "last-line"])
def test_python2_print_is_reported_on_its_own_line(tail):
    diagnostic = only_error(TF + 'print "x"\n' + tail)
    assert diagnostic.span.start == Position(2, 1)
    # CPython 3.10+ adds "Did you mean print(...)?"; the wording after the first sentence may vary
    assert diagnostic.message.startswith("syntax error: Missing parentheses in call to 'print'")
    assert diagnostic.message.endswith("(this looks like Python 2 code, which scopelint does not check)")


def test_libcst_validation_error_is_a_diagnostic_not_a_traceback():
    diagnostic = only_error(TF + "x = 1\ny = u'a' b'c'\n")
    assert diagnostic.span.start.row == 3
    assert diagnostic.message == "syntax error: cannot mix bytes and nonbytes literals"


def test_syntax_warnings_do_not_replace_the_error():
    # An invalid escape warns while parsing; turned into an error, it would be reported instead.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        diagnostic = only_error(TF + "x = '\\d'\ndef f(:\n    pass\n")
    assert diagnostic.span.start == Position(3, 7)
    assert diagnostic.message == "syntax error: invalid syntax"


def test_deep_nesting_in_the_compiler_falls_back_to_libcst():
    assert source._cpython_syntax_error("-" * 200_000 + "1\n") is None  # MemoryError inside
    assert source._cpython_syntax_error("x = 1\0\n") is None  # ValueError: NUL byte
    assert source._cpython_syntax_error(TF + "x = 1\n") is None  # valid: nothing to add


def test_libcst_message_is_kept_when_cpython_has_none(monkeypatch):
    monkeypatch.setattr(source, "_cpython_syntax_error", lambda text: None)
    result = source.parse(TF + "def f(:\n    pass\n")
    assert isinstance(result, source.Unreadable)
    assert result.message.startswith("syntax error: parser error: error at 3:4: expected one of")
    assert result.position == Position(3, 1)
