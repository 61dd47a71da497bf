"""Reading a file: bytes to text to a libcst module, or a clear reason why not."""

from __future__ import annotations

import io
import tokenize
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
        first = str(error.message).strip().splitlines()[0] if error.message else "invalid syntax"
        return Unreadable(
            f"syntax error: {first}{hint}", Position(error.raw_line, error.raw_column + 1)
        )
    except RecursionError:
        return Unreadable("the file is nested too deeply to parse")


def _looks_like_python2(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("print ") and not stripped.startswith("print ("):
            return True
        if stripped.startswith("exec ") or " ur'" in stripped or "except " in stripped and ", e:" in stripped:
            return True
    return False
