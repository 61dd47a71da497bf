"""``isinstance``, ``issubclass`` and ``hasattr`` on the interpreter's values: Python's answer where
it is certain (plain values, the program's classes, builtin classes, ``numbers``), else
``UNKNOWN``. The builtins that ask them are in ``pybuiltins.py``; what the model tells of its
own objects against its classes is asked there of ``Hooks.instance``."""

from __future__ import annotations

import builtins
import collections.abc
import functools
import numbers
import types
from typing import Any

from .values import (
    INITIALIZER,
    UNKNOWN,
    UNKNOWN_ITEMS,
    BoundBuiltin,
    Builtin,
    Class,
    Dim,
    Function,
    Instance,
    ModuleRef,
    OpenObject,
    Partial,
    ProjectModule,
    Tensor,
    TFRef,
    plain,
)


def is_instance(obj: Any, cls: Any) -> Any:
    """``isinstance(obj, cls)`` when the analysis can tell; else ``UNKNOWN``."""
    if type(cls) is Class:
        if type(obj) is Instance:
            order = obj.cls.mro()
            if any(k is cls for k in order):
                return True
            # A base the analysis cannot see may derive from ``cls`` (a module not followed).
            return False if order and all(type(k) in (Class, Builtin) for k in order) else UNKNOWN
        if plain(obj) or type(obj) is dict:
            return False
        if type(obj) is Tensor and all(type(k) in (Class, Builtin) for k in cls.mro()):
            return False  # a tensor the model made is of TF's class, not of the program's
        return UNKNOWN
    if type(cls) is TFRef:
        # A class of the modelled API (tf.Tensor, tf.train.SyncReplicasOptimizer): what Python
        # computes with, and the program's own objects of classes that derive from nothing the
        # analysis cannot see, are never instances of it.
        if obj is None or type(obj) in (str, int, float, bool, list, tuple, dict, set, frozenset,
                                        Function, Class):
            return False
        if type(obj) is Instance and all(type(k) in (Class, Builtin) for k in obj.cls.mro()):
            return False
        return UNKNOWN
    target = python_type(cls)
    if target is not None:
        if type(obj) in (str, int, float, bool, list, tuple, dict, set, frozenset) or obj is None:
            return isinstance(obj, target)
        abstract = target in _ABCS.values()
        if obj is INITIALIZER and not abstract:
            return target is object  # an initializer object: of a class of its own, no builtin
        if type(obj) in (Function, Partial):
            # A function, method or functools.partial is no container, number, str or class
            # (tensor2tensor's Parallelism repeats `fn` unless it is a list of functions).
            return target is object
        if type(obj) is Class:
            return target is object or target is type  # every class is an instance of type
        if type(obj) is Tensor and target in (list, tuple, dict, set, frozenset, str, bytes, int, bool):
            # A tensor (or a numpy scalar, which may be a float) is no container, str or int.
            return False
        if type(obj) is Class:  # a class is an instance of its metaclass, a `type`
            return UNKNOWN if abstract else issubclass(type, target)
        if type(obj) in (Function, Partial):  # a function: of none of Python's value classes
            return issubclass(types.FunctionType if type(obj) is Function else functools.partial,
                              target)
        if type(obj) is Instance:
            answer: Any = False
            for klass in obj.cls.mro() or (UNKNOWN,):
                if type(klass) is Class:
                    continue
                base = python_type(klass)
                if base is None:
                    answer = UNKNOWN  # a base the analysis cannot see
                elif issubclass(base, target):
                    return True
            return UNKNOWN if abstract else answer
    return UNKNOWN


def inspect_is(kind: str, obj: Any) -> Any:
    """``inspect.isfunction(obj)`` (``kind`` "function": a plain function or lambda) or
    ``inspect.ismethod(obj)`` ("method": a bound method, ``types.MethodType``), when the analysis
    can tell; else ``UNKNOWN``."""
    if type(obj) is Function:
        return (obj.bound is None) == (kind == "function")
    if type(obj) is Partial:
        return obj.method and kind == "method"
    if obj is None or type(obj) in (str, int, float, bool, list, tuple, dict, set, frozenset, Class):
        return False
    if type(obj) is Instance and obj.cls.lookup("__class__") is None and all(
        type(k) in (Class, Builtin) for k in obj.cls.mro()
    ):
        return False  # its class is the program's (a proxy's ``__class__`` could say otherwise)
    return UNKNOWN


