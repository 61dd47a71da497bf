"""Checkpoint keys: which entries are a training program's optimizer state, and the key that a
missing one most likely became (a scope added or removed, a layer renamed or renumbered)."""

from __future__ import annotations

import re

from .reader import TensorEntry

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


def is_optimizer_state(name: str) -> bool:
    return _OPTIMIZER_STATE.search(name) is not None


SHOWN_UNUSED = 5  # entries named in the SL202 line; the rest are counted


def unused_text(graph: int, unused: list[TensorEntry], surprising: list[TensorEntry]) -> str:
    """SL202's message: the entries no variable restores (``surprising``: those that are not
    optimizer state, named), of all ``unused`` ones."""
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
        message += (
            f" (besides {slots} optimizer slot{'s' if slots != 1 else ''} and counters, "
            "expected when restoring for inference)"
        )
    return message


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
