"""Suppression comments: `# noqa`, `# noqa: SL001, duplicate-variable`, `# scopelint: noqa`.

Comments are found with :mod:`tokenize`, so a `#` inside a string is never a directive. A line
directive applies to diagnostics whose first line is that line (for a call spread over several
lines: the line the call starts on, which is also the row scopelint reports). A file directive
(`# scopelint: noqa`, optionally with codes) applies to the whole file.

Also here: rule SL100 `unused-noqa`, reported (when selected) for a directive that names
scopelint codes, or is bare, but suppresses nothing. Codes of other tools (`E501`, `F401`) are
left alone: a shared `# noqa: E501, SL001` is normal.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..types import Diagnostic, Position, RuleInfo, Severity, Span
from . import all_rules
from .base import DOCS_URL

UNUSED_NOQA = RuleInfo(
    code="SL100",
    name="unused-noqa",
    severity=Severity.WARNING,
    summary="A `# noqa` directive for scopelint codes suppresses nothing.",
    doc=(
        "## What it does\n"
        "Finds `# noqa` comments that name scopelint codes (or are bare) but suppress no "
        "scopelint finding on their line. It is off by default: select it with "
        "`--extend-select SL100`.\n\n"
        "## Why is this bad?\n"
        "A stale suppression hides the next real mistake made on that line, and a bare `# noqa` "
        "hides every rule. When code is fixed or moved, its `noqa` should go too. Codes of "
        "other tools (`E501`, `F401`) are never reported.\n\n"
        "## Example\n"
        "```python\n"
        'with tf.variable_scope("enc", reuse=tf.AUTO_REUSE):\n'
        '    w = tf.get_variable("w", [3])  # noqa: SL001\n'
        "```\n\n"
        "Use instead:\n"
        "```python\n"
        'with tf.variable_scope("enc", reuse=tf.AUTO_REUSE):\n'
        '    w = tf.get_variable("w", [3])\n'
        "```"
    ),
    url=DOCS_URL.format(anchor="sl100-unused-noqa"),
)

# Accepted spellings (shown without their leading hash so that no tool reads this as one):
# `noqa`, `noqa:SL001`, `NOQA: SL001, duplicate-variable  some reason`. A directive may sit
# after other text in the same comment (`type: ignore` then the directive). Codes are letters then
# digits; names are kebab-case with at least one hyphen, so a trailing reason is not a name.
_ITEM = r"(?:[A-Za-z]+[0-9]+|[a-z][a-z0-9]*(?:-[a-z0-9]+)+)"
_LIST = rf"(?P<codes>{_ITEM}(?:[\s,]+{_ITEM})*)"
_LINE = re.compile(rf"#\s*noqa(?:(?::\s*|[ \t]+){_LIST}|:)?", re.IGNORECASE)
_FILE = re.compile(rf"#\s*scopelint\s*:\s*noqa(?:(?::\s*|[ \t]+){_LIST})?", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,]+")
_SCOPELINT_CODE = re.compile(r"SL[0-9]+")


@dataclass(frozen=True, slots=True)
class Directive:
    """One `# noqa` comment. ``codes`` is None for a bare directive (suppresses everything)."""

    row: int
    span: Span  # where the directive text is, for SL100
    codes: tuple[str, ...] | None  # as written, normalised: SL codes upper, names lower
    resolved: frozenset[str] | None  # scopelint codes it names (names mapped to codes)


@dataclass(frozen=True, slots=True)
class Directives:
    lines: Mapping[int, Directive]
    file_codes: frozenset[str] | None = frozenset()  # None: the whole file is exempt

    @property
    def empty(self) -> bool:
        return not self.lines and self.file_codes == frozenset()


NO_DIRECTIVES = Directives({})


def _selector_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for info in (*all_rules(), UNUSED_NOQA):
        table[info.code] = info.code
        table[info.name] = info.code
    return table


_TABLE = _selector_table()  # built once at import: the rule set never changes during a run


def _normalise(item: str) -> str:
    return item.upper() if re.fullmatch(r"[A-Za-z]+[0-9]+", item) else item.lower()


def _parse_codes(text: str | None) -> tuple[tuple[str, ...], frozenset[str]]:
    items = tuple(_normalise(i) for i in _SPLIT.split(text.strip()) if i) if text else ()
    return items, frozenset(_TABLE[i] for i in items if i in _TABLE)


def _comments(text: str) -> Iterable[tokenize.TokenInfo]:
    """Every real comment token. A file that does not tokenize yields what came before the error.

    SL900 files (syntax errors) still get their directives up to the broken line, so a
    `# scopelint: noqa` at the top of a Python 2 file silences its SL900.
    """
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                yield token
    except (tokenize.TokenError, SyntaxError):
        return


def scan(text: str) -> Directives:
    lines: dict[int, Directive] = {}
    file_codes: set[str] | None = set()
    for token in _comments(text):
        comment = token.string
        row, col = token.start
        file_match = _FILE.search(comment)
        if file_match is not None:
            codes = file_match.group("codes")
            if codes is None:
                file_codes = None
            elif file_codes is not None:
                file_codes |= _parse_codes(codes)[1]
            continue
        match = _LINE.search(comment)
        if match is None:
            continue
        raw = match.group("codes")
        items, resolved = _parse_codes(raw)
        start = col + match.start() + 1
        span = Span(Position(row, start), Position(row, col + match.end() + 1))
        if not items:
            # Bare (or a colon with no codes after it, which flake8 also reads as bare).
            lines[row] = Directive(row, span, None, None)
        else:
            lines[row] = Directive(row, span, items, resolved)
    return Directives(lines, None if file_codes is None else frozenset(file_codes))


def _suppresses(directive: Directive | None, code: str) -> bool:
    return directive is not None and (directive.resolved is None or code in directive.resolved)


def apply(
    diagnostics: Iterable[Diagnostic], directives: Directives
) -> tuple[list[Diagnostic], set[tuple[int, str]]]:
    """Split off suppressed diagnostics. Returns the kept ones and the (row, code) pairs that a
    line directive suppressed, which is what SL100 needs."""
    kept: list[Diagnostic] = []
    used: set[tuple[int, str]] = set()
    file_codes = directives.file_codes
    for diagnostic in diagnostics:
        if file_codes is None or diagnostic.code in file_codes:
            continue
        row = diagnostic.span.start.row
        if _suppresses(directives.lines.get(row), diagnostic.code):
            used.add((row, diagnostic.code))
            continue
        kept.append(diagnostic)
    return kept, used


def unused(path: str, directives: Directives, used: set[tuple[int, str]]) -> list[Diagnostic]:
    """SL100 findings: line directives that suppressed nothing they name.

    ``used`` counts suppressions of any scopelint finding, selected or not: a `# noqa: SL003`
    that silences a real SL003 is in use even in a run that only selects SL001.
    """
    file_codes = directives.file_codes
    if file_codes is None or UNUSED_NOQA.code in file_codes:
        return []
    used_rows = {row for row, _ in used}
    out = []
    for row, directive in sorted(directives.lines.items()):
        if directive.resolved is not None and UNUSED_NOQA.code in directive.resolved:
            continue  # the directive names SL100 itself: the user keeps it on purpose
        if directive.codes is None:
            if row not in used_rows:
                out.append(_unused(path, directive, "Unused blanket `noqa` directive"))
            continue
        stale = [
            item
            for item in directive.codes
            if item in _TABLE
            and _TABLE[item] != UNUSED_NOQA.code
            and (row, _TABLE[item]) not in used
        ]
        unknown = [i for i in directive.codes if i not in _TABLE and _SCOPELINT_CODE.fullmatch(i)]
        parts = []
        if stale:
            parts.append("unused: " + ", ".join(f"`{c}`" for c in stale))
        if unknown:
            parts.append("unknown: " + ", ".join(f"`{c}`" for c in unknown))
        if parts:
            out.append(_unused(path, directive, f"Unused `noqa` directive ({'; '.join(parts)})"))
    return out


def _unused(path: str, directive: Directive, message: str) -> Diagnostic:
    return UNUSED_NOQA.diagnostic(path, message, directive.span)
