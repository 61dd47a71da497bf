"""The value domain: symbolic values the interpreter computes for Python expressions.

Plain Python values (str, int, float, bool, None, tuples and lists of them) stand for
themselves. Everything else is one of the small classes below. ``UNKNOWN`` is any value the
analysis cannot know; it never leads to a finding. Values that an API model defines (a variable
scope, a layer, an optimizer) live with that model; the interpreter reaches them only through
its hooks (``hooks.py``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import libcst as cst


class _Singleton:
    __slots__ = ("_label",)

    def __init__(self, label: str) -> None:
        self._label = label

    def __repr__(self) -> str:
        return self._label


UNKNOWN: Any = _Singleton("UNKNOWN")
# A str whose text is unknown (a name formatted from unknown parts): unknown in every way but
# one, it is never None (``if name is None:`` does not run for it).
STR: Any = _Singleton("STR")
# The value of tf.AUTO_REUSE: truthy, like TF's enum member.
AUTO: Any = _Singleton("AUTO_REUSE")
# A tensor or other TF object that is not a variable-scoping object: methods on it are harmless.
TENSOR: Any = _Singleton("TENSOR")
# A callable initializer (tf.zeros_initializer(), tf.random_normal_initializer(), ...).
INITIALIZER: Any = _Singleton("INITIALIZER")
# The only item of a list, or the only key of a dict, whose contents are unknown: unknown code
# was handed it, or the program changed it in a way the analysis does not follow. The object is
# changed in place, so that every name bound to it sees it (``spoilt``).
UNKNOWN_ITEMS: Any = _Singleton("UNKNOWN_ITEMS")
# ``inspect.Parameter.empty``: the default of a parameter that has none (``signatures.py``).
EMPTY: Any = _Singleton("inspect.Parameter.empty")


def spoilt(value: Any) -> bool:
    """``value`` is a list, tuple or dict whose contents are unknown: it holds ``UNKNOWN_ITEMS``
    (also once joined with other items, ``spoilt + [x]``)."""
    kind = type(value)
    if kind is list or kind is tuple:
        for item in value:  # a plain loop: asked of every list read, it costs half of any()
            if item is UNKNOWN_ITEMS:
                return True
        return False
    if kind is dict or kind is set or kind is frozenset:
        return UNKNOWN_ITEMS in value
    return False


@dataclass(frozen=True, slots=True)
class Tensor:
    """A tensor with what is known of it statically: ``shape`` is a tuple with an int or None per
    dimension, or None when even the rank is unknown; ``dtype`` is TF's name or None. ``TENSOR``
    is the tensor of which nothing is known."""

    shape: tuple | None = None
    dtype: str | None = None
    # The variables (their op names) it is computed from; None when unknown. An optimizer makes
    # slots only for the variables its loss depends on.
    deps: frozenset | None = None
    # What is known of its value, for the integers TF's shape inference folds (``tf.shape(x)``,
    # an element of it, their products): an int or None for a scalar, a tuple of them for a
    # vector; None when nothing is.
    value: Any = None


class Dim(int):
    """A known dimension, read from a static shape: an int that also answers ``.value`` (TF1's
    ``Dimension``)."""

    __slots__ = ()


class Shape(tuple):
    """A static shape read from a tensor (``x.get_shape()``, ``x.shape``): a tuple of ``Dim`` or
    None, so that indexing, ``len`` and unpacking work as on TF's ``TensorShape``; a slice is a
    shape again."""

    __slots__ = ()

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        return Shape(item) if isinstance(index, slice) else item


@dataclass(frozen=True, slots=True)
class TFRef:
    """A name inside the modelled API package: a module (``tensorflow.compat.v1``) or an API."""

    path: str


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """An imported module that is not TensorFlow (its functions are pure or opaque)."""

    path: str


@dataclass(eq=False, slots=True)
class ProjectModule:
    """Another module of the linted tree, imported and run like Python would."""

    env: "Env | None"


@dataclass(frozen=True, slots=True)
class DType:
    name: str  # TF's name: "float32", "int32", ...


@dataclass(eq=False, slots=True)
class Function:
    node: cst.FunctionDef | cst.Lambda
    env: "Env"  # the defining environment (closure and module globals)
    qualname: str
    bound: Any = None  # `self` for a bound method
    owner: Any = None  # the Class it was defined in
    module: Any = None  # Path of the module of the run it comes from; None: the linted file
    # The attributes the program set on the function (``fn.pointwise = True``), shared with its
    # bound copies; None: none. Unknown code handed it may have set any (``UNKNOWN_ITEMS``).
    attrs: dict | None = None


@dataclass(eq=False, slots=True)
class Class:
    node: cst.ClassDef | cst.Call  # the call for a class made by a function (``namedtuple``)
    qualname: str
    attrs: dict = field(default_factory=dict)
    bases: tuple = ()
    # A record's fields in order (a namedtuple, a dataclass), with their defaults: calling the
    # class binds them when no ``__init__`` of the program does.
    fields: tuple | None = None
    field_defaults: dict = field(default_factory=dict)
    order: tuple | None = None  # ``mro()``, once computed
    # The classes defined so far with this one among their bases, in order (``__subclasses__``).
    derived: list = field(default_factory=list)

    def mro(self) -> tuple:
        """Python's method resolution order (C3). A base that is not a class of the program (a
        builtin, a library's, an unknown one) is one entry of it; () when Python would refuse the
        bases."""
        if self.order is None:
            self.order = _c3(self)
        return self.order

    def lookup(self, name: str) -> Any:
        """``name`` as the class and its bases define it: None when none does, ``UNKNOWN`` when a
        base the analysis cannot see comes first and may define it."""
        order = self.mro()
        if not order:
            return UNKNOWN
        for klass in order:
            if type(klass) is Class:
                if name in klass.attrs:
                    return klass.attrs[name]
            elif type(klass) is not Builtin:  # a builtin base defines none of the program's names
                return UNKNOWN
        return None

    def foreign_base(self) -> Any:
        """The first class of the method order that is not the program's (nor a builtin): the
        one ``lookup`` stops at with ``UNKNOWN``; None when there is none."""
        for klass in self.mro():
            if type(klass) is not Class and type(klass) is not Builtin:
                return klass
        return None

    def record(self) -> "Class | None":
        """The class in the order that defines the record fields, if any."""
        for klass in self.mro():
            if type(klass) is Class and klass.fields is not None:
                return klass
        return None


RECORD_METHODS = frozenset({"_replace", "_asdict"})  # a namedtuple's methods


def named_tuple(cls: Class) -> bool:
    """``cls`` is a namedtuple's class, or derives from one (its record is a tuple)."""
    record = cls.record()
    return record is not None and any(
        type(k) is Builtin and k.name == "tuple" for k in record.mro()
    )


