"""What the simulator observed: the trace that rules turn into diagnostics.

Events refer to libcst nodes; positions are resolved only for the nodes a diagnostic reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst


@dataclass(frozen=True, slots=True)
class Frame:
    """One followed call: which function, which invocation of it, and the call that led there."""

    function: str
    invocation: int
    call: cst.CSTNode


@dataclass(frozen=True, slots=True)
class Site:
    """Where something happened: the node, the call stack that led to it, the entry and graph."""

    node: cst.CSTNode
    stack: tuple[Frame, ...]
    entry: str
    graph: int
    order: int
    suppressed: bool = False  # inside a try that catches ValueError: the author expects it
    # Inside a branch the analysis could not decide (or after one that may have returned): it
    # happens on some paths of the entry only.
    conditional: bool = False


@dataclass(frozen=True, slots=True)
class StoreCreate:
    site: Site
    key: str
    actual: str | None
    shape: Any  # tuple of int|None, or None when unknown
    dtype: str | None
    in_name_scope: bool  # created under a name_scope opened inside its variable scope
    name_stack: str | None


@dataclass(frozen=True, slots=True)
class StoreReuse:
    site: Site
    key: str
    actual: str | None
    shape: Any = None  # the variable's shape, as created (tuple of int|None), or None
    dtype: str | None = None


@dataclass(frozen=True, slots=True)
class TfVariable:
    site: Site
    requested: str | None  # the name= argument, None when absent
    actual: str | None
    reuse: Any  # the current scope's reuse flag
    reuse_site: cst.CSTNode | None  # what turned reuse on
    scope: str | None  # the current variable scope's name
    internal: bool = False  # TF's own bookkeeping (an optimizer's beta powers), not the program's
    shape: Any = None  # from the initial value: tuple of int|None, or None when unknown
    dtype: str | None = None
    trainable: Any = True  # the trainable= argument: True (also when absent), False or unknown


@dataclass(frozen=True, slots=True)
class AlreadyExists:
    site: Site
    key: str
    first: StoreCreate
    in_name_scope: bool  # this call sits under a name_scope opened inside its variable scope
    name_stack: str | None


@dataclass(frozen=True, slots=True)
class DoesNotExist:
    site: Site
    key: str
    reuse_site: cst.CSTNode | None
    made_by_tf_variable: cst.CSTNode | None = None


@dataclass(frozen=True, slots=True)
class ShareMismatch:
    site: Site
    key: str
    what: str  # "shape" | "dtype"
    specified: Any
    found: Any
    first: StoreCreate


@dataclass(frozen=True, slots=True)
class ReuseFalse:
    """`variable_scope(..., reuse=False)` entered: ``inherited`` is the reuse it keeps."""

    site: Site
    inherited: Any  # False, True, AUTO or UNKNOWN
    reuse_site: cst.CSTNode | None
    lexical: bool  # reuse was turned on in the same function as this `reuse=False`


@dataclass(frozen=True, slots=True)
class Restore:
    """A restore the program asks of TF (``saver.restore``, ``init_from_checkpoint``, ...):
    which checkpoint key each variable is read from, as ``RestorePair``s in TF's order."""

    site: Site
    api: str  # how the program restores, for the message ("tf.train.Saver(var_list).restore")
    pairs: tuple | None  # None: which variables it restores is not known
    ignore_missing: bool = False  # keys the checkpoint lacks are skipped, not an error
    whole_graph: bool = False  # every global variable made before ``upto`` (a Saver() ...)
    upto: int = 0  # ... the event order at which that set was taken
    # (message, raises): what TF says of the call whatever the checkpoint holds (an assignment
    # map entry that names no variable, a pattern that matches none)
    problems: tuple = ()
    # "" (it runs), or one of two alternatives: "resume" runs when a session's checkpoint
    # directory holds a checkpoint, "init" when it holds none (a Scaffold's init_fn, an
    # Estimator's warm start)
    when: str = ""


@dataclass(frozen=True, slots=True)
class ScopeEntered:
    """A variable scope entered (a `variable_scope`, or the scope a layer opens for itself): what
    an editor shows on hover. Not an event: no rule reads it."""

    site: Site
    name: str | None  # the full name; None when unknown
    reuse: Any  # False, True, AUTO or UNKNOWN


@dataclass
class Trace:
    """Everything one file's analysis observed: events in order, and the entries that ran."""

    events: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    # Graphs (ids) in which top-level code called code nobody can see: whatever that code made
    # there is not among the events.
    unseen_graphs: set = field(default_factory=set)
    scopes: list = field(default_factory=list)  # ScopeEntered, in order
