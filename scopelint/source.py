"""Reading a file: bytes to text to a libcst module, or a clear reason why not."""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

from .types import Position

MAX_BYTES = 4 * 1024 * 1024  # beyond this a file is almost surely generated: reported, not parsed


@dataclass(frozen=True, slots=True)
class Unreadable:
    message: str
    position: Position = Position(1, 1)


def decode(data: bytes) -> str | Unreadable:
    if len(data) > MAX_BYTES:
        return Unreadable(
            f"file is too large to check ({len(data) / 1e6:.1f} MB; the limit is "
            f"{MAX_BYTES / 1e6:.1f} MB)"
        )
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        return Unreadable("file contains NUL bytes; it is not Python source", Position(line, 1))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # unknown coding cookie, BOM with another cookie
        return Unreadable(f"cannot decode: {error.msg if hasattr(error, 'msg') else error}")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Unreadable(f"cannot decode as {encoding}: {error.reason}", Position(line, 1))
    except LookupError:
        return Unreadable(f"unknown encoding {encoding!r}")
    return text[1:] if text.startswith("\ufeff") else text


def parse(text: str) -> cst.Module | Unreadable:
    import libcst as cst  # here, not at the top: a run that parses nothing never loads it

    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        hint = ""
        if _looks_like_python2(text):
            hint = " (this looks like Python 2 code, which scopelint does not check)"
        # libcst places a parser error where it gave up, often the end of the statement or the
        # next line; CPython's parser says where the mistake is, and why, in words users know.
        found = _cpython_syntax_error(text)
        if found is not None:
            message, position = found
            return Unreadable(f"syntax error: {message}{hint}", position)
        first = str(error.message).strip().splitlines()[0] if error.message else "invalid syntax"
        return Unreadable(
            f"syntax error: {first}{hint}", Position(error.raw_line, error.raw_column + 1)
        )
    except cst.CSTValidationError as error:
        # Parsed, but a node libcst built is invalid (``u"a" b"c"``); it gives no position.
        found = _cpython_syntax_error(text)
        if found is not None:
            return Unreadable(f"syntax error: {found[0]}", found[1])
        return Unreadable(f"syntax error: {error}")
    except RecursionError:
        return Unreadable("the file is nested too deeply to parse")


def _cpython_syntax_error(text: str) -> tuple[str, Position] | None:
    """CPython's message and place for a syntax error, or None to keep libcst's.

    Only parses (``PyCF_ONLY_AST``), never runs anything. Asked only after libcst has failed, so
    files that parse cost nothing more. None when this interpreter accepts the text (libcst
    rejected it for a reason of its own, which is then the one to report) or cannot parse it
    at all (too deeply nested, NUL bytes).
    """
    try:
        # SyntaxWarnings (invalid escapes, `is` with a literal) say nothing about the error, and
        # under ``-W error`` they would become the reported error: silenced for this one call.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<checked file>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:  # IndentationError and TabError included
        if not error.lineno or error.lineno < 1 or not error.msg:
            return None
        # ``offset`` is 1-based and counts characters, as SL900 columns do; the line is clamped
        # to the file, since an error at end of input may name the line after the last one.
        line = min(error.lineno, text.count("\n") + 1)
        column = error.offset if error.offset and error.offset >= 1 else 1
        message = error.msg.strip().splitlines()[0]
        return message, Position(line, column)
    except (RecursionError, MemoryError, ValueError):
        # Deep nesting exhausts the compiler's stack or memory; ValueError covers NUL bytes and
        # text that cannot be encoded for the compiler. libcst's own message is kept.
        return None
    return None


def _looks_like_python2(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("print ") and not stripped.startswith("print ("):
            return True
        if stripped.startswith("exec ") or " ur'" in stripped or "except " in stripped and ", e:" in stripped:
            return True
    return False
