"""One file from its source to diagnostics: decode, parse, simulate, run the rules, place the
findings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..events import (
    AlreadyExists,
    DoesNotExist,
    Restore,
    ShareMismatch,
    StoreCreate,
    StoreReuse,
    TfVariable,
)
from ..read import source
from ..resolve.project import ProjectIndex
from ..rules import RULES, Report, file_error
from ..types import (
    Diagnostic,
    EventKind,
    FileResult,
    Position,
    Related,
    RestoreCall,
    RestorePair,
    ScopeInfo,
    Span,
    VarEvent,
)

if TYPE_CHECKING:
    import libcst as cst

    from ..events import Trace

_RULES = tuple(rule() for rule in RULES)  # built once: rules hold no per-file state
_INFO = {rule.code: rule.info() for rule in RULES}


def may_use_tf(data: bytes) -> bool:
    """A cheap byte test: a file that never mentions tensorflow is not simulated."""
    return b"tensorflow" in data


def check_bytes(
    data: bytes, path: str, *, with_events: bool = False, project: ProjectIndex | None = None
) -> FileResult:
    """Lint one file's bytes (see :func:`check_source`)."""
    return check_source(source.Source(data), path, with_events=with_events, project=project)


def check_source(
    read: source.Source,
    path: str,
    *,
    with_events: bool = False,
    project: ProjectIndex | None = None,
) -> FileResult:
    """Lint one file. ``project`` is the run's index of modules, for calls across files."""
    data, text = read.data, read.text
    if isinstance(text, source.Unreadable):
        return FileResult(path, (file_error(path, text.message, text.position),), analysed=False)
    file_path = Path(path)
    if project is not None and project.files:
        if not project.uses_tf(file_path, data):
            return FileResult(path, analysed=False)
    elif not may_use_tf(data):
        return FileResult(path, analysed=False)
    module = project.parsed(file_path, data) if project is not None else None
    if module is None:
        module = source.parse(text)
    if isinstance(module, source.Unreadable):
        return FileResult(path, (file_error(path, module.message, module.position),), analysed=False)
    if project is not None:
        project.remember(file_path, data, module, text)
    # Loaded here, not at the top: runs that simulate nothing (all cached, no TF) never need them.
    from libcst.metadata import MetadataWrapper, PositionProvider

    from ..interp.interpreter import Interpreter
    from ..tf import HOOKS

    try:
        trace = Interpreter(module, HOOKS, file_path, project).run()
        reports = [(rule, report) for rule in _RULES for report in rule.check(trace)]
    except RecursionError:
        return FileResult(
            path, (file_error(path, "the file is nested too deeply to analyse"),), analysed=False
        )
    if not reports and not with_events:
        return FileResult(path)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    diagnostics = _diagnostics(path, reports, positions)
    events = _events(trace, positions) if with_events else ()
    unseen = tuple(sorted(trace.unseen_graphs)) if with_events else ()
    restores = _restores(trace, positions) if with_events else ()
    scopes = _scopes(trace, positions) if with_events else ()
    return FileResult(
        path, diagnostics, events, unseen_graphs=unseen, restores=restores, scopes=scopes
    )


def _span(positions, node: cst.CSTNode) -> Span:
    code_range = positions[node]
    return Span(
        Position(code_range.start.line, code_range.start.column + 1),
        Position(code_range.end.line, code_range.end.column + 1),
    )


def _diagnostics(path: str, reports: list, positions) -> tuple[Diagnostic, ...]:
    seen: dict[tuple, Diagnostic] = {}
    for rule, report in reports:
        report: Report
        lines = [_span(positions, node).start.row for node, _ in report.related]
        message = report.message.format(*lines)
        span = _span(positions, report.site.node)
        key = (rule.code, span)
        if key in seen and seen[key].order <= report.site.order:
            continue
        seen[key] = Diagnostic(
            code=rule.code,
            name=rule.name,
            severity=rule.severity,
            message=message,
            path=path,
            span=span,
            related=tuple(
                Related(path, _span(positions, node), note) for node, note in report.related
            ),
            subject=report.subject,
            order=report.site.order,
        )
    return tuple(sorted(seen.values(), key=Diagnostic.sort_key))


# Calls that raise in TF, as --show-variables lists them: (kind of call, the error's code).
_FAILURES = {AlreadyExists: (EventKind.CREATE, "SL001"), DoesNotExist: (EventKind.REUSE, "SL002")}


def _events(trace: Trace, positions) -> tuple[VarEvent, ...]:
    out = []
    failed: tuple | None = None  # (order, key) of the last get_variable that raises
    for event in trace.events:
        error, shape, dtype = None, None, None
        if isinstance(event, (StoreCreate, StoreReuse, TfVariable)):
            if isinstance(event, StoreReuse) and failed == (event.site.order - 1, event.key):
                continue  # the same call as the failure just listed: it returns nothing in TF
            shape, dtype, actual = event.shape, event.dtype, event.actual
            if isinstance(event, TfVariable):
                kind, name = EventKind.VARIABLE, event.requested or event.actual or "?"
            else:
                kind = EventKind.CREATE if isinstance(event, StoreCreate) else EventKind.REUSE
                name = event.key
        elif isinstance(event, (AlreadyExists, DoesNotExist, ShareMismatch)):
            if isinstance(event, ShareMismatch):
                kind, error = EventKind.REUSE, "SL006" if event.what == "shape" else "SL005"
            else:
                kind, error = _FAILURES[type(event)]
            name, actual = event.key, None
            failed = (event.site.order, event.key)
        else:
            continue
        line = positions[event.site.node].start.line
        out.append(VarEvent(
            kind, name, actual, line, event.site.entry, event.site.graph, event.site.order, error,
            tuple(shape) if isinstance(shape, tuple) else None, dtype,
            _span(positions, event.site.node), event.site.conditional,
            _via(event.site.stack, positions),
        ))
    return tuple(out)


def _restores(trace: Trace, positions) -> tuple[RestoreCall, ...]:
    out = []
    for event in trace.events:
        if not isinstance(event, Restore):
            continue
        pairs = None
        if event.pairs is not None:
            pairs = tuple(RestorePair(*pair) for pair in event.pairs)
        span = _span(positions, event.site.node)
        out.append(RestoreCall(
            event.api, pairs, span.start.row, span, event.site.entry, event.site.graph,
            event.site.order, event.site.conditional, event.ignore_missing, event.whole_graph,
            event.upto, tuple(event.problems), event.when,
        ))
    return tuple(out)
def _via(stack: tuple, positions) -> tuple[Span, ...]:
    # Frames whose call lies in another module (a helper calling a helper) have no position here.
    return tuple(_span(positions, frame.call) for frame in stack if frame.call in positions)


def _reuse_text(reuse: object) -> str:
    from ..interp.values import AUTO, UNKNOWN  # loaded with the interpreter, see check_bytes

    if reuse is AUTO:
        return "AUTO_REUSE"
    if reuse is UNKNOWN or reuse not in (True, False, None):
        return "unknown"
    return str(bool(reuse))


def _scopes(trace: Trace, positions) -> tuple[ScopeInfo, ...]:
    return tuple(
        ScopeInfo(
            scope.name, _reuse_text(scope.reuse), _span(positions, scope.site.node),
            scope.site.entry, scope.site.graph, scope.site.conditional,
        )
        for scope in trace.scopes
    )
