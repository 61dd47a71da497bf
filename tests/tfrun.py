"""Run TF1 programs under real TensorFlow, all in one process, and report what TF did.

    python -m tests.tfrun FILE [FILE...] [--time-limit SECONDS] [--catch FILE]...

prints one JSON list with an object per file, in argument order; ``run_files(paths)`` returns the
same list in-process. Each ``--catch`` file then runs a second time (its object follows the plain
ones, with ``"catching": true``), in which a store error does not stop the program, so that TF's
later errors are reached too: it is listed under ``"caught"`` (in order, as ``error`` below), and
the call returns what scopelint's model has it return: the variable already stored under that
name ("already exists", "specified shape/dtype"), or a stand-in made outside the store and
unreported ("does not exist", or a stored variable of another shape or dtype), leaving the store
as the error left it. Importing this module does not import TensorFlow; the first run does
(``tensorflow.compat.v1``, graph mode, legacy Keras). Each program runs as ``__main__`` in a
fresh default graph, and whatever it changes in the process is undone before the next one.

One object per file::

    {"path": "prog.py",
     "error": null | {"type": "ValueError",
                      "message": "Variable enc/w already exists, disallowed. ...",  # first line
                      "line": 9,            # deepest traceback frame in this file
                      "variable": "enc/w",  # the variable TF's message names, else null
                      "code": "SL001"},     # the store error it is (``tf_code``), else null
     "events": [{"kind": "create", "name": "enc/w", "actual": "enc/w", "line": 8, "graph": 0,
                 "shape": [2, 3], "dtype": "float32"},
                ...],
     "scopes": [{"line": 7, "name": "enc", "reuse": false}, ...],
     "seconds": 0.012}

Events, in the order TF saw them:

- ``create``: a new entry in TF's variable store (what ``get_variable``, ``tf.layers``, RNN cells,
  templates, optimizer slots and partitioned shards go through). ``name`` is the store key (the
  requested full name, e.g. ``w/Adam/``), ``actual`` the variable's op name, which may differ.
- ``reuse``: ``get_variable`` returned an existing store entry (``name`` key, ``actual`` op name).
- ``tf.Variable``: a variable made outside the store (``tf.Variable``, Keras layers and
  optimizers); ``name`` and ``actual`` are both its op name.

``line`` is the innermost line of the program on the stack at that moment (null if none);
``graph`` numbers graphs by first appearance, 0 being the default graph the program starts in.
``shape`` is the variable's static shape, one int or null per dimension (null as a whole when
even the rank is unknown, and for the reuse of a partitioned variable, whose shards are reported
with their own shapes when created); ``dtype`` its base dtype's name (``float32``, never
``float32_ref``). A ``tf.Variable`` event also has ``reuse``: the current variable scope's reuse
when it was made (``true``, ``"auto"`` or ``false``), as ``scopes`` lists it for every
``variable_scope`` entered (its full name, and its reuse once entered).
A program that ends through ``sys.exit(0)`` / ``sys.exit()`` (as ``tf.app.run()`` does) ran to
its end: its error is null.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import inspect
import json
import os
import re
import signal
import sys
import sysconfig
import threading
import time
import warnings

# The store's messages that name one variable (TF 2.x wording); group 1 is the name.
_NAMING_MESSAGES = [
    re.compile(pattern)
    for pattern in (
        r"^Variable (.*?) already exists",
        r"^Variable (.*?) does not exist",
        r"^Trying to share variable (.*?), but specified",
        r"^Partitioned variable with name (.*?) already exists",
        r"^PartitionedVariable (.*?) does not exist",
    )
]
# The store's errors, by the words of TF's message, as scopelint codes them.
_STORE_ERRORS = (
    ("already exists", "SL001"),
    ("does not exist", "SL002"),
    ("specified shape", "SL006"),
    ("specified dtype", "SL005"),
)
# RefVariables append the first definition's traceback to "already exists"; it is not message.
_TRACEBACK_TAIL = " Originally defined at:"
_OUTPUT_INDEX = re.compile(r":\d+$")

# Modules imported from here are libraries, kept between programs; anything else a program
# imported (its own helper modules) is forgotten, so the next program imports it afresh.
_LIBRARY_DIRS = tuple(
    os.path.join(os.path.abspath(sysconfig.get_paths()[key]), "")
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
)

_run: _Run | None = None  # the program running now; the hooks report to it


class _Run:
    """The events of one program, and the graphs it used, numbered by first appearance."""

    def __init__(self, path: str, default_graph) -> None:
        self.path = path
        self.events: list[dict] = []
        self.objects: list = []  # the variable behind each event, parallel to ``events``
        self.graphs = {default_graph: 0}  # holds the graphs alive, so the numbering stays valid
        self.scopes: list[dict] = []  # every variable_scope entered: line, full name, reuse
        self.catching = False  # a catching run: the program goes on after store errors
        self.caught: list[dict] = []  # the store errors caught there

    def line(self) -> int | None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.path:
                return frame.f_lineno
            frame = frame.f_back
        return None

    def add(self, kind: str, key: str | None, var) -> None:
        actual = _OUTPUT_INDEX.sub("", var.name)
        graph = self.graphs.setdefault(_graph_of(var), len(self.graphs))
        event = {"kind": kind, "name": actual if key is None else key, "actual": actual,
                 "line": self.line(), "graph": graph, "shape": _shape_of(var),
                 "dtype": var.dtype.base_dtype.name}
        if kind == "tf.Variable":
            event["reuse"] = _current_reuse()
        self.events.append(event)
        self.objects.append(var)

    def caught_error(self, exc: ValueError) -> dict | None:
        """A store error in a catching run: recorded, to go on from."""
        if not self.catching:
            return None
        error = _describe(exc, self.path)
        if error["code"] is None:
            return None
        # The traceback ends where it was caught: the program's line is the stack's.
        error["line"] = self.line()
        self.caught.append(error)
        return error

    def entered(self, name: str) -> None:
        self.scopes.append({"line": self.line(), "name": name, "reuse": _current_reuse()})

    def store_created(self, key: str, var, since: int) -> None:
        """The store made ``var`` for ``key``; it was reported as a tf.Variable when built."""
        for i in range(since, len(self.events)):
            if self.objects[i] is var and self.events[i]["kind"] == "tf.Variable":
                self.events[i].update(kind="create", name=key)
                return
        self.add("create", key, var)  # a custom creator handed the store a variable made earlier


def _current_reuse():
    from tensorflow.python.ops import variable_scope

    reuse = variable_scope.get_variable_scope().reuse
    return "auto" if reuse is variable_scope.AUTO_REUSE else bool(reuse)


def tf_code(error: dict | None) -> str | None:
    """The scopelint code for a TF error; None when it is none of the four store errors."""
    if error is None or error.get("type") != "ValueError":
        return None
    message = error.get("message") or ""
    return next((code for words, code in _STORE_ERRORS if words in message), None)


def _shape_of(var) -> list | None:
    # A PartitionedVariable is the whole its shards were cut from; what is compared is each
    # shard, created (and reported) on its own.
    if not hasattr(var, "graph"):
        return None
    shape = var.shape
    return None if shape.rank is None else shape.as_list()


def _graph_of(var):
    # A PartitionedVariable has no graph of its own; its shards share one.
    return var.graph if hasattr(var, "graph") else next(iter(var)).graph


# ------------------------------------------------------------------------------------------------
# TensorFlow, hooked
# ------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _tensorflow():
    """``tensorflow.compat.v1`` in graph mode, quiet, with variable creation hooked (once)."""
    if os.environ.get("SCOPELINT_TEST_WITHOUT_TF"):  # set by tests/conftest.py
        raise RuntimeError("TensorFlow imported by a test not marked `tensorflow`")
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    warnings.filterwarnings("ignore")
    import tensorflow.compat.v1 as tf
    from absl import logging as absl_logging

    absl_logging.set_verbosity(absl_logging.ERROR)
    tf.get_logger().setLevel("ERROR")  # deprecation notices go through this logger
    tf.disable_eager_execution()
    _repair_tf_slim()
    _install_hooks()
    return tf


def _repair_tf_slim() -> None:
    """Two names TF 2.x moved that TF-Slim's ``batch_norm`` still reaches for (TF 1.15 had both):
    ``ops.Tensor``, and the module TF's lazy ``tf.layers`` batch normalisation loads, which
    tf-keras keeps under ``src``. Packaging only: what the layers do is unchanged."""
    import importlib

    from tensorflow.python.framework import ops, tensor

    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    for name in ("legacy_tf_layers", "legacy_tf_layers.base", "legacy_tf_layers.normalization"):
        if f"tf_keras.{name}" not in sys.modules:
            sys.modules[f"tf_keras.{name}"] = importlib.import_module(f"tf_keras.src.{name}")


def _install_hooks() -> None:
    from tensorflow.python.ops import ref_variable, resource_variable_ops, variable_scope

    store = variable_scope._VariableStore
    get_single = store._get_single_variable
    get_partitioned = store._get_partitioned_variable

    # Every store lookup of one variable (and of each shard of a partitioned one) ends here.
    @functools.wraps(get_single)
    def _get_single_variable(self, name, *args, **kwargs):
        run, found = _run, self._vars.get(name)
        since = len(run.events) if run is not None else 0
        try:
            var = get_single(self, name, *args, **kwargs)
        except ValueError as exc:
            caught = run.caught_error(exc) if run is not None else None
            if caught is None:
                raise
            return _stand_in(get_single, self, name, args, kwargs, found)
        finally:
            # An entry that made it into the store counts even if a later step (a regularizer)
            # raised.
            if run is not None and found is None and name in self._vars:
                run.store_created(name, self._vars[name], since)
        if run is not None and found is not None:
            run.add("reuse", name, var)
        return var

    # Reusing a partitioned variable returns the stored whole without touching its shards.
    @functools.wraps(get_partitioned)
    def _get_partitioned_variable(self, name, *args, **kwargs):
        found = self._partitioned_vars.get(name)
        var = get_partitioned(self, name, *args, **kwargs)
        if _run is not None and found is not None and var is found:
            _run.add("reuse", name, var)
        return var

    store._get_single_variable = _get_single_variable
    store._get_partitioned_variable = _get_partitioned_variable

    scope_cls = variable_scope.variable_scope
    enter = scope_cls.__enter__

    @functools.wraps(enter)
    def _enter(self):
        scope = enter(self)
        if _run is not None:
            _run.entered(scope.name)
        return scope

    scope_cls.__enter__ = _enter

    # Every graph-mode variable is built by one of these (resource variables by default, ref
    # variables after disable_resource_variables); variables rebuilt from a proto are not new.
    for cls in (resource_variable_ops.ResourceVariable, ref_variable.RefVariable):
        cls._init_from_args = _reporting(cls._init_from_args)


def _stand_in(get_single, store, name: str, args: tuple, kwargs: dict, found):
    """What a failed ``get_variable(name)`` gives the program in a catching run: the variable
    ``found`` under that name if it has the asked shape and dtype, else a variable of the asked
    shape (its initial value's if not given, else ``found``'s, else a scalar) and dtype, made
    outside the store, the program's name scopes and any control flow, and not reported (so
    that the program's next ops fit what it asked for)."""
    global _run
    import tensorflow.compat.v1 as tf
    from tensorflow.python.framework import ops

    bound = inspect.signature(get_single).bind(store, name, *args, **kwargs)
    bound.apply_defaults()
    shape = tf.TensorShape(bound.arguments["shape"])
    dtype = tf.as_dtype(bound.arguments["dtype"] or tf.float32).base_dtype
    initializer = bound.arguments["initializer"]
    if shape.rank is None and isinstance(getattr(initializer, "shape", None), tf.TensorShape):
        shape = initializer.shape  # a variable initialised from a value (a slot) has its shape
    if found is not None and found.dtype.base_dtype == dtype and (
        shape.rank is None or found.shape.is_compatible_with(shape)
    ):
        return found
    if found is not None and not shape.is_fully_defined():
        shape = found.shape
    run, _run = _run, None
    try:
        with ops.init_scope(), tf.name_scope("tfrun_stand_in/"):
            return tf.Variable(tf.zeros(shape if shape.is_fully_defined() else [], dtype),
                               trainable=False, collections=[])
    finally:
        _run = run


