"""Reading a file: bytes to text to a libcst module, or a clear reason why not.

A file read for linting becomes one :class:`Source`, which the engine, the `# noqa` step and
the renderers share, so that its bytes are decoded once however many of them look at it.
"""

from __future__ import annotations

import ast
import gc
import io
import tokenize
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Callable, TypeVar

if TYPE_CHECKING:
    import libcst as cst

    from ..rules.noqa import Directives

from ..types import Position

T = TypeVar("T")

MAX_BYTES = 4 * 1024 * 1024  # beyond this a file is almost surely generated: reported, not parsed


@dataclass(frozen=True, slots=True)
class Unreadable:
    message: str
    position: Position = Position(1, 1)


@dataclass(frozen=True, eq=False)
class Source:
    """One file's bytes as read, and what is computed from them, each at most once and only
    when first asked for: the text (or why it cannot be had), its encoding, its lines, its
    `# noqa` directives. Files are read before most of them are needed (the byte test skips
    many), so nothing is decoded up front."""

    data: bytes

    @cached_property
    def _decoded(self) -> tuple[str | Unreadable, str | None]:
        return _decode(self.data)

    @property
    def text(self) -> str | Unreadable:
        return self._decoded[0]

    @property
    def encoding(self) -> str | None:
        """The encoding the text was decoded with (None: it could not be determined)."""
        return self._decoded[1]

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The text's lines without their ends, for snippets; none when it cannot be decoded."""
        text = self.text
        return tuple(text.splitlines()) if isinstance(text, str) else ()

    @cached_property
    def directives(self) -> Directives:
        from ..rules.noqa import NO_DIRECTIVES, scan

        # Most files have no directive: they are not tokenized (nor decoded) for it.
        if b"noqa" not in self.data.lower():
            return NO_DIRECTIVES
        text = self.text
        return scan(text) if isinstance(text, str) else NO_DIRECTIVES


def decode(data: bytes) -> str | Unreadable:
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str | Unreadable, str | None]:
    if len(data) > MAX_BYTES:
        return Unreadable(
            f"file is too large to check ({len(data) / 1e6:.1f} MB; the limit is "
            f"{MAX_BYTES / 1e6:.1f} MB)"
        ), None
    if b"\0" in data:
        line = data[: data.index(b"\0")].count(b"\n") + 1
        message = "file contains NUL bytes; it is not Python source"
        return Unreadable(message, Position(line, 1)), None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # unknown coding cookie, BOM with another cookie
        return Unreadable(f"cannot decode: {error.msg if hasattr(error, 'msg') else error}"), None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"cannot decode as {encoding}: {error.reason}"
        return Unreadable(message, Position(line, 1)), encoding
    except LookupError:
        return Unreadable(f"unknown encoding {encoding!r}"), None
    return (text[1:] if text.startswith("\ufeff") else text), encoding


def paused_collector(parse: Callable[[str], T], text: str) -> T:
    """``parse(text)`` with the garbage collector paused: a parse allocates a million objects
    and makes no reference cycles, so the collections it would set off find nothing to free
    (about 1 % of a run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return parse(text)
    finally:
        if enabled:
            gc.enable()


def parse(text: str) -> cst.Module | Unreadable:
    import libcst as cst  # here, not at the top: a run that parses nothing never loads it

    try:
        return paused_collector(cst.parse_module, text)
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