def record_fields(value: Any) -> tuple | None:
    """The fields of a record of the program's (a namedtuple: ``Class.record``) all of whose
    fields are set, in order; None for anything else."""
    if type(value) is not Instance or value.spoilt:
        return None
    record = value.cls.record()
    if record is None or not all(f in value.attrs for f in record.fields):
        return None
    return record.fields


def record_method(obj: "Instance", name: str, args: list, kwargs: dict) -> Any:
    """A namedtuple's ``_replace(**fields)`` (a new one of the same class, with only its
    fields) and ``_asdict()``."""
    record = obj.cls.record()
    fields = record.fields if record is not None else None
    if args or obj.spoilt or fields is None or not all(f in obj.attrs for f in fields):
        return UNKNOWN
    values = {f: obj.attrs[f] for f in fields}
    if name == "_asdict":
        return values if not kwargs else UNKNOWN
    if not set(kwargs) <= set(fields):
        return UNKNOWN  # Python raises ValueError
    return Instance(obj.cls, {**values, **kwargs})


def _c3(cls: Class) -> tuple:
    merge = [list(b.mro()) if type(b) is Class else [b] for b in cls.bases] + [list(cls.bases)]
    out: list = [cls]
    while True:
        merge = [seq for seq in merge if seq]
        if not merge:
            return tuple(out)
        for seq in merge:
            head = seq[0]
            if not any(head in other[1:] for other in merge):
                break
        else:
            return ()
        out.append(head)
        for seq in merge:
            if seq[0] == head:
                del seq[0]


