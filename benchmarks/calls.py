"""Where the time goes in calls into imported modules, and what memoising them could save.

    python -m benchmarks.calls FILE_OR_DIR... [--top N]

Lints the files (the files under a directory that import tensorflow) in this process with one
index, as `scopelint --jobs 1 --no-cache` does (other modules below the arguments' common
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
- the functions that cost most.

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
from scopelint.engine import check_bytes
from scopelint.interp import calls, values
from scopelint.project import ProjectIndex

_DEPTH = 6  # how deep a fingerprint looks into containers and objects


def fingerprint(value: Any, depth: int = 0) -> Any:
    """A hashable stand-in for a value: equal for values a function cannot tell apart."""
    if depth > _DEPTH:
        return "..."
    if value is None or isinstance(value, (str, int, float, bool)):
        return (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(fingerprint(v, depth + 1) for v in value))
    if isinstance(value, dict):
        items = sorted((repr(k), fingerprint(v, depth + 1)) for k, v in value.items())
        return ("dict", tuple(items))
    if isinstance(value, (values.Instance, values.OpenObject)):
        kind = value.cls.qualname if isinstance(value, values.Instance) else "open"
        attrs = tuple(sorted((k, fingerprint(v, depth + 1)) for k, v in value.attrs.items()))
        return (kind, attrs)
    if isinstance(value, values.Function):
        return ("function", id(value.node), fingerprint(value.bound, depth + 1))
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
    world = sim.world
    graph = world.graph
    scope = graph.current
    return (
        tuple(sorted(graph.store)), tuple(sorted(graph.names_in_use.items())),
        tuple(sorted(graph.scope_counts.items())), graph.name_stack, scope.name, repr(scope.reuse),
        scope.original_name_scope, tuple(sorted(map(str, graph.tainted))), len(graph.trainable),
        graph.names_exact, graph.open, graph.trainable_unknown, tuple(sorted(graph.tf_variables)),
        world.in_name_scope, len(world.arg_scopes), tuple(sorted(world.patched)), sim.suppress,
    )


class Profile:
    def __init__(self) -> None:
        self.time: Counter = Counter()
        self.by_function: Counter = Counter()
        self.count: Counter = Counter()
        self.file: Path | None = None
        self._args_in_file: set = set()
        self._state_in_file: set = set()
        self._state_anywhere: set = set()

    def start_file(self, path: Path) -> None:
        self.file = path
        self._args_in_file = set()
        self._state_in_file = set()

    def wrap(self) -> None:
        original = calls.Calls.call_function
        profile = self

        def call_function(sim, fn, args, kwargs, node, as_entry=False):
            if sim.current_module is not None or fn.module is None or sim.world is None:
                return original(sim, fn, args, kwargs, node, as_entry)
            arguments = (id(fn.node), fingerprint(fn.bound), fingerprint(list(args)),
                         fingerprint(dict(kwargs)), len(sim.active))
            before = graph_digest(sim)
            events = len(sim.trace.events)
            start = time.perf_counter()
            try:
                return original(sim, fn, args, kwargs, node, as_entry)
            finally:
                spent = time.perf_counter() - start
                quiet = len(sim.trace.events) == events and graph_digest(sim) == before
                profile.record(fn, arguments, before, quiet, spent)

        calls.Calls.call_function = call_function

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
    args = parser.parse_args(argv)
    files = files_of(args.paths)
    if not files:
        print("benchmark: no file imports tensorflow there", file=sys.stderr)
        return 2
    # Modules below the arguments' common directory are followed too, as in a project run.
    bases = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent
             for p in args.paths]
    index = ProjectIndex(files, root=Path(os.path.commonpath(bases)))
    profile = Profile()
    profile.wrap()
    start = time.perf_counter()
    for path in files:
        profile.start_file(path)
        check_bytes(path.read_bytes(), str(path), project=index)
    total = time.perf_counter() - start
    print(f"{len(files)} files, {total:.2f} s in all (parsing included; timers add some)\n")
    print("| calls from a linted file into an imported function | s | % of the run |")
    print("|---|---:|---:|")
    for label, spent in profile.time.items():
        print(f"| {label} | {spent:.2f} | {100 * spent / total:.1f} |")
    print(f"\n{profile.count['calls into imported functions']} calls. Costliest functions:\n")
    print("| module | function | s |")
    print("|---|---|---:|")
    for (module, name), spent in profile.by_function.most_common(args.top):
        print(f"| {module} | {name} | {spent:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
