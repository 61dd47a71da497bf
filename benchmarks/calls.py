"""Where the time goes in calls into imported modules, and what memoising them could save.

    python -m benchmarks.calls FILE_OR_DIR... [--top N] [--bare]

Lints the files (the files under a directory that import tensorflow) in this process with the
run's index and garbage collector settings, as `scopelint --jobs 1 --no-cache` does (`--bare`:
only that, timed, to see what the profile costs; other modules below the arguments' common
directory are followed through imports too), and times every *outermost* call from a linted
file's code into a function of another module (a helper library, a base class). For each call it
records a fingerprint of the arguments (plain values, tensors by shape and dtype, objects by class
and attributes, functions by definition) and a digest of the graph state when the call starts
(the store's names, the op-name and scope counters, the current scopes), and whether the call
changed the graph state or emitted an event. It prints:

- the time in those calls, and in the calls that left the graph state as it was (*quiet* ones);
- the time in calls whose arguments an earlier call in the same file had too, and in calls whose
  arguments *and* graph state an earlier call had: the most that a summary keyed by what the
  caller passes (and by the graph state) could replace, in one file or across files;
- the functions that cost most;
- calls at *any* depth (inside other calls too, into any function of the program): the time in
  the outermost of those whose function and arguments an earlier call had, tensors compared by
  shape and dtype only (the most that a summary relative to the caller's state, keyed by what
  the caller passes, could replace), and the time in the outermost of those that left the
  graph state unchanged and had the function and arguments (tensors whole) of an earlier such
  call (what a memo of such calls, guarded on what they read, could replace): how much of that
  a key of one hash could find, how much runs in a graph whose scope is unknown, how much never
  read the TF model's state at all (no hook read `sim.world`: a memo needs no guard on it), and
  how much repeats the graph state too (a memo guarded on the whole state);
- the time the imported modules' top-level code takes, parsing aside (it runs again in every
  file that imports the module).

A measurement tool, not a test: it wraps the interpreter's `call_function` and never changes
what scopelint reports.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.real import IMPORTS_TF, py_files
from scopelint.interp import calls, imports, values
from scopelint.interp.interpreter import Interpreter
from scopelint.interp.summaries import key_of
from scopelint.resolve.project import ProjectIndex
from scopelint.resolve.skeleton import Skeleton
from scopelint.run.engine import check_bytes
from scopelint.run.runner import RunIndex, _Collector
from scopelint.tf import HOOKS

_DEPTH = 6  # how deep a fingerprint looks into containers and objects


def fingerprint(value: Any, depth: int = 0, shape_only: bool = False) -> Any:
    """A hashable stand-in for a value: equal for values a function cannot tell apart. With
    ``shape_only``, a tensor is its shape and dtype: the variables it is computed from are named
    after the scope it was made in, which a summary relative to the caller's state renames."""
    if depth > _DEPTH:
        return "..."
    if value is None or isinstance(value, (str, int, float, bool)):
        return (type(value).__name__, value)
    if shape_only and isinstance(value, values.Tensor):
        return ("tensor", value.shape, value.dtype, value.deps is None)

    def inner(v: Any) -> Any:
        return fingerprint(v, depth + 1, shape_only)

    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(inner(v) for v in value))
    if isinstance(value, dict):
        items = sorted((repr(k), inner(v)) for k, v in value.items())
        return ("dict", tuple(items))
    if isinstance(value, (values.Instance, values.OpenObject)):
        kind = value.cls.qualname if isinstance(value, values.Instance) else "open"
        attrs = tuple(sorted((k, inner(v)) for k, v in value.attrs.items()))
        return (kind, attrs)
    if isinstance(value, values.Function):
        return ("function", id(value.node), inner(value.bound))
    if isinstance(value, values.Class):
        return ("class", id(value.node))
    if isinstance(value, values.ProjectModule):
        return ("module", id(value.env))
    try:
        hash(value)
    except TypeError:
        return (type(value).__name__, id(value))
    return value  # tensors, references into TF, singletons: compared by value


def graph_digest(sim: Any) -> Any:
    """What of the graph state a call could read: everything the TF model keeps but the events."""
    world = sim.__dict__["world"]  # not through the profile's counter of the model's reads
    graph = world.graph
    scope = graph.current
    return (
        tuple(sorted(graph.store)), tuple(sorted(graph.names_in_use.items())),
        tuple(sorted(graph.scope_counts.items())), graph.name_stack, scope.name, repr(scope.reuse),
        scope.original_name_scope, tuple(sorted(map(str, graph.tainted))), len(graph.trainable),
        graph.names_exact, graph.open, graph.trainable_unknown, tuple(sorted(graph.tf_variables)),
        world.in_name_scope, len(world.arg_scopes), tuple(sorted(world.patched)), sim.suppress,
    )


