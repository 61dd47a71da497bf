"""Values that cross module boundaries: positions, diagnostics, variable events, rule metadata.

Everything here is a frozen dataclass so that results can be hashed, sorted, cached and sent
between processes without surprises.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A place in a file. Both numbers are 1-based, as ruff and pyflakes print them."""

    row: int
    column: int


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: Position
    end: Position  # exclusive end column, like SARIF's endColumn


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a diagnostic points to (the first creation, the reusing scope, a call site)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    path: str
    span: Span
    related: tuple[Related, ...] = ()
    # The full variable name the finding is about, as TF would print it (None when not about one).
    subject: str | None = None
    # Position in simulation order: the first error-class diagnostic in this order is where TF raises.
    order: int = 0

    def sort_key(self) -> tuple:
        return (self.path, self.span.start.row, self.span.start.column, self.code, self.message)


class EventKind(str, enum.Enum):
    CREATE = "create"  # get_variable (or an API built on it) adds a new store entry
    REUSE = "reuse"  # get_variable returns an existing store entry
    VARIABLE = "tf.Variable"  # tf.Variable: never touches the store, always a new variable


@dataclass(frozen=True, slots=True)
class VarEvent:
    """One variable the simulator predicts, in execution order."""

    kind: EventKind
    name: str  # store key for create/reuse; requested full name for tf.Variable
    actual: str | None  # the op name TF gives the variable (no ":0"); None when not predictable
    line: int
    entry: str  # "<module>" for top-level code, else the function analysed as its own entry
    graph: int = 0  # which graph: 0 is the default graph, each tf.Graph() gets a new number
    order: int = 0  # position in simulation order, comparable with Diagnostic.order
    # The call raises in TF: the code of the error (SL001 already exists, SL002 does not exist,
    # SL005/SL006 a mismatch when sharing); no variable comes of it. None: it succeeds.
    error: str | None = None
    shape: tuple | None = None  # the variable's shape: an int or None per dim; None when unknown
    dtype: str | None = None  # its base dtype ("float32"); None when unknown
    span: Span | None = None  # the whole call (or the linted file's call that led to it)
    # Only on some paths (a branch the analysis could not decide): a possibility, not a claim.
    conditional: bool = False
    # The calls of this file that led there (a function of the file called at these spans),
    # outermost first: an editor shows the variable on hover over those calls too.
    via: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class ScopeInfo:
    """A variable scope the simulator saw entered, for an editor's hover."""

    name: str | None  # its full name; None when not predicted
    reuse: str  # "False", "True", "AUTO_REUSE" or "unknown"
    span: Span  # the call that opened it (a `variable_scope`, a layer)
    entry: str
    graph: int = 0
    conditional: bool = False


@dataclass(frozen=True, slots=True)
class RestorePair:
    """One variable a restore reads: the checkpoint key and the variable as predicted."""

    key: str
    variable: str  # the variable's op name
    shape: tuple | None  # an int or None per dim; None when unknown
    dtype: str | None
    # Read through an assignment map's `'scope/': 'scope/'` entry: TF checks no shape when it is
    # called, the variable's initialiser fails when it runs.
    by_scope: bool = False


@dataclass(frozen=True, slots=True)
class RestoreCall:
    """A restore the program runs (see ``events.Restore``), placed in the file."""

    api: str
    pairs: tuple[RestorePair, ...] | None  # None: which variables it reads is not known
    line: int
    span: Span
    entry: str
    graph: int
    order: int
    conditional: bool = False
    ignore_missing: bool = False
    whole_graph: bool = False
    upto: int = 0
    problems: tuple[tuple[str, bool], ...] = ()  # (message, TF raises)
    when: str = ""  # "", or "resume" / "init": alternatives (see ``events.Restore``)


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    events: tuple[VarEvent, ...] = ()
    # Codes suppressed by noqa comments and the lines they were suppressed on (for unused-noqa).
    analysed: bool = True  # False when the file has no TF import and was skipped
    # scopelint failed on this file (a bug in scopelint): the traceback. The rest of the run goes
    # on; the command line prints it and exits with 2.
    crash: str | None = None
    # Graphs (numbered as in VarEvent.graph) where the program's top-level code called code
    # scopelint cannot see, which may have made variables no event shows. Only filled with events.
    unseen_graphs: tuple[int, ...] = ()
    # The restores the program runs (only filled with events), in simulation order.
    restores: tuple[RestoreCall, ...] = ()
    scopes: tuple[ScopeInfo, ...] = ()  # the variable scopes entered; only filled with events


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: SARIF shortDescription, `rule --all`
    doc: str  # Markdown: What it does / Why is this bad? / Example / Use instead
    url: str = field(default="")

    def diagnostic(self, path: str, message: str, span: Span) -> Diagnostic:
        """A finding of this rule that needs no simulation (SL900, SL100)."""
        return Diagnostic(self.code, self.name, self.severity, message, path, span)