@dataclass(eq=False, slots=True)
class Instance:
    cls: Class
    attrs: dict = field(default_factory=dict)
    # Unknown code was handed it: it may have set any attribute, so only the class's functions
    # are still known (``containers.spoil``).
    spoilt: bool = False
    # The invocation that created it (``Interpreter.invocation_counter``; 0: before any call).
    born: int = 0


@dataclass(eq=False, slots=True)
class OpenObject:
    """An object the analysis cannot see into (``UNKNOWN``, or an opaque ``TENSOR``-like value),
    with the attributes the program assigned on it: ``eval_hps = copy(hps);
    eval_hps.is_training = False`` makes the flag known. Anything else is asked of ``base``."""

    base: Any
    attrs: dict = field(default_factory=dict)


@dataclass(eq=False, slots=True)
class Partial:
    """``functools.partial(func, *args, **kwargs)``; ``method``: ``types.MethodType(func, obj)``
    (called the same, ``obj`` first, but ``inspect`` reads ``func``'s signature)."""

    func: Any
    args: tuple
    kwargs: dict
    method: bool = False


@dataclass(eq=False, slots=True)
class Lazy:
    """``map(func, *iterables)`` or ``filter(func, iterable)``: Python 3 calls ``func`` only when
    the result is iterated, and only the first time (``Library.force``)."""

    kind: str  # "map" or "filter"
    func: Any
    iterables: tuple
    node: Any  # the call that made it: where the calls are placed
    used: bool = False


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """``dataclasses.field(default=..., default_factory=...)`` in a dataclass body."""

    default: Any
    factory: Any  # None when there is none
    has_default: bool


# Python's classes whose methods the interpreter knows, read off the class (`str.upper`): the
# method of the first argument, which Python requires to be one of theirs.
UNBOUND_OWNERS = {"str": (str,), "list": (list,), "dict": (dict,), "tuple": (tuple,),
                  "set": (set,), "frozenset": (frozenset,)}
_CLASS_LEVEL = frozenset({"fromkeys", "maketrans"})  # called on the class, not an instance


def unbound_self(method: "BoundBuiltin", args: list) -> Any:
    """For ``str.upper(x)``: ``x`` when it is one of the class's own values, else None."""
    owner = method.obj
    if type(owner) is not Builtin or not args or method.name in _CLASS_LEVEL:
        return None
    first = args[0]
    if type(first) in UNBOUND_OWNERS.get(owner.name, ()) or (owner.name == "str" and first is STR):
        return first
    return None


@dataclass(eq=False, slots=True)
class BoundBuiltin:
    """A method of a known value, e.g. ``"a_{}".format`` or ``scope.reuse_variables``."""

    obj: Any
    name: str


def opaque_import(value: Any) -> bool:
    """A name read from a module the analysis does not follow (``from config import FLAG``,
    ``config.flag``): any value at all, None or falsy included. Only what ``import config``
    binds, a path without a dot, is sure to be a module."""
    return type(value) is ModuleRef and "." in value.path


