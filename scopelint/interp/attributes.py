"""Attributes: ``obj.name`` on the interpreter's values, as Python looks it up (an instance's
own attributes, its class and bases, properties, ``super()``), and on modules and the modelled
package. Attributes of values an API model defines are asked of its hooks. Part of
``Interpreter``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from .library import MODULE_CONSTANTS
from .regex import attribute as regex_attribute, is_regex_value
from .values import (
    INITIALIZER,
    RECORD_METHODS,
    STR,
    TENSOR,
    UNKNOWN,
    UNKNOWN_ITEMS,
    UNBOUND_OWNERS,
    BoundBuiltin,
    Builtin,
    Class,
    ClassMethod,
    ContextFactory,
    DType,
    Env,
    ExitStack,
    Function,
    Instance,
    ModuleRef,
    OpenObject,
    Partial,
    ProjectModule,
    Property,
    StaticMethod,
    SuperProxy,
    TFRef,
    WraptWrapper,
    named_tuple,
)


class Attributes:
    def ev_Attribute(self, node: cst.Attribute, env: Env) -> Any:
        return self.get_attr(self.ev(node.value, env), node.attr.value, node)

    def get_attr(self, obj: Any, attr: str, node: cst.CSTNode) -> Any:
        # By exact type: no class derives from these (a model's subclass of Instance has a hook).
        kind = type(obj)
        if kind is Instance:  # the most frequent
            return self._instance_attr(obj, attr, node)
        hook = self.hooks.attributes.get(kind)
        if hook is not None:
            return hook(self, obj, attr, node)
        if kind is TFRef:
            if self.api_values:
                name = self.hooks.canonical(f"{obj.path}.{attr}")
                if name in self.api_values:
                    self.impure()  # set by the program: not what a summary may replay
                    return self.api_values[name]
            return self.hooks.api_attribute(f"{obj.path}.{attr}")
        if kind is ModuleRef:
            path = f"{obj.path}.{attr}"
            return MODULE_CONSTANTS.get(path, ModuleRef(path))
        if kind is ProjectModule:
            if obj.env is None:
                return UNKNOWN
            if self.recordings:
                value = self.find_recorded(obj.env, attr, None)
            else:
                value = obj.env.lookup(attr)
            return UNKNOWN if value is None else value
        if isinstance(obj, OpenObject):
            if attr in obj.attrs:
                return obj.attrs[attr]
            return self.get_attr(obj.base, attr, node)
        if isinstance(obj, Instance):
            return self._instance_attr(obj, attr, node)
        if isinstance(obj, SuperProxy):
            return self._super_attr(obj, attr, node)
        if isinstance(obj, Class):
            if attr == "__name__":
                return obj.qualname.rpartition(".")[2]
            if attr == "__subclasses__":
                # The subclasses the modules the analysis ran define; a module it does not run
                # is a library, which does not derive from the program's classes.
                self.impure()  # they change as classes are defined: a summary does not guard them
                return BoundBuiltin(list(obj.derived), "copy")
            member = obj.lookup(attr)
            if type(member) is StaticMethod:
                return member.fn
            if type(member) is ClassMethod:
                return bind(member.fn, obj)
            return UNKNOWN if member is None else member
        if isinstance(obj, Function):
            if attr == "__name__":
                return obj.node.name.value if type(obj.node) is cst.FunctionDef else "<lambda>"
            if obj.bound is not None and attr in ("__func__", "__self__"):
                return obj.bound if attr == "__self__" else unbound(obj)
            self.impure()  # the program may set it later: a summary does not guard it
            attrs = obj.attrs
            return attrs[attr] if attrs is not None and attr in attrs else UNKNOWN
        if isinstance(obj, Partial):
            if obj.method:
                return {"__func__": obj.func, "__self__": obj.args[0]}.get(attr, UNKNOWN)
            return {"func": obj.func, "args": obj.args, "keywords": obj.kwargs}.get(attr, UNKNOWN)
        if isinstance(obj, (str, list, dict, tuple, set, frozenset, ExitStack)) or obj is STR or (
            type(obj) is Builtin and obj.name in UNBOUND_OWNERS and attr[:2] != "__"  # str.upper
        ):
            return BoundBuiltin(obj, attr)
        if is_regex_value(obj):
            return regex_attribute(obj, attr)
        if obj is TENSOR or obj is INITIALIZER or isinstance(obj, DType):
            return TENSOR
        return UNKNOWN

    def _instance_attr(self, obj: Instance, attr: str, node: cst.CSTNode) -> Any:
        attrs = obj.attrs
        if attr in attrs:
            return attrs[attr]
        if attr == "__class__":
            return obj.cls
        spoiled = obj.spoilt or UNKNOWN_ITEMS in attrs
        if attr == "__dict__":
            return UNKNOWN if spoiled else attrs
        member = obj.cls.lookup(attr)
        if member is None and attr in RECORD_METHODS and named_tuple(obj.cls):
            return BoundBuiltin(obj, attr)
        if member is UNKNOWN and not spoiled:
            return self._inherited(obj, obj.cls.foreign_base(), attr, node)
        return self._member(obj, member, node, spoiled)

    def set_through_property(self, obj: Any, attr: str, value: Any, node: cst.CSTNode) -> bool:
        """``obj.attr = value`` where ``obj``'s class makes ``attr`` a property with a setter:
        Python calls the setter (a data descriptor comes before the instance's attributes)."""
        if type(obj) is not Instance:
            return False
        member = obj.cls.lookup(attr)
        if type(member) is not Property or member.fset is None:
            return False
        self.call_function(member.fset, [obj, value], {}, node)
        return True

    def _member(self, obj: Any, member: Any, node: cst.CSTNode, spoiled: bool = False) -> Any:
        """What an instance gives for a name its class (or a base) defines: a method bound to it,
        a property's value, a class attribute (unknown when unknown code may have shadowed it)."""
        kind = type(member)
        if kind is Function:
            return bind(member, obj)
        if kind is Property:
            return self.call_function(member.fn, [obj], {}, node)
        if kind is StaticMethod:
            return member.fn
        if kind is ClassMethod:
            return bind(member.fn, obj.cls if type(obj) is Instance else obj)
        if kind is ContextFactory:
            return ContextFactory(bind(member.fn, obj))
        if kind is WraptWrapper and member.wrapped is not None and type(obj) is Instance:
            # wrapt binds like a function: the wrapped method bound, the instance handed over
            return WraptWrapper(member.wrapper, self._member(obj, member.wrapped, node), obj,
                                member.adapter)
        if member is None or spoiled:
            return UNKNOWN
        return member

    def _super_attr(self, proxy: SuperProxy, attr: str, node: cst.CSTNode) -> Any:
        """``super().attr``: looked up in the instance's method resolution order after the class
        whose method is running, as Python does (cooperative multiple inheritance)."""
        instance = proxy.instance
        order = instance.cls.mro() if isinstance(instance, Instance) else proxy.owner.mro()
        after = next((i for i, k in enumerate(order) if k is proxy.owner), None)
        if after is None:
            return UNKNOWN
        for klass in order[after + 1:]:
            if type(klass) is Class:
                if attr in klass.attrs:
                    member = klass.attrs[attr]
                    if type(member) in (Function, StaticMethod, ClassMethod):
                        return self._member(instance, member, node)
                    return UNKNOWN
            elif type(klass) is not Builtin:
                return self._inherited(instance, klass, attr, node)
        return UNKNOWN

    def _inherited(self, obj: Any, base: Any, attr: str, node: cst.CSTNode) -> Any:
        """``obj.attr`` that the program's classes leave to ``base``, a class it cannot see: the
        model's answer for a class of the package, else unknown."""
        found = self.hooks.inherited(self, obj, base, attr, node) if base is not None else None
        return UNKNOWN if found is None else found


def bind(fn: Function, obj: Any) -> Function:
    """``fn`` as a method of ``obj`` (an instance, or a class for a classmethod)."""
    return Function(fn.node, fn.env, fn.qualname, bound=obj, owner=fn.owner, module=fn.module,
                    attrs=fn.attrs)


def unbound(fn: Function) -> Function:
    """A bound method's ``__func__``: the function it binds."""
    return Function(fn.node, fn.env, fn.qualname, owner=fn.owner, module=fn.module, attrs=fn.attrs)
