"""Will this checkpoint restore? The simulation's variables against a checkpoint's index.

`tf.train.Saver()` (no var_list) restores every global variable of the graph from the tensor
whose name is the variable's op name. So for each graph a program builds when run as a script,
each variable it creates is looked up in the checkpoint:

- not there: restore raises `NotFoundError: ... Key X not found in checkpoint` (SL200);
- there, with another shape or dtype: restore raises `InvalidArgumentError` (SL201);
- entries no variable looks up are left alone by TF; one line per graph says how many (SL202).

Only what is known is compared: a variable whose op name or shape the simulation does not
predict is counted as unknown, and a graph with unknown variables, or in which code scopelint
cannot see ran, gets no claim about unused entries (see :class:`GraphReport`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import (
    Diagnostic,
    Severity,
    EventKind,
    FileResult,
    Position,
    RestoreCall,
    Span,
    VarEvent,
)
from .keys import closest, is_optimizer_state, unused_text
from .reader import Checkpoint, TensorEntry
from .restore_calls import restore_findings
from .rules import MISSING_KEY, SHAPE_MISMATCH, UNUSED_ENTRIES


@dataclass(frozen=True, slots=True)
class GraphReport:
    """What could not be compared in one graph (the command prints it as a note)."""

    path: str
    graph: int
    variables: int  # variables of this graph the program creates
    unknown: int  # of those, how many have an op name or a shape the simulation cannot predict
    unseen_code: bool  # code scopelint cannot see ran in this graph
    unclaimed: int  # checkpoint entries no known variable restores, left unreported


@dataclass(frozen=True, slots=True)
class Comparison:
    diagnostics: tuple[Diagnostic, ...]
    notes: tuple[GraphReport, ...]
    messages: tuple[str, ...] = ()  # other notes for stderr: restores not compared


def variables_by_graph(result: FileResult) -> dict[int, list[VarEvent]]:
    """The variables the program creates when run as a script, per graph, in creation order."""
    graphs: dict[int, list[VarEvent]] = {}
    for event in result.events:
        if event.entry != "<module>" or event.error is not None:
            continue
        if event.kind not in (EventKind.CREATE, EventKind.VARIABLE):
            continue
        graphs.setdefault(event.graph, []).append(event)
    return graphs


def _known_shape(event: VarEvent) -> bool:
    return event.shape is not None and all(isinstance(d, int) for d in event.shape)


def compare(result: FileResult, checkpoint: Checkpoint) -> Comparison:
    """The restore findings of one linted file against ``checkpoint``: each restore the
    program runs as a script, checked as TF runs it; a program that runs none is checked as
    ``tf.train.Saver().restore`` over every variable would be."""
    restores = [r for r in result.restores if r.entry == "<module>"]
    if not restores:
        return _whole_graph(result, checkpoint, None, NO_RESTORE)
    checked = [(call, _one(result, checkpoint, call)) for call in restores]
    skipped, messages = _alternatives(result.path, checked)
    diagnostics: list[Diagnostic] = []
    notes: list[GraphReport] = []
    for call, found in checked:
        if call not in skipped:
            diagnostics += found.diagnostics
            notes += found.notes
            messages += found.messages
    return Comparison(tuple(diagnostics), tuple(notes), tuple(messages))


def _one(result: FileResult, checkpoint: Checkpoint, call: RestoreCall) -> Comparison:
    if call.whole_graph:
        return _whole_graph(result, checkpoint, call, f"`{call.api}` (line {call.line})")
    if call.pairs is None:
        return Comparison((), (), (
            f"{result.path}:{call.line}: which variables `{call.api}` restores depends on "
            "values scopelint does not know: not compared",
        ))
    return Comparison(tuple(restore_findings(result, call, checkpoint)), ())


def _alternatives(path: str, checked: list) -> tuple[list, list[str]]:
    """A session restores its checkpoint directory's latest checkpoint when there is one
    (``resume``), and initialises otherwise (``init``: its Scaffold's init_fn, an Estimator's
    warm start). Which one the checkpoint given is for is not known: where a graph has both,
    the side it fits is checked (no error; else the fewer errors), the other one is skipped.
    Returns the calls skipped and a note for each choice."""
    skipped: list = []
    messages: list[str] = []
    for graph in sorted({call.graph for call, _ in checked}):
        sides = {
            when: [(c, f) for c, f in checked if c.graph == graph and c.when == when]
            for when in ("resume", "init")
        }
        if not sides["resume"] or not sides["init"]:
            continue
        errors = {
            when: sum(d.severity is Severity.ERROR for _, f in side for d in f.diagnostics)
            for when, side in sides.items()
        }
        if errors["resume"] == errors["init"] == 0:
            continue
        taken = "init" if errors["init"] <= errors["resume"] else "resume"
        other = "resume" if taken == "init" else "init"
        skipped += [c for c, _ in sides[other]]
        runs = {"resume": "when its checkpoint directory holds a checkpoint",
                "init": "when its checkpoint directory holds none"}
        for call, _ in sides[other]:
            messages.append(
                f"{path}:{call.line}: `{call.api}` not compared: it runs only {runs[other]}, "
                f"and the checkpoint fits the other way ({errors[taken]} error(s) against "
                f"{errors[other]})"
            )
    return skipped, messages


NO_RESTORE = "no restore call seen: checked as `tf.train.Saver().restore`"


def _whole_graph(
    result: FileResult, checkpoint: Checkpoint, call: RestoreCall | None, label: str
) -> Comparison:
    """Every global variable (made before ``call``'s Saver, when given) restored by op name."""
    entries = checkpoint.by_name()
    diagnostics: list[Diagnostic] = []
    notes: list[GraphReport] = []
    for graph, variables in sorted(variables_by_graph(result).items()):
        if call is not None:
            if graph != call.graph:
                continue
            variables = [v for v in variables if v.order < call.upto]
            if not variables:
                continue
        named = {v.actual for v in variables if v.actual is not None}
        # A variable made on a branch the analysis could not decide may not exist.
        known = [v for v in variables
                 if v.actual is not None and _known_shape(v) and not v.conditional]
        unknown = len(variables) - len(known)
        unused = [e for e in checkpoint.entries if e.name not in named]
        for variable in known:
            entry = entries.get(variable.actual)
            if entry is None:
                diagnostics.append(_missing(result.path, variable, checkpoint.entries, named, label))
            else:
                finding = _mismatch(result.path, variable, entry, label)
                if finding is not None:
                    diagnostics.append(finding)
        unseen = graph in result.unseen_graphs
        if unknown or unseen:
            if unknown or unused:
                notes.append(GraphReport(result.path, graph, len(variables), unknown, unseen,
                                         len(unused)))
            continue
        surprising = [e for e in unused if not is_optimizer_state(e.name)]
        if surprising:
            diagnostics.append(_unused(result.path, variables[0], graph, unused, surprising))
    return Comparison(tuple(diagnostics), tuple(notes))


def _span(variable: VarEvent) -> Span:
    if variable.span is not None:
        return variable.span
    return Span(Position(variable.line, 1), Position(variable.line, 2))


def _shape_text(shape: tuple | None) -> str:
    if shape is None:
        return "an unknown rank"
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _missing(
    path: str, variable: VarEvent, entries: tuple[TensorEntry, ...], taken: set[str], label: str
) -> Diagnostic:
    name = variable.actual or variable.name
    message = f"restore will fail: Key `{name}` not found in checkpoint"
    hint = closest(name, variable.shape, entries, taken)
    if hint is not None:
        key, cause = hint
        message += f"; the checkpoint has `{key}` ({cause})"
    return _diagnostic(MISSING_KEY, path, variable, f"{message} [{label}]")


def _mismatch(path: str, variable: VarEvent, entry: TensorEntry, label: str) -> Diagnostic | None:
    name = variable.actual
    if entry.shape is not None and tuple(variable.shape) != entry.shape:
        message = (
            f"restore will fail: `{name}` has shape {_shape_text(variable.shape)} here but "
            f"{_shape_text(entry.shape)} in the checkpoint [{label}]"
        )
        return _diagnostic(SHAPE_MISMATCH, path, variable, message)
    if variable.dtype is not None and variable.dtype != entry.dtype:
        message = (
            f"restore will fail: `{name}` has dtype {variable.dtype} here but {entry.dtype} in "
            f"the checkpoint [{label}]"
        )
        return _diagnostic(SHAPE_MISMATCH, path, variable, message)
    return None


def _unused(
    path: str, first: VarEvent, graph: int, unused: list[TensorEntry],
    surprising: list[TensorEntry],
) -> Diagnostic:
    return UNUSED_ENTRIES.diagnostic(path, unused_text(graph, unused, surprising), _span(first))


def _diagnostic(rule, path: str, variable: VarEvent, message: str) -> Diagnostic:
    return Diagnostic(
        rule.code, rule.name, rule.severity, message, path, _span(variable),
        subject=variable.actual, order=variable.order,
    )
