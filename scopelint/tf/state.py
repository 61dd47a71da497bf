"""A model of one tf.Graph's variable-scoping state: scope stack, name scopes and variable store.

This follows TF's own code (``variable_scope.py``: ``_VariableStore``, ``VariableScope``,
``_pure_variable_scope``; ``ops.py``: ``Graph.unique_name``, ``Graph.name_scope``). Values may be
unknown (None for names, ``UNKNOWN`` for flags); an unknown never turns into a finding.

Branches of the program the analysis cannot decide are tracked as *paths*: a frozenset of
``(branch_id, arm)`` choices. A store entry made on path Q definitely exists at path P when Q is a
subset of P, and may exist when Q and P do not contradict each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..interp.values import AUTO, UNKNOWN

Path = frozenset


def contains(current: Path, entry: Path) -> bool:
    return entry <= current


def compatible(current: Path, entry: Path) -> bool:
    chosen = dict(current)
    return all(chosen.get(branch, arm) == arm for branch, arm in entry)


_NUMBERED = re.compile(r"_\d+$")  # the suffix Graph.unique_name adds


@dataclass(eq=False)
class VScope:
    """tf.VariableScope. ``name`` None means unknown (an entry analysed without its caller)."""

    name: str | None
    reuse: Any  # False, True, AUTO or UNKNOWN
    original_name_scope: str | None
    path: Path = frozenset()
    dtype: str | None = "float32"
    renames: bool = False  # a custom_getter the analysis cannot run: names become unknown
    partitioned: Any = None  # partitioner: None, or UNKNOWN when set
    reuse_site: cst.CSTNode | None = None
    reuse_frame: int = -1  # invocation that turned reuse on (see Interpreter.frame_id)
    # The program's custom getters in force, outermost first: get_variable runs through them.
    getters: tuple = ()

    def copy(self) -> "VScope":
        return VScope(
            self.name, self.reuse, self.original_name_scope, self.path, self.dtype,
            self.renames, self.partitioned, self.reuse_site, self.reuse_frame, self.getters,
        )

    def full(self, name: str | None) -> str | None:
        if self.name is None or name is None or self.renames:
            return None
        return f"{self.name}/{name}" if self.name else name


@dataclass(slots=True)
class Entry:
    event: Any  # events.StoreCreate
    path: Path


@dataclass(eq=False)
class GraphState:
    gid: int
    open: bool = False  # the store may already hold entries the analysis did not see
    store: dict[str, list[Entry]] = field(default_factory=dict)
    partitioned: dict[str, list[Entry]] = field(default_factory=dict)
    # Each variable scope opened, by full name: the path of each opening (TF counts them).
    scope_counts: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    uncertain_counts: set[str] = field(default_factory=set)  # opened maybe, on any path
    names_in_use: dict[str, int] = field(default_factory=dict)
    uncertain_names: set[str] = field(default_factory=set)
    names_exact: bool = True
    name_stack: str | None = ""
    current: VScope = None  # type: ignore[assignment]
    tainted: set[str] = field(default_factory=set)  # var-scope prefixes unknown code ran under
    tf_variables: dict[str, cst.CSTNode] = field(default_factory=dict)  # requested name -> node
    trainable: list = field(default_factory=list)  # VarRefs, in creation order
    trainable_unknown: bool = False  # unknown code may have made trainable variables
    global_step: Any = None  # the VarRef of tf.train.get_or_create_global_step, once made
    # Name scopes (lowercase, no slash) where TF code we do not model made ops (an RNN's loop, a
    # layer's MatMul): op names directly inside them may already be taken.
    opaque_name_scopes: set[str] = field(default_factory=set)
    # Ops made without a name, by name scope (lowercase): the names each may have taken (TF names
    # such an op after what it computes: `reduce_sum` -> "Sum", `matmul` -> "MatMul"), lowercase.
    unnamed_ops: dict[str, set[str]] = field(default_factory=dict)
    # Slots made for a primary whose op name is not known (a tensor's moving average): the store
    # keys, scope names and op names they may have taken, as patterns (see `unnamed_slot`).
    unnamed_slots: list = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.current is None:
            if self.open:
                self.current = VScope(None, UNKNOWN, None)
                self.name_stack = None
                self.names_exact = False
            else:
                self.current = VScope("", False, "")

    # -- op names (Graph.unique_name) ---------------------------------------------------------

    def unique_name(
        self, name: str | None, path: Path, scope: bool = False, maybe: bool = False
    ) -> str | None:
        """The name TF gives an op (or name scope) asking for ``name``, or None when unknown.
        An op made on an undecided branch (``path``), or that TF may not make at all (``maybe``),
        takes its name in doubt: names that depend on it are unknown afterwards."""
        if name is None or self.name_stack is None:
            self.names_exact = False
            return None
        if self.name_stack:
            name = f"{self.name_stack}/{name}"
        key = name.lower()
        uncertain = (
            not self.names_exact
            or key in self.uncertain_names
            # Unmodelled ops are named after what they compute (zeros, MatMul, while), not like
            # scopes: only names of ops and variables are put in doubt by them.
            or (
                not scope
                and bool(self.opaque_name_scopes)
                and key.rpartition("/")[0] in self.opaque_name_scopes
            )
            or (bool(self.unnamed_slots) and self.unnamed_slot_took(key, 2))
            or (bool(self.unnamed_ops) and self._unnamed_op_took(key))
        )
        doubtful = bool(path) or maybe
        i = self.names_in_use.get(key, 0)
        self.names_in_use[key] = i + 1
        if doubtful:
            self.uncertain_names.add(key)
        if i > 0:
            base = key
            while key in self.names_in_use:
                key = f"{base}_{i}"
                i += 1
            self.names_in_use[key] = 1
            if doubtful:
                self.uncertain_names.add(key)
            name = f"{name}_{i - 1}"
        return None if uncertain else name

    def _unnamed_op_took(self, key: str) -> bool:
        scope, _, last = key.rpartition("/")
        taken = self.unnamed_ops.get(scope)
        return bool(taken) and (last in taken or _NUMBERED.sub("", last) in taken)

    def unnamed_op(self, names: frozenset[str]) -> None:
        """An op was made in the current name scope without a name: it took one of ``names``
        (lowercase), or a numbered one of them."""
        if self.name_stack is None:
            return  # every op name is unknown already
        self.unnamed_ops.setdefault(self.name_stack.lower(), set()).update(names)

    def ops_made_in(self, name_scope: str | None) -> None:
        """Unmodelled TF code made ops in ``name_scope`` (no trailing slash; None: unknown)."""
        if not name_scope:
            self.names_exact = False
        else:
            self.opaque_name_scopes.add(name_scope.lower())

    def open_name_scope(self, n: Any, path: Path) -> str | None:
        """Enter name_scope(n); returns the new stack (no trailing slash) or None if unknown."""
        if n is None or n == "":
            self.name_stack = ""
        elif not isinstance(n, str):
            self.name_stack = None
        elif n.endswith("/"):
            self.name_stack = n[:-1]
        else:
            self.name_stack = self.unique_name(n, path, scope=True)
        return self.name_stack

    # -- default_name numbering (_get_unique_variable_scope) ------------------------------------

    def unique_var_scope(self, prefix: str, path: Path) -> str | None:
        """TF's ``_get_unique_variable_scope(prefix)`` on ``path``, or None when unknown."""
        parent = self.current.name
        if parent is None:
            return None
        full = f"{parent}/{prefix}" if parent else prefix
        if self.unnamed_slots and self.unnamed_slot_took(full, 1):
            return None
        opened = self._opened(full, path)
        i = 1
        while opened:
            opened = self._opened(f"{full}_{i}", path)
            i += 1
        if opened is None:
            return None
        return prefix if i == 1 else f"{prefix}_{i - 1}"

    def _opened(self, full: str, path: Path) -> bool | None:
        """Whether scope ``full`` was opened before, as seen on ``path``: an opening on a path
        that ``path`` contains counts, one on an arm ``path`` excludes does not, one on an arm
        not decided yet leaves it unknown (None)."""
        openings = self.scope_counts.get(full)
        if not openings:
            return False
        if full in self.uncertain_counts:
            return None
        if any(contains(path, q) for q in openings):
            return True
        return None if any(compatible(path, q) for q in openings) else False

    def count_scope(self, full: str | None, path: Path) -> None:
        if full is None:
            return
        # A new tuple, not one changed in place: a re-entered scope restores a copy of the table.
        self.scope_counts[full] = self.scope_counts.get(full, ()) + (path,)

    def close_prolonged(self, full: str | None) -> None:
        if full is None:
            return
        prefix = full + "/"
        for key in self.scope_counts:
            if key.startswith(prefix):
                self.scope_counts[key] = ()

    # -- the store ------------------------------------------------------------------------------

    def definite(self, table: dict[str, list[Entry]], key: str, path: Path) -> Entry | None:
        for entry in table.get(key, ()):
            if contains(path, entry.path):
                return entry
        return None

    def possible(self, table: dict[str, list[Entry]], key: str, path: Path) -> bool:
        return any(compatible(path, e.path) for e in table.get(key, ()))

    def may_hold_unseen(self, key: str) -> bool:
        """True when unknown code or an unknown caller may have created ``key``."""
        if self.open or "" in self.tainted:
            return True
        if self.unnamed_slots and self.unnamed_slot_took(key, 0):
            return True
        return any(key.startswith(prefix + "/") for prefix in self.tainted)

    # -- slots of primaries not named ------------------------------------------------------------

    def unnamed_slot(self, scope: str, stack: str, slot: str) -> None:
        """TF made a slot ``slot`` for a primary whose op name X is not known, in variable scope
        ``scope`` under name scope ``stack`` (slot_creator: get_variable("") in
        ``variable_scope(None, default_name="X/<slot>")``). X is a whole op name, so what it took
        ends in ``/<slot>`` or ``/<slot>_<n>`` after at least one component of its own: the
        store key ``<scope>/X/<slot>[_n]/`` (a trailing slash no named get_variable makes), that
        scope's count, and op names at or under ``<scope or stack>/X/<slot>[_n]``. Everything
        else stays as sure as it was."""
        tail = re.escape(slot) + r"(?:_[0-9]+)?"
        head = "".join(re.escape(p) + "/" for p in (scope,) if p)
        ops = "|".join(dict.fromkeys(re.escape(p.lower()) + "/" if p else "" for p in (scope, stack)))
        patterns = (
            re.compile(f"{head}.+/{tail}/"),  # store keys
            re.compile(f"{head}.+/{tail}"),  # variable scope names (their counts)
            re.compile(f"(?:{ops}).+/{tail.lower()}(?:/.*)?"),  # op names, lowercase
        )
        if patterns not in self.unnamed_slots:
            self.unnamed_slots.append(patterns)

    def unnamed_slot_took(self, name: str, kind: int) -> bool:
        """Whether a slot not named may have taken ``name``: a store key (``kind`` 0), a scope
        name (1) or a lowercase op name (2)."""
        return any(p[kind].fullmatch(name) for p in self.unnamed_slots)

    def add(self, table: dict[str, list[Entry]], key: str, event: Any, path: Path) -> None:
        table.setdefault(key, []).append(Entry(event, path))


def reuse_or(explicit: Any, inherited: Any) -> Any:
    """``reuse or current.reuse`` as TF computes it for a relative scope (None/False inherit)."""
    if explicit is True or explicit is AUTO:
        return explicit
    if explicit is None or explicit is False:
        return inherited
    return UNKNOWN