def _reporting(init_from_args):
    @functools.wraps(init_from_args)
    def _init_from_args(self, *args, **kwargs):
        init_from_args(self, *args, **kwargs)
        if _run is not None:
            _run.add("tf.Variable", None, self)

    return _init_from_args


# ------------------------------------------------------------------------------------------------
# Process state a program may change
# ------------------------------------------------------------------------------------------------


class _Saved:
    """What one program could leave behind for the next one, captured before it runs."""

    def __init__(self) -> None:
        from absl import flags
        from tensorflow.python.eager import context

        self.sys_path, self.argv, self.cwd = list(sys.path), sys.argv, os.getcwd()
        self.modules = set(sys.modules)
        self.flags = set(flags.FLAGS)
        self.flags_parsed = flags.FLAGS.is_parsed()
        self.context_switches = len(context.context().context_switches.stack)
        self.behaviour = _behaviour()

    def restore(self, tf, library_dirs: tuple[str, ...] = ()) -> None:
        from absl import flags
        from tensorflow.python.eager import context
        from tensorflow.python.framework import ops, stack

        sys.path[:], sys.argv = self.sys_path, self.argv
        os.chdir(self.cwd)
        for name in set(sys.modules) - self.modules:
            origin = getattr(sys.modules[name], "__file__", None)
            if origin and not os.path.abspath(origin).startswith(_LIBRARY_DIRS + library_dirs):
                del sys.modules[name]
        for name in set(flags.FLAGS) - self.flags:  # tf.app.flags: the next program defines its own
            delattr(flags.FLAGS, name)
        if not self.flags_parsed:
            flags.FLAGS.unparse_flags()
        # Graph (and session) contexts entered and never exited would make reset_default_graph
        # refuse ("nested graphs") and put the next program in the wrong graph: drop them.
        del context.context().context_switches.stack[self.context_switches:]
        ops._default_graph_stack.stack.clear()
        stack._default_session_stack.reset()
        tf.reset_default_graph()
        tf.disable_eager_execution()
        _restore_behaviour(self.behaviour)


