"""The simulator: runs a module's code symbolically against a model of TF's variable store.

It walks libcst statements like an interpreter (pyflakes' scope stack taken one step further):
module code is the main entry; calls to functions, classes and methods of the module are
followed with the caller's state; a function that no entry reaches is analysed as an entry of
its own, with an unknown caller. TF calls act on ``state.GraphState``. What it observes is a
list of events (``events.py``) that the rules turn into diagnostics.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import libcst as cst

from . import tfapi
from .events import (
    AlreadyExists,
    DoesNotExist,
    Frame,
    ReuseFalse,
    ShareMismatch,
    Site,
    StoreCreate,
    StoreReuse,
    TfVariable,
)
from .highlevel import (
    CELLS,
    LAYER_CLASSES,
    LAYERS,
    OPTIMIZERS,
    SLIM,
    HighLevel,
    Layer,
    Optimizer,
    Template,
    VarRef,
)
from .project import ProjectIndex
from .state import GraphState, VScope, reuse_or
from .state import Path as BranchPath  # a set of branch decisions, not a file path
from .values import (
    AUTO,
    INITIALIZER,
    TENSOR,
    UNKNOWN,
    BoundBuiltin,
    Class,
    DType,
    Env,
    Function,
    Instance,
    ModuleRef,
    ProjectModule,
    TFRef,
    is_known,
    truth,
)

MAX_CALL_DEPTH = 16
MAX_UNROLL = 64
MAX_STEPS = 200_000  # statements and calls per entry; past it the entry stops, silently
MAX_IMPORT_DEPTH = 2  # modules of the tree imported by the file, and the ones they import

# Modules whose functions never create TF variables: calling them is not "unknown code".
PURE_MODULES = frozenset(
    """numpy np math os sys time random json re logging collections itertools functools six
    argparse pickle copy glob shutil datetime string typing abc warnings absl pprint io csv
    pathlib scipy pandas matplotlib PIL cv2 h5py tqdm yaml operator contextlib enum dataclasses
    inspect traceback threading multiprocessing queue uuid hashlib struct platform tempfile gzip
    zipfile urllib requests sklearn codecs unicodedata heapq bisect textwrap signal socket
    __future__ builtins""".split()
)
_PURE_BUILTINS = frozenset(dir(builtins))


class _Terminate(Exception):
    """Control leaves a block: return, break, continue or raise."""


class _Return(_Terminate):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(_Terminate):
    pass


class _Continue(_Terminate):
    pass


class _Raise(_Terminate):
    pass


class _OutOfBudget(Exception):
    pass


@dataclass(eq=False)
class GraphObj:
    state: GraphState


@dataclass(eq=False)
class VarScopeCall:
    """``tf.variable_scope(...)`` before it is entered."""

    node: cst.Call
    name_or_scope: Any
    default_name: Any
    reuse: Any
    reuse_is_false_literal: bool
    auxiliary_name_scope: Any
    dtype: Any
    custom_getter: Any
    partitioner: Any


@dataclass(eq=False)
class NameScopeCall:
    name: Any


@dataclass(eq=False)
class _ArgScope:
    """slim.arg_scope(ops, **defaults): inside it, those slim ops take these defaults."""

    ops: Any
    defaults: dict


@dataclass(eq=False)
class GraphDefault:
    graph: GraphObj


@dataclass(eq=False)
class SuperProxy:
    instance: Any
    owner: Class


@dataclass(eq=False)
class _CallFrame:
    maybe_returned: bool = False


@dataclass
class Trace:
    events: list = field(default_factory=list)
    entries: list = field(default_factory=list)


def dotted(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _body(block: cst.BaseSuite) -> Iterable[cst.CSTNode]:
    return block.body


def _dtype_of(value: Any) -> str | None:
    if isinstance(value, DType):
        return value.name
    if isinstance(value, str):
        return tfapi.dtype_name(value)
    return None


def _shape_of(value: Any) -> Any:
    """A literal shape as a tuple of int/None; UNKNOWN otherwise."""
    if isinstance(value, (list, tuple)) and all(
        v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in value
    ):
        return tuple(value)
    return UNKNOWN


def _compatible_shapes(a: tuple, b: tuple) -> bool:
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


class Simulator(HighLevel):
    def __init__(self, module: cst.Module, path: Path | None = None, project: ProjectIndex | None = None) -> None:
        self.module = module
        self.path_ = path.resolve() if path is not None else None
        self.project = project
        self.current_module: Path | None = None  # None: the linted file's own code is running
        self.anchors: list[cst.CSTNode] = []  # the linted file's call or import that led elsewhere
        self.module_envs: dict[Path, Env] = {}
        self.importing: list[Path] = []
        self.arg_scopes: list[tuple[set, dict]] = []  # slim.arg_scope stack
        self.trace = Trace()
        self.graph_counter = 0
        self.branch_counter = 0
        self.invocation_counter = 0
        self.executed: set[cst.CSTNode] = set()
        self.defaults: dict[cst.CSTNode, list] = {}
        self.globals = Env()
        self.globals.vars["__name__"] = "__main__"
        self.orphans: list[tuple[Function, Class | None]] = []
        self.methods: list[tuple[Class, Any]] = []  # (owner, self) of the methods being run
        self._reset_entry("<module>", open_store=False)

    # -- driving ------------------------------------------------------------------------------

    def _reset_entry(self, entry: str, open_store: bool) -> None:
        self.entry = entry
        self.graph = self._new_graph(open_store)
        self.path: BranchPath = frozenset()
        self.stack: tuple[Frame, ...] = ()
        self.active: list[cst.CSTNode] = []
        self.suppress = 0
        self.steps = 0
        self.in_name_scope = False
        self.call_frames: list[_CallFrame] = []

    def _new_graph(self, open_store: bool = False) -> GraphState:
        gid = self.graph_counter
        self.graph_counter += 1
        return GraphState(gid, open=open_store)

    def run(self) -> Trace:
        self.trace.entries.append("<module>")
        try:
            self.exec_block(self.module.body, self.globals)
        except (_Terminate, _OutOfBudget):
            pass
        for qualname, fn, owner in self._entry_candidates():
            if fn.node in self.executed:
                continue
            self._reset_entry(qualname, open_store=True)
            self.trace.entries.append(qualname)
            args: list = []
            if owner is not None and not self._is_static(fn.node):
                args.append(Instance(owner))
            try:
                self.call_function(fn, args, {}, fn.node, as_entry=True)
            except (_Terminate, _OutOfBudget):
                pass
        return self.trace

    def _entry_candidates(self) -> Iterable[tuple[str, Function, Class | None]]:
        for name, value in list(self.globals.vars.items()):
            if isinstance(value, Function) and isinstance(value.node, cst.FunctionDef):
                if value.module is None:  # imported functions are their own module's entries
                    yield value.qualname, value, None
            elif isinstance(value, Class) and self._defined_here(value):
                for attr, member in value.attrs.items():
                    if isinstance(member, Function) and isinstance(member.node, cst.FunctionDef):
                        yield member.qualname, member, value
                    elif isinstance(member, _Property):
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

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _OutOfBudget

    # -- events --------------------------------------------------------------------------------

    def here(self, node: cst.CSTNode) -> cst.CSTNode:
        """The node to report for ``node``: in another module, the linted file's call that led there."""
        if self.current_module is not None and self.anchors:
            return self.anchors[-1]
        return node

    def site(self, node: cst.CSTNode) -> Site:
        return Site(
            node=self.here(node),
            stack=self.stack,
            entry=self.entry,
            graph=self.graph.gid,
            order=len(self.trace.events),
            suppressed=self.suppress > 0,
        )

    def emit(self, event: Any) -> None:
        self.trace.events.append(event)

    def _frame_id(self) -> int:
        """The invocation running now (0: the entry's own code)."""
        return self.stack[-1].invocation if self.stack else 0

    def new_branch(self) -> int:
        self.branch_counter += 1
        return self.branch_counter

    # -- statements ----------------------------------------------------------------------------

    def exec_block(self, stmts: Iterable[cst.CSTNode], env: Env) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        self._tick()
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, env)
        elif isinstance(stmt, cst.FunctionDef):
            self.define_function(stmt, env)
        elif isinstance(stmt, cst.ClassDef):
            self.define_class(stmt, env)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt, env)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt, env)
        elif isinstance(stmt, cst.While):
            self.exec_while(stmt, env)
        elif isinstance(stmt, cst.With):
            self.exec_with(stmt, env, list(stmt.items))
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            self.exec_try(stmt, env)
        elif isinstance(stmt, cst.Match):
            self.ev(stmt.subject, env)
            self.branches([(case.body, env) for case in stmt.cases] + [(None, env)])
        # anything else (decorators alone, etc.) has no effect on TF state

    def exec_small(self, small: cst.CSTNode, env: Env) -> None:
        if isinstance(small, cst.Expr):
            self.ev(small.value, env)
        elif isinstance(small, cst.Assign):
            value = self.ev(small.value, env)
            for target in small.targets:
                self.assign(target.target, value, env)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign(small.target, self.ev(small.value, env), env)
        elif isinstance(small, cst.AugAssign):
            right = self.ev(small.value, env)
            left = self.ev(small.target, env)
            self.assign(small.target, self.binop(small.operator, left, right), env)
        elif isinstance(small, cst.Return):
            value = self.ev(small.value, env) if small.value is not None else None
            raise _Return(value)
        elif isinstance(small, cst.Break):
            raise _Break()
        elif isinstance(small, cst.Continue):
            raise _Continue()
        elif isinstance(small, cst.Raise):
            if small.exc is not None:
                self.ev(small.exc, env)
            raise _Raise()
        elif isinstance(small, cst.Import):
            self.do_import(small, env)
        elif isinstance(small, cst.ImportFrom):
            self.do_import_from(small, env)
        elif isinstance(small, cst.Global):
            env.globals_.update(n.name.value for n in small.names)
        elif isinstance(small, cst.Nonlocal):
            env.nonlocal_names.update(n.name.value for n in small.names)
        elif isinstance(small, cst.Assert):
            self.ev(small.test, env)

    def assign(self, target: cst.CSTNode, value: Any, env: Env) -> None:
        if isinstance(target, cst.Name):
            env.set(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            if isinstance(value, (tuple, list)) and len(value) == len(elements) and not any(
                isinstance(e, cst.StarredElement) for e in elements
            ):
                for element, item in zip(elements, value):
                    self.assign(element.value, item, env)
            else:
                for element in elements:
                    self.assign(element.value, UNKNOWN, env)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, UNKNOWN, env)
        elif isinstance(target, cst.Attribute):
            obj = self.ev(target.value, env)
            if isinstance(obj, (Instance, Class)):
                obj.attrs[target.attr.value] = value
        elif isinstance(target, cst.Subscript):
            self.ev(target.value, env)

    # -- imports -------------------------------------------------------------------------------

    def do_import(self, node: cst.Import, env: Env) -> None:
        for alias in node.names:
            path = dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = self._project_module(path, 0, node)
                env.set(alias.asname.name.value, local if local is not None else self._module_value(path))
            else:
                root = path.split(".")[0]
                local = self._project_module(root, 0, node) if path == root else None
                env.set(root, local if local is not None else self._module_value(root))

    def do_import_from(self, node: cst.ImportFrom, env: Env) -> None:
        level = len(node.relative)
        base = dotted(node.module) if node.module is not None else ""
        if isinstance(node.names, cst.ImportStar):
            module = self._project_module(base or "", level, node)
            if module is not None and module.env is not None:
                for key, value in module.env.vars.items():
                    if not key.startswith("_"):
                        env.set(key, value)
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            bound = alias.asname.name.value if (
                alias.asname is not None and isinstance(alias.asname.name, cst.Name)
            ) else name
            submodule = self._project_module(f"{base}.{name}".strip("."), level, node)
            if submodule is not None:
                env.set(bound, submodule)
                continue
            module = self._project_module(base, level, node) if (base or level) else None
            if module is not None:
                value = module.env.lookup(name) if module.env is not None else None
                env.set(bound, UNKNOWN if value is None else value)
            elif level:
                env.set(bound, UNKNOWN)
            else:
                env.set(bound, self._module_value(f"{base}.{name}"))

    def _project_module(self, name: str, level: int, node: cst.CSTNode) -> ProjectModule | None:
        """Import another module of the run: run its code once, like Python's sys.modules."""
        if self.project is None or self.path_ is None:
            return None
        if len(self.importing) >= MAX_IMPORT_DEPTH:
            return None  # deeper imports stay unknown: the cost stays linear in the files
        importer = self.current_module or self.path_
        target = self.project.resolve(importer, name, level)
        if target is None:
            return None
        if target in self.module_envs:
            return ProjectModule(self.module_envs[target])
        module = self.project.module(target)
        if module is None:
            return ProjectModule(None)
        env = Env()
        env.vars["__name__"] = name or target.stem
        self.module_envs[target] = env
        saved = self.current_module
        if saved is None:
            self.anchors.append(node)
        self.current_module = target
        self.importing.append(target)
        try:
            self.exec_block(module.body, env)
        except _Terminate:
            pass
        finally:
            self.importing.pop()
            self.current_module = saved
            if saved is None:
                self.anchors.pop()
        return ProjectModule(env)

    @staticmethod
    def _module_value(path: str) -> Any:
        if tfapi.is_tf_module(path):
            return TFRef(path)
        return ModuleRef(path)

    # -- definitions ---------------------------------------------------------------------------

    def define_function(self, node: cst.FunctionDef, env: Env, owner: Class | None = None) -> None:
        defaults = []
        for param in (*node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                defaults.append(self.ev(param.default, env))
            else:
                defaults.append(None)
        self.defaults[node] = defaults
        prefix = f"{owner.qualname}." if owner is not None else ""
        fn = Function(node, env, prefix + node.name.value, owner=owner, module=self.current_module)
        value: Any = fn
        for decorator in node.decorators:
            name = dotted(decorator.decorator)
            if name in ("staticmethod", "classmethod", "property", "abstractmethod", "abc.abstractmethod"):
                continue
            if name is not None and name.split(".")[-1] in ("wraps", "lru_cache", "cache"):
                continue
            value = UNKNOWN  # an unknown decorator may wrap the function in anything
        if any(dotted(d.decorator) == "property" for d in node.decorators):
            value = _Property(fn)
        env.set(node.name.value, value)
        if value is UNKNOWN:
            # Still analyse its body as an entry of its own.
            self.orphans.append((fn, owner))

    def define_class(self, node: cst.ClassDef, env: Env) -> None:
        bases = tuple(self.ev(arg.value, env) for arg in node.bases)
        cls = Class(node, node.name.value, bases=bases)
        class_env = Env(env)
        for stmt in _body(node.body):
            if isinstance(stmt, cst.FunctionDef):
                self.define_function(stmt, env, owner=cls)
                # define_function bound it in env; move it to the class namespace
                cls.attrs[stmt.name.value] = env.vars.pop(stmt.name.value, UNKNOWN)
            else:
                try:
                    self.exec_stmt(stmt, class_env)
                except _Terminate:
                    pass
        for key, value in class_env.vars.items():
            cls.attrs.setdefault(key, value)
        env.set(node.name.value, cls)

    # -- control flow --------------------------------------------------------------------------

    def branches(self, arms: list[tuple[Any, Env]]) -> None:
        """Run each arm as an alternative the analysis cannot decide between."""
        branch = self.new_branch()
        base = self.path
        outcomes = []
        for index, (block, env) in enumerate(arms):
            self.path = base | {(branch, index)}
            try:
                if block is not None:
                    self.exec_block(_body(block) if not isinstance(block, list) else block, env)
                outcomes.append((index, None))
            except _Terminate as stop:
                outcomes.append((index, stop))
        self.path = base
        live = [index for index, stop in outcomes if stop is None]
        if not live:
            stops = [stop for _, stop in outcomes]
            if all(isinstance(s, _Return) for s in stops):
                raise _Return(UNKNOWN)
            raise stops[0]
        if len(live) < len(outcomes):
            if any(isinstance(stop, _Return) for _, stop in outcomes) and self.call_frames:
                self.call_frames[-1].maybe_returned = True
            if len(live) == 1:
                self.path = base | {(branch, live[0])}

    def exec_if(self, node: cst.If, env: Env) -> None:
        test = truth(self.ev(node.test, env))
        orelse = node.orelse
        if test is True:
            self.exec_block(_body(node.body), env)
        elif test is False:
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, env)
            elif orelse is not None:
                self.exec_block(_body(orelse.body), env)
        else:
            if isinstance(orelse, cst.If):
                else_arm: Any = [orelse]
            elif orelse is not None:
                else_arm = orelse.body
            else:
                else_arm = None
            self.branches([(node.body, env), (else_arm, env)])

    def iterate(self, value: Any) -> list | None:
        if isinstance(value, (list, tuple)) and len(value) <= MAX_UNROLL:
            return list(value)
        if isinstance(value, str) and len(value) <= MAX_UNROLL:
            return list(value)
        if isinstance(value, dict) and len(value) <= MAX_UNROLL:
            return list(value)
        return None

    def exec_for(self, node: cst.For, env: Env) -> None:
        items = self.iterate(self.ev(node.iter, env))
        if items is None:
            self._maybe_loop(node, env, lambda: self.assign(node.target, UNKNOWN, env))
            return
        base = self.path
        broke = False
        for item in items:
            self.path = base
            self.assign(node.target, item, env)
            try:
                self.exec_block(_body(node.body), env)
            except _Break:
                broke = True
                break
            except _Continue:
                continue
        self.path = base
        if not broke and node.orelse is not None:
            self.exec_block(_body(node.orelse.body), env)

    def exec_while(self, node: cst.While, env: Env) -> None:
        if truth(self.ev(node.test, env)) is False:
            if node.orelse is not None:
                self.exec_block(_body(node.orelse.body), env)
            return
        self._maybe_loop(node, env, lambda: None)

    def _maybe_loop(self, node: cst.For | cst.While, env: Env, bind: Callable[[], None]) -> None:
        """A loop that runs an unknown number of times: its body once, as a possibility."""
        branch = self.new_branch()
        base = self.path
        self.path = base | {(branch, 0)}
        bind()
        try:
            self.exec_block(_body(node.body), env)
        except (_Break, _Continue):
            pass
        except _Return:
            if self.call_frames:
                self.call_frames[-1].maybe_returned = True
        except _Raise:
            pass
        self.path = base
        if node.orelse is not None:
            self.branches([(node.orelse.body, env), (None, env)])

    def exec_try(self, node: cst.Try | cst.TryStar, env: Env) -> None:
        catches = any(self._catches_value_error(h, env) for h in node.handlers)
        if catches:
            self.suppress += 1
        stop: _Terminate | None = None
        try:
            self.exec_block(_body(node.body), env)
        except _Raise:
            pass  # a raise inside try: the handlers below are the alternatives
        except _Terminate as terminate:
            stop = terminate
        finally:
            if catches:
                self.suppress -= 1
        if stop is None:
            arms: list[tuple[Any, Env]] = []
            if node.handlers:
                arms.append((node.orelse.body if node.orelse is not None else None, env))
                for handler in node.handlers:
                    if handler.name is not None and isinstance(handler.name.name, cst.Name):
                        env.set(handler.name.name.value, UNKNOWN)
                    arms.append((handler.body, env))
                self.branches(arms)
            elif node.orelse is not None:
                self.exec_block(_body(node.orelse.body), env)
        if node.finalbody is not None:
            self.exec_block(_body(node.finalbody.body), env)
        if stop is not None:
            raise stop

    def _catches_value_error(self, handler: cst.ExceptHandler | cst.ExceptStarHandler, env: Env) -> bool:
        if handler.type is None:
            return True
        names = []
        if isinstance(handler.type, cst.Tuple):
            names = [dotted(e.value) for e in handler.type.elements]
        else:
            names = [dotted(handler.type)]
        return any(
            n is not None and n.split(".")[-1] in ("ValueError", "Exception", "BaseException")
            for n in names
        )

    # -- with ----------------------------------------------------------------------------------

    def exec_with(self, node: cst.With, env: Env, items: list[cst.WithItem]) -> None:
        if not items:
            self.exec_block(_body(node.body), env)
            return
        item, rest = items[0], items[1:]
        manager = self.ev(item.item, env)
        entered, exit_ = self.enter(manager, item.item)
        try:
            if item.asname is not None:
                self.assign(item.asname.name, entered, env)
            self.exec_with(node, env, rest)
        finally:
            exit_()

    def enter(self, manager: Any, node: cst.CSTNode) -> tuple[Any, Callable[[], None]]:
        if isinstance(manager, VarScopeCall):
            return self.enter_variable_scope(manager)
        if isinstance(manager, NameScopeCall):
            return self.enter_name_scope(manager)
        if isinstance(manager, GraphDefault):
            return self.enter_graph(manager.graph)
        if isinstance(manager, _ArgScope):
            ops = manager.ops if isinstance(manager.ops, (list, tuple)) else [UNKNOWN]
            names = {tfapi.canonical(op.path) if isinstance(op, TFRef) else None for op in ops}
            self.arg_scopes.append((names, manager.defaults))

            def leave() -> None:
                self.arg_scopes.pop()

            return UNKNOWN, leave
        if isinstance(manager, Instance):
            method = self.get_attr(manager, "__enter__", node)
            if isinstance(method, Function):
                value = self.call_value(method, [], {}, node)
                return value, lambda: None
        return UNKNOWN, lambda: None

    def enter_graph(self, graph: GraphObj) -> tuple[Any, Callable[[], None]]:
        previous = self.graph
        self.graph = graph.state

        def exit_() -> None:
            self.graph = previous

        return graph, exit_

    def enter_name_scope(self, call: NameScopeCall) -> tuple[Any, Callable[[], None]]:
        graph = self.graph
        saved_stack, saved_flag = graph.name_stack, self.in_name_scope
        stack = graph.open_name_scope(call.name, self.path)
        self.in_name_scope = True

        def exit_() -> None:
            graph.name_stack = saved_stack
            self.in_name_scope = saved_flag

        return (UNKNOWN if stack is None else (stack + "/" if stack else "")), exit_

    def enter_variable_scope(self, call: VarScopeCall) -> tuple[Any, Callable[[], None]]:
        graph = self.graph
        current = graph.current
        saved_scope, saved_stack, saved_flag = current, graph.name_stack, self.in_name_scope
        reuse = None if call.reuse is False else call.reuse
        if reuse not in (None, True, AUTO):
            reuse = UNKNOWN
        aux = call.auxiliary_name_scope is not False
        name_or_scope = call.name_or_scope
        restore_counts: dict | None = None
        prolonged: str | None = None
        inherited: Any = None

        if isinstance(name_or_scope, VScope):  # a jump to a captured scope: absolute
            target = name_or_scope
            if aux:
                leaf = target.name.split("/")[-1] if target.name is not None else None
                if leaf != "":
                    graph.open_name_scope(leaf, self.path)
            new = target.copy()
            if reuse is True or reuse is AUTO:
                new.reuse = reuse
                new.reuse_site = self.here(call.node)
                new.reuse_frame = self._frame_id()
            elif reuse is UNKNOWN:
                new.reuse = UNKNOWN
            inherited = target.reuse
            new.path = self.path
            # The entered copy takes this call's dtype, getter and partitioner (set_dtype & co).
            if call.dtype is not None:
                new.dtype = _dtype_of(call.dtype)
            if call.custom_getter is not None:
                new.renames = True
            if call.partitioner is not None:
                new.partitioned = UNKNOWN
            graph.count_scope(target.name, self.path)
            restore_counts = dict(graph.scope_counts)
        else:
            if name_or_scope is None and call.default_name is None:
                name_or_scope = UNKNOWN
            if name_or_scope is None:  # default_name: numbered, inherits reuse
                default = call.default_name
                if aux and isinstance(default, str):
                    graph.open_name_scope(default, self.path)
                elif aux:
                    graph.name_stack = None
                relative = graph.unique_var_scope(default) if isinstance(default, str) else None
                reuse = None
            else:
                relative = name_or_scope if isinstance(name_or_scope, str) else None
                if aux and relative != "":
                    graph.open_name_scope(relative, self.path)
            full = current.full(relative)  # "" inside "h" is "h/": TF keeps the slash
            if relative is None:
                full = None
            new_reuse = reuse_or(reuse, current.reuse)
            inherited = current.reuse
            dtype = _dtype_of(call.dtype) if call.dtype is not None else current.dtype
            new = VScope(
                name=full,
                reuse=new_reuse,
                original_name_scope=None if graph.name_stack is None else (
                    graph.name_stack + "/" if graph.name_stack else ""
                ),
                path=self.path,
                dtype=dtype,
                renames=current.renames or call.custom_getter is not None,
                partitioned=current.partitioned if call.partitioner is None else UNKNOWN,
                reuse_site=self.here(call.node) if reuse in (True, AUTO) else current.reuse_site,
                reuse_frame=self._frame_id() if reuse in (True, AUTO) else current.reuse_frame,
            )
            graph.count_scope(full, self.path)
            prolonged = full
        if call.reuse_is_false_literal:
            source = call.name_or_scope if isinstance(call.name_or_scope, VScope) else saved_scope
            self.emit(ReuseFalse(
                self.site(call.node), inherited, source.reuse_site,
                lexical=source.reuse_frame == self._frame_id(),
            ))
        graph.current = new
        self.in_name_scope = False

        def exit_() -> None:
            if restore_counts is not None:
                graph.scope_counts = restore_counts
            else:
                graph.close_prolonged(prolonged)
            graph.current = saved_scope
            graph.name_stack = saved_stack
            self.in_name_scope = saved_flag

        return new, exit_

    # -- expressions ---------------------------------------------------------------------------

    def ev(self, node: cst.CSTNode | None, env: Env) -> Any:
        if node is None:
            return None
        kind = type(node)
        method = _EV_METHODS.get(kind)
        if method is None:
            method = _EV_METHODS[kind] = getattr(Simulator, "ev_" + kind.__name__, _generic_ev)
        if method is not _generic_ev:
            return method(self, node, env)
        # Unmodelled expression: still evaluate its children for their calls.
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                self.ev(child, env)
        return UNKNOWN

    def ev_Name(self, node: cst.Name, env: Env) -> Any:
        name = node.value
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if env.has(name):
            return env.lookup(name)
        if name in _PURE_BUILTINS:
            return _Builtin(name)
        return UNKNOWN

    def ev_SimpleString(self, node: cst.SimpleString, env: Env) -> Any:
        raw = node.value
        # Fast path for plain one-quote literals; libcst's evaluated_value compiles each one.
        if raw[0] in _QUOTES and raw[1:2] != raw[0] and "\\" not in raw:
            return raw[1:-1]
        value = node.evaluated_value
        return value if isinstance(value, str) else UNKNOWN

    def ev_ConcatenatedString(self, node: cst.ConcatenatedString, env: Env) -> Any:
        left, right = self.ev(node.left, env), self.ev(node.right, env)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN

    def ev_FormattedString(self, node: cst.FormattedString, env: Env) -> Any:
        out = []
        known = True
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
            else:
                value = self.ev(part.expression, env)
                spec = None
                if part.format_spec:
                    spec_parts = [p.value for p in part.format_spec if isinstance(p, cst.FormattedStringText)]
                    if len(spec_parts) != len(part.format_spec):
                        known = False
                    spec = "".join(spec_parts)
                if not is_known(value) or not _plain(value):
                    known = False
                    continue
                try:
                    if part.conversion == "r":
                        value = repr(value)
                    elif part.conversion == "s":
                        value = str(value)
                    out.append(format(value, spec or ""))
                except (ValueError, TypeError):
                    known = False
        return "".join(out) if known else UNKNOWN

    def ev_Integer(self, node: cst.Integer, env: Env) -> Any:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.evaluated_value

    def ev_Float(self, node: cst.Float, env: Env) -> Any:
        try:  # libcst's evaluated_value compiles the literal: a thousand times slower
            return float(node.value.replace("_", ""))
        except ValueError:
            return node.evaluated_value

    def ev_Ellipsis(self, node: cst.Ellipsis, env: Env) -> Any:
        return ...

    def ev_List(self, node: cst.List, env: Env) -> Any:
        return self._elements(node.elements, env, list)

    def ev_Tuple(self, node: cst.Tuple, env: Env) -> Any:
        return self._elements(node.elements, env, tuple)

    def ev_Set(self, node: cst.Set, env: Env) -> Any:
        self._elements(node.elements, env, list)
        return UNKNOWN

    def _elements(self, elements: Iterable[cst.BaseElement], env: Env, kind: type) -> Any:
        values = []
        known = True
        for element in elements:
            value = self.ev(element.value, env)
            if isinstance(element, cst.StarredElement):
                if isinstance(value, (list, tuple)):
                    values.extend(value)
                else:
                    known = False
            else:
                values.append(value)
        return kind(values) if known else UNKNOWN

    def ev_Dict(self, node: cst.Dict, env: Env) -> Any:
        out = {}
        known = True
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key, value = self.ev(element.key, env), self.ev(element.value, env)
                if isinstance(key, (str, int, float, bool)) or key is None:
                    out[key] = value
                else:
                    known = False
            else:
                self.ev(element.value, env)
                known = False
        return out if known else UNKNOWN

    def ev_Attribute(self, node: cst.Attribute, env: Env) -> Any:
        return self.get_attr(self.ev(node.value, env), node.attr.value, node)

    def get_attr(self, obj: Any, attr: str, node: cst.CSTNode) -> Any:
        if isinstance(obj, TFRef):
            path = f"{obj.path}.{attr}"
            api = tfapi.canonical(path)
            if api == "AUTO_REUSE":
                return AUTO
            dtype = tfapi.dtype_name(api)
            if dtype is not None:
                return DType(dtype)
            return TFRef(path)
        if isinstance(obj, ModuleRef):
            return ModuleRef(f"{obj.path}.{attr}")
        if isinstance(obj, ProjectModule):
            value = obj.env.lookup(attr) if obj.env is not None else None
            return UNKNOWN if value is None else value
        if isinstance(obj, VScope):
            if attr == "name":
                return UNKNOWN if obj.name is None else obj.name
            if attr == "reuse":
                return obj.reuse
            if attr == "original_name_scope":
                return UNKNOWN if obj.original_name_scope is None else obj.original_name_scope
            return BoundBuiltin(obj, attr)
        if isinstance(obj, (GraphObj, Optimizer, Layer)):
            return BoundBuiltin(obj, attr)
        if isinstance(obj, VarRef):
            if attr == "name" and obj.actual is not None:
                return obj.actual + ":0"
            return TENSOR
        if isinstance(obj, Instance):
            if attr in obj.attrs:
                return obj.attrs[attr]
            member = obj.cls.lookup(attr)
            if isinstance(member, Function):
                return Function(member.node, member.env, member.qualname, bound=obj,
                                owner=member.owner, module=member.module)
            if isinstance(member, _Property):
                return self.call_function(member.fn, [obj], {}, node)
            if member is not None:
                return member
            return UNKNOWN
        if isinstance(obj, SuperProxy):
            for base in obj.owner.bases:
                if isinstance(base, Class):
                    member = base.lookup(attr)
                    if isinstance(member, Function):
                        return Function(member.node, member.env, member.qualname, bound=obj.instance,
                                        owner=member.owner, module=member.module)
            return UNKNOWN
        if isinstance(obj, Class):
            member = obj.lookup(attr)
            return UNKNOWN if member is None else member
        if isinstance(obj, (str, list, dict, tuple)):
            return BoundBuiltin(obj, attr)
        if obj is TENSOR or obj is INITIALIZER or isinstance(obj, DType):
            return TENSOR
        return UNKNOWN

    def ev_Subscript(self, node: cst.Subscript, env: Env) -> Any:
        value = self.ev(node.value, env)
        index: Any = UNKNOWN
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                index = self.ev(element.slice.value, env)
            else:
                for part in (element.slice.lower, element.slice.upper, element.slice.step):
                    self.ev(part, env)
                index = UNKNOWN
        if len(node.slice) == 1 and isinstance(value, (list, tuple, str)) and isinstance(index, int):
            try:
                return value[index]
            except IndexError:
                return UNKNOWN
        if len(node.slice) == 1 and isinstance(value, dict):
            try:
                return value.get(index, UNKNOWN)
            except TypeError:
                return UNKNOWN
        if value is TENSOR:
            return TENSOR
        return UNKNOWN

    def ev_BinaryOperation(self, node: cst.BinaryOperation, env: Env) -> Any:
        return self.binop(node.operator, self.ev(node.left, env), self.ev(node.right, env))

    def binop(self, operator: cst.CSTNode, left: Any, right: Any) -> Any:
        if left is TENSOR or right is TENSOR:
            return TENSOR
        if not (_plain(left) and _plain(right)):
            return UNKNOWN
        ops: dict[type, Callable[[Any, Any], Any]] = {
            cst.Add: lambda a, b: a + b,
            cst.AddAssign: lambda a, b: a + b,
            cst.Subtract: lambda a, b: a - b,
            cst.SubtractAssign: lambda a, b: a - b,
            cst.Multiply: lambda a, b: a * b,
            cst.MultiplyAssign: lambda a, b: a * b,
            cst.FloorDivide: lambda a, b: a // b,
            cst.Divide: lambda a, b: a / b,
            cst.Modulo: lambda a, b: a % b,
            cst.Power: lambda a, b: a ** b if abs(b) < 64 else UNKNOWN,
        }
        fn = ops.get(type(operator))
        if fn is None:
            return UNKNOWN
        try:
            result = fn(left, right)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError, IndexError):
            return UNKNOWN
        if isinstance(result, (str, list, tuple)) and len(result) > 10_000:
            return UNKNOWN
        return result

    def ev_UnaryOperation(self, node: cst.UnaryOperation, env: Env) -> Any:
        value = self.ev(node.expression, env)
        if isinstance(node.operator, cst.Not):
            t = truth(value)
            return UNKNOWN if t is None else not t
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(node.operator, cst.Minus):
                return -value
            if isinstance(node.operator, cst.Plus):
                return value
        return UNKNOWN

    def ev_BooleanOperation(self, node: cst.BooleanOperation, env: Env) -> Any:
        left = self.ev(node.left, env)
        t = truth(left)
        if t is None:
            self.ev(node.right, env)
            return UNKNOWN
        is_and = isinstance(node.operator, cst.And)
        if is_and and not t:
            return left
        if not is_and and t:
            return left
        return self.ev(node.right, env)

    def ev_Comparison(self, node: cst.Comparison, env: Env) -> Any:
        left = self.ev(node.left, env)
        result: Any = True
        for target in node.comparisons:
            right = self.ev(target.comparator, env)
            outcome = _compare(target.operator, left, right)
            if outcome is UNKNOWN:
                result = UNKNOWN
            elif result is True and not outcome:
                result = False
            left = right
        return result

    def ev_IfExp(self, node: cst.IfExp, env: Env) -> Any:
        t = truth(self.ev(node.test, env))
        if t is True:
            return self.ev(node.body, env)
        if t is False:
            return self.ev(node.orelse, env)
        self.ev(node.body, env)
        self.ev(node.orelse, env)
        return UNKNOWN

    def ev_Lambda(self, node: cst.Lambda, env: Env) -> Any:
        self.defaults[node] = [
            self.ev(p.default, env) if p.default is not None else None
            for p in (*node.params.params, *node.params.kwonly_params)
        ]
        return Function(node, env, "<lambda>", module=self.current_module)

    def ev_NamedExpr(self, node: cst.NamedExpr, env: Env) -> Any:
        value = self.ev(node.value, env)
        self.assign(node.target, value, env)
        return value

    def _comprehension(self, node: Any, env: Env, elements: Callable[[Env], Any]) -> Any:
        inner = Env(env)
        results: list = []
        known = self._unroll_comp(node.for_in, inner, lambda: results.append(elements(inner)))
        return results if known else UNKNOWN

    def _unroll_comp(self, comp: cst.CompFor, env: Env, body: Callable[[], None]) -> bool:
        items = self.iterate(self.ev(comp.iter, env))
        if items is None:
            branch = self.new_branch()
            base = self.path
            self.path = base | {(branch, 0)}
            self.assign(comp.target, UNKNOWN, env)
            for cond in comp.ifs:
                self.ev(cond.test, env)
            if comp.inner_for_in is not None:
                self._unroll_comp(comp.inner_for_in, env, body)
            else:
                body()
            self.path = base
            return False
        known = True
        for item in items:
            self.assign(comp.target, item, env)
            keep = True
            for cond in comp.ifs:
                t = truth(self.ev(cond.test, env))
                if t is None:
                    known = False
                keep = keep and t is not False
            if not keep:
                continue
            if comp.inner_for_in is not None:
                known = self._unroll_comp(comp.inner_for_in, env, body) and known
            else:
                body()
        return known

    def ev_ListComp(self, node: cst.ListComp, env: Env) -> Any:
        return self._comprehension(node, env, lambda e: self.ev(node.elt, e))

    def ev_GeneratorExp(self, node: cst.GeneratorExp, env: Env) -> Any:
        return self._comprehension(node, env, lambda e: self.ev(node.elt, e))

    def ev_SetComp(self, node: cst.SetComp, env: Env) -> Any:
        self._comprehension(node, env, lambda e: self.ev(node.elt, e))
        return UNKNOWN

    def ev_DictComp(self, node: cst.DictComp, env: Env) -> Any:
        self._comprehension(node, env, lambda e: (self.ev(node.key, e), self.ev(node.value, e)))
        return UNKNOWN

    # -- calls ---------------------------------------------------------------------------------

    def ev_Call(self, node: cst.Call, env: Env) -> Any:
        self._tick()
        func = self.ev(node.func, env)
        args: list = []
        kwargs: dict = {}
        for arg in node.args:
            value = self.ev(arg.value, env)
            if arg.star == "*":
                if isinstance(value, (list, tuple)):
                    args.extend(value)
                else:
                    args.append(_STAR)
            elif arg.star == "**":
                if isinstance(value, dict):
                    kwargs.update({k: v for k, v in value.items() if isinstance(k, str)})
                else:
                    kwargs[_STAR_KEY] = UNKNOWN
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return self.call_value(func, args, kwargs, node)

    def call_value(self, func: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        if isinstance(func, TFRef):
            return self.call_tf(tfapi.canonical(func.path), args, kwargs, node)
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, Class):
            instance = Instance(func)
            init = func.lookup("__init__")
            if isinstance(init, Function):
                self.call_function(
                    Function(init.node, init.env, init.qualname, bound=instance, owner=init.owner,
                             module=init.module),
                    args, kwargs, node,
                )
            elif any(isinstance(b, (TFRef, ModuleRef)) or b is UNKNOWN for b in func.bases):
                self.opaque(args, kwargs)
            return instance
        if isinstance(func, Instance):
            method = self.get_attr(func, "__call__", node)
            if isinstance(method, Function):
                return self.call_function(method, args, kwargs, node)
            self.opaque(args, kwargs)
            return UNKNOWN
        if isinstance(func, Layer):
            if func.is_cell:
                return self.call_cell(func, node)
            return self.call_layer(func, node)
        if isinstance(func, Template):
            return self.call_template(func, args, kwargs, node)
        if isinstance(func, BoundBuiltin):
            return self.call_method(func, args, kwargs, node)
        if isinstance(func, _Builtin):
            return self.call_builtin(func.name, args, kwargs, node)
        if isinstance(func, ModuleRef):
            if func.path.split(".")[0] in PURE_MODULES:
                return TENSOR
            self.opaque(args, kwargs)
            return UNKNOWN
        if func is TENSOR or func is INITIALIZER:
            return TENSOR
        self.opaque(args, kwargs)
        return UNKNOWN

    def opaque_value(self, args: list, kwargs: dict) -> Any:
        self.opaque(args, kwargs)
        return UNKNOWN

    def opaque(self, args: list, kwargs: dict) -> None:
        """A call into code the analysis cannot see: it may create variables anywhere below."""
        name = self.graph.current.name
        self.graph.tainted.add(name if name is not None else "")
        self.graph.trainable_unknown = True
        for value in (*args, *kwargs.values()):
            if isinstance(value, VScope) and value.reuse is False:
                value.reuse = UNKNOWN

    def call_function(
        self, fn: Function, args: list, kwargs: dict, node: cst.CSTNode, as_entry: bool = False
    ) -> Any:
        if fn.node in self.active or len(self.active) >= MAX_CALL_DEPTH:
            self.opaque(args, kwargs)
            return UNKNOWN
        self._tick()
        env = Env(fn.env)
        self.bind_params(fn, args, kwargs, env)
        self.executed.add(fn.node)
        self.invocation_counter += 1
        saved_stack, saved_path = self.stack, self.path
        if not as_entry:
            self.stack = saved_stack + (Frame(fn.qualname, self.invocation_counter, self.here(node)),)
        self.active.append(fn.node)
        frame = _CallFrame()
        self.call_frames.append(frame)
        self.methods.append((fn.owner, fn.bound))
        saved_module = self.current_module
        if saved_module is None and fn.module is not None:
            self.anchors.append(node)
        self.current_module = fn.module
        try:
            if isinstance(fn.node, cst.Lambda):
                result = self.ev(fn.node.body, env)
            else:
                try:
                    self.exec_block(_body(fn.node.body), env)
                    result = None
                except _Return as ret:
                    result = ret.value
                except (_Break, _Continue):
                    result = None
            if frame.maybe_returned:
                result = UNKNOWN
            return result
        finally:
            if saved_module is None and fn.module is not None:
                self.anchors.pop()
            self.current_module = saved_module
            self.methods.pop()
            self.call_frames.pop()
            self.active.pop()
            self.stack, self.path = saved_stack, saved_path

    def bind_params(self, fn: Function, args: list, kwargs: dict, env: Env) -> None:
        params = fn.node.params
        positional = list(params.posonly_params) + list(params.params)
        defaults = self.defaults.get(fn.node, [])
        values = list(args)
        if fn.bound is not None:
            values.insert(0, fn.bound)
        unknown_rest = _STAR in values or _STAR_KEY in kwargs
        for index, param in enumerate(positional):
            name = param.name.value
            if index < len(values) and values[index] is not _STAR and not (
                _STAR in values[:index]
            ):
                env.vars[name] = values[index]
            elif name in kwargs:
                env.vars[name] = kwargs[name]
            elif unknown_rest:
                env.vars[name] = UNKNOWN
            elif param.default is not None:
                offset = index - len(params.posonly_params)
                env.vars[name] = defaults[offset] if 0 <= offset < len(defaults) else UNKNOWN
            else:
                env.vars[name] = UNKNOWN
        for index, param in enumerate(params.kwonly_params):
            name = param.name.value
            if name in kwargs:
                env.vars[name] = kwargs[name]
            elif param.default is not None and not unknown_rest:
                offset = len(params.params) + index
                env.vars[name] = defaults[offset] if offset < len(defaults) else UNKNOWN
            else:
                env.vars[name] = UNKNOWN
        if isinstance(params.star_arg, cst.Param):
            extra = values[len(positional):]
            env.vars[params.star_arg.name.value] = UNKNOWN if _STAR in extra else tuple(extra)
        if params.star_kwarg is not None:
            env.vars[params.star_kwarg.name.value] = UNKNOWN

    def call_builtin(self, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        known = all(_plain(a) for a in args) and not kwargs
        try:
            if name == "range" and known and all(isinstance(a, int) for a in args):
                r = range(*args)
                return list(r) if len(r) <= 10_000 else UNKNOWN
            if name == "len" and known and args and isinstance(args[0], (str, list, tuple, dict)):
                return len(args[0])
            if name in ("str", "int", "float", "bool") and known and len(args) == 1:
                return getattr(builtins, name)(args[0])
            if name in ("list", "tuple") and len(args) == 1 and isinstance(args[0], (list, tuple, str)):
                return getattr(builtins, name)(args[0])
            if name == "enumerate" and len(args) == 1 and isinstance(args[0], (list, tuple)):
                return [(i, v) for i, v in enumerate(args[0])]
            if name == "zip" and args and all(isinstance(a, (list, tuple)) for a in args):
                return [tuple(t) for t in zip(*args)]
            if name == "zip" and len(args) == 2 and isinstance(args[1], (list, tuple)) and args[0] in (UNKNOWN, TENSOR):
                # zip(processed_gradients, variables): gradients come one per variable.
                return [(UNKNOWN, v) for v in args[1]]
            if name in ("min", "max", "abs", "sum", "sorted", "reversed") and known and args:
                result = getattr(builtins, name)(*args)
                return list(result) if name == "reversed" else result
            if name == "super":
                return self._super()
            if name == "print":
                return None
        except (TypeError, ValueError, OverflowError):
            return UNKNOWN
        return UNKNOWN

    def _super(self) -> Any:
        if not self.methods:
            return UNKNOWN
        owner, instance = self.methods[-1]
        return SuperProxy(instance, owner)

    def call_method(self, method: BoundBuiltin, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        obj, name = method.obj, method.name
        if isinstance(obj, VScope):
            if name == "reuse_variables":
                # Inside a branch the analysis cannot decide, the flag is only maybe set.
                if obj.reuse is True:
                    pass
                elif obj.path == self.path:
                    obj.reuse = True
                    obj.reuse_site = self.here(node)
                    obj.reuse_frame = self._frame_id()
                else:
                    obj.reuse = UNKNOWN
            return None
        if isinstance(obj, Optimizer):
            get = _ArgReader(args, kwargs)
            if name == "minimize":
                return self.apply_slots(obj, get(-1, "var_list"), node)
            if name == "compute_gradients":
                # (gradient, variable) pairs, so that zip(*...) and comprehensions over them
                # carry the variables on to apply_gradients.
                var_list = get(-1, "var_list")
                if var_list is None:
                    var_list = _trainable_variables(self, [], {}, node)
                if isinstance(var_list, (list, tuple)) and all(isinstance(v, VarRef) for v in var_list):
                    return [(TENSOR, v) for v in var_list]
                return UNKNOWN
            if name == "apply_gradients":
                pairs = get(0, "grads_and_vars")
                if isinstance(pairs, (list, tuple)) and all(
                    isinstance(p, tuple) and len(p) == 2 for p in pairs
                ):
                    return self.apply_slots(obj, [v for _, v in pairs], node)
                return self.opaque_value(args, kwargs)
            if name == "apply":
                return self.apply_slots(obj, get(0, "var_list"), node)
            return TENSOR
        if isinstance(obj, Layer):
            if name in ("apply", "__call__"):
                return self.call_value(obj, args, kwargs, node)
            return TENSOR
        if isinstance(obj, GraphObj):
            if name == "as_default":
                return GraphDefault(obj)
            if name == "name_scope":
                return NameScopeCall(args[0] if args else kwargs.get("name", UNKNOWN))
            return TENSOR
        if isinstance(obj, str):
            if name == "format" and all(_plain(a) for a in args) and all(_plain(v) for v in kwargs.values()):
                try:
                    return obj.format(*args, **kwargs)
                except (IndexError, KeyError, ValueError):
                    return UNKNOWN
            if name == "join" and args and isinstance(args[0], (list, tuple)) and all(
                isinstance(x, str) for x in args[0]
            ):
                return obj.join(args[0])
            if name in ("lower", "upper", "strip", "rstrip", "lstrip", "replace", "title") and all(
                isinstance(a, str) for a in args
            ):
                return getattr(obj, name)(*args)
            return UNKNOWN
        if isinstance(obj, list):
            if name == "append" and len(args) == 1:
                obj.append(args[0])
            elif name == "extend" and len(args) == 1 and isinstance(args[0], (list, tuple)):
                obj.extend(args[0])
            return None
        if isinstance(obj, dict):
            if name == "get" and args and (isinstance(args[0], (str, int)) or args[0] is None):
                return obj.get(args[0], args[1] if len(args) > 1 else None)
            if name == "items":
                return list(obj.items())
            if name in ("keys", "values"):
                return list(getattr(obj, name)())
            return UNKNOWN
        return UNKNOWN

    # -- TensorFlow ----------------------------------------------------------------------------

    def call_tf(self, api: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        handler = _TF_HANDLERS.get(api)
        if handler is not None:
            return handler(self, args, kwargs, node)
        if api.endswith("_initializer") or api.startswith(("initializers.", "keras.initializers.")):
            return INITIALIZER
        if api.startswith(("keras.regularizers.", "keras.activations.", "keras.constraints.")):
            return TENSOR  # plain functions and callables: no weights
        if api.startswith("keras."):
            # Keras layers never touch the store, but make tf.Variables we do not name.
            self.graph.names_exact = False
            self.graph.trainable_unknown = True
            return TENSOR
        if tfapi.may_touch_store(api):
            self.opaque(args, kwargs)
            return UNKNOWN
        name = kwargs.get("name")
        if api in _DEFAULT_OP_NAMES and name is None and len(args) < _DEFAULT_OP_NAMES[api][1]:
            name = _DEFAULT_OP_NAMES[api][0]
        if isinstance(name, str) and name:
            # Every op takes its name through Graph.unique_name; a variable named like it is renamed.
            self.graph.unique_name(name, self.path)
        for value in (*args, *kwargs.values()):
            if isinstance(value, Function):
                # TF calls these while building the graph (cond branches, loop bodies).
                self.call_function(value, [TENSOR] * _arity(value), {}, node)
        return TENSOR

    def tf_variable_scope(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        get = _ArgReader(args, kwargs)
        name_or_scope = get(0, "name_or_scope")
        reuse = get(-1, "reuse")
        return VarScopeCall(
            node=node,
            name_or_scope=name_or_scope,
            default_name=get(1, "default_name"),
            reuse=reuse,
            reuse_is_false_literal=reuse is False and _keyword_literal(node, "reuse", "False"),
            auxiliary_name_scope=get(-1, "auxiliary_name_scope", True),
            dtype=get(-1, "dtype"),
            custom_getter=get(-1, "custom_getter"),
            partitioner=get(-1, "partitioner"),
        )

    def tf_name_scope(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        get = _ArgReader(args, kwargs)
        name = get(0, "name")
        if name is None:
            name = get(1, "default_name")
        return NameScopeCall(name)

    def tf_get_variable_scope(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return self.graph.current

    def tf_graph(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return GraphObj(self._new_graph())

    def tf_get_default_graph(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return GraphObj(self.graph)

    def tf_reset_default_graph(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        self.graph = self._new_graph(open_store=self.graph.open and self.entry != "<module>")
        return None

    def tf_variable(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        get = _ArgReader(args, kwargs)
        name = get(5, "name")
        requested = "Variable" if name is None else (name if isinstance(name, str) else None)
        actual = self.graph.unique_name(requested, self.path)
        graph = self.graph
        full = None
        if requested is not None and graph.name_stack is not None:
            full = f"{graph.name_stack}/{requested}" if graph.name_stack else requested
        self.emit(TfVariable(
            self.site(node), full if name is not None else None, actual,
            graph.current.reuse, graph.current.reuse_site, graph.current.name,
        ))
        if full is not None and name is not None:
            graph.tf_variables.setdefault(full, self.here(node))
        return self._track(VarRef(actual), get(1, "trainable", True))

    def _track(self, ref: VarRef, trainable: Any) -> VarRef:
        """Remember trainable variables: optimizers create slots for them."""
        if trainable is False:
            return ref
        if trainable is not True and trainable is not None:
            self.graph.trainable_unknown = True
        elif ref.actual is None:
            self.graph.trainable_unknown = True
        else:
            self.graph.trainable.append(ref)
        return ref

    def tf_get_variable(self, args: list, kwargs: dict, node: cst.CSTNode, local: bool = False) -> Any:
        get = _ArgReader(args, kwargs)
        graph = self.graph
        scope = graph.current
        name = get(0, "name")
        shape_arg = get(1, "shape")
        dtype_arg = get(2, "dtype")
        initializer = get(3, "initializer")
        partitioner = get(-1, "partitioner")
        custom_getter = get(-1, "custom_getter")
        key = scope.full(name) if isinstance(name, str) and custom_getter is None else None
        if key is None or partitioner is not None or scope.partitioned is not None:
            graph.tainted.add(scope.name if scope.name is not None else "")
            return TENSOR
        reuse = scope.reuse
        spec_dtype = scope.dtype if dtype_arg is None else _dtype_of(dtype_arg)
        spec_shape = None if shape_arg is None else _shape_of(shape_arg)
        if dtype_arg is not None:
            created_dtype = spec_dtype
        elif initializer is None or initializer is INITIALIZER or isinstance(initializer, Function):
            created_dtype = scope.dtype
        else:
            created_dtype = None
        existing = graph.definite(graph.store, key, self.path)
        possible = existing is not None or graph.possible(graph.store, key, self.path)

        if existing is not None:
            if reuse is False:
                self.emit(AlreadyExists(
                    self.site(node), key, existing.event, self.in_name_scope, graph.name_stack
                ))
            elif reuse is True or reuse is AUTO:
                self._check_share(node, key, existing.event, spec_shape, spec_dtype)
            # With reuse unknown the variable exists afterwards either way.
            self.emit(StoreReuse(self.site(node), key, existing.event.actual))
            return VarRef(existing.event.actual)
        if possible or (reuse is not False and graph.may_hold_unseen(key)):
            graph.tainted.add(key)
            return TENSOR
        if reuse is True:
            # TF raises and stores nothing: a later creation of the same name is fine.
            self.emit(DoesNotExist(self.site(node), key, scope.reuse_site, graph.tf_variables.get(key)))
            return VarRef(None)
        if name == "":
            # Slot variables: get_variable("") re-enters the name scope "<key>" absolutely.
            actual = key[:-1] if graph.names_exact else None
        else:
            saved = graph.name_stack
            graph.name_stack = "" if saved is not None else None
            actual = graph.unique_name(key, self.path)
            graph.name_stack = saved
        created = StoreCreate(
            self.site(node), key, actual,
            spec_shape if isinstance(spec_shape, tuple) else None,
            created_dtype, self.in_name_scope, graph.name_stack,
        )
        graph.add(graph.store, key, created, self.path)
        self.emit(created)
        if local or name == "":
            return VarRef(actual, trainable=False)
        return self._track(VarRef(actual), get(5, "trainable", True))

    def _check_share(self, node: cst.CSTNode, key: str, first: StoreCreate, shape: Any, dtype: Any) -> None:
        if isinstance(shape, tuple) and first.shape is not None and not _compatible_shapes(shape, first.shape):
            self.emit(ShareMismatch(self.site(node), key, "shape", shape, first.shape, first))
        elif dtype is not None and first.dtype is not None and dtype != first.dtype:
            self.emit(ShareMismatch(self.site(node), key, "dtype", dtype, first.dtype, first))

    def tf_get_local_variable(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        return self.tf_get_variable(args, kwargs, node, local=True)

    def tf_call_functions(self, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        for value in (*args, *kwargs.values()):
            if isinstance(value, Function):
                self.call_function(value, [TENSOR] * _arity(value), {}, node)
        return TENSOR


_EV_METHODS: dict[type, Any] = {}
_QUOTES = "'\""


def _generic_ev(self: Any, node: Any, env: Any) -> Any:  # marker: the type has no ev_ method
    raise AssertionError


class _Property:
    def __init__(self, fn: Function) -> None:
        self.fn = fn


@dataclass(frozen=True)
class _Builtin:
    name: str


# Ops whose default name a variable may collide with: api -> (default name, index of `name`).
_DEFAULT_OP_NAMES = {"constant": ("Const", 4), "zeros": ("zeros", 3), "ones": ("ones", 3)}

_STAR: Any = object()
_STAR_KEY = "\0**"


class _ArgReader:
    """Reads a TF call's arguments by position or keyword (index -1: keyword only)."""

    def __init__(self, args: list, kwargs: dict) -> None:
        self.args, self.kwargs = args, kwargs
        self.unknown = _STAR in args or _STAR_KEY in kwargs

    def __call__(self, index: int, name: str, default: Any = None) -> Any:
        if name in self.kwargs:
            return self.kwargs[name]
        if 0 <= index < len(self.args) and _STAR not in self.args[: index + 1]:
            return self.args[index]
        return UNKNOWN if self.unknown else default


def _keyword_literal(node: cst.CSTNode, keyword: str, literal: str) -> bool:
    if not isinstance(node, cst.Call):
        return False
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return isinstance(arg.value, cst.Name) and arg.value.value == literal
    return False


def _plain(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return True
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    return False


def _arity(fn: Function) -> int:
    params = fn.node.params
    return len([p for p in params.params if p.default is None])


def _compare(operator: cst.CSTNode, left: Any, right: Any) -> Any:
    if isinstance(operator, (cst.Is, cst.IsNot)):
        if left is None or right is None or isinstance(left, bool) or isinstance(right, bool):
            if (left is UNKNOWN or right is UNKNOWN) or (left is TENSOR or right is TENSOR):
                return UNKNOWN
            same = left is right
            return same if isinstance(operator, cst.Is) else not same
        if left is AUTO or right is AUTO:
            if left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            same = left is right
            return same if isinstance(operator, cst.Is) else not same
        return UNKNOWN
    if not (_plain(left) and _plain(right)):
        return UNKNOWN
    table: dict[type, Callable[[Any, Any], bool]] = {
        cst.Equal: lambda a, b: a == b,
        cst.NotEqual: lambda a, b: a != b,
        cst.LessThan: lambda a, b: a < b,
        cst.LessThanEqual: lambda a, b: a <= b,
        cst.GreaterThan: lambda a, b: a > b,
        cst.GreaterThanEqual: lambda a, b: a >= b,
        cst.In: lambda a, b: a in b,
        cst.NotIn: lambda a, b: a not in b,
    }
    fn = table.get(type(operator))
    if fn is None:
        return UNKNOWN
    try:
        return fn(left, right)
    except TypeError:
        return UNKNOWN


def _bind(method: Callable[..., Any], *extra: Any) -> Callable[..., Any]:
    return lambda sim, args, kwargs, node: method(sim, *extra, args, kwargs, node)


def _trainable_variables(sim: Simulator, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    return UNKNOWN if sim.graph.trainable_unknown else list(sim.graph.trainable)


_TF_HANDLERS: dict[str, Callable[..., Any]] = {
    "variable_scope": Simulator.tf_variable_scope,
    "name_scope": Simulator.tf_name_scope,
    "get_variable_scope": Simulator.tf_get_variable_scope,
    "get_variable": Simulator.tf_get_variable,
    "get_local_variable": Simulator.tf_get_local_variable,
    "Variable": Simulator.tf_variable,
    "Graph": Simulator.tf_graph,
    "get_default_graph": Simulator.tf_get_default_graph,
    "reset_default_graph": Simulator.tf_reset_default_graph,
    "cond": Simulator.tf_call_functions,
    "while_loop": Simulator.tf_call_functions,
    "map_fn": Simulator.tf_call_functions,
    "scan": Simulator.tf_call_functions,
    "foldl": Simulator.tf_call_functions,
    "foldr": Simulator.tf_call_functions,
    "make_template": Simulator.tf_make_template,
    "nn.dynamic_rnn": Simulator.tf_dynamic_rnn,
    "nn.static_rnn": Simulator.tf_static_rnn,
    "nn.bidirectional_dynamic_rnn": Simulator.tf_bidirectional_rnn,
    "nn.static_bidirectional_rnn": Simulator.tf_bidirectional_rnn,
    "trainable_variables": _trainable_variables,
    "train.get_or_create_global_step": Simulator.tf_global_step,
    "train.create_global_step": Simulator.tf_global_step,
    "train.get_global_step": lambda sim, args, kwargs, node: sim.graph.global_step or UNKNOWN,
    "train.ExponentialMovingAverage": Simulator.tf_ema_class,
    "layers.batch_normalization": _bind(Simulator.tf_layer_function, "batch_normalization"),
    **{f"layers.{kind}": _bind(Simulator.tf_layer_function, kind) for kind in LAYERS},
    **{f"layers.{cls}": _bind(Simulator.tf_layer_class, kind) for cls, kind in LAYER_CLASSES.items()},
    **{f"nn.rnn_cell.{cls}": _bind(Simulator.tf_cell_class, cls) for cls in (*CELLS, "MultiRNNCell")},
    **{
        f"nn.rnn_cell.{cls}": Simulator.tf_cell_wrapper
        for cls in ("DropoutWrapper", "ResidualWrapper", "DeviceWrapper")
    },
    **{f"train.{cls}": _bind(Simulator.tf_optimizer_class, cls) for cls in OPTIMIZERS},
    **{f"slim.{kind}": _bind(Simulator.tf_slim_layer, kind) for kind in SLIM},
    "slim.arg_scope": lambda sim, args, kwargs, node: _ArgScope(args[0] if args else UNKNOWN, kwargs),
}
