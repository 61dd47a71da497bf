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

import re
from dataclasses import dataclass

from .checkpoint import Checkpoint, TensorEntry
from .rules.checkpoint_rules import MISSING_KEY, SHAPE_MISMATCH, UNUSED_ENTRIES
from .types import Diagnostic, EventKind, FileResult, Position, Span, VarEvent

# Checkpoint entries a training program saves besides its model's weights: optimizer slots
# (`w/Adam`, `w/Adam_1`, `w/Momentum`, ...), the Adam beta powers, the step counter, moving
# averages. A program restoring for inference does not create them, as expected.
_SLOT_NAMES = (
    "Adam", "Adam_1", "Momentum", "RMSProp", "RMSProp_1", "Adagrad", "AdagradDA",
    "AdagradDA_1", "Adadelta", "Adadelta_1", "Ftrl", "Ftrl_1", "ProximalAdagrad",
    "ExponentialMovingAverage", "Nadam", "Nadam_1",
)
_OPTIMIZER_STATE = re.compile(
    r"(^|/)(global_step|beta1_power|beta2_power|beta1_power_\d+|beta2_power_\d+)$"
    r"|/(" + "|".join(_SLOT_NAMES) + r")$"
)
_NUMBERED = re.compile(r"^(.*?)(?:_(\d+))?$")
SHOWN_UNUSED = 5  # entries named in the SL202 line; the rest are counted


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


def is_optimizer_state(name: str) -> bool:
    return _OPTIMIZER_STATE.search(name) is not None


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
    """The restore findings of one linted file against ``checkpoint``."""
    entries = checkpoint.by_name()
    diagnostics: list[Diagnostic] = []
    notes: list[GraphReport] = []
    for graph, variables in sorted(variables_by_graph(result).items()):
        named = {v.actual for v in variables if v.actual is not None}
        known = [v for v in variables if v.actual is not None and _known_shape(v)]
        unknown = len(variables) - len(known)
        unused = [e for e in checkpoint.entries if e.name not in named]
        for variable in known:
            entry = entries.get(variable.actual)
            if entry is None:
                diagnostics.append(_missing(result.path, variable, checkpoint.entries, named))
            else:
                finding = _mismatch(result.path, variable, entry)
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
    path: str, variable: VarEvent, entries: tuple[TensorEntry, ...], taken: set[str]
) -> Diagnostic:
    name = variable.actual or variable.name
    message = f"restore will fail: Key `{name}` not found in checkpoint"
    hint = closest(name, variable.shape, entries, taken)
    if hint is not None:
        key, cause = hint
        message += f"; the checkpoint has `{key}` ({cause})"
    return _diagnostic(MISSING_KEY, path, variable, message)


def _mismatch(path: str, variable: VarEvent, entry: TensorEntry) -> Diagnostic | None:
    name = variable.actual
    if entry.shape is not None and tuple(variable.shape) != entry.shape:
        message = (
            f"restore will fail: `{name}` has shape {_shape_text(variable.shape)} here but "
            f"{_shape_text(entry.shape)} in the checkpoint"
        )
        return _diagnostic(SHAPE_MISMATCH, path, variable, message)
    if variable.dtype is not None and variable.dtype != entry.dtype:
        message = (
            f"restore will fail: `{name}` has dtype {variable.dtype} here but {entry.dtype} in "
            "the checkpoint"
        )
        return _diagnostic(SHAPE_MISMATCH, path, variable, message)
    return None


def _unused(
    path: str, first: VarEvent, graph: int, unused: list[TensorEntry],
    surprising: list[TensorEntry],
) -> Diagnostic:
    shown = ", ".join(f"`{e.name}`" for e in surprising[:SHOWN_UNUSED])
    more = len(surprising) - SHOWN_UNUSED
    if more > 0:
        shown += f" and {more} more"
    where = f" of graph {graph}" if graph else ""
    message = (
        f"{len(surprising)} checkpoint entr{'y is' if len(surprising) == 1 else 'ies are'} "
        f"restored by no variable{where}: {shown}"
    )
    slots = len(unused) - len(surprising)
    if slots:
        message += f" (besides {slots} optimizer slot{'s' if slots != 1 else ''} and counters, " \
            "expected when restoring for inference)"
    return UNUSED_ENTRIES.diagnostic(path, message, _span(first))


def _diagnostic(rule, path: str, variable: VarEvent, message: str) -> Diagnostic:
    return Diagnostic(
        rule.code, rule.name, rule.severity, message, path, _span(variable),
        subject=variable.actual, order=variable.order,
    )


# -- the closest key -----------------------------------------------------------------------------


def closest(
    name: str,
    shape: tuple | None,
    candidates: tuple[TensorEntry, ...] | list[TensorEntry],
    taken: set[str] = frozenset(),
) -> tuple[str, str] | None:
    """A checkpoint key that differs from ``name`` only by leading scopes, a `_N` suffix or one
    path component, and the likely cause; None when none does. Of several: a key no other
    variable restores (``taken`` are those), then the first kind of difference, then a key of
    the same shape, then the smaller name."""
    parts = name.split("/")
    found: list[tuple[bool, int, bool, str, str]] = []
    for entry in candidates:
        if is_optimizer_state(entry.name) and not is_optimizer_state(name):
            continue
        cause = _relation(parts, entry.name.split("/"))
        if cause is not None:
            rank, text = cause
            same_shape = shape is not None and entry.shape == tuple(shape)
            found.append((entry.name in taken, rank, not same_shape, entry.name, text))
    if not found:
        return None
    *_, key, text = min(found)
    return key, text


def _relation(ours: list[str], theirs: list[str]) -> tuple[int, str] | None:
    if len(theirs) > len(ours) and theirs[len(theirs) - len(ours):] == ours:
        extra = "/".join(theirs[: len(theirs) - len(ours)])
        return 0, (
            f"saved under `{extra}/`: a variable_scope the program no longer opens, or a model "
            "built under another top scope"
        )
    if len(ours) > len(theirs) and ours[len(ours) - len(theirs):] == theirs:
        extra = "/".join(ours[: len(ours) - len(theirs)])
        return 0, f"saved without `{extra}/`: a variable_scope added since"
    if len(ours) == len(theirs):
        diffs = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
        if len(diffs) != 1:
            return None
        i = diffs[0]
        a, b = ours[i], theirs[i]
        if _NUMBERED.match(a).group(1) == _NUMBERED.match(b).group(1):
            return 1, (
                f"`{b}` there, `{a}` here: default-name numbering (another layer or scope of "
                "the same name is built first, or one fewer) or code run twice"
            )
        return 2, f"`{b}` there, `{a}` here: a scope or layer renamed"
    if abs(len(ours) - len(theirs)) == 1:
        longer, shorter = (ours, theirs) if len(ours) > len(theirs) else (theirs, ours)
        for i in range(len(longer)):
            if longer[:i] + longer[i + 1:] == shorter:
                if longer is ours:
                    return 3, f"saved without `{ours[i]}`: a variable_scope added since"
                return 3, f"saved inside `{theirs[i]}`: a variable_scope the program no longer opens"
    return None
