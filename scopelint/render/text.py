"""Human-readable output: `full` (default), `concise`, `--statistics`, `--show-variables`.

Colour is decided by the caller (a TTY and no NO_COLOR); these functions only apply it.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from ..types import Diagnostic, FileResult, Severity, Span, VarEvent
from .context import RenderContext, diagnostics_of

TAB_WIDTH = 4

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_YELLOW = "\x1b[33m"
_BLUE = "\x1b[34m"
_CYAN = "\x1b[36m"


def _paint(text: str, style: str, ctx: RenderContext) -> str:
    return f"{style}{text}{_RESET}" if ctx.color and text else text


def _severity_style(diagnostic: Diagnostic) -> str:
    return _BOLD + (_RED if diagnostic.severity is Severity.ERROR else _YELLOW)


def _location(path: str, span: Span, ctx: RenderContext) -> str:
    return (
        _paint(path, _BOLD, ctx)
        + _paint(":", _CYAN, ctx)
        + f"{span.start.row}"
        + _paint(":", _CYAN, ctx)
        + f"{span.start.column}"
        + _paint(":", _CYAN, ctx)
    )


def footer(count: int, incomplete: bool = False) -> str:
    if count == 0:
        return "" if incomplete else "All checks passed!\n"
    return f"Found {count} error{'s' if count != 1 else ''}.\n"


def render_concise(results: Sequence[FileResult], ctx: RenderContext) -> str:
    diagnostics = diagnostics_of(results)
    out = [
        f"{_location(d.path, d.span, ctx)} {_paint(d.code, _severity_style(d), ctx)} {d.message}\n"
        for d in diagnostics
    ]
    if not ctx.quiet:
        out.append(footer(len(diagnostics), ctx.incomplete))
    return "".join(out)


def render_full(results: Sequence[FileResult], ctx: RenderContext) -> str:
    diagnostics = diagnostics_of(results)
    out: list[str] = []
    for diagnostic in diagnostics:
        out.extend(_full(diagnostic, ctx))
        out.append("")
    text = "".join(line.rstrip() + "\n" for line in out)
    if not ctx.quiet:
        text += footer(len(diagnostics), ctx.incomplete)
    return text


def _full(d: Diagnostic, ctx: RenderContext) -> list[str]:
    """The location line, then one source block: the finding's line marked `^`, each related
    place ("first created here", "first call") marked `-` with its label."""
    style = _severity_style(d)
    head = (
        f"{_location(d.path, d.span, ctx)} {_paint(d.code, style, ctx)} "
        f"{_paint('[' + d.name + ']', _BOLD, ctx)} {d.message}"
    )
    rows = [d.span.start.row, *(r.span.start.row for r in d.related)]
    width = len(str(max(rows)))
    gutter = _paint(f"{' ' * width} |", _BLUE, ctx)
    body = _marked(ctx.lines(d.path), d.span, "^", d.code, width, style, ctx)
    # The place whose source line was printed last: a related place on that same line (a
    # function called twice: the duplicate and "first created here" are one line) gets only
    # its marker, under the line already shown, not the line a second time.
    shown = (d.path, d.span.start.row) if body else None
    for related in d.related:
        if related.path != d.path:
            location = f"{related.path}:{related.span.start.row}:{related.span.start.column}"
            body.append(_paint(f"{' ' * width} :::", _BLUE, ctx) + f" {location}")
        marked = _marked(
            ctx.lines(related.path), related.span, "-", related.message, width, _BLUE, ctx
        )
        if not marked:  # no source to show: the label and place alone
            location = f"{related.path}:{related.span.start.row}:{related.span.start.column}"
            marked = [f"{' ' * width} = {related.message}: {location}"]
            shown = None
        elif shown == (related.path, related.span.start.row) and related.path == d.path:
            marked = marked[1:]
        else:
            shown = (related.path, related.span.start.row)
        body += marked
    if not body:
        return [head]
    return [head, gutter, *body, gutter]


def _marked(
    lines: Sequence[str],
    span: Span,
    marker: str,
    label: str,
    width: int,
    style: str,
    ctx: RenderContext,
) -> list[str]:
    """The span's first line and a marker under the span (to the end of the line when the span
    goes on). Nothing when the source is not available, e.g. a file that could not be decoded."""
    row = span.start.row
    if not 1 <= row <= len(lines):
        return []
    raw = lines[row - 1]
    start = min(span.start.column - 1, len(raw))
    end = span.end.column - 1 if span.end.row == row else len(raw.rstrip())
    end = max(min(end, len(raw)), start + 1)
    # Tabs are expanded so that the marker lines up under the text it points at.
    shown = raw.expandtabs(TAB_WIDTH)
    left = len(raw[:start].expandtabs(TAB_WIDTH))
    right = len(raw[:end].expandtabs(TAB_WIDTH))
    gutter = _paint(f"{' ' * width} |", _BLUE, ctx)
    underline = _paint(marker * max(right - left, 1), style, ctx)
    return [
        _paint(f"{row:>{width}} |", _BLUE, ctx) + f" {shown}",
        f"{gutter} {' ' * left}{underline} {_paint(label, style, ctx)}",
    ]


def render_statistics(results: Sequence[FileResult], ctx: RenderContext) -> str:
    """ruff's `--statistics`: `count<TAB>code<TAB>name`, most frequent first."""
    diagnostics = diagnostics_of(results)
    counts = Counter((d.code, d.name) for d in diagnostics)
    if not counts:
        return ""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    count_width = max(len(str(n)) for n in counts.values())
    code_width = max(len(code) for code, _ in counts)
    return "".join(
        f"{n:>{count_width}}\t{code:<{code_width}}\t{name}\n" for (code, name), n in ordered
    )


def render_variables(results: Sequence[FileResult], ctx: RenderContext) -> str:
    """`--show-variables`: every variable the simulator predicts, per file, in execution order."""
    out: list[str] = []
    for result in sorted(results, key=lambda r: r.path):
        if not result.events:
            continue
        out.append(_paint(result.path, _BOLD, ctx) + "\n")
        out.extend(_variable_rows(result.events))
    return "".join(out)


def _variable_rows(events: Sequence[VarEvent]) -> list[str]:
    line_width = max(len(str(e.line)) for e in events)
    kind_width = max(len(e.kind.value) for e in events)
    name_width = max(len(e.name) for e in events)
    rows = []
    for event in events:
        if event.error is not None:
            actual = f"fails: {event.error}"  # TF raises here: no variable
        else:
            actual = event.actual if event.actual is not None else "?"
            actual += _shape_and_dtype(event)
        where = []
        if event.conditional:
            where.append("on some paths")
        if event.entry != "<module>":
            where.append(f"in {event.entry}")
        if event.graph:
            where.append(f"graph {event.graph}")
        suffix = f"  [{', '.join(where)}]" if where else ""
        rows.append(
            f"  {event.line:>{line_width}}  {event.kind.value:<{kind_width}}  "
            f"{event.name:<{name_width}}  -> {actual}{suffix}\n"
        )
    return rows


def _shape_and_dtype(event: VarEvent) -> str:
    """`  (8, 16) float32` beside a variable: what is predicted of its shape (`?` for a dimension
    not predicted) and dtype."""
    parts = []
    if event.shape is not None:
        dims = ", ".join("?" if d is None else str(d) for d in event.shape)
        parts.append(f"({dims},)" if len(event.shape) == 1 else f"({dims})")
    if event.dtype is not None:
        parts.append(event.dtype)
    return "  " + " ".join(parts) if parts else ""
