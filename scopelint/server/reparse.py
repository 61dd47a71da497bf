"""Parsing an edited document again, top-level statements the edit did not touch kept as they
were: libcst parses a whole file each time, which is half of an edit's latency on a large module.

The old and the new text share a prefix and a suffix; the top-level statements that the
changed middle touches (and one more on each side) are parsed again, as a module of their own,
and spliced between the old statements before and after them. Comments and blank lines that
such a module keeps as its header or footer go where a parse of the whole file puts them: to
the statement that follows. Whatever cannot be spliced with certainty (an edit in the file's
header, text that no longer parses on its own) is parsed whole.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import libcst as cst

MARGIN = 1  # statements parsed again around the changed ones


@dataclass(frozen=True)
class Tree:
    """A document's text, its module, and the length of each part of it in characters."""

    text: str
    module: cst.Module
    header: int
    lengths: tuple[int, ...]  # one per top-level statement
    footer: int


def measure(text: str, module: cst.Module) -> Tree | None:
    """A :class:`Tree` for a module parsed whole from ``text``; None when libcst does not print
    the module back as ``text`` (it happens), so that its parts' lengths are no offsets."""
    header, lengths, footer = _lengths(module, module.header, module.body, module.footer)
    return (
        Tree(text, module, header, lengths, footer)
        if header + sum(lengths) + footer == len(text)
        else None
    )


def _lengths(module: cst.Module, header, body, footer) -> tuple[int, tuple[int, ...], int]:
    def size(lines) -> int:
        return sum(len(module.code_for_node(line)) for line in lines)

    return size(header), tuple(len(module.code_for_node(s)) for s in body), size(footer)


def _body_lengths(module: cst.Module, part: cst.Module, body: list, size: int) -> list[int]:
    """The length of each statement of ``body`` (``part``'s, which printed is ``size`` long):
    all but the longest printed, that one the rest (printing a large class costs)."""
    longest = max(
        range(len(body)),
        key=lambda i: (
            len(part.body[i].body.body)
            if isinstance(part.body[i], cst.BaseCompoundStatement)
            and isinstance(part.body[i].body, cst.IndentedBlock)
            else 0
        ),
    )
    lengths = [0 if i == longest else len(module.code_for_node(s)) for i, s in enumerate(body)]
    # The header went into the first statement's leading lines: only the footer is apart.
    rest = sum(len(part.code_for_node(line)) for line in part.footer)
    lengths[longest] = size - rest - sum(lengths)
    return lengths


def reparse(old: Tree, text: str) -> Tree | None:
    """``text`` parsed, reusing what ``old`` has of it; None when it must be parsed whole (or
    does not parse)."""
    before, after = old.text, text
    if before == after:
        return old
    if not after.endswith("\n"):
        # libcst prints the last statement with a newline the text lacks: its parts' lengths
        # would not add up to the text (``measure``), so the text is parsed whole.
        return None
    limit = min(len(before), len(after))
    prefix = len(os.path.commonprefix([before, after]))
    suffix = min(len(os.path.commonprefix([before[::-1], after[::-1]])), limit - prefix)
    starts = [old.header]
    for length in old.lengths:
        starts.append(starts[-1] + length)
    body_end = starts[-1]
    if not old.lengths or prefix <= old.header:
        # The file's header changed, or what precedes the first statement, which a whole
        # parse may take into the header: parsed whole.
        return None
    changed_end = len(before) - suffix
    first = (
        max(i for i, start in enumerate(starts[:-1]) if start <= prefix)
        if prefix < body_end
        else len(old.lengths) - 1
    )
    last = (
        next((i for i, start in enumerate(starts[:-1]) if start >= changed_end), len(old.lengths))
        - 1
    )
    first = max(0, first - MARGIN)
    last = min(len(old.lengths) - 1, max(last, first) + MARGIN)
    to_end = last == len(old.lengths) - 1  # the footer is parsed again with the last statement
    old_from = starts[first]
    old_to = len(before) if to_end else starts[last + 1]
    new_to = len(after) - (len(before) - old_to)
    if new_to < old_from or changed_end > old_to or prefix < old_from:
        return None
    try:
        part = cst.parse_module(after[old_from:new_to])
    except cst.ParserSyntaxError:
        return None
    if not part.body or (part.default_indent, part.default_newline) != (
        old.module.default_indent,
        old.module.default_newline,
    ):
        return None  # the new statements would print with the module's defaults, not theirs
    body = list(part.body)
    body[0] = body[0].with_changes(leading_lines=(*part.header, *body[0].leading_lines))
    kept_after = list(old.module.body[last + 1 :])
    footer = old.module.footer
    if to_end:
        footer = part.footer
    elif part.footer:
        kept_after[0] = kept_after[0].with_changes(
            leading_lines=(*part.footer, *kept_after[0].leading_lines)
        )
    module = old.module.with_changes(
        body=(*old.module.body[:first], *body, *kept_after),
        footer=footer,
        has_trailing_newline=part.has_trailing_newline
        if to_end
        else old.module.has_trailing_newline,
    )
    new_lengths = _body_lengths(module, part, body, new_to - old_from)
    lengths = list(old.lengths[:first]) + list(new_lengths) + list(old.lengths[last + 1 :])
    if kept_after and not to_end:
        lengths[first + len(body)] += sum(len(module.code_for_node(line)) for line in part.footer)
    footer_length = len(after) - old.header - sum(lengths)
    tree = Tree(after, module, old.header, tuple(lengths), footer_length)
    return tree if footer_length >= 0 else None