def truth(value: Any) -> bool | None:
    """Python truthiness of a symbolic value, or None when unknown."""
    kind = type(value)
    if kind is bool:  # the most frequent, by exact type
        return value
    if value is None:
        return False
    if value is UNKNOWN or value is TENSOR or value is STR or isinstance(value, (OpenObject, Tensor)):
        return None
    if opaque_import(value):
        return None
    if type(value) is Instance and _may_be_falsy(value.cls):
        return None
    if value is AUTO or value is INITIALIZER:
        return True
    if value is UNKNOWN_ITEMS:
        return None
    if isinstance(value, (str, int, float, bool, tuple, list, dict, set, frozenset)) or value is None:
        return None if spoilt(value) else bool(value)
    if type(value) is Array:  # numpy: ambiguous past one item
        return bool(value.items[0]) if len(value.items) == 1 and value.items[0] is not UNKNOWN_ITEMS else None
    return True


def _may_be_falsy(cls: "Class") -> bool:
    """The program's class defines ``__bool__`` or ``__len__``: its instances may be false."""
    return any(cls.lookup(name) not in (None, UNKNOWN) for name in ("__bool__", "__len__"))


def is_known(value: Any) -> bool:
    if value is UNKNOWN or value is TENSOR or value is STR or isinstance(value, Tensor):
        return False
    if value is UNKNOWN_ITEMS or spoilt(value):
        return False
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True


@dataclass(eq=False, slots=True)
class SuperProxy:
    """``super()`` inside a method: attribute lookups start at the owner's bases."""

    instance: Any
    owner: Class


class Property:
    """A ``@property`` method: reading the attribute calls it; setting it calls ``fset`` (from
    ``@<name>.setter``) when there is one."""

    __slots__ = ("fn", "fset")

    def __init__(self, fn: Function, fset: Function | None = None) -> None:
        self.fn = fn
        self.fset = fset


class StaticMethod:
    """A ``@staticmethod``: read through an instance or its class, the function itself."""

    __slots__ = ("fn",)

    def __init__(self, fn: Function) -> None:
        self.fn = fn


class ClassMethod:
    """A ``@classmethod``: read through an instance or its class, bound to the class."""

    __slots__ = ("fn",)

    def __init__(self, fn: Function) -> None:
        self.fn = fn


class ContextFactory:
    """A generator function made a context manager by ``@contextlib.contextmanager``; read
    through an instance, its function is bound to it."""

    __slots__ = ("fn",)

    def __init__(self, fn: Function) -> None:
        self.fn = fn


@dataclass(eq=False, slots=True)
class Generator:
    """What calling a function with ``yield`` gives: its body runs only as it is iterated
    (``generators.py``), once; ``partial`` once ``next()`` ran it up to its first ``yield``."""

    fn: Function
    args: tuple
    kwargs: dict
    node: Any  # the call that made it
    used: bool = False
    partial: bool = False


@dataclass(eq=False, slots=True)
class Iterator:
    """``iter(seq)``: a list's iterator reads the live list at its position, as Python's does;
    another sequence's items are taken when it is made. ``lost``: where it stands is not known
    (a consumer took the rest of it, or code nobody sees was handed it)."""

    source: Any  # the list, or a tuple of the items
    pos: int = 0
    lost: bool = False


@dataclass(eq=False, slots=True)
class Enumerated:
    """``enumerate(generator, start)``: numbered as the generator yields."""

    source: Generator
    start: int


@dataclass(eq=False, slots=True)
class GeneratorContext:
    """What calling a ``ContextFactory`` gives: entered by ``with``, the function runs up to its
    ``yield``, the block runs there, then the rest of the function (``Contexts``)."""

    fn: Function
    args: tuple
    kwargs: dict


@dataclass(eq=False, slots=True)
class Array:
    """A one-dimensional numpy array of Python numbers (``arrays.py``): its items, changed in
    place; ``kind`` is "int", "float" or "bool"."""

    items: list
    kind: str


@dataclass(eq=False, slots=True)
class WraptWrapper:
    """``wrapt.decorator(wrapper)``: a decorator (``wrapped`` None) that makes a function
    wrapper, which calls ``wrapper(wrapped, instance, args, kwargs)``; as a class attribute it
    binds to the instance it is read from, as a method does (``instance``). ``adapter``: the
    function whose signature ``inspect`` reads for the wrapper's (``wrapt.decorator(adapter=f)``)."""

    wrapper: Any
    wrapped: Any = None
    instance: Any = None
    adapter: Any = None


