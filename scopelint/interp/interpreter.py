"""The interpreter: runs a module's code symbolically, pyflakes' scope stack taken one step further.

Module code is the main entry; calls to functions, classes and methods of the module (and of
other modules of the run) are followed with the caller's state; a function that no entry
reaches is analysed as an entry of its own, with an unknown caller; a repeated call that only
computes is replayed from its summary (``summaries.py``). The interpreter knows
Python only: calls into the modelled package, the objects it defines and the state it keeps
(``self.world``) belong to the model behind ``self.hooks`` (``scopelint.tf``). What the model
observes is appended to ``self.trace``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import libcst as cst

from ..events import Frame, Trace
from ..resolve.project import ProjectIndex
from .args import dotted
from .calls import CallFrame, Calls
from .attributes import Attributes
from .expressions import Expressions
from .generators import Generators
from .hooks import Hooks
from .contexts import Contexts
from .definitions import Definitions
from .imports import Imports
from .library import Library
from .pybuiltins import Builtins
from .signals import IDLE_ENTRY_STEPS, MAX_ENTRY_STEPS, MAX_STEPS, OutOfBudget, Terminate
from .statements import Statements
from .summaries import Recording, Summarising, Summary
from .values import (
    Class,
    ClassMethod,
    ContextFactory,
    Env,
    Function,
    Instance,
    Property,
    StaticMethod,
)


class Interpreter(
    Statements, Definitions, Contexts, Generators, Expressions, Attributes, Calls, Builtins, Library,
    Imports, Summarising,
):
    def __init__(
        self, module: cst.Module, hooks: Hooks, path: Path | None = None,
        project: ProjectIndex | None = None,
    ) -> None:
        self.module = module
        self.hooks = hooks
        self.path_ = path.resolve() if path is not None else None
        self.project = project
        self.current_module: Path | None = None  # None: the linted file's own code is running
        self.anchors: list[cst.CSTNode] = []  # the linted file's call or import that led elsewhere
        self.module_envs: dict[Path, Env] = {}
        self.importing: list[Path] = []
        self.import_steps = 0  # spent of MAX_IMPORT_STEPS by this file's imports
        self.skeletons: dict[Path, Any] = {}  # lazily parsed modules imported by this file
        # The linted file's own, as the run's index keeps it (what it knows of its functions).
        own = project.skeleton(self.path_) if project is not None and path is not None else None
        self.own_skeleton = own if own is not None and own.module is module else None
        self.trace = Trace()
        self.world: Any = None  # the model's state for this run (hooks.start makes it)
        self.branch_counter = 0
        self.invocation_counter = 0
        self.executed: set[cst.CSTNode] = set()
        self.defaults: dict[cst.CSTNode, list] = {}
        # What each wrapper made by functools.wraps wraps, by (node, env); None: not known.
        self.wrapped: dict[tuple, Any] = {}
        self.globals = Env()
        self.globals.vars["__name__"] = "__main__"
        self.orphans: list[tuple[Function, Class | None]] = []
        # (owner, self, closure, invocation number) of the calls running
        self.methods: list[tuple[Class, Any, Env, int]] = []
        self.recordings: list[Recording] = []  # the calls being recorded for a summary, outermost first
        # Lists and dicts made while recordings run: id -> (object, serial) (``Summarising.fresh``).
        self.made: dict[int, tuple[Any, int]] = {}
        # By call key (``Summarising._summary_key``); None: interpret every call.
        self.summaries: dict[Any, Summary] | None = {}
        self.impure_calls: dict[cst.CSTNode, int] = {}  # recordings that were not pure, by function
        self.generator_nodes: dict[cst.CSTNode, bool] = {}  # functions whose body yields
        # The model's new value for the object a method was called on, by call (``replace_receiver``).
        self.receivers: dict[cst.CSTNode, Any] = {}
        # Names the program set in the package's namespace, by canonical name (``tf.X.y = v``).
        self.api_values: dict[str, Any] = {}
        self._reset_entry("<module>", open_store=False)

    # -- driving ------------------------------------------------------------------------------

    def _reset_entry(self, entry: str, open_store: bool) -> None:
        self.entry = entry
        self.hooks.start(self, open_store)
        self.path: frozenset = frozenset()  # branch decisions: (branch, arm) pairs
        self.stack: tuple[Frame, ...] = ()
        self.active: list[cst.CSTNode] = []
        self.suppress = 0
        # Enclosing try statements with handlers, and with-statements that may swallow an
        # exception: a raise outside all of them ends the program (``Statements.branches``).
        self.catching = 0
        self.steps = 0
        # The budget ``steps`` counts against (imports have theirs); a function run without its
        # caller has a smaller one, and a smaller one still until it calls into TF (``_tick``).
        self.idle = entry != "<module>"  # no call into TF yet (``_over_budget``)
        self.max_steps = min(IDLE_ENTRY_STEPS, MAX_ENTRY_STEPS) if self.idle else MAX_STEPS
        # The step at which the entry first called the modelled package (``Calls.call_api``).
        self.api_step: int | None = None
        self.call_frames: list[CallFrame] = []
        # The consumer of each running generator, by the call's invocation number: its `yield`
        # runs it (``generators.py``).
        self.yield_handlers: dict[int, Any] = {}

    def run(self) -> Trace:
        self.trace.entries.append("<module>")
        try:
            self.exec_block(self.module.body, self.globals)
        except (Terminate, OutOfBudget):
            pass
        for qualname, fn, owner in self._entry_candidates():
            if fn.node in self.executed:
                continue
            self._reset_entry(qualname, open_store=True)
            self.trace.entries.append(qualname)
            args: list = []
            if owner is not None and not self._is_static(fn.node):
                args.append(owner if self._is_classmethod(fn.node) else Instance(owner))
            try:
                self.call_function(fn, args, {}, fn.node, as_entry=True)
            except (Terminate, OutOfBudget):
                pass
        return self.trace

    def _entry_candidates(self) -> Iterable[tuple[str, Function, Class | None]]:
        for name, value in list(self.globals.vars.items()):
            if isinstance(value, ContextFactory):
                value = value.fn
            if isinstance(value, Function) and isinstance(value.node, cst.FunctionDef):
                if value.module is None:  # imported functions are their own module's entries
                    yield value.qualname, value, None
            elif isinstance(value, Class) and self._defined_here(value):
                # list(): a method run as an entry may add attributes to its class
                for attr, member in list(value.attrs.items()):
                    if isinstance(member, Function) and isinstance(member.node, cst.FunctionDef):
                        yield member.qualname, member, value
                    elif isinstance(member, (Property, StaticMethod, ClassMethod, ContextFactory)):
                        yield member.fn.qualname, member.fn, value
        for fn, owner in self.orphans:
            if fn.module is None:
                yield fn.qualname, fn, owner

    def _defined_here(self, cls: Class) -> bool:
        return not any(
            isinstance(m, Function) and m.module is not None for m in cls.attrs.values()
        )

    @staticmethod
    def _is_static(node: cst.FunctionDef) -> bool:
        return any(dotted(d.decorator) == "staticmethod" for d in node.decorators)

    @staticmethod
    def _is_classmethod(node: cst.FunctionDef) -> bool:
        return any(dotted(d.decorator) == "classmethod" for d in node.decorators)

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            self._over_budget()

    def reached_api(self, step: int) -> None:
        """The entry calls into the modelled package for the first time, at ``step``."""
        self.api_step = step
        if self.idle and not self.importing:  # (an import's budget is in force: see below)
            self._end_idle()

    def _over_budget(self) -> None:
        # A function run without its caller that has not called TF in its first steps is Python
        # work (a string algorithm, a data generator, a table of hyperparameters): it stops
        # there. Once it has reached TF it has the whole entry budget.
        if self.idle and self.api_step is not None and not self.importing:
            self._end_idle()
            if self.steps <= self.max_steps:
                return
        raise OutOfBudget

    def _end_idle(self) -> None:
        self.idle = False
        self.max_steps = MAX_ENTRY_STEPS

    # -- what the model needs to place its events -----------------------------------------------

    def here(self, node: cst.CSTNode) -> cst.CSTNode:
        """The node to report for ``node``: in another module, the linted file's call that led there."""
        if self.current_module is not None and self.anchors:
            return self.anchors[-1]
        return node

    def emit(self, event: Any) -> None:
        self.impure()
        self.trace.events.append(event)

    def replace_receiver(self, node: cst.CSTNode, value: Any) -> None:
        """The model's method changed the frozen value it was called on (``x.set_shape(...)``):
        the name the call ``node`` reads it from holds ``value`` from now on."""
        self.impure()
        self.receivers[node] = value

    def frame_id(self) -> int:
        """The invocation running now (0: the entry's own code)."""
        return self.stack[-1].invocation if self.stack else 0

    def new_branch(self) -> int:
        self.branch_counter += 1
        return self.branch_counter