RELATIVE = "calls at any depth repeating the arguments of an earlier call (tensors by shape and dtype)"
QUIET = "calls at any depth, quiet, repeating the arguments of an earlier quiet call"
QUIET_HASHABLE = "  of which a plain function whose arguments are frozen values (a summary's key)"
QUIET_OPEN = "  of which in a graph whose variable scope is unknown (a function analysed without its caller)"
QUIET_UNREAD = "  of which never read the TF model's state (no hook used `sim.world`)"
IMPORTS = "imported modules' top-level code, parsing aside"
QUIET_STATE = "calls at any depth, quiet, repeating the arguments and graph state of an earlier quiet call"


def hashable(args: Any, kwargs: dict) -> bool:
    """Arguments a summary can key (``summaries.key_of``), not by a walk through objects:
    strings, numbers, tensors, TF references and singletons, and tuples of them."""
    return key_of(tuple(args)) is not None and key_of(tuple(kwargs.values())) is not None


class Profile:
    def __init__(self) -> None:
        self.time: Counter = Counter()
        self.deep: Counter = Counter()  # calls at any depth, and imported top-level code
        self.by_function: Counter = Counter()
        self.count: Counter = Counter()
        self.file: Path | None = None
        self._args_in_file: set = set()
        self._state_in_file: set = set()
        self._state_anywhere: set = set()
        self._relative_seen: set = set()
        self._quiet_seen: set = set()
        self._inside = Counter()  # how many repeated calls of each kind are running
        self._importing = 0
        self._parse_in_import = 0.0
        self._originals: list = []
        self.model_reads = 0

    def start_file(self, path: Path) -> None:
        self.file = path
        self._args_in_file = set()
        self._state_in_file = set()

    def wrap(self) -> None:
        """Time calls (and imports) from now on; ``unwrap`` puts the interpreter back."""
        original = calls.Calls.call_function
        self._originals = [(calls.Calls, "call_function", original)]
        profile = self

        def call_function(sim, fn, args, kwargs, node, as_entry=False):
            if as_entry or sim.__dict__["world"] is None:
                return original(sim, fn, args, kwargs, node, as_entry)
            outermost = sim.current_module is None and fn.module is not None
            arguments = (id(fn.node), fingerprint(fn.bound), fingerprint(list(args)),
                         fingerprint(dict(kwargs)), len(sim.active))
            shaped = (id(fn.node), fingerprint(fn.bound, shape_only=True),
                      fingerprint(list(args), shape_only=True),
                      fingerprint(dict(kwargs), shape_only=True), len(sim.active))
            before = graph_digest(sim)
            repeats = profile.deep_start(arguments, shaped, (arguments, before))
            events = len(sim.trace.events)
            reads = profile.model_reads
            opened = sim.__dict__["world"].graph.open
            start = time.perf_counter()
            try:
                return original(sim, fn, args, kwargs, node, as_entry)
            finally:
                spent = time.perf_counter() - start
                quiet = len(sim.trace.events) == events and graph_digest(sim) == before
                profile.deep_end(arguments, (arguments, before), repeats, quiet, spent,
                                 fn.bound is None and hashable(args, kwargs),
                                 profile.model_reads == reads, opened)
                if outermost:
                    profile.record(fn, arguments, before, quiet, spent)

        calls.Calls.call_function = call_function
        self._wrap_imports()
        self._count_model_reads()

    def _count_model_reads(self) -> None:
        """Count every read of ``sim.world``: the TF model's state, which hooks consult."""
        profile = self

        def read(sim):
            profile.model_reads += 1
            return sim.__dict__["world"]

        def write(sim, value):
            sim.__dict__["world"] = value

        self._originals.append((Interpreter, "world", None))
        Interpreter.world = property(read, write)
        # A summary's key reads the model's state for every call; that is not a hook's read.
        token = HOOKS.token

        def uncounted(sim):
            reads = profile.model_reads
            try:
                return token(sim)
            finally:
                profile.model_reads = reads

        self._originals.append((HOOKS, "token", token))
        HOOKS.token = uncounted

    def _wrap_imports(self) -> None:
        """Time the imported modules' top-level code, the parsing it triggers aside."""
        profile = self
        project_module = imports.Imports._project_module
        self._originals.append((imports.Imports, "_project_module", project_module))

        def timed_import(sim, name, level, node):
            if sim.importing or sim.current_module is not None:
                return project_module(sim, name, level, node)
            profile._importing += 1
            start, parse_before = time.perf_counter(), profile._parse_in_import
            try:
                return project_module(sim, name, level, node)
            finally:
                profile._importing -= 1
                spent = time.perf_counter() - start
                profile.deep[IMPORTS] += spent - (
                    profile._parse_in_import - parse_before)

        imports.Imports._project_module = timed_import
        for owner, name in ((ProjectIndex, "module"), (Skeleton, "body")):
            parse = getattr(owner, name)
            self._originals.append((owner, name, parse))

            def timed_parse(this, *args, _parse=parse):
                start = time.perf_counter()
                try:
                    return _parse(this, *args)
                finally:
                    if profile._importing:
                        profile._parse_in_import += time.perf_counter() - start

            setattr(owner, name, timed_parse)

    def unwrap(self) -> None:
        for owner, name, original in reversed(self._originals):
            if original is None:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        self._originals = []

    def deep_start(self, arguments: Any, shaped: Any, stated: Any) -> tuple[bool, bool, bool]:
        """A call starts: does it repeat an earlier call's arguments (tensors by shape), or a
        quiet earlier call's (tensors whole), or a quiet earlier call's in the same graph state?"""
        repeats = (shaped in self._relative_seen, arguments in self._quiet_seen,
                   stated in self._quiet_seen)
        self._relative_seen.add(shaped)
        for kind, repeated in zip(("relative", "quiet", "state"), repeats):
            if repeated:
                self._inside[kind] += 1
        return repeats

    def deep_end(self, arguments: Any, stated: Any, repeats: tuple[bool, bool, bool], quiet: bool,
                 spent: float, hashable: bool, unread: bool, opened: bool) -> None:
        relative_repeat, quiet_repeat, state_repeat = repeats
        if quiet:
            self._quiet_seen.update((arguments, stated))
        if relative_repeat:
            self._inside["relative"] -= 1
            if not self._inside["relative"]:
                self.deep[RELATIVE] += spent
        if quiet_repeat:
            self._inside["quiet"] -= 1
            if not self._inside["quiet"] and quiet:
                self.deep[QUIET] += spent
                if hashable:
                    self.deep[QUIET_HASHABLE] += spent
                if opened:
                    self.deep[QUIET_OPEN] += spent
                if unread:
                    self.deep[QUIET_UNREAD] += spent
        if state_repeat:
            self._inside["state"] -= 1
            if not self._inside["state"] and quiet:
                self.deep[QUIET_STATE] += spent

    def record(self, fn: Any, arguments: Any, state: Any, quiet: bool, spent: float) -> None:
        self.time["calls into imported functions"] += spent
        self.count["calls into imported functions"] += 1
        self.by_function[(Path(str(fn.module)).name, fn.qualname)] += spent
        if quiet:
            self.time["  left the graph state unchanged (quiet)"] += spent
        keyed = (arguments, state)
        if arguments in self._args_in_file:
            self.time["  same arguments as an earlier call in the file"] += spent
        if keyed in self._state_in_file:
            self.time["  same arguments and graph state as an earlier call in the file"] += spent
            if quiet:
                self.time["    of which quiet"] += spent
        elif keyed in self._state_anywhere:
            self.time["  same arguments and graph state as a call in another file"] += spent
        self._args_in_file.add(arguments)
        self._state_in_file.add(keyed)
        self._state_anywhere.add(keyed)