@dataclass(eq=False, slots=True)
class ExitStack:
    """``contextlib.ExitStack()``: what leaving it runs, last entered first (``Contexts``)."""

    exits: list = field(default_factory=list)  # callables of no argument
    # The statement of the ``with`` block it runs as that is running now, and a
    # ``@contextmanager`` function entered on it there, whose ``yield`` runs the rest of the block.
    statement: Any = None
    pending: Any = None


@dataclass(frozen=True, slots=True)
class Builtin:
    """A Python builtin function, by name."""

    name: str


# A ``*args`` whose length is unknown, in a call's positional arguments.
STAR: Any = _Singleton("*UNKNOWN")
# The key, in a call's keyword arguments, of a ``**kwargs`` whose keys are unknown.
STAR_KEY = "\0**"


def as_int(value: Any) -> int | None:
    """``value`` as a plain int when it is an int (a ``Dim`` too) and not a bool; else None."""
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def plain(value: Any) -> bool:
    """A value Python itself can compute with: str, numbers, None, and lists/tuples of them."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return True
    if kind is list or kind is tuple:
        return all(plain(v) for v in value)
    if isinstance(value, (str, int, float, bool)):  # Dim, an int
        return True
    if isinstance(value, (list, tuple)):
        return all(plain(v) for v in value)
    return False


_SERIALS = itertools.count()

# The journals of the undecided alternatives running now, outermost first (``journal.py``):
# each binding and object the program is about to change is noted in the innermost one, which
# hands what it noted on to the one around it when it ends.
JOURNALS: list = []


def note_binding(env: "Env", name: str) -> None:
    if JOURNALS:
        JOURNALS[-1].binding(env, name)


def note_object(obj: Any) -> None:
    """``obj`` (a list, dict, instance, class or iterator of the program) is about to change."""
    if JOURNALS:
        JOURNALS[-1].object(obj)


def next_serial() -> int:
    """A serial no environment made so far has, smaller than every later one's."""
    return next(_SERIALS)


class Env:
    """A Python namespace: function locals chained to the module globals. ``serial`` orders
    environments by creation (a parent's is smaller than its children's): a call's summary
    (``summaries.py``) tells its own variables from what it read outside by it."""

    __slots__ = ("vars", "parent", "globals_", "nonlocal_names", "serial")

    def __init__(self, parent: "Env | None" = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.globals_: set[str] = set()
        self.nonlocal_names: set[str] = set()
        self.serial = next(_SERIALS)

    def lookup(self, name: str) -> Any:
        """``name``'s value, or None when it is bound nowhere (the caller decides: builtin or
        unknown)."""
        return self.find(name, None)

    def find(self, name: str, missing: Any) -> Any:
        """``name``'s value, or ``missing`` when it is bound nowhere: one walk up the chain."""
        env: Env | None = self
        while env is not None:
            vars_ = env.vars
            if name in vars_:
                return vars_[name]
            env = env.parent
        return missing

    def rebind(self, name: str, value: Any) -> None:
        """Replace ``name``'s value where it is bound (mutating the object it names, not
        binding a new local); a name bound nowhere is left alone."""
        env: Env | None = self
        while env is not None:
            if name in env.vars:
                if JOURNALS:
                    note_binding(env, name)
                env.vars[name] = value
                return
            env = env.parent

    def set(self, name: str, value: Any) -> None:
        if name in self.globals_:
            root = self
            while root.parent is not None:
                root = root.parent
            target = root
        elif name in self.nonlocal_names and self.parent is not None:
            env = self.parent
            while env is not None and name not in env.vars:
                env = env.parent
            target = env or self.parent
        else:
            target = self
        if JOURNALS:
            note_binding(target, name)
        target.vars[name] = value
