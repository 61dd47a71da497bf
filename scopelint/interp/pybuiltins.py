"""Python's builtins, on the values the analysis knows.

What model code builds with is computed (``range``, ``len``, ``zip``, ``enumerate``, ``sorted``,
``isinstance``, ``getattr``, ``dict``, ...); a builtin never creates TF variables itself, but
one that calls a function it is given (``map``, ``max(key=)``) runs the program's code: ``map``
and ``filter`` are followed when iterated (lazily, as in Python 3), ``sorted`` runs its key, and
the rest is unknown code. Part of ``Interpreter``.
"""

from __future__ import annotations

import builtins
from typing import Any

import libcst as cst

from . import arrays, sets
from .bounded import MAX_BITS, MAX_LENGTH
from .containers import known_key, set_function_attribute, spoil
from .signals import Raise
from .typetests import builtin_subclass, has_attribute, is_instance, python_type, targets
from .numbers import numpy_number
from .values import (
    STAR,
    STAR_KEY,
    STR,
    INITIALIZER,
    TENSOR,
    UNKNOWN,
    Array,
    BoundBuiltin,
    Builtin,
    Class,
    Enumerated,
    Function,
    Generator,
    Instance,
    Iterator,
    Lazy,
    OpenObject,
    Partial,
    Tensor,
    TFRef,
    as_int,
    note_object,
    plain,
    spoilt,
    truth,
)

WRAPS = Builtin("\0wraps")  # functools.wraps(f)'s decorator, given f and the wrapper
IDENTITY = Builtin("\0identity")  # what `functools.wraps(f)` returns: a decorator that changes nothing


def program_callable(value: Any, depth: int = 0) -> bool:
    """``value`` (or an item of it) is code of the program a library could call back."""
    kind = type(value)
    if kind in (Function, Class, Partial, Lazy, Generator, Enumerated):
        return True
    if kind is Instance:
        return value.cls.lookup("__call__") is not None
    if depth < 2 and (kind is list or kind is tuple):
        return any(program_callable(v, depth + 1) for v in value)
    if depth < 2 and kind is dict:
        return any(program_callable(v, depth + 1) for v in value.values())
    return False


def known_args(args: list, kwargs: dict) -> bool:
    return STAR not in args and STAR_KEY not in kwargs


