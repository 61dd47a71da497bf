"""The standard library and other known modules model code builds with.

Functions of known modules (``PURE_MODULES``: the standard library, numpy, six, absl, ...) never
create TF variables themselves: a call to one is not unknown code. What they compute is followed
where model code relies on it (``functools.partial``, ``copy.deepcopy``,
``collections.namedtuple``, ``six.moves``, ``types.SimpleNamespace``, ``math``); anything else
gives a harmless unknown value (``TENSOR``). Such a function may call a function it is given
(``functools.reduce``, ``np.vectorize``): when the analysis does not follow that, the call is
unknown code after all. Part of ``Interpreter``.
"""

from __future__ import annotations

import builtins
import itertools
import math
from typing import Any

import libcst as cst

from . import arrays
from .args import ArgReader
from .bounded import MAX_LENGTH
from .containers import dict_method, spoil
from . import signatures
from .pybuiltins import IDENTITY, WRAPS, bounded, known_args, program_callable
from .regex import FLAGS, module_function as regex_function
from .signals import Raise
from .summaries import key_of
from .typetests import inspect_is
from .numbers import int_table, IntTable, numpy_number, NumpyNumber
from .values import (
    STR,
    TENSOR,
    UNKNOWN,
    Array,
    Builtin,
    Dim,
    ExitStack,
    ModuleRef,
    Class,
    FieldSpec,
    Function,
    Instance,
    ModuleRef,
    OpenObject,
    Partial,
    ProjectModule,
    Tensor,
    WraptWrapper,
)

# Modules whose functions never create TF variables: calling them is not "unknown code".
PURE_MODULES = frozenset(
    """numpy np math os sys time random json re logging collections itertools functools six
    argparse pickle copy glob shutil datetime string typing abc warnings absl pprint io csv
    pathlib scipy pandas matplotlib PIL cv2 h5py tqdm yaml operator contextlib enum dataclasses
    inspect traceback threading multiprocessing queue uuid hashlib struct platform tempfile gzip
    zipfile urllib requests sklearn codecs unicodedata heapq bisect textwrap signal socket
    __future__ builtins types distutils numbers weakref semantic_version packaging""".split()
)

# Packages of a namespace shared with others whose functions never create TF variables
# (protocol buffers: the generated modules of a library describe its messages at import).
_PURE_PACKAGES = ("google.protobuf.",)

# Names of known modules that are Python's builtins under another name.
_BUILTIN_ALIASES = {
    **{f"six.moves.{name}": name for name in ("range", "zip", "map", "filter", "input")},
    "six.moves.xrange": "range",
    "six.moves.reduce": "reduce",
    "functools.reduce": "reduce",
    **{f"builtins.{name}": name for name in dir(builtins)},
}
# six's views of a dict, by the dict method they stand for.
_SIX_DICT = {
    "six.iteritems": "items", "six.viewitems": "items", "six.itervalues": "values",
    "six.viewvalues": "values", "six.iterkeys": "keys", "six.viewkeys": "keys",
}

# Values of known modules' attributes that code branches on (Python 3: what TF runs under).
MODULE_CONSTANTS: dict[str, Any] = {
    "six.PY2": False,
    "six.PY3": True,
    "six.string_types": (Builtin("str"),),
    "six.integer_types": (Builtin("int"),),
    "six.text_type": Builtin("str"),
    "six.binary_type": Builtin("bytes"),
    "six.class_types": (Builtin("type"),),
    # Python 3, as TF runs under; the rest of the version is not known
    "sys.version_info": (3, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN),
    "math.pi": math.pi,
    "math.e": math.e,
    "numpy.pi": math.pi,  # Python floats in numpy too
    "numpy.e": math.e,
    **FLAGS,
    **signatures.CONSTANTS,
}

# Functions of known modules that read a function they are given without calling it.
_INSPECTING = frozenset(f"inspect.{name}" for name in (
    "signature", "getargspec", "getfullargspec", "isfunction", "ismethod", "isclass",
    "isgeneratorfunction", "iscoroutinefunction", "isbuiltin", "isroutine", "getmodule",
    "getfile", "getsourcefile", "getdoc", "getcallargs",
))
# Functions of known modules that end the program (they raise SystemExit).
_EXITS = frozenset({"sys.exit", "os._exit"})
# Functions of known modules that change the list they are given in place.
_MUTATORS = frozenset({
    "random.shuffle", "numpy.random.shuffle", "np.random.shuffle", "heapq.heappush",
    "heapq.heappop", "heapq.heapify", "heapq.heapreplace", "heapq.heappushpop", "bisect.insort",
    "bisect.insort_left", "bisect.insort_right",
})

