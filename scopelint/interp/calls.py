"""Calls: functions, methods, classes, ``super()``, builtins and methods of plain values.

A call to a function of the program runs its body with the caller's state (a new environment,
the call pushed on ``self.stack``); recursion and calls past ``MAX_CALL_DEPTH`` are opaque.
Calls into the modelled package and on the objects it defines go through the hooks. Part of
``Interpreter``.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..events import Frame
from .bounded import format_text, string_method
from .signals import MAX_CALL_DEPTH, Break, Continue, Return
from .values import (
    INITIALIZER,
    STAR,
    STAR_KEY,
    STR,
    TENSOR,
    UNKNOWN,
    BoundBuiltin,
    Builtin,
    Class,
    Env,
    Function,
    Instance,
    ModuleRef,
    OpenObject,
    SuperProxy,
    TFRef,
    plain,
)

# Modules whose functions never create TF variables: calling them is not "unknown code".
PURE_MODULES = frozenset(
    """numpy np math os sys time random json re logging collections itertools functools six
    argparse pickle copy glob shutil datetime string typing abc warnings absl pprint io csv
    pathlib scipy pandas matplotlib PIL cv2 h5py tqdm yaml operator contextlib enum dataclasses
    inspect traceback threading multiprocessing queue uuid hashlib struct platform tempfile gzip
    zipfile urllib requests sklearn codecs unicodedata heapq bisect textwrap signal socket
    __future__ builtins""".split()
)


@dataclass
class CallFrame:
    """A running call: whether a branch inside it may have returned already."""

    maybe_returned: bool = False


class Calls:
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
                    args.append(STAR)
            elif arg.star == "**":
                if isinstance(value, dict):
                    kwargs.update({k: v for k, v in value.items() if isinstance(k, str)})
                else:
                    kwargs[STAR_KEY] = UNKNOWN
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return self.call_value(func, args, kwargs, node)

    def call_value(self, func: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        if isinstance(func, TFRef):
            return self.call_api(self.hooks.canonical(func.path), args, kwargs, node)
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
        hook = self.hooks.calls.get(type(func))
        if hook is not None:
            return hook(self, func, args, kwargs, node)
        if isinstance(func, OpenObject):
            return self.call_value(func.base, args, kwargs, node)
        if isinstance(func, BoundBuiltin):
            return self.call_method(func, args, kwargs, node)
        if isinstance(func, Builtin):
            return self.call_builtin(func.name, args, kwargs, node)
        if isinstance(func, ModuleRef):
            if func.path in ("copy.copy", "copy.deepcopy") and len(args) == 1 and not kwargs:
                return _copied(args[0])
            if func.path.split(".")[0] in PURE_MODULES:
                return TENSOR
            self.opaque(args, kwargs)
            return UNKNOWN
        if func is TENSOR or func is INITIALIZER:
            return TENSOR
        self.opaque(args, kwargs)
        return UNKNOWN

    def call_api(self, api: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """A call into the modelled package, by canonical name."""
        handler = self.hooks.apis.get(api)
        if handler is not None:
            return handler(self, args, kwargs, node)
        return self.hooks.fallback(self, api, args, kwargs, node)

    def opaque_value(self, args: list, kwargs: dict) -> Any:
        self.opaque(args, kwargs)
        return UNKNOWN

    def opaque(self, args: list, kwargs: dict) -> None:
        """A call into code the analysis cannot see: the model decides what it may have done
        (and calls ``impure()`` if that changes its state)."""
        self.hooks.opaque(self, args, kwargs)

    def call_function(
        self, fn: Function, args: list, kwargs: dict, node: cst.CSTNode, as_entry: bool = False
    ) -> Any:
        if fn.node in self.active or len(self.active) >= MAX_CALL_DEPTH:
            self.impure()  # depends on the calls running around the recorded one
            self.opaque(args, kwargs)
            return UNKNOWN
        if not as_entry and fn.bound is None and self.summaries is not None:
            return self.call_summarised(fn, args, kwargs, node)
        return self._run_call(fn, args, kwargs, node, as_entry)

    def _run_call(
        self, fn: Function, args: list, kwargs: dict, node: cst.CSTNode, as_entry: bool
    ) -> Any:
        self._tick()
        env = Env(fn.env)
        self.bind_params(fn, args, kwargs, env)
        self.executed.add(fn.node)
        self.invocation_counter += 1
        saved_stack, saved_path = self.stack, self.path
        if not as_entry:
            self.stack = saved_stack + (Frame(fn.qualname, self.invocation_counter, self.here(node)),)
        self.active.append(fn.node)
        if self.recordings:
            self.entered_recorded(fn)
        frame = CallFrame()
        self.call_frames.append(frame)
        self.methods.append((fn.owner, fn.bound))
        saved_module = self.current_module
        if saved_module is None and fn.module is not None:
            self.anchors.append(node)
        self.current_module = fn.module
        try:
            if type(fn.node) is cst.Lambda:
                result = self.ev(fn.node.body, env)
            else:
                skeleton = self.skeletons.get(fn.module) if fn.module is not None else None
                body = skeleton.body(fn.node) if skeleton is not None else fn.node.body
                try:
                    self.exec_block(body.body, env)
                    result = None
                except Return as ret:
                    result = ret.value
                except (Break, Continue):
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
        # Positions from the first `*args` of unknown length on are unknown.
        known = next((i for i, v in enumerate(values) if v is STAR), len(values))
        unknown_rest = known < len(values) or STAR_KEY in kwargs
        for index, param in enumerate(positional):
            name = param.name.value
            if index < known:
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
            env.vars[params.star_arg.name.value] = UNKNOWN if STAR in extra else tuple(extra)
        if params.star_kwarg is not None:
            env.vars[params.star_kwarg.name.value] = UNKNOWN

    def call_builtin(self, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        known = all(plain(a) for a in args) and not kwargs
        try:
            if name == "range" and known and all(isinstance(a, int) for a in args):
                r = range(*args)
                return list(r) if len(r) <= 10_000 else UNKNOWN
            if name == "len" and known and args and isinstance(args[0], (str, list, tuple, dict)):
                return len(args[0])
            if name in ("str", "int", "float", "bool") and known and len(args) == 1:
                return getattr(builtins, name)(args[0])
            if name == "str" and len(args) == 1 and not kwargs:
                return STR
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
                return self._super(args, kwargs)
            if name == "print":
                return None
        except (TypeError, ValueError, OverflowError):
            return UNKNOWN
        return UNKNOWN

    def _super(self, args: list, kwargs: dict) -> Any:
        """``super(Owner, obj)`` names its class; bare ``super()`` is the running method's. A
        function defined outside a class body (assigned as a method later) has no owner."""
        self.impure()  # it reads the running method's class, which a summary does not guard
        if kwargs:
            return UNKNOWN
        if len(args) == 2:
            owner, instance = args
        elif not args and self.methods:
            owner, instance = self.methods[-1]
        else:
            return UNKNOWN
        if not isinstance(owner, Class):
            return UNKNOWN
        return SuperProxy(instance, owner)

    def call_method(self, method: BoundBuiltin, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        obj, name = method.obj, method.name
        hook = self.hooks.methods.get(type(obj))
        if hook is not None:
            return hook(self, obj, name, args, kwargs, node)
        if isinstance(obj, str):
            if name == "format":
                return format_text(obj, args, kwargs)
            return string_method(obj, name, args)
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



def _copied(value: Any) -> Any:
    """``copy.copy(obj)``: a new object with the same attributes (so that setting a flag on the
    copy leaves the original alone); anything else stays opaque."""
    if isinstance(value, Instance):
        return Instance(value.cls, dict(value.attrs))
    if isinstance(value, OpenObject):
        return OpenObject(value.base, dict(value.attrs))
    return TENSOR
