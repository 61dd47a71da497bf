"""One restore the program runs, against a checkpoint's entries: what TF does with each of its
(key, variable) pairs, in TF's words.

- ``Saver.restore`` and TF-Slim: a key the checkpoint lacks raises ``Key X not found in
  checkpoint`` (SL200; TF stops at the first, every one is listed here); another shape or dtype
  fails the assignment (SL201). With ``ignore_missing_vars=True`` missing keys are skipped.
- ``init_from_checkpoint`` and ``warm_start``: ``Tensor X is not found in ... checkpoint``
  (SL200), ``Shape of variable X (...) doesn't match with shape of tensor Y (...)`` (SL201,
  shapes compared as TF does when it is called: unknown dims are compatible). What TF checks
  only when the variables' initialisers run is SL201 too: the dtype (``tensor_name = Y;
  expected dtype double does not equal original dtype float``) and, for variables a
  ``'scope/'`` entry maps, the shape (``Assign requires shapes of both tensors to match``).
- What TF rejects whatever the checkpoint holds (SL204), and restores that run quietly but
  restore nothing or miss variables the checkpoint holds under another scope (SL203).
"""

from __future__ import annotations

from ..types import Diagnostic, EventKind, FileResult, RestoreCall, RestorePair, RuleInfo
from .keys import closest, is_optimizer_state, unused_text
from .reader import Checkpoint, TensorEntry
from .rules import (
    MISSING_KEY,
    RESTORE_CALL_ERROR,
    SHAPE_MISMATCH,
    SILENT_RESTORE,
    UNUSED_ENTRIES,
)

# Restores that check shapes as init_from_checkpoint does (compatible, no dtype).
_INITIALISERS = ("tf.train.init_from_checkpoint", "tf.train.warm_start",
                 "tf.estimator.Estimator(warm_start_from=...)")
SHOWN = 5  # keys named in one SL203 line


def restore_findings(result: FileResult, call: RestoreCall, checkpoint: Checkpoint) -> list:
    entries = checkpoint.by_name()
    initialiser = call.api in _INITIALISERS
    out: list[Diagnostic] = []
    skipped: list[RestorePair] = []
    for message, raises in call.problems:
        rule = RESTORE_CALL_ERROR if raises else SILENT_RESTORE
        out.append(_finding(rule, result.path, call, f"`{call.api}`: {message}", None))
    for pair in call.pairs or ():
        entry = entries.get(pair.key)
        if entry is None:
            if call.ignore_missing:
                skipped.append(pair)
            else:
                out.append(_missing(result.path, call, pair, checkpoint.entries, initialiser))
            continue
        found = _mismatch(result.path, call, pair, entry, initialiser)
        if found is not None:
            out.append(found)
    out += _silent(result, call, checkpoint, skipped)
    if call.api == "tf.train.Saver().restore" and call.pairs:
        # A Saver over every variable: entries none of them reads are worth a line, as for a
        # program without a restore call.
        keys = {p.key for p in call.pairs}
        unused = [e for e in checkpoint.entries if e.name not in keys]
        surprising = [e for e in unused if not is_optimizer_state(e.name)]
        if surprising:
            text = unused_text(call.graph, unused, surprising)
            out.append(_finding(UNUSED_ENTRIES, result.path, call, f"`{call.api}`: {text}", None))
    return out


def _missing(path: str, call: RestoreCall, pair: RestorePair,
             entries: tuple[TensorEntry, ...], initialiser: bool) -> Diagnostic:
    if initialiser:
        text = f"Tensor `{pair.key}` is not found in checkpoint"
    else:
        text = f"Key `{pair.key}` not found in checkpoint"
    if pair.key != pair.variable:
        text += f" (the key of variable `{pair.variable}`)"
    taken = {p.key for p in call.pairs or ()}
    hint = closest(pair.key, pair.shape, entries, taken)
    if hint is not None:
        text += f"; the checkpoint has `{hint[0]}` ({hint[1]})"
    return _finding(MISSING_KEY, path, call, f"`{call.api}` will fail: {text}", pair.key)


def _shape(shape: tuple | None) -> str:
    if shape is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# TF's DataTypeString for the dtypes whose name differs from the Python one.
_TF_WORDS = {"float32": "float", "float64": "double", "float16": "half"}


