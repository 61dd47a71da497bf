"""What hovering over a line shows: the variables the call under the cursor creates or looks up
(full name, shape, dtype, created or reused, where first created), and the variable scope it
opens (full name, reuse). Built from the same predictions as `--show-variables`.

Positions are 1-based rows and columns counting characters, as in :mod:`scopelint.types`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import EventKind, FileResult, Position, ScopeInfo, Span, VarEvent

MAX_ROWS = 24  # a hover is read at a glance; the rest is counted

_ERRORS = {
    "SL001": "fails: already exists (SL001)",
    "SL002": "fails: does not exist (SL002)",
    "SL005": "fails: dtype differs from the shared variable (SL005)",
    "SL006": "fails: shape differs from the shared variable (SL006)",
}


@dataclass(frozen=True)
class Hover:
    markdown: str
    span: Span  # the call the hover is about


def _contains(span: Span, at: Position) -> bool:
    return span.start <= at < span.end


def _size(span: Span) -> tuple[int, int]:
    return (span.end.row - span.start.row, span.end.column - span.start.column)


def hover(result: FileResult, at: Position) -> Hover | None:
    """The hover for the innermost call at ``at`` that creates or looks up variables or opens a
    variable scope (directly, or through a function of this file it calls); None if none."""
    spans = {s for e in result.events for s in (e.span, *e.via) if s is not None}
    spans.update(s.span for s in result.scopes)
    candidates = {s for s in spans if _contains(s, at)}
    if not candidates:  # elsewhere on the line (`w = ...`): the calls of that line
        candidates = {s for s in spans if s.start.row <= at.row <= s.end.row}
    if not candidates:
        return None
    span = min(candidates, key=lambda s: (_size(s), s.start))
    direct = [e for e in result.events if e.span == span]
    through = [e for e in result.events if span in e.via and e.span != span]
    scopes = [s for s in result.scopes if s.span == span]
    parts = [_scope_lines(scopes)] if scopes else []
    if direct:
        parts.append(_variable_lines(direct, result.events, "this call"))
    if through:
        parts.append(_variable_lines(through, result.events, "in the functions this call runs"))
    return Hover("\n\n".join(p for p in parts if p), span)


def _scope_lines(scopes: list[ScopeInfo]) -> str:
    rows = []
    for scope in _unique(scopes, lambda s: (s.name, s.reuse, s.conditional, s.entry, s.graph)):
        name = f"`{scope.name}`" if scope.name is not None else "a scope whose name is not known"
        rows.append(f"- {name}, reuse `{scope.reuse}`{_where(scope)}")
    title = (
        "**variable scope**"
        if len(rows) == 1
        else f"**variable scopes** (entered {len(scopes)} times)"
    )
    return title + "\n\n" + "\n".join(rows)


def _variable_lines(events: list[VarEvent], everything: tuple[VarEvent, ...], what: str) -> str:
    created = sum(1 for e in events if e.kind is EventKind.CREATE and e.error is None)
    reused = sum(1 for e in events if e.kind is EventKind.REUSE and e.error is None)
    made = sum(1 for e in events if e.kind is EventKind.VARIABLE)
    failed = sum(1 for e in events if e.error is not None)
    counts = [
        f"{n} {label}"
        for n, label in (
            (created, "created"),
            (reused, "reused"),
            (made, "tf.Variable"),
            (failed, "failing"),
        )
        if n
    ]
    title = f"**variables** ({what}: {', '.join(counts)})"
    unique = _unique(
        events,
        lambda e: (
            e.kind,
            e.name,
            e.actual,
            e.shape,
            e.dtype,
            e.error,
            e.conditional,
            e.entry,
            e.graph,
        ),
    )
    rows = [_variable_row(e, everything) for e in unique[:MAX_ROWS]]
    if len(unique) > MAX_ROWS:
        rows.append(f"- ... and {len(unique) - MAX_ROWS} more")
    return title + "\n\n" + "\n".join(rows)


def _variable_row(event: VarEvent, everything: tuple[VarEvent, ...]) -> str:
    if event.error is not None:
        verb = _ERRORS.get(event.error, f"fails ({event.error})")
    elif event.kind is EventKind.VARIABLE:
        verb = "new `tf.Variable` (never shared)"
    else:
        verb = "created" if event.kind is EventKind.CREATE else "reused"
    name = event.name if event.name != "?" else None
    text = f"`{name}`" if name is not None else "a variable whose name is not known"
    if event.actual is not None and event.actual != event.name:
        text += f" (TF names it `{event.actual}`)"
    if event.error is None:
        details = [_shape(event.shape), f"`{event.dtype}`" if event.dtype else "dtype not known"]
        row = f"- {text}: {', '.join(details)}; {verb}"
    else:  # TF raises: no variable comes of the call
        row = f"- {text}: {verb}"
    if event.kind is EventKind.REUSE and event.error != "SL002":
        row += "; " + _first_created(event, everything)
    return row + _where(event)


def _shape(shape: tuple | None) -> str:
    if shape is None:
        return "shape not known"
    dims = ", ".join("?" if d is None else str(d) for d in shape)
    return f"shape `({dims},)`" if len(shape) == 1 else f"shape `({dims})`"


def _first_created(event: VarEvent, everything: tuple[VarEvent, ...]) -> str:
    for other in everything:
        if other.order >= event.order:
            break
        if (
            other.kind is EventKind.CREATE
            and other.error is None
            and other.name == event.name
            and other.graph == event.graph
        ):
            return f"first created at line {_line(other)}"
    return "first created where this file's analysis cannot see"


def _line(event: VarEvent) -> str:
    line = str(event.line)
    if event.via:  # made inside a function of this file: the call that ran it
        line += f" (through the call at line {event.via[0].start.row})"
    return line


def _where(item: VarEvent | ScopeInfo) -> str:
    notes = []
    if item.conditional:
        notes.append("on some paths")
    if item.entry != "<module>":
        notes.append(f"when `{item.entry}` runs with an unknown caller")
    if item.graph:
        notes.append(f"graph {item.graph}")
    return f" _({', '.join(notes)})_" if notes else ""


def _unique(items: list, key) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())