# numpy functions that give a 0-d value for Python numbers or 0-d values.
_NUMPY_SCALARS = frozenset("""sqrt exp log log2 log10 power square tanh sin cos abs floor ceil float16
    float32 float64 int32 int64""".split())
# numpy reductions that give a 0-d value for a list of Python numbers (the value, for ints).
_NUMPY_REDUCTIONS = {"sum": sum, "max": max, "min": min, "mean": None}
# math functions computed on plain numbers, with the bound their argument must keep.
_MATH = {"ceil": None, "floor": None, "sqrt": None, "log": None, "log2": None, "log10": None,
         "fabs": None, "isqrt": None, "gcd": None, "exp": 700.0, "pow": None}

# Class decorators that return the class they are given.
SAME_CLASS = frozenset({
    "six.add_metaclass", "add_metaclass", "functools.total_ordering", "total_ordering",
    "enum.unique", "unique", "typing.final", "final", "abc.abstractmethod",
})
DATACLASS = frozenset({"dataclass", "dataclasses.dataclass"})


class Library:
    # -- known modules -------------------------------------------------------------------------

    def call_module(self, path: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        """A call of ``path``, a function of a module that is not TF and not of the run."""
        if path in _SIX_DICT:
            return self._six_dict(_SIX_DICT[path], args, kwargs)
        alias = _BUILTIN_ALIASES.get(path)
        if alias is not None:
            return self.call_builtin(alias, args, kwargs, node)
        if path in _EXITS:
            raise Raise()  # SystemExit: the program ends here unless something catches it
        handler = _MODULE_FUNCTIONS.get(path)
        if handler is not None and known_args(args, kwargs):
            return handler(self, args, kwargs, node)
        root = path.split(".")[0]
        if root not in PURE_MODULES and not path.startswith(_PURE_PACKAGES):
            self.opaque(args, kwargs)
            return UNKNOWN
        if path.startswith("math.") and path[5:] in _MATH:
            return _math(path[5:], args, kwargs)
        if root == "numpy" and any(type(a) is Array for a in args):
            return _numpy_on_array(path[6:], args, kwargs)
        if root == "numpy" and args and not kwargs:
            # numpy on Python numbers: a 0-d value (its numpy dtype not tracked), which keeps
            # the shape of a tensor it is combined with (BERT's and GPT-2's gelu, he-scaling).
            scalar = _numpy_scalar(path[6:], args)
            if scalar is not None:
                return scalar
        if path not in _INSPECTING and any(map(program_callable, (*args, *kwargs.values()))):
            self.opaque(args, kwargs)  # it may call the function it is given: not followed
            return UNKNOWN
        if path.startswith("re."):
            return regex_function(path[3:], args, kwargs)
        if path in _MUTATORS and args and spoil(args[0]):
            self.impure()
        return TENSOR

    def _six_dict(self, method: str, args: list, kwargs: dict) -> Any:
        if len(args) != 1 or kwargs or type(args[0]) is not dict:
            return TENSOR
        return dict_method(args[0], method, [], {})

    def _partial(self, args: list, kwargs: dict, node: Any) -> Any:
        if not args:
            return UNKNOWN
        return Partial(args[0], tuple(args[1:]), dict(kwargs))

    def _method_type(self, args: list, kwargs: dict, node: Any) -> Any:
        """``types.MethodType(function, obj)``: calling it calls the function with ``obj`` first
        (a function wrapped by wrapt too: called unbound, it hands ``obj`` on in the arguments)."""
        if len(args) != 2 or kwargs:
            return UNKNOWN
        func = args[0]
        if not isinstance(func, Function) and not (type(func) is WraptWrapper and func.wrapped is not None):
            return UNKNOWN
        return Partial(func, (args[1],), {}, method=True)

    def _copy(self, args: list, kwargs: dict, node: Any) -> Any:
        return copied(args[0]) if len(args) == 1 and not kwargs else UNKNOWN

    def _deepcopy(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 1 or kwargs:
            return UNKNOWN
        return deep_copied(args[0], {})

    def _namedtuple(self, args: list, kwargs: dict, node: Any) -> Any:
        get = ArgReader(args, kwargs)
        typename, names = get(0, "typename"), get(1, "field_names")
        defaults = get(-1, "defaults")
        if isinstance(names, str):
            names = names.replace(",", " ").split()
        if not isinstance(typename, str) or not isinstance(names, (list, tuple)):
            return UNKNOWN
        if not all(isinstance(n, str) and n.isidentifier() for n in names) or get(-1, "rename"):
            return UNKNOWN
        record = Class(node, typename, bases=(Builtin("tuple"),), fields=tuple(names))
        record.attrs["_fields"] = tuple(names)
        if defaults is not None:
            values = self.items(defaults)
            if values is None or len(values) > len(names):
                return UNKNOWN
            record.field_defaults = dict(zip(names[len(names) - len(values):], values))
        return record

    def _field(self, args: list, kwargs: dict, node: Any) -> Any:
        if args:
            return UNKNOWN
        return FieldSpec(kwargs.get("default"), kwargs.get("default_factory"), "default" in kwargs)

    def _namespace(self, args: list, kwargs: dict, node: Any) -> Any:
        """``types.SimpleNamespace(**kw)``, ``argparse.Namespace(**kw)``: the attributes given."""
        if args:
            return UNKNOWN
        return OpenObject(TENSOR, dict(kwargs))

    def _thread_local(self, args: list, kwargs: dict, node: Any) -> Any:
        """``threading.local()``: an object with no attributes but those the program sets (one
        thread runs: Sonnet 1 keeps its module stack in one, read by ``getattr(.., None)``)."""
        if args or kwargs:
            return UNKNOWN
        return Instance(Class(node, "local", bases=(Builtin("object"),)))

    def _wrapt_decorator(self, args: list, kwargs: dict, node: Any) -> Any:
        """``wrapt.decorator(wrapper)``, or with only options first (``adapter=``): a decorator
        whose wrapper is called with the wrapped function, the instance it is bound to (None for
        a plain function), the positional arguments as a tuple and the keywords as a dict."""
        get = ArgReader(args, kwargs)
        wrapper, enabled, adapter = get(0, "wrapper"), get(1, "enabled"), kwargs.get("adapter")
        if enabled is not None and not isinstance(enabled, bool):
            return UNKNOWN  # a function deciding later whether it wraps
        if wrapper is None:
            options = {k: v for k, v in kwargs.items() if k != "wrapper"}
            return Partial(ModuleRef("wrapt.decorator"), (), options)
        if enabled is False:
            return IDENTITY  # wraps nothing: the function stays itself
        return WraptWrapper(wrapper, adapter=adapter)

    def _import_module(self, args: list, kwargs: dict, node: Any) -> Any:
        """``importlib.import_module(name)``: what ``import name`` gives (a module of the run is
        run, as Python does once)."""
        if len(args) != 1 or kwargs or not isinstance(args[0], str) or args[0].startswith("."):
            self.opaque(args, kwargs)
            return UNKNOWN
        local = self._project_module(args[0], 0, node)
        return local if local is not None else self._module_value(args[0])

    def _with_metaclass(self, args: list, kwargs: dict, node: Any) -> Any:
        """``six.with_metaclass(Meta, Base)``: a class derived from ``Base``."""
        return args[1] if len(args) == 2 and not kwargs else UNKNOWN

    def _wraps(self, args: list, kwargs: dict, node: Any) -> Any:
        """``functools.wraps(f)``: a decorator that gives back the wrapper, which ``inspect``
        now unwraps to ``f``."""
        if len(args) != 1:
            return IDENTITY
        return Partial(WRAPS, (args[0],), {})

    def _update_wrapper(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) == 2:
            return self.call_builtin(WRAPS.name, [args[1], args[0]], {}, node)
        return args[0] if args else UNKNOWN

    def _signature(self, args: list, kwargs: dict, node: Any) -> Any:
        if len(args) != 1 or kwargs:
            return TENSOR
        return signatures.signature(signatures.parameters(args[0], self.defaults, self.wrapped))

    def _full_arg_spec(self, args: list, kwargs: dict, node: Any, legacy: bool = False) -> Any:
        if len(args) != 1 or kwargs:
            return TENSOR
        found = signatures.parameters(args[0], self.defaults, self.wrapped, inspect=False)
        if legacy and signatures.annotated(args[0]):
            return TENSOR  # getargspec raises
        return signatures.full_arg_spec(found, legacy)

    def _chain(self, args: list, kwargs: dict, node: Any) -> Any:
        out: list = []
        for arg in args:
            items = self.items(arg)
            if items is None or kwargs:
                return self._unfollowed(args, kwargs)
            out.extend(items)
        return out if len(out) <= MAX_LENGTH else UNKNOWN

    def _product(self, args: list, kwargs: dict, node: Any) -> Any:
        columns = [self.items(a) for a in args]
        if kwargs or any(c is None for c in columns):
            return self._unfollowed(args, kwargs)
        size = 1
        for c in columns:
            size *= len(c)
        if size > MAX_LENGTH:
            return UNKNOWN
        return [tuple(t) for t in itertools.product(*columns)]


def _numpy_scalar(name: str, args: list) -> Tensor | None:
    """``numpy.<name>(*args)`` as a 0-d value, when it is one: None otherwise. Of numbers whose
    values are known, its value too, where ``math`` computes what numpy does (so that
    ``int(np.ceil(np.log2(n)))`` is known)."""
    if name in _NUMPY_SCALARS and all(_number(a) or (type(a) is Tensor and a.shape == ()) for a in args):
        numbers = [a if _number(a) else numpy_number(a) for a in args]
        folded = None if None in numbers else _numpy_value(name, numbers)
        value = NumpyNumber(folded, type(folded)) if folded is not None else None
        return Tensor((), None, frozenset(), value)
    reduce = _NUMPY_REDUCTIONS.get(name, False)
    if reduce is False or len(args) != 1 or not isinstance(args[0], (list, tuple)) or not args[0]:
        return None
    items = args[0]
    if not all(_number(a) for a in items):
        return None
    small = len(items) <= 64 and all(isinstance(a, int) and abs(a) < 2 ** 31 for a in items)
    value = bounded(int(reduce(items))) if reduce is not None and small else None
    return Tensor((), None, frozenset(), value if type(value) is int else None)


def _numpy_value(name: str, numbers: list) -> int | float | None:
    """What numpy's ``name`` gives for these Python numbers, where ``math`` computes the same
    (numpy's nan, inf and overflow are left unknown)."""
    fold = _NUMPY_VALUES.get(name)
    if fold is None or len(numbers) != (2 if name == "power" else 1):
        return None
    if any(isinstance(n, float) and not math.isfinite(n) for n in numbers):
        return None
    try:
        result = fold(*numbers)
    except (ValueError, OverflowError, ZeroDivisionError):
        return None
    if not isinstance(result, (int, float)) or (isinstance(result, float) and not math.isfinite(result)):
        return None  # numpy's nan for a negative base's fractional power, where Python's is complex
    if isinstance(result, int) and abs(result) >= 2 ** 63:
        return None  # numpy's int64 wraps
    return result


def _power(base: Any, exponent: Any) -> Any:
    if isinstance(base, int) and isinstance(exponent, int):
        if exponent < 0 or exponent > 64:
            raise ValueError  # numpy raises for negative integer powers
        return base ** exponent
    return float(base) ** exponent


# numpy's elementwise functions as math computes them on one number (log of 0 or less, and
# int casts out of range, raise here and stay unknown).
_NUMPY_VALUES: dict[str, Any] = {
    "sqrt": lambda x: math.sqrt(x),
    "exp": lambda x: math.exp(x),
    "log": lambda x: math.log(x),
    "log2": lambda x: math.log2(x),
    "log10": lambda x: math.log10(x),
    "square": lambda x: x * x,
    "abs": abs,
    "floor": lambda x: math.floor(x) if isinstance(x, float) else x,
    "ceil": lambda x: math.ceil(x) if isinstance(x, float) else x,
    "float64": float,
    "int64": int,
    "int32": lambda x: _in_int32(int(x)),
    "power": _power,
}


def _in_int32(value: int) -> int:
    if not -2 ** 31 <= value < 2 ** 31:
        raise OverflowError
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _math(name: str, args: list, kwargs: dict) -> Any:
    args = [numpy_number(a) if numpy_number(a) is not None else a for a in args]
    if kwargs or not args or not all(isinstance(a, (int, float)) for a in args):
        return TENSOR
    limit = _MATH[name]
    if limit is not None and any(abs(a) > limit for a in args):
        return TENSOR
    if name == "pow" and (len(args) != 2 or abs(args[1]) > 64 or abs(args[0]) > 2**32):
        return TENSOR
    try:
        return bounded(getattr(math, name)(*args))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return TENSOR


def copied(value: Any) -> Any:
    """``copy.copy(value)``: a new object with the same attributes or items (so that setting a
    flag on the copy leaves the original alone)."""
    kind = type(value)
    if kind is Instance:
        if value.cls.lookup("__copy__") is not None:
            return UNKNOWN
        return Instance(value.cls, dict(value.attrs), value.spoilt)
    if kind is OpenObject:
        return OpenObject(value.base, dict(value.attrs))
    if kind is list or kind is dict or kind is set:
        return kind(value)
    if kind is tuple or kind is frozenset or key_of(value) is not None or value is TENSOR:
        return value
    return UNKNOWN


def deep_copied(value: Any, memo: dict) -> Any:
    """``copy.deepcopy(value)``: lists, dicts, tuples and objects of the program copied all the
    way down; functions, classes and modules are shared, as Python shares them."""
    found = memo.get(id(value))
    if found is not None:
        return found
    kind = type(value)
    if key_of(value) is not None or value is TENSOR or kind in (Function, Class, ProjectModule):
        return value
    if kind is list:
        out: Any = []
        memo[id(value)] = out
        out.extend(deep_copied(v, memo) for v in value)
        return out
    if kind is dict:
        out = {}
        memo[id(value)] = out
        for k, v in value.items():
            out[k] = deep_copied(v, memo)
        return out
    if kind is tuple:
        return tuple(deep_copied(v, memo) for v in value)
    if kind is set or kind is frozenset:
        return kind(value)  # its items are immutable
    if kind is Instance:
        if value.cls.lookup("__deepcopy__") is not None:
            return UNKNOWN
        out = Instance(value.cls, {}, value.spoilt)
        memo[id(value)] = out
        for k, v in value.attrs.items():
            out.attrs[k] = deep_copied(v, memo)
        return out
    if kind is OpenObject:
        out = OpenObject(deep_copied(value.base, memo), {})
        memo[id(value)] = out
        for k, v in value.attrs.items():
            out.attrs[k] = deep_copied(v, memo)
        return out
    if value is UNKNOWN or value is STR:
        return value
    return UNKNOWN  # an object of the model: its copy is another object the analysis does not track


def _numpy_on_array(name: str, args: list, kwargs: dict) -> Any:
    """numpy's functions on a small array (``arrays.py``): its reductions, ``abs``, a copy."""
    if len(args) != 1 or kwargs:
        return TENSOR
    if name in ("abs", "absolute"):
        return arrays.unary("abs", args[0])
    if name in ("array", "asarray", "copy"):
        return arrays.make(args[0])
    return arrays.reduce(name, args[0])


def _inspect_is(kind: str, args: list, kwargs: dict) -> Any:
    return inspect_is(kind, args[0]) if len(args) == 1 and not kwargs else UNKNOWN


def _numpy_array(self: Any, args: list, kwargs: dict, node: Any) -> Any:
    """``np.array(seq)``: a small array of a flat sequence of numbers (``arrays.py``), or a
    table of ints (a padding table, ``_numpy_int_table``)."""
    if len(args) == 1 and not kwargs:
        flat = arrays.make(args[0])
        if flat is not TENSOR:
            return flat
    return _numpy_int_table(args, kwargs)


def _numpy_prod(self: Any, args: list, kwargs: dict, node: Any) -> Any:
    """``np.prod`` of a list of ints or a static shape (a shape's dims, TFLearn's flattened input
    size): their product; of no dims, numpy's float 1.0."""
    if len(args) == 1 and not kwargs and type(args[0]) is Array:
        return arrays.reduce("prod", args[0])
    dims = args[0] if len(args) == 1 and not kwargs else None
    if not isinstance(dims, (list, tuple)) or not all(type(d) is int or type(d) is Dim for d in dims):
        return TENSOR
    return math.prod(dims) if dims else 1.0


def _numpy_filled(self: Any, args: list, kwargs: dict, node: Any) -> Any:
    """``np.ones(shape)`` / ``np.zeros(shape)``: an array of that shape (its dtype not tracked),
    which TF converts to a constant of that shape."""
    shape = args[0] if len(args) == 1 and set(kwargs) <= {"dtype"} else None
    shape = (shape,) if type(shape) is int else shape
    if not isinstance(shape, (list, tuple)) or not all(type(d) in (int, Dim) and d >= 0 for d in shape):
        return TENSOR
    return Tensor(tuple(int(d) for d in shape), None, frozenset())


def _numpy_tri(self: Any, args: list, kwargs: dict, node: Any) -> Any:
    """``np.tri(N, M=None, k=0)``: an N x M array (N x N without M)."""
    rows = args[0] if args else kwargs.get("N")
    cols = args[1] if len(args) > 1 else kwargs.get("M", rows)
    if cols is None:
        cols = rows
    if type(rows) not in (int, Dim) or type(cols) not in (int, Dim) or rows < 0 or cols < 0:
        return TENSOR
    return Tensor((int(rows), int(cols)), None, frozenset())


def _numpy_int_table(args: list, kwargs: dict) -> Any:
    """``np.array`` of a rectangular nested list of Python ints (a padding table): its shape and
    elements. Its dtype is left unknown (numpy's default int differs between platforms)."""
    get = ArgReader(args, kwargs)
    dtype = get(1, "dtype")
    if len(args) > 2 or set(kwargs) - {"object", "dtype"} or dtype not in _INT_DTYPES:
        return TENSOR
    shape, elements = int_table(get(0, "object"))
    if shape is None or len(shape) < 1:
        return TENSOR
    return Tensor(shape, None, frozenset(), IntTable(elements))


# An array's dtype that keeps its int elements as they are (None: numpy's default).
_INT_DTYPES = (None, ModuleRef("numpy.int32"), ModuleRef("numpy.int64"))


_MODULE_FUNCTIONS: dict[str, Any] = {
    "numpy.prod": _numpy_prod,
    "numpy.ones": _numpy_filled,
    "numpy.zeros": _numpy_filled,
    "numpy.tri": _numpy_tri,
    "numpy.array": _numpy_array,
    "numpy.asarray": _numpy_array,
    "functools.partial": Library._partial,
    "functools.wraps": Library._wraps,
    "six.wraps": Library._wraps,
    "six.with_metaclass": Library._with_metaclass,
    "functools.update_wrapper": Library._update_wrapper,
    "types.MethodType": Library._method_type,
    "copy.copy": Library._copy,
    "copy.deepcopy": Library._deepcopy,
    "collections.namedtuple": Library._namedtuple,
    "inspect.signature": Library._signature,
    "inspect.isfunction": lambda self, args, kwargs, node: _inspect_is("function", args, kwargs),
    "inspect.ismethod": lambda self, args, kwargs, node: _inspect_is("method", args, kwargs),
    "inspect.getfullargspec": Library._full_arg_spec,
    "inspect.getargspec": lambda self, args, kwargs, node: self._full_arg_spec(args, kwargs, node, True),
    "dataclasses.field": Library._field,
    "types.SimpleNamespace": Library._namespace,
    "argparse.Namespace": Library._namespace,
    "threading.local": Library._thread_local,
    "wrapt.decorator": Library._wrapt_decorator,
    "importlib.import_module": Library._import_module,
    # Dicts whose entries go when their key (value) is collected: while the program runs, dicts.
    **{f"weakref.{name}": lambda self, args, kwargs, node: self.call_builtin("dict", args, kwargs, node)
       for name in ("WeakKeyDictionary", "WeakValueDictionary")},
    # contextlib2 is contextlib's backport: the same classes
    **{f"{module}.ExitStack": lambda self, args, kwargs, node: ExitStack() if not args and not kwargs
       else UNKNOWN for module in ("contextlib", "contextlib2")},
    "itertools.chain": Library._chain,
    "itertools.product": Library._product,
    "collections.OrderedDict": lambda self, args, kwargs, node: self.call_builtin("dict", args, kwargs, node),
}