def targets(classes: Any) -> tuple:
    """The classes of an ``isinstance`` / ``issubclass`` target, nested tuples flattened as Python
    does (``(six.string_types, six.binary_type)``)."""
    if type(classes) is not tuple:
        return (classes,)
    return tuple(t for c in classes for t in targets(c))


def builtin_subclass(cls: Any, classes: Any) -> Any:
    """``issubclass(int, numbers.Integral)`` for a builtin class: Python's answer, or UNKNOWN."""
    base = python_type(cls)
    if base is None:
        return UNKNOWN
    answers = []
    for target in targets(classes):
        python = python_type(target)
        if python is not None:
            answers.append(issubclass(base, python))
        elif type(target) in (Class, TFRef):
            answers.append(False)  # no builtin class derives from the program's or TF's classes
        else:
            answers.append(UNKNOWN)
    if True in answers:
        return True
    return False if answers and all(a is False for a in answers) else UNKNOWN


# The abstract number classes (``numbers.Integral``): Python decides membership for plain values.
_NUMBERS = {f"numbers.{n}": getattr(numbers, n) for n in ("Number", "Complex", "Real", "Rational",
                                                            "Integral")}
# The abstract collection classes, also by the aliases in ``collections`` that Python kept until
# 3.10 (TF1-era code: Sonnet 1 tests ``isinstance(custom_getter, collections.Mapping)``). They
# decide by what a class defines (``__subclasshook__``, ``register``), so only plain values and
# subclasses of a builtin get an answer.
_ABCS = {
    f"{module}.{name}": getattr(collections.abc, name)
    for module in ("collections.abc", "collections")
    for name in ("Mapping", "MutableMapping", "Sequence", "MutableSequence", "Set", "MutableSet",
                 "Iterable", "Iterator", "Container", "Sized", "Hashable", "Callable")
}


def python_type(value: Any) -> type | None:
    """The builtin class ``value`` names (``Builtin("list")``), or None."""
    if type(value) is ModuleRef:
        return _NUMBERS.get(value.path) or _ABCS.get(value.path)
    if type(value) is Builtin:
        if value.name == "NoneType":
            return type(None)
        found = getattr(builtins, value.name, None)
        if isinstance(found, type):
            return found
    return None


def has_attribute(obj: Any, name: str) -> Any:
    if type(obj) is Instance:
        if name in obj.attrs:
            return True
        found = obj.cls.lookup(name)
        if found is UNKNOWN or (found is None and obj.spoilt):
            return UNKNOWN
        return found is not None
    if type(obj) is Class:
        found = obj.lookup(name)
        return UNKNOWN if found is UNKNOWN else found is not None
    if type(obj) is ProjectModule and obj.env is not None and name in obj.env.vars:
        return True
    if type(obj) is OpenObject and name in obj.attrs:
        return True
    if type(obj) is Dim and name == "value":
        return True  # a static dimension answers `.value` (TF 1's Dimension; GPT-2's get_value)
    if type(obj) is Function:
        return _function_has(obj, name)
    if obj is None or type(obj) in (str, int, float, bool, list, tuple, dict):
        # Attributes of Python's own types do not depend on the items: Python answers exactly
        # (TFLearn's get(identifier) tests hasattr(identifier, '__call__') on a name).
        return hasattr(obj, name)
    if name == "__call__" and type(obj) in (Function, Partial, Builtin, BoundBuiltin):
        return True  # a function is callable (TFLearn's get(identifier) on a lambda)
    return UNKNOWN


# What every Python function (and bound method) answers, whatever the program set on it.
_FUNCTION_ATTRIBUTES = frozenset(dir(types.FunctionType))
_METHOD_ATTRIBUTES = frozenset(dir(types.MethodType))


def _function_has(fn: Function, name: str) -> Any:
    """hasattr on a function of the program: Python's own attributes, what the program set on
    it; no other unless unknown code was handed it (or a bound method's function: it may come
    from anywhere) or the name is one Python sets itself (``__wrapped__``)."""
    attrs = fn.attrs
    if attrs is not None and name in attrs:
        return True
    if name in _FUNCTION_ATTRIBUTES or (fn.bound is not None and name in _METHOD_ATTRIBUTES):
        return True
    if fn.bound is not None or name.startswith("__") or (
        attrs is not None and UNKNOWN_ITEMS in attrs
    ):
        return UNKNOWN
    return False