def files_of(paths: list[str]) -> list[Path]:
    out = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += [p for p in py_files(path) if IMPORTS_TF.search(p.read_bytes())]
        else:
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.calls", description=__doc__.split("\n")[0]
    )
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--top", type=int, default=15, help="functions to list (default 15)")
    parser.add_argument("--bare", action="store_true",
                        help="only time the same run without the profile (what the profile costs)")
    args = parser.parse_args(argv)
    files = files_of(args.paths)
    if not files:
        print("benchmark: no file imports tensorflow there", file=sys.stderr)
        return 2
    # Modules below the arguments' common directory are followed too, as in a project run.
    bases = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent
             for p in args.paths]
    # As `scopelint --jobs 1 --no-cache` runs: the run's index (its table of parsed modules is
    # bounded) and its garbage collector settings (without them collections take a quarter).
    index = RunIndex(files, root=Path(os.path.commonpath(bases)))
    profile = Profile()
    if not args.bare:
        profile.wrap()
    start = time.perf_counter()
    with _Collector() as collector:
        for path in files:
            profile.start_file(path)
            check_bytes(path.read_bytes(), str(path), project=index)
            collector.file_done()
    total = time.perf_counter() - start
    if args.bare:
        print(f"{len(files)} files, {total:.2f} s in all, without the profile")
        return 0
    print(f"{len(files)} files, {total:.2f} s in all (parsing included; the profile adds much: "
          "compare --bare)\n")
    print("| calls from a linted file into an imported function | s | % of the run |")
    print("|---|---:|---:|")
    for label, spent in profile.time.items():
        print(f"| {label} | {spent:.2f} | {100 * spent / total:.1f} |")
    print("\n| beyond the calls above: calls at any depth (the outermost of each kind), imports | s | % of the run |")
    print("|---|---:|---:|")
    for label in (IMPORTS, RELATIVE, QUIET, QUIET_HASHABLE, QUIET_OPEN, QUIET_UNREAD, QUIET_STATE):
        spent = profile.deep[label]
        print(f"| {label} | {spent:.2f} | {100 * spent / total:.1f} |")
    print(f"\n{profile.count['calls into imported functions']} calls. Costliest functions:\n")
    print("| module | function | s |")
    print("|---|---|---:|")
    for (module, name), spent in profile.by_function.most_common(args.top):
        print(f"| {module} | {name} | {spent:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
