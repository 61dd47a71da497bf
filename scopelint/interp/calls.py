"""Calls: functions, methods, classes, ``super()``, builtins and methods of plain values.

A call to a function of the program runs its body with the caller's state (a new environment,
the call pushed on ``self.stack``); recursion and calls past ``MAX_CALL_DEPTH`` are opaque.
Calls into the modelled package and on the objects it defines go through the hooks. Part of
``Interpreter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..events import Frame
from .bounded import format_text, string_method, unknown_string_method
from . import sets
from .containers import dict_method, list_method, mutable, spoil
from .regex import is_regex_value, method as regex_method
from .signals import MAX_CALL_DEPTH, Break, Continue, Raise, Return
from .values import (
    INITIALIZER,
    RECORD_METHODS,
    STAR,
    STAR_KEY,
    STR,
    TENSOR,
    UNKNOWN,
    UNKNOWN_ITEMS,
    BoundBuiltin,
    Builtin,
    Class,
    ContextFactory,
    Env,
    ExitStack,
    FieldSpec,
    Function,
    Generator,
    GeneratorContext,
    Instance,
    Lazy,
    ModuleRef,
    OpenObject,
    Partial,
    SuperProxy,
    TFRef,
    WraptWrapper,
    plain,
    record_method,
    spoilt,
    unbound_self,
)


_RECURSION = 2  # calls of one plain function running at once: the outer one and one recursion


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
                items = self.items(value) if type(value) is not dict else None
                if items is not None:
                    args.extend(items)
                else:
                    args.append(STAR)
            elif arg.star == "**":
                if isinstance(value, dict) and not spoilt(value):
                    kwargs.update({k: v for k, v in value.items() if isinstance(k, str)})
                else:
                    kwargs[STAR_KEY] = UNKNOWN
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        if type(func) is Builtin and func.name == "locals" and not args and not kwargs:
            return self._locals(env)
        result = self.call_value(func, args, kwargs, node)
        if self.receivers and node in self.receivers:
            replaced = self.receivers.pop(node)
            target = node.func
            if type(target) is cst.Attribute and type(target.value) is cst.Name:
                env.rebind(target.value.value, replaced)
        return result

    def _locals(self, env: Env) -> Any:
        """``locals()`` in the body of a function defined at module level (TF-GAN's
        ``dict(locals())`` of its arguments): a snapshot of the names bound so far. Elsewhere
        (closures add free variables, class bodies their own names) it stays unknown."""
        running = self.methods[-1][2] if self.methods and self.active else None
        if (running is None or env.parent is not running or running.parent is not None
                or type(self.active[-1]) is not cst.FunctionDef
                or not all(type(k) is str and k.isidentifier() for k in env.vars)):
            return UNKNOWN
        return dict(env.vars)

    def call_value(self, func: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        # The most frequent callees first, by exact type (no class derives from these).
        kind = type(func)
        if kind is Function:
            return self.call_function(func, args, kwargs, node)
        if kind is BoundBuiltin:
            return self.call_method(func, args, kwargs, node)
        if kind is ModuleRef:
            return self.call_module(func.path, args, kwargs, node)
        if kind is Builtin:
            return self.call_builtin(func.name, args, kwargs, node)
        if kind is TFRef:
            return self.call_api(self.hooks.canonical(func.path), args, kwargs, node)
        if kind is Class:
            return self.instantiate(func, args, kwargs, node)
        if isinstance(func, Instance):
            # Python looks `__call__` up on the class, never in the instance's own attributes
            # (Sonnet 1 keeps a signature-copying wrapper in self.__dict__["__call__"]).
            found = func.cls.lookup("__call__")
            if found is None:
                method = self.get_attr(func, "__call__", node)
            elif found is UNKNOWN and not func.spoilt:  # left to a base the model may know
                method = self._inherited(func, func.cls.foreign_base(), "__call__", node)
                if method is not UNKNOWN:
                    return self.call_value(method, args, kwargs, node)
            else:
                method = self._member(func, found, node)
            if isinstance(method, Function):
                return self.call_function(method, args, kwargs, node)
            self.opaque(args, kwargs)
            return UNKNOWN
        hook = self.hooks.calls.get(type(func))
        if hook is not None:
            return hook(self, func, args, kwargs, node)
        if isinstance(func, OpenObject):
            return self.call_value(func.base, args, kwargs, node)
        if isinstance(func, ContextFactory):
            return GeneratorContext(func.fn, tuple(args), dict(kwargs))
        if isinstance(func, Partial):
            return self.call_value(func.func, [*func.args, *args], {**func.kwargs, **kwargs}, node)
        if kind is WraptWrapper:
            if func.wrapped is None:  # the decorator, given the function to wrap
                if len(args) != 1 or kwargs:
                    return UNKNOWN
                return WraptWrapper(func.wrapper, args[0], adapter=func.adapter)
            if STAR in args or STAR_KEY in kwargs:
                self.opaque([func.wrapped, *args], kwargs)
                return UNKNOWN
            return self.call_value(
                func.wrapper, [func.wrapped, func.instance, tuple(args), dict(kwargs)], {}, node)
        if func is TENSOR or func is INITIALIZER:
            return TENSOR
        self.opaque(args, kwargs)
        return UNKNOWN

    def instantiate(self, cls: Class, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """``cls(*args, **kwargs)``: its ``__init__``, or the fields of a record."""
        instance = Instance(cls, born=self.invocation_counter)
        init = cls.lookup("__init__")
        if type(init) is WraptWrapper:
            self.call_value(self._member(instance, init, node), args, kwargs, node)
            return instance
        if isinstance(init, Function):
            self.call_function(
                Function(init.node, init.env, init.qualname, bound=instance, owner=init.owner,
                         module=init.module, attrs=init.attrs),
                args, kwargs, node,
            )
            return instance
        if init is UNKNOWN:
            method = self._inherited(instance, cls.foreign_base(), "__init__", node)
            if method is not UNKNOWN:  # a base of the model's package that it knows
                self.call_value(method, args, kwargs, node)
            else:
                self.opaque(args, kwargs)  # a base the analysis cannot see
            return instance
        record = cls.record()
        if record is not None:
            self._bind_fields(record, instance, args, kwargs, node)
            post = cls.lookup("__post_init__")
            if isinstance(post, Function):
                self.call_value(self.get_attr(instance, "__post_init__", node), [], {}, node)
        elif any(isinstance(b, (TFRef, ModuleRef)) or b is UNKNOWN for b in cls.mro()):
            self.opaque(args, kwargs)
        return instance

    def _bind_fields(self, record: Class, instance: Instance, args: list, kwargs: dict,
                     node: cst.CSTNode) -> None:
        fields = record.fields or ()
        if STAR in args or STAR_KEY in kwargs or len(args) > len(fields):
            instance.spoilt = True  # which field gets which value is unknown
            return
        for index, name in enumerate(fields):
            if index < len(args):
                value = args[index]
            elif name in kwargs:
                value = kwargs[name]
            elif name in record.field_defaults:
                value = record.field_defaults[name]
                if isinstance(value, FieldSpec):
                    if value.has_default:
                        value = value.default
                    elif value.factory is not None:
                        value = self.call_value(value.factory, [], {}, node)
                    else:
                        value = UNKNOWN  # a required field not given: TypeError in Python
            else:
                value = UNKNOWN  # TypeError in Python
            instance.attrs[name] = value

    def call_api(self, api: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """A call into the modelled package, by canonical name."""
        if self.api_step is None:
            self.reached_api(self.steps)
        handler = self.hooks.apis.get(api)
        if handler is not None:
            return handler(self, args, kwargs, node)
        return self.hooks.fallback(self, api, args, kwargs, node)

    def opaque_value(self, args: list, kwargs: dict) -> Any:
        self.opaque(args, kwargs)
        return UNKNOWN

    def opaque(self, args: list, kwargs: dict) -> None:
        """A call into code the analysis cannot see: it may change the lists, dicts and objects it
        is given, and the model decides what else it may have done (and calls ``impure()`` if
        that changes its state)."""
        self.hooks.opaque(self, args, kwargs)  # first: it looks at what it was handed
        for value in (*args, *kwargs.values()):
            if mutable(value) and spoil(value):
                self.impure()

    def call_function(
        self, fn: Function, args: list, kwargs: dict, node: cst.CSTNode, as_entry: bool = False
    ) -> Any:
        if not as_entry and self.is_generator(fn):
            return Generator(fn, tuple(args), dict(kwargs), node)  # runs as it is iterated
        if self.running(fn) or len(self.active) >= MAX_CALL_DEPTH:
            self.impure()  # depends on the calls running around the recorded one
            self.opaque(args, kwargs)
            return UNKNOWN
        if not as_entry and fn.bound is None and self.summaries is not None:
            return self.call_summarised(fn, args, kwargs, node)
        return self._run_call(fn, args, kwargs, node, as_entry)

    def running(self, fn: Function) -> bool:
        """``fn`` is running already, on the same object: a recursion. A method of a base class
        running for another object (a module's ``__call__`` connecting a nested module) is not
        (unless that object was made while it runs), nor is a closure made by
        another call of its maker (a decorator's wrapper around another decorated function, as
        tensor2tensor's ``add_name_scope`` helpers call each other)."""
        node = fn.node
        for running in self.active:  # by identity: ``in`` would call libcst's __eq__ on each
            if running is node:
                break
        else:
            return False
        if fn.bound is None:
            # One level of recursion is followed (TF-GAN's ``gan_train_ops`` calls itself once
            # per direction of a CycleGAN); deeper is not, which bounds what branching recursion
            # costs.
            calls = sum(n is fn.node and m[2] is fn.env for n, m in zip(self.active, self.methods))
            return calls >= _RECURSION
        # The same method for an object of its class made while it runs (a model that builds a
        # smaller copy of itself: tensor2tensor's denoising noiser) recurses too: where undecided
        # branches each lead back in, following it to the depth limit costs exponentially. A
        # tree of such objects made beforehand is not (each node's ``__call__`` calls its
        # children's).
        cls = getattr(fn.bound, "cls", None)
        born = getattr(fn.bound, "born", -1)
        return any(
            n is fn.node
            and (m[1] is fn.bound or (cls is not None and getattr(m[1], "cls", None) is cls
                                      and m[3] <= born))
            for n, m in zip(self.active, self.methods)
        )

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
        self.methods.append((fn.owner, fn.bound, fn.env, self.invocation_counter))
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
                except Raise:
                    if not frame.maybe_returned:
                        raise
                    # The paths that raise end here; the ones that returned before go on in
                    # the caller (`if prob == 0.0: return x` ... `raise ValueError`).
                    result = UNKNOWN
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
        if type(params.star_arg) is cst.Param:  # exact: isinstance on libcst's ABCs is slow
            extra = values[len(positional):]
            env.vars[params.star_arg.name.value] = UNKNOWN if STAR in extra else tuple(extra)
        if type(params.star_kwarg) is cst.Param:
            # The keywords no parameter takes; unknown when some keyword is unknown.
            named = {p.name.value for p in (*params.params, *params.kwonly_params)}
            extra = {k: v for k, v in kwargs.items() if k not in named}
            env.vars[params.star_kwarg.name.value] = UNKNOWN if STAR_KEY in kwargs else extra

    def _super(self, args: list, kwargs: dict) -> Any:
        """``super(Owner, obj)`` names its class; bare ``super()`` is the running method's. A
        function defined outside a class body (assigned as a method later) has no owner."""
        self.impure()  # it reads the running method's class, which a summary does not guard
        if kwargs:
            return UNKNOWN
        if len(args) == 2:
            owner, instance = args
        elif not args and self.methods:
            owner, instance = self.methods[-1][:2]
        else:
            return UNKNOWN
        if not isinstance(owner, Class):
            return UNKNOWN
        return SuperProxy(instance, owner)

    def call_method(self, method: BoundBuiltin, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        obj, name = method.obj, method.name
        if type(obj) is Builtin:  # `str.upper(x)`: x's own method
            first = unbound_self(method, args)
            if first is None:
                self.opaque(args, kwargs)
                return UNKNOWN
            return self.call_method(BoundBuiltin(first, name), args[1:], kwargs, node)
        hook = self.hooks.methods.get(type(obj))
        if hook is not None:
            return hook(self, obj, name, args, kwargs, node)
        if type(obj) is ExitStack:
            return self.exit_stack_method(obj, name, args, kwargs, node)
        if isinstance(obj, str):
            if name == "format":
                return format_text(obj, args, kwargs)
            return string_method(obj, name, args, kwargs)
        if obj is STR:
            return unknown_string_method(name)
        if is_regex_value(obj):
            return regex_method(obj, name, args, kwargs)
        kind = type(obj)
        if kind is list or kind is dict:
            if STAR in args or STAR_KEY in kwargs:
                if name not in ("get", "index", "count", "keys", "values", "items", "copy"):
                    spoil(obj)
                return UNKNOWN
            args = [self._iterated(a) for a in args]
            if kind is list:
                return list_method(obj, name, args, kwargs)
            return dict_method(obj, name, args, kwargs)
        if kind is tuple and name in ("count", "index") and len(args) == 1 and not kwargs:
            if plain(args[0]) and plain(obj):  # `shape.count(-1)`: Python's answer
                try:
                    return getattr(obj, name)(args[0])
                except ValueError:  # index of an absent item: Python raises
                    return UNKNOWN
        if kind is Instance and name in RECORD_METHODS:
            return record_method(obj, name, args, kwargs)
        if kind is set or kind is frozenset:
            single = name in sets.ITEM_METHODS
            operands = [sets.single(a) if single else self.set_items(a) for a in args]
            return sets.method(obj, name, operands, kwargs)
        return UNKNOWN

    def set_items(self, value: Any) -> frozenset | None:
        """What a set operation takes of ``value``: its items, in no order (None: unknown)."""
        if type(value) in sets.SETS:
            return frozenset(value)
        items = self.items(value)
        made = sets.make(items, frozenset)
        return None if items is None else made

    def _iterated(self, value: Any) -> Any:
        """A ``map`` given to a list method: what it gives (``extend`` iterates it)."""
        if type(value) is Lazy:
            items = self.force(value)
            return items if isinstance(items, list) else [UNKNOWN_ITEMS]
        return value