class Builtins:
    # -- iterating -----------------------------------------------------------------------------

    def items(self, value: Any) -> list | None:
        """The items iterating ``value`` gives, when the analysis knows them (runs a ``map``)."""
        kind = type(value)
        if kind is list or kind is tuple or kind is str or kind is dict:
            return None if spoilt(value) else list(value)
        if isinstance(value, tuple):  # a Shape
            return list(value)
        if kind is Lazy:
            forced = self.force(value)
            return forced if isinstance(forced, list) else None
        if kind is Generator or kind is Enumerated:
            return self.collect(value)  # a consumer that takes every item (list(gen))
        if kind is set or kind is frozenset:
            return sets.ordered(value)
        if kind is Array:
            return arrays.items(value)
        if kind is Iterator:
            # What is left of it. A consumer may stop early (`any`, a loop's `break`): where it
            # stands afterwards is not known.
            rest = _rest(value)
            note_object(value)
            value.lost = True
            return rest
        if kind is Instance and not value.spoilt:
            record = value.cls.record()
            if record is not None and all(f in value.attrs for f in record.fields):
                return [value.attrs[f] for f in record.fields]
        return None

    def force(self, lazy: Lazy) -> Any:
        """Iterate a ``map``/``filter`` object: the calls Python makes, once."""
        if lazy.used:
            return []  # an exhausted iterator
        note_object(lazy)
        lazy.used = True
        columns = [self.items(it) for it in lazy.iterables]
        node = lazy.node
        if any(c is None for c in columns) or not columns:
            self._maybe_call(lazy.func, len(lazy.iterables), node)
            return UNKNOWN
        out: list = []
        known = True
        for row in zip(*columns):
            if lazy.kind == "map":
                out.append(self.call_value(lazy.func, list(row), {}, node))
                continue
            keep = truth(row[0] if lazy.func is None else self.call_value(lazy.func, list(row), {}, node))
            if keep is None:
                known = False
            elif keep:
                out.append(row[0])
        return out if known else UNKNOWN

    def _maybe_call(self, func: Any, count: int, node: cst.CSTNode) -> None:
        """``func`` runs an unknown number of times on unknown items: once, as a possibility."""
        if func is not None:
            self.possibly(lambda: self.call_value(func, [UNKNOWN] * count, {}, node))

    # -- builtins ------------------------------------------------------------------------------

    def call_builtin(self, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        if name == "\0identity":
            return args[0] if len(args) == 1 and not kwargs else UNKNOWN
        if name == WRAPS.name:
            if len(args) != 2 or kwargs:
                return UNKNOWN
            wrapped, wrapper = args
            if type(wrapper) is Function:
                self.impure()  # the wrapper's signature changes: not a summary's to replay
                self.wrapped[(wrapper.node, wrapper.env)] = wrapped if type(wrapped) is Function else None
            return wrapper
        if name in ("exit", "quit"):
            raise Raise()
        handler = _BUILTINS.get(name)
        if handler is not None and known_args(args, kwargs):
            try:
                return handler(self, args, kwargs, node)
            except (TypeError, ValueError, OverflowError, IndexError, KeyError, ZeroDivisionError):
                return UNKNOWN
        if name in ("exec", "eval") or (
            name in _CALLING and any(map(program_callable, (*args, *kwargs.values())))
        ):
            self.opaque(args, kwargs)  # it may run the program's code: not followed
            return UNKNOWN
        if name in ("set", "frozenset") and not kwargs and len(args) <= 1:
            kind = set if name == "set" else frozenset
            if not args:
                return kind()
            return sets.make(self.set_items(args[0]) if args[0] is not STAR else None, kind)
        return UNKNOWN

    def _range(self, args: list, kwargs: dict, node: Any) -> Any:
        bounds = [as_int(a) for a in args]
        if kwargs or not 1 <= len(bounds) <= 3 or None in bounds:
            return UNKNOWN
        r = range(*bounds)
        return list(r) if len(r) <= MAX_LENGTH else UNKNOWN

    def _len(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 1 or kwargs or type(args[0]) in (Lazy, Generator, Enumerated, Iterator):
            return UNKNOWN  # TypeError in Python
        if type(args[0]) in sets.SETS:
            return UNKNOWN if spoilt(args[0]) else len(args[0])
        items = self.items(args[0])
        return UNKNOWN if items is None else len(items)

    def _scalar(self, name: str, args: list, kwargs: dict) -> Any:
        if kwargs or len(args) > 1:
            return STR if name == "str" else UNKNOWN
        if not args:
            return getattr(builtins, name)()
        value = args[0]
        if name == "bool":
            t = truth(value)
            return UNKNOWN if t is None else t
        if plain(value):
            return bounded(getattr(builtins, name)(value))
        number = numpy_number(value)
        if number is not None and name in ("int", "float"):
            return bounded(getattr(builtins, name)(number))
        return STR if name == "str" else UNKNOWN

    def _sequence(self, name: str, args: list, kwargs: dict) -> Any:
        if kwargs or len(args) > 1:
            return UNKNOWN
        if not args:
            return [] if name == "list" else ()
        items = self.items(args[0])
        if items is None:
            return UNKNOWN
        return items if name == "list" else tuple(items)

    def _dict(self, args: list, kwargs: dict, node: Any) -> Any:
        out: dict = {}
        if len(args) > 1:
            return UNKNOWN
        if args:
            source = args[0]
            if type(source) is dict:
                if spoilt(source):
                    return UNKNOWN
                out.update(source)
            else:
                pairs = self.items(source)
                if pairs is None:
                    return UNKNOWN
                for pair in pairs:
                    items = self.items(pair) if not isinstance(pair, str) else None
                    if items is None or len(items) != 2 or not known_key(items[0]):
                        return UNKNOWN
                    out[items[0]] = items[1]
        out.update(kwargs)
        return out

    def _enumerate(self, args: list, kwargs: dict, node: Any) -> Any:
        start = kwargs.get("start", args[1] if len(args) > 1 else 0)
        if args and type(args[0]) is Generator and len(args) <= 2 and as_int(start) is not None:
            return Enumerated(args[0], as_int(start))  # numbered as it yields
        items = self.items(args[0]) if args else None
        if items is None or as_int(start) is None or len(args) > 2 or set(kwargs) - {"start"}:
            return UNKNOWN
        return [(as_int(start) + i, v) for i, v in enumerate(items)]

    def _zip(self, args: list, kwargs: dict, node: Any) -> Any:
        if kwargs:
            return UNKNOWN
        columns = [self.items(a) for a in args]
        if all(c is not None for c in columns):
            return [tuple(t) for t in zip(*columns)]
        if len(args) == 2 and columns[1] is not None and (args[0] is UNKNOWN or args[0] is TENSOR):
            # zip(processed_gradients, variables): gradients come one per variable.
            return [(UNKNOWN, v) for v in columns[1]]
        return UNKNOWN

    def _reversed(self, args: list, kwargs: dict, node: Any) -> Any:
        items = self.items(args[0]) if len(args) == 1 and not kwargs and type(args[0]) is not Lazy else None
        return UNKNOWN if items is None else items[::-1]

    def _sorted(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 1 or set(kwargs) - {"key", "reverse"}:
            return self._unfollowed(args, kwargs)
        items = self.items(args[0])
        reverse = kwargs.get("reverse", False)
        key = kwargs.get("key")
        if items is None and key is None and type(args[0]) in sets.SETS and not spoilt(args[0]):
            items = list(args[0])  # distinct items: sorting them needs no order
        if items is None or not isinstance(reverse, bool):
            return self._unfollowed(args, kwargs)
        keys = items if key is None else [self.call_value(key, [item], {}, node) for item in items]
        if not all(plain(k) for k in keys):
            keys = _first_decides(keys)
            if keys is None:
                return UNKNOWN
        try:
            order = sorted(range(len(items)), key=lambda i: keys[i], reverse=reverse)
        except TypeError:  # Python refuses to order them (1 < "a")
            return UNKNOWN
        return [items[i] for i in order]

    def _fold(self, name: str, args: list, kwargs: dict) -> Any:
        """min, max, sum, any, all: of plain items; with a key function, not followed."""
        if kwargs.get("key") is not None:
            return self._unfollowed(args, kwargs)
        if name == "abs" and len(args) == 1 and not kwargs and type(args[0]) is Array:
            return arrays.unary("abs", args[0])
        if name in ("any", "all") and len(args) == 1 and not kwargs:
            items = self.items(args[0])
            if items is None:
                return UNKNOWN
            truths = [truth(v) for v in items]
            decisive = name == "any"
            if decisive in truths:
                return decisive
            return UNKNOWN if None in truths else not decisive
        values = list(args)
        if len(values) == 1 and not plain(values[0]):
            items = self.items(values[0])
            if items is None:
                return UNKNOWN
            values = [items]
        if all(plain(v) for v in values) and all(plain(v) for v in kwargs.values()) and values:
            return bounded(getattr(builtins, name)(*values, **kwargs))
        return UNKNOWN

    def _unfollowed(self, args: list, kwargs: dict) -> Any:
        if any(map(program_callable, (*args, *kwargs.values()))):
            self.opaque(args, kwargs)
        return UNKNOWN

    def _map(self, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        if kwargs or len(args) < 2 or (name == "filter" and len(args) != 2):
            return self._unfollowed(args, kwargs)
        return Lazy(name, args[0], tuple(args[1:]), node)

    def _reduce(self, args: list, kwargs: dict, node: Any) -> Any:
        if kwargs or not 2 <= len(args) <= 3:
            return self._unfollowed(args, kwargs)
        items = self.items(args[1])
        if items is None:
            return self._unfollowed(args, kwargs)
        if len(args) == 3:
            items = [args[2], *items]
        if not items:
            return UNKNOWN  # TypeError in Python
        acc = items[0]
        for item in items[1:]:
            acc = self.call_value(args[0], [acc, item], {}, node)
        return acc

    # -- classes and attributes ----------------------------------------------------------------

    def _isinstance(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 2 or kwargs:
            return UNKNOWN
        obj, classes = args
        answers = [self._tf_instance(obj, t, is_instance(obj, t)) for t in targets(classes)]
        if True in answers:
            return True
        return False if answers and all(a is False for a in answers) else UNKNOWN

    def _tf_instance(self, obj: Any, cls: Any, answer: Any) -> Any:
        """What the API model tells of an object it made, against one of its classes; an API
        function or class the model handles (``tf.identity``) is no builtin container, number
        or str."""
        if answer is UNKNOWN and type(obj) is TFRef and type(cls) is Builtin:
            target = python_type(cls)
            if target is not None and target not in (object, type) and (
                self.hooks.canonical(obj.path) in self.hooks.apis
            ):
                return False
        if answer is not UNKNOWN or type(cls) is not TFRef:
            return answer
        told = self.hooks.instance(obj, self.hooks.canonical(cls.path))
        return UNKNOWN if told is None else told

    def _hasattr(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 2 or kwargs or not isinstance(args[1], str):
            return UNKNOWN
        if type(args[0]) is Function:
            self.impure()
        return self._has_attribute(args[0], args[1])

    def _has_attribute(self, obj: Any, name: str) -> Any:
        present = has_attribute(obj, name)
        if present is UNKNOWN:
            told = self.hooks.presence.get(type(obj))
            answer = told(obj, name) if told is not None else None
            return UNKNOWN if answer is None else answer
        return present

    def _getattr(self, args: list, kwargs: dict, node: Any) -> Any:
        if not 2 <= len(args) <= 3 or kwargs or not isinstance(args[1], str):
            return UNKNOWN
        obj, name = args[0], args[1]
        if type(obj) is Function:
            self.impure()  # what the program set on it may change: a summary does not guard it
        if len(args) == 3:
            present = self._has_attribute(obj, name)
            if present is False:
                return args[2]
            if present is not True:
                return UNKNOWN
        return self.get_attr(obj, name, node)

    def _setattr(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 3 or kwargs:
            return UNKNOWN
        obj, name, value = args
        if isinstance(name, str) and self.set_through_property(obj, name, value, node):
            return None
        if type(obj) in (Instance, Class, OpenObject):
            self.changed(obj)
            note_object(obj)
            if isinstance(name, str):
                obj.attrs[name] = value
            elif type(obj) is not Class:
                obj.attrs.clear()
                if type(obj) is Instance:
                    obj.spoilt = True
        elif type(obj) is Function and obj.bound is None:
            self.impure()
            if name in ("__wrapped__", "__signature__") or not isinstance(name, str):
                self.wrapped[(obj.node, obj.env)] = None  # inspect reads these: not followed
            if isinstance(name, str):
                set_function_attribute(obj, name, value)
            else:
                spoil(obj)
        return None

    def _slice(self, args: list, kwargs: dict, node: Any) -> Any:
        """``slice(stop)``, ``slice(start, stop[, step])``: the slice ``x[start:stop:step]`` uses."""
        if kwargs or not 1 <= len(args) <= 3 or any(a is not None and as_int(a) is None for a in args):
            return UNKNOWN
        if len(args) == 3 and args[2] == 0:
            return UNKNOWN  # indexing with it raises
        return slice(*args)

    def _callable(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 1 or kwargs:
            return UNKNOWN
        value = args[0]
        if type(value) in (Function, Class, Partial, Builtin, BoundBuiltin) or value is INITIALIZER:
            return True
        if plain(value) or type(value) is dict:
            return False
        if type(value) is Instance:
            found = value.cls.lookup("__call__")
            return UNKNOWN if found is UNKNOWN else found is not None
        return UNKNOWN

    def _type(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) == 3 and not kwargs:
            return self._new_class(*args, node)
        if len(args) != 1 or kwargs:
            return UNKNOWN
        value = args[0]
        if type(value) is Instance:
            return value.cls
        if type(value) in (str, int, float, bool, list, tuple, dict):
            return Builtin(type(value).__name__)
        if value is None:
            return Builtin("NoneType")
        if type(value) is Tensor:
            # A class of TF's (which one depends on the version): compares unequal to Python's
            # and numpy's (`type(x) not in [list, np.array]`), unknown against TF's.
            return TFRef("tensorflow.Tensor")
        return UNKNOWN

    def _new_class(self, name: Any, bases: Any, namespace: Any, node: Any) -> Any:
        """``type(name, bases, namespace)``: a class as a ``class`` statement makes it
        (tensor2tensor registers a problem class made so for each Atari game)."""
        if not isinstance(name, str) or type(bases) is not tuple or type(namespace) is not dict:
            return UNKNOWN
        if spoilt(namespace) or not all(isinstance(k, str) for k in namespace):
            return UNKNOWN
        self.impure()  # a new class, and its bases learn of it
        cls = Class(node, name, attrs=dict(namespace), bases=bases)
        for base in dict.fromkeys(b for b in bases if type(b) is Class):
            base.derived.append(cls)
        return cls

    def _issubclass(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 2 or kwargs:
            return UNKNOWN
        if type(args[0]) is not Class:
            return builtin_subclass(args[0], args[1])
        answers = [is_instance(Instance(args[0]), t) for t in targets(args[1])]
        if True in answers:
            return True
        return False if answers and all(a is False for a in answers) else UNKNOWN

    def _globals(self, args: list, kwargs: dict, node: Any) -> Any:
        """``globals()``: the running module's namespace, live (a registry that looks names up
        in it, as TFLearn's ``initializations.get(name)`` does)."""
        if args or kwargs:
            return UNKNOWN
        self.impure()  # reads (and lets the caller change) the module's namespace
        module = self.current_module
        env = self.module_envs.get(module) if module is not None else self.globals
        return env.vars if env is not None else UNKNOWN

    def _next(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) == 1 and not kwargs and type(args[0]) is Generator:
            return self.first(args[0])
        if 1 <= len(args) <= 2 and not kwargs and type(args[0]) is Iterator:
            it = args[0]
            items = _rest(it)
            if items is None:
                return UNKNOWN
            note_object(it)
            if items:
                it.pos += 1
                return items[0]
            # Exhausted: the default, or StopIteration (not followed).
            return args[1] if len(args) == 2 else UNKNOWN
        return self._unfollowed(args, kwargs)

    def _iter(self, args: list, kwargs: dict, node: Any) -> Any:
        """``iter(seq)``: an iterator that ``next`` advances (the rest of a list's items are
        read when asked, so an append before is seen); an iterator is its own."""
        if len(args) != 1 or kwargs:
            return self._unfollowed(args, kwargs)  # iter(callable, sentinel) calls it
        value = args[0]
        kind = type(value)
        if kind in (Iterator, Generator, Lazy, Enumerated):
            return value
        if kind is list:
            return UNKNOWN if spoilt(value) else Iterator(value)
        if kind in (tuple, str, dict) or isinstance(value, tuple):
            items = self.items(value)
            return UNKNOWN if items is None else Iterator(tuple(items))
        return self._unfollowed(args, kwargs)

    def _vars(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) == 1 and not kwargs and type(args[0]) is Instance and not args[0].spoilt:
            return args[0].attrs
        return UNKNOWN


def _rest(it: Iterator) -> list | None:
    """The items ``it`` has yet to give; None when not known."""
    if it.lost or spoilt(it.source):
        return None
    return list(it.source[it.pos:])


def bounded(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        return UNKNOWN
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_LENGTH:
        return UNKNOWN
    return value


# Builtins that call a function they are given, or iterate (and so run a ``map``).
_CALLING = frozenset({
    "map", "filter", "sorted", "min", "max", "reduce", "apply", "iter", "next", "set",
    "frozenset", "list", "tuple", "dict", "sum", "any", "all", "enumerate", "zip", "reversed",
    "bytes", "bytearray",
})

def _first_decides(keys: list) -> list | None:
    """Tuples whose first items are plain and all different are ordered by those alone: Python
    never compares what follows (`sorted(features.items())`, with tensors as the values)."""
    if not all(type(k) is tuple and k and plain(k[0]) for k in keys):
        return None
    firsts = [k[0] for k in keys]
    try:
        distinct = len(set(firsts)) == len(firsts)
    except TypeError:  # a list among them
        return None
    return firsts if distinct else None


_BUILTINS: dict[str, Any] = {
    "range": Builtins._range,
    "len": Builtins._len,
    "dict": Builtins._dict,
    "enumerate": Builtins._enumerate,
    "zip": Builtins._zip,
    "reversed": Builtins._reversed,
    "sorted": Builtins._sorted,
    "reduce": Builtins._reduce,
    "isinstance": Builtins._isinstance,
    "hasattr": Builtins._hasattr,
    "getattr": Builtins._getattr,
    "setattr": Builtins._setattr,
    "callable": Builtins._callable,
    "slice": Builtins._slice,
    "next": Builtins._next,
    "iter": Builtins._iter,
    "issubclass": Builtins._issubclass,
    "type": Builtins._type,
    "vars": Builtins._vars,
    "globals": Builtins._globals,
    "super": lambda self, args, kwargs, node: self._super(args, kwargs),
    "print": lambda self, args, kwargs, node: None,
    "open": lambda self, args, kwargs, node: TENSOR,  # a file: its methods create nothing
    **{name: (lambda n: lambda self, a, k, node: self._scalar(n, a, k))(name)
       for name in ("str", "int", "float", "bool")},
    **{name: (lambda n: lambda self, a, k, node: self._sequence(n, a, k))(name)
       for name in ("list", "tuple")},
    **{name: (lambda n: lambda self, a, k, node: self._fold(n, a, k))(name)
       for name in ("min", "max", "sum", "abs", "any", "all", "round")},
    **{name: (lambda n: lambda self, a, k, node: self._map(n, a, k, node))(name)
       for name in ("map", "filter")},
}
