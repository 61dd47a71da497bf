"""The edits behind the code actions: "ignore SLxxx on this line" (adds a `# noqa` comment or
extends the one there) and, for SL100, removing what a `# noqa` names in vain.

Directives are found with :mod:`scopelint.rules.noqa`, as the linter reads them. Positions are 1-based
rows and columns counting characters, end exclusive, as in :mod:`scopelint.types`.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

from ..rules import noqa
from ..types import Position, Span


@dataclass(frozen=True)
class Edit:
    span: Span  # the text replaced (empty: an insertion)
    text: str


def _line(text: str, row: int) -> str | None:
    lines = text.splitlines()
    return lines[row - 1] if 0 < row <= len(lines) else None


def ignore(text: str, row: int, code: str) -> Edit | None:
    """Suppress ``code`` on ``row`` (the first line of the finding, where noqa applies)."""
    line = _line(text, row)
    if line is None:
        return None
    directive = noqa.scan(text).lines.get(row)
    if directive is not None:
        if directive.codes is None:
            return None  # a bare noqa suppresses everything already
        end = directive.span.end
        return Edit(Span(end, end), f", {code}")
    content = line.rstrip()
    if content.endswith("\\"):
        return None  # a comment after a line continuation would end the statement
    start = Position(row, len(content) + 1)
    return Edit(Span(start, Position(row, len(line) + 1)), f"  # noqa: {code}")


_NAMED = re.compile(r"`([^`]+)`")


def remove_unused(text: str, row: int, message: str) -> Edit | None:
    """For an SL100 finding on ``row``: drop the codes its ``message`` names as unused or
    unknown (the codes of other tools stay), or the whole directive when nothing is left."""
    line = _line(text, row)
    directive = noqa.scan(text).lines.get(row)
    if line is None or directive is None:
        return None
    named = set(_NAMED.findall(message))
    kept = [] if directive.codes is None else [c for c in directive.codes if c not in named]
    start, end = directive.span.start, directive.span.end
    if kept:
        return Edit(Span(start, end), "# noqa: " + ", ".join(kept))
    # The whole directive goes, with the blanks before it; when the comment begins with it, the
    # rest of the comment (a reason) goes too, else the text before it in the comment stays.
    cut = len(line[: start.column - 1].rstrip()) + 1
    whole = _comment_start(text, row) == start.column
    return Edit(Span(Position(row, cut), Position(row, len(line) + 1 if whole else end.column)), "")


def _comment_start(text: str, row: int) -> int | None:
    """The column where the comment on ``row`` begins (a `#` in a string is not one)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] == row:
                return token.start[1] + 1
    except (tokenize.TokenError, SyntaxError):
        return None
    return None