def _dims(shape: tuple) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _initialiser_mismatch(pair: RestorePair, entry: TensorEntry) -> str | None:
    """What ``init_from_checkpoint`` says of a pair whose tensor does not fit, in TF's words."""
    if pair.shape is not None and entry.shape is not None:
        compatible = len(pair.shape) == len(entry.shape) and all(
            a is None or a == b for a, b in zip(pair.shape, entry.shape)
        )
        if not compatible and not pair.by_scope:
            return (
                f"Shape of variable {pair.variable}:0 ({_shape(pair.shape)}) doesn't match with "
                f"shape of tensor {pair.key} ({list(entry.shape)}) from checkpoint reader"
            )
        if not compatible and None not in pair.shape:
            return (
                f"Assign requires shapes of both tensors to match. lhs shape= {_dims(pair.shape)} "
                f"rhs shape= {_dims(entry.shape)} (variable `{pair.variable}`, when its "
                "initialiser runs)"
            )
    if pair.dtype is not None and pair.dtype != entry.dtype:
        ours, theirs = (_TF_WORDS.get(d, d) for d in (pair.dtype, entry.dtype))
        return (
            f"tensor_name = {pair.key}; expected dtype {ours} does not equal original dtype "
            f"{theirs} (variable `{pair.variable}`, when its initialiser runs)"
        )
    return None


def _mismatch(path: str, call: RestoreCall, pair: RestorePair, entry: TensorEntry,
              initialiser: bool) -> Diagnostic | None:
    if initialiser:
        text = _initialiser_mismatch(pair, entry)
        if text is None:
            return None
        return _finding(SHAPE_MISMATCH, path, call, f"`{call.api}` will fail: {text}", pair.key)
    if pair.shape is None or entry.shape is None:
        return None
    if None in pair.shape:
        return None
    if tuple(pair.shape) != entry.shape:
        text = (f"`{pair.variable}` has shape {_shape(pair.shape)} here but "
                f"{_shape(entry.shape)} in the checkpoint under `{pair.key}`")
    elif pair.dtype is not None and pair.dtype != entry.dtype:
        text = (f"`{pair.variable}` has dtype {pair.dtype} here but {entry.dtype} in the "
                f"checkpoint under `{pair.key}`")
    else:
        return None
    return _finding(SHAPE_MISMATCH, path, call, f"`{call.api}` will fail: {text}", pair.key)


def _silent(result: FileResult, call: RestoreCall, checkpoint: Checkpoint,
            skipped: list[RestorePair]) -> list[Diagnostic]:
    pairs = call.pairs or ()
    if call.pairs is None:
        return []
    if call.ignore_missing and pairs and len(skipped) == len(pairs):
        shown = ", ".join(f"`{p.key}`" for p in skipped[:SHOWN])
        more = f" and {len(skipped) - SHOWN} more" if len(skipped) > SHOWN else ""
        text = (f"`{call.api}` with ignore_missing_vars=True restores nothing: none of its "
                f"{len(pairs)} keys is in the checkpoint ({shown}{more})")
        return [_finding(SILENT_RESTORE, result.path, call, text, None)]
    if not pairs and not call.problems and call.api == "tf.train.init_from_checkpoint":
        text = f"`{call.api}` is given an empty assignment map: it initialises nothing"
        return [_finding(SILENT_RESTORE, result.path, call, text, None)]
    # Variables left out (skipped, or never in the map) that the checkpoint holds under
    # another scope with the same shape: most likely meant to be restored.
    restored = {p.variable for p in pairs if p not in skipped}
    keys = {p.key for p in pairs}
    candidates = [(p.variable, p.shape) for p in skipped]
    if call.api == "tf.train.init_from_checkpoint" and pairs:
        # Only inside a model part of which is restored (a new head at the root is new).
        tops = {p.variable.split("/")[0] for p in pairs if "/" in p.variable}
        candidates += [
            (v.actual, v.shape) for v in result.events
            if v.entry == "<module>" and v.graph == call.graph and v.order < call.order
            and v.error is None and v.kind in (EventKind.CREATE, EventKind.VARIABLE)
            and v.actual is not None and v.actual not in restored and not v.conditional
            and not is_optimizer_state(v.actual) and v.actual.split("/")[0] in tops
            and "/" in v.actual
        ]
    out = []
    for name, shape in candidates:
        if shape is None:
            continue
        hint = closest(name, shape, checkpoint.entries, keys)
        if hint is None or hint[0] in keys or not _other_scope(name, hint):
            continue
        entry = checkpoint.by_name()[hint[0]]
        if entry.shape != tuple(shape):
            continue
        text = (f"`{call.api}` leaves `{name}` at its initial value, but the checkpoint has "
                f"`{hint[0]}` of the same shape ({hint[1]})")
        out.append(_finding(SILENT_RESTORE, result.path, call, text, name))
    return out


def _other_scope(name: str, hint: tuple[str, str]) -> bool:
    """The closest key differs from ``name`` in its scopes (one added, removed or renamed), not
    in the variable's own name (a new layer named like an old one is meant to be new)."""
    if "saved" in hint[1]:
        return True
    ours, theirs = name.split("/"), hint[0].split("/")
    return len(ours) == len(theirs) and ours[-1] == theirs[-1] and ours[-2:-1] == theirs[-2:-1] \
        and ours != theirs


def _finding(rule: RuleInfo, path: str, call: RestoreCall, message: str,
             subject: str | None) -> Diagnostic:
    return Diagnostic(rule.code, rule.name, rule.severity, message, path, call.span,
                      subject=subject, order=call.order)