def _switches() -> list[tuple[object, str]]:
    """Process-wide TF1/TF2 switches besides tf2 itself (what tf.disable_v2_behavior() flips)."""
    from tensorflow.python.framework import tensor, tensor_shape
    from tensorflow.python.ops import control_flow_util, resource_variables_toggle

    return [
        (resource_variables_toggle, "_DEFAULT_USE_RESOURCE"),
        (control_flow_util, "ENABLE_CONTROL_FLOW_V2"),
        (tensor_shape, "_TENSORSHAPE_V2_OVERRIDE"),
        (tensor.Tensor, "_USE_EQUALITY"),
    ]


def _behaviour() -> tuple:
    from tensorflow.python import tf2

    return (tf2.enabled(), *(getattr(owner, name) for owner, name in _switches()))


def _restore_behaviour(saved: tuple) -> None:
    if _behaviour() == saved:
        return
    from tensorflow.python import tf2
    from tensorflow.python.compat import v2_compat

    v2, *values = saved
    tf2.enable() if v2 else tf2.disable()
    for (owner, name), value in zip(_switches(), values):
        setattr(owner, name, value)
    for name in v2_compat._DATA_V2_CALLBACKS.list():  # tf.data picks its Dataset class from tf2
        v2_compat._DATA_V2_CALLBACKS.lookup(name)()


