"""Definitions: functions and classes as ``def`` and ``class`` make them, decorators applied.

The program's own decorators run (a registry that stores the function in a dict, a wrapper made
with ``functools.wraps``); ``staticmethod``, ``classmethod``, ``property`` and
``contextlib.contextmanager`` mark how the function is used; ``@dataclass`` and
``typing.NamedTuple`` bodies declare record fields. What an unknown decorator returns is
unknown, and the function's body is still analysed as an entry of its own. Part of
``Interpreter``.
"""

from __future__ import annotations

from typing import Any, Sequence

import libcst as cst

from .args import dotted
from .library import DATACLASS, SAME_CLASS
from .signals import Terminate
from .values import (
    UNKNOWN,
    Builtin,
    Class,
    ClassMethod,
    ContextFactory,
    Env,
    FieldSpec,
    Function,
    ModuleRef,
    Partial,
    Property,
    StaticMethod,
    TFRef,
    WraptWrapper,
)


class Definitions:
    def define_function(
        self, node: cst.FunctionDef, env: Env, owner: Class | None = None,
        closure: Env | None = None,
    ) -> None:
        """``def``: defaults and decorators are evaluated in ``env``, where the name is bound;
        the body sees ``closure`` (a method's is the scope around its class, never the class
        body: a method named like a module the class body's methods use must not hide it)."""
        defaults = []
        for param in (*node.params.params, *node.params.kwonly_params):
            if param.default is not None:
                defaults.append(self.ev(param.default, env))
            else:
                defaults.append(None)
        self.defaults[node] = defaults
        prefix = f"{owner.qualname}." if owner is not None else ""
        fn = Function(node, env if closure is None else closure, prefix + node.name.value,
                      owner=owner, module=self.current_module)
        value = self.decorate(node.decorators, fn, env, owner)
        env.set(node.name.value, value)
        if value is UNKNOWN:
            # Still analyse its body as an entry of its own.
            self.impure()
            self.orphans.append((fn, owner))

    def decorate(
        self, decorators: Sequence[cst.Decorator], value: Any, env: Env, owner: Class | None = None
    ) -> Any:
        """Apply decorators, innermost first: the program's own decorators run (a registry that
        stores the function in a dict, a wrapper), Python's method kinds mark the function;
        what an unknown decorator returns is unknown."""
        for decorator in reversed(decorators):
            expression = decorator.decorator
            name = dotted(expression)
            accessor = _property_accessor(name, value, owner, env)
            if accessor is not None:
                value = accessor
                continue
            if name is not None and name.split(".")[-1] == "contextmanager":
                maker = self.ev(expression, env)
                if type(maker) is ModuleRef and maker.path in _CONTEXT_MANAGERS:
                    value = ContextFactory(value) if type(value) is Function else UNKNOWN
                    continue
            if name in _METHOD_KINDS:
                value = _METHOD_KINDS[name](value) if type(value) is Function else UNKNOWN
                continue
            if name in _TRANSPARENT or (name is not None and name.split(".")[-1] in _TRANSPARENT):
                continue
            if name in DATACLASS or (type(expression) is cst.Call and dotted(expression.func) in DATACLASS):
                value = self.make_dataclass(value, expression, env) if type(value) is Class else UNKNOWN
                continue
            if type(value) is Class and (name in SAME_CLASS or (
                type(expression) is cst.Call and dotted(expression.func) in SAME_CLASS
            )):
                continue
            found = self._decorator(expression, env)
            if found is None:
                return UNKNOWN
            value = self.call_value(found, [value], {}, decorator)
            if value is UNKNOWN:
                return UNKNOWN
        return value

    def _decorator(self, expression: cst.BaseExpression, env: Env) -> Any:
        """The decorator ``expression`` names, when the analysis can run it: a function or class
        of the program, ``functools.wraps(...)``, an API the model knows. None for any other: it
        is not evaluated (an unknown call there would count as unknown code)."""
        callee = expression.func if type(expression) is cst.Call else expression
        if dotted(callee) is None:
            return None
        target = self.ev(callee, env)
        if type(target) is TFRef:
            if self.hooks.canonical(target.path) not in self.hooks.apis:
                return None
        elif type(target) is ModuleRef:
            if target.path not in ("functools.wraps", "six.wraps", "functools.partial",
                                   "wrapt.decorator"):
                return None
        elif type(target) not in (Function, Class, Partial, WraptWrapper):
            return None
        if type(expression) is not cst.Call:
            return target
        made = self.ev(expression, env)
        if type(made) in (Function, Class, Partial, Builtin, TFRef, WraptWrapper) or (
            type(made) in self.hooks.calls
        ):
            return made
        return None

    def define_class(self, node: cst.ClassDef, env: Env) -> None:
        bases = tuple(self.ev(arg.value, env) for arg in node.bases)
        record = any(type(b) is ModuleRef and b.path in _NAMED_TUPLE for b in bases)
        # Bases of the standard library that give the program nothing it looks up.
        bases = tuple(_KNOWN_BASES.get(b.path, b) if type(b) is ModuleRef else b for b in bases)
        cls = Class(node, node.name.value, bases=bases)
        class_env = Env(env)
        for stmt in node.body.body:
            if isinstance(stmt, cst.FunctionDef):
                self.define_function(stmt, class_env, owner=cls, closure=env)
            else:
                try:
                    self.exec_stmt(stmt, class_env)
                except Terminate:
                    pass
        cls.attrs.update(class_env.vars)  # the body's last binding of each name, in order
        if record:
            cls = self.make_dataclass(cls, None, env)
        value = self.decorate(node.decorators, cls, env)
        if type(value) is Class:
            for base in dict.fromkeys(b for b in value.bases if type(b) is Class):
                base.derived.append(value)
        env.set(node.name.value, value)
        if value is UNKNOWN:
            # An unknown decorator may give anything: the methods are analysed as entries.
            self.impure()
            for member in cls.attrs.values():
                fn = member.fn if isinstance(member, _WRAPPERS) else member
                if isinstance(fn, Function) and fn.owner is cls:
                    self.orphans.append((fn, cls))

    def make_dataclass(self, cls: Class, decorator: cst.BaseExpression | None, env: Env) -> Any:
        """``@dataclass`` (or a ``typing.NamedTuple`` body): the annotated names of the body, in
        order after the bases' fields, become the fields ``__init__`` binds."""
        if type(decorator) is cst.Call:
            options = {a.keyword.value: a.value for a in decorator.args if a.keyword is not None}
            if any(a.keyword is None for a in decorator.args):
                return UNKNOWN
            if "init" in options and self.ev(options["init"], env) is not True:
                return cls if self.ev(options["init"], env) is False else UNKNOWN
        fields: list = []
        defaults: dict = {}
        for base in reversed(cls.mro()[1:]):
            if type(base) is Class and base.fields is not None:
                fields.extend(f for f in base.fields if f not in fields)
                defaults.update(base.field_defaults)
        for stmt in cls.node.body.body:
            if type(stmt) is not cst.SimpleStatementLine:
                continue
            for small in stmt.body:
                if type(small) is cst.AnnAssign and type(small.target) is cst.Name:
                    if "ClassVar" in (dotted(small.annotation.annotation) or ""):
                        continue
                    name = small.target.value
                    if name not in fields:
                        fields.append(name)
                    if small.value is not None:
                        defaults[name] = cls.attrs.get(name, UNKNOWN)
                        if isinstance(defaults[name], FieldSpec):
                            cls.attrs.pop(name, None)  # not a class attribute
                    else:
                        defaults.pop(name, None)
        cls.fields = tuple(fields)
        cls.field_defaults = defaults
        return cls