# ------------------------------------------------------------------------------------------------
# Running
# ------------------------------------------------------------------------------------------------


def run_files(paths: list[str], *, time_limit: float | None = None,
              library_dirs: tuple[str, ...] = (), catch: list[str] = ()) -> list[dict]:
    """Run each program in turn under TF; one report per path, in order (see the module doc).
    Modules imported from ``library_dirs`` (besides the interpreter's own) are kept between
    programs, like installed packages. Then each path of ``catch`` runs again, going on after
    store errors."""
    tf = _tensorflow()
    dirs = tuple(os.path.join(os.path.abspath(d), "") for d in library_dirs)
    out = [_run_file(tf, str(path), time_limit, dirs) for path in paths]
    out += [_run_file(tf, str(path), time_limit, dirs, catching=True) for path in catch]
    return out


def _run_file(tf, path: str, time_limit: float | None, library_dirs: tuple[str, ...],
              catching: bool = False) -> dict:
    global _run
    saved = _Saved()
    tf.reset_default_graph()
    run = _Run(path, tf.get_default_graph())
    error = None
    started = time.perf_counter()
    sys.argv = [path]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))  # as `python FILE` has it
    run.catching = catching
    _run = run
    try:
        with warnings.catch_warnings(), _time_limit(time_limit):
            warnings.simplefilter("ignore")
            with open(path, "rb") as handle:
                code = compile(handle.read(), path, "exec", dont_inherit=True)
            exec(code, {"__name__": "__main__", "__file__": path})
    except KeyboardInterrupt:
        raise
    except SystemExit as exc:
        if exc.code not in (None, 0):
            error = _describe(exc, path)
    except BaseException as exc:  # noqa: BLE001 - the program's own failure is what we report
        error = _describe(exc, path)
    finally:
        _run = None
        seconds = time.perf_counter() - started
        saved.restore(tf, library_dirs)
    out = {"path": path, "error": error, "events": run.events, "scopes": run.scopes,
           "seconds": round(seconds, 4)}
    if catching:
        out.update(catching=True, caught=run.caught)
    return out


def _describe(exc: BaseException, path: str) -> dict:
    message = str(exc).split("\n", 1)[0].split(_TRACEBACK_TAIL, 1)[0]
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is None and isinstance(exc, SyntaxError) and exc.filename == path:
        line = exc.lineno  # the file did not compile: no frame of it ever ran
    variable = next((m.group(1) for m in (p.match(message) for p in _NAMING_MESSAGES) if m), None)
    out = {"type": type(exc).__name__, "message": message, "line": line, "variable": variable}
    out["code"] = tf_code(out)
    return out


@contextlib.contextmanager
def _time_limit(seconds: float | None):
    """Raise TimeoutError in a program still running after ``seconds`` (main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.tfrun",
        description="Run TF1 programs under TensorFlow in one process; print a JSON report.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--catch", metavar="FILE", action="append", default=[],
                        help="run FILE again after the others, going on after store errors")
    parser.add_argument("--time-limit", type=float, default=120.0, metavar="SECONDS",
                        help="stop a program running longer than this (0: no limit; default 120)")
    args = parser.parse_args(argv)

    # The programs print, and TF's native code may write to fd 1 too: keep the real stdout for
    # the JSON and send everything else to stderr.
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    started = time.perf_counter()
    _tensorflow()
    imported = time.perf_counter()
    results = run_files(args.files, time_limit=args.time_limit or None, catch=args.catch)
    done = time.perf_counter()
    raised = sum(1 for r in results if r["error"] is not None)
    print(f"tfrun: {len(results)} files ({raised} raised) in {done - imported:.2f} s, "
          f"after {imported - started:.2f} s importing TensorFlow", file=sys.stderr)
    json.dump(results, out)
    out.write("\n")
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