def _property_accessor(
    name: str | None, fn: Any, owner: Class | None, body: Env
) -> Property | None:
    """``@x.setter`` (``.getter``, ``.deleter``) on a method: the class body's property ``x``
    with ``fn`` as its setter (getter), as Python copies it; a deleter is not followed. None
    for any other decorator."""
    if owner is None or name is None or type(fn) is not Function:
        return None
    base, _, kind = name.rpartition(".")
    found = body.vars.get(base, owner.attrs.get(base))  # the class body's names so far
    if type(found) is not Property or kind not in ("setter", "getter", "deleter"):
        return None
    if kind == "setter":
        return Property(found.fn, fn)
    if kind == "getter":
        return Property(fn, found.fset)
    return Property(found.fn, found.fset)


# Decorators that say how a method binds.
_METHOD_KINDS = {
    "staticmethod": lambda fn: StaticMethod(fn),
    "classmethod": lambda fn: ClassMethod(fn),
    "property": lambda fn: Property(fn),
}
_CONTEXT_MANAGERS = frozenset({"contextlib.contextmanager", "contextlib2.contextmanager"})
# Decorators that leave the function as it is, for what the analysis follows.
_TRANSPARENT = frozenset({
    "abstractmethod", "abc.abstractmethod", "lru_cache", "cache", "functools.lru_cache",
    "functools.cache", "overload", "typing.overload", "override", "typing.final", "final",
})
# Bases that make a class body a record of annotated fields.
_NAMED_TUPLE = frozenset({"typing.NamedTuple"})
_KNOWN_BASES = {
    "typing.NamedTuple": Builtin("tuple"),
    "abc.ABC": Builtin("object"),
    "typing.Generic": Builtin("object"),
    "typing.Protocol": Builtin("object"),
    # dicts whose entries go with their keys (values): while the program runs, dicts
    "weakref.WeakKeyDictionary": Builtin("dict"),
    "weakref.WeakValueDictionary": Builtin("dict"),
}
_WRAPPERS = (Property, StaticMethod, ClassMethod, ContextFactory)  # each holds its function as fn
