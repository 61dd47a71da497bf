"""Expressions: literals, names, subscripts, operators and comprehensions (attributes are
``attributes.py``).

Each libcst expression type has an ``ev_<Type>`` method; a type without one still has its
children evaluated (for the calls inside) and is ``UNKNOWN``. Part of ``Interpreter``.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Iterable

import libcst as cst

from . import arrays, sets
from .bounded import MAX_LENGTH, binary, format_value
from .comparisons import ORDERINGS, compare
from .containers import known_key
from .values import (
    STR,
    TENSOR,
    UNKNOWN,
    Array,
    Builtin,
    DType,
    Enumerated,
    Env,
    Function,
    Generator,
    Instance,
    OpenObject,
    Tensor,
    TFRef,
    as_int,
    is_known,
    plain,
    spoilt,
    truth,
)

_PURE_BUILTINS = frozenset(dir(builtins))
_CONSTANTS = {"True": True, "False": False, "None": None}
_MISSING = object()  # Env.find's answer for a name bound nowhere
_QUOTES = "'\""


class Expressions:
    # -- expressions ---------------------------------------------------------------------------

    def ev(self, node: cst.CSTNode | None, env: Env) -> Any:
        kind = type(node)
        if kind is cst.Name:  # a third of all expressions: no dispatch
            name = node.value  # type: ignore[union-attr]
            if name in _CONSTANTS:
                return _CONSTANTS[name]
            if self.recordings:
                value = self.find_recorded(env, name, _MISSING)
            else:
                value = env.find(name, _MISSING)
            if value is not _MISSING:
                return value
            return Builtin(name) if name in _PURE_BUILTINS else UNKNOWN
        if node is None:
            return None
        method = _EV_METHODS.get(kind)
        if method is None:
            method = _EV_METHODS[kind] = getattr(type(self), "ev_" + kind.__name__, _generic_ev)
        return method(self, node, env)

    def ev_SimpleString(self, node: cst.SimpleString, env: Env) -> Any:
        raw = node.value
        # libcst's evaluated_value compiles each literal: read the text directly when no escape
        # needs decoding (no backslash, or a raw string).
        start = 0
        while raw[start] not in _QUOTES:
            start += 1
        prefix = raw[:start].lower()
        if "b" in prefix:
            return UNKNOWN  # bytes are not names
        quote = raw[start : start + 3] if raw[start : start + 3] in ('"""', "'''") else raw[start]
        inner = raw[start + len(quote) : len(raw) - len(quote)]
        if "r" in prefix or "\\" not in inner:
            return inner
        value = node.evaluated_value
        return value if isinstance(value, str) else UNKNOWN

    def ev_ConcatenatedString(self, node: cst.ConcatenatedString, env: Env) -> Any:
        left, right = self.ev(node.left, env), self.ev(node.right, env)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return STR  # implicit concatenation: of string literals (f-strings among them)

    def ev_FormattedString(self, node: cst.FormattedString, env: Env) -> Any:
        out = []
        known = True
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
            else:
                value = self.ev(part.expression, env)
                spec = None
                if part.format_spec:
                    spec_parts = [p.value for p in part.format_spec if isinstance(p, cst.FormattedStringText)]
                    if len(spec_parts) != len(part.format_spec):
                        known = False
                    spec = "".join(spec_parts)
                if not is_known(value) or not plain(value):
                    known = False
                    continue
                if part.conversion == "r":
                    value = repr(value)
                elif part.conversion == "s":
                    value = str(value)
                text = format_value(value, spec or "")
                if text is UNKNOWN:
                    known = False
                else:
                    out.append(text)
        return "".join(out) if known and sum(map(len, out)) <= MAX_LENGTH else STR

    def ev_Integer(self, node: cst.Integer, env: Env) -> Any:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.evaluated_value

    def ev_Float(self, node: cst.Float, env: Env) -> Any:
        try:  # libcst's evaluated_value compiles the literal: a thousand times slower
            return float(node.value.replace("_", ""))
        except ValueError:
            return node.evaluated_value

    def ev_Ellipsis(self, node: cst.Ellipsis, env: Env) -> Any:
        return ...

    def ev_List(self, node: cst.List, env: Env) -> Any:
        value = self._elements(node.elements, env, list)
        return self.fresh(value) if self.recordings and value is not UNKNOWN else value

    def ev_Tuple(self, node: cst.Tuple, env: Env) -> Any:
        return self._elements(node.elements, env, tuple)

    def ev_Set(self, node: cst.Set, env: Env) -> Any:
        items = self._elements(node.elements, env, list)
        return sets.make(items if items is not UNKNOWN else None)

    def _elements(self, elements: Iterable[cst.BaseElement], env: Env, kind: type) -> Any:
        values = []
        known = True
        for element in elements:
            value = self.ev(element.value, env)
            if type(element) is cst.StarredElement:
                items = self.items(value)
                if items is not None:
                    values.extend(items)
                else:
                    known = False
            else:
                values.append(value)
        return kind(values) if known else UNKNOWN

    def ev_Dict(self, node: cst.Dict, env: Env) -> Any:
        out = {}
        known = True
        for element in node.elements:
            if type(element) is cst.DictElement:
                key, value = self.ev(element.key, env), self.ev(element.value, env)
                if known_key(key):
                    out[key] = value
                else:
                    known = False
            else:
                self.ev(element.value, env)
                known = False
        if not known:
            return UNKNOWN
        return self.fresh(out) if self.recordings else out

    def ev_Subscript(self, node: cst.Subscript, env: Env) -> Any:
        value = self.ev(node.value, env)
        if isinstance(value, OpenObject):
            value = value.base
        index: Any = UNKNOWN
        written: list = []  # every element as written (slices with any parts), for a model's `[...]`
        for element in node.slice:
            if type(element.slice) is cst.Index:
                if type(element.slice.value) is cst.Ellipsis:
                    index = Ellipsis
                else:
                    index = self.ev(element.slice.value, env)
                written.append(index)
            else:
                parts = [self.ev(part, env) for part in
                         (element.slice.lower, element.slice.upper, element.slice.step)]
                known = all(p is None or (as_int(p) is not None) for p in parts)
                index = slice(*parts) if known and parts[2] != 0 else UNKNOWN
                written.append(slice(*parts))
        if len(node.slice) != 1:
            pass
        elif spoilt(value):
            # A key set since it was spoilt still holds what was set (``containers.set_item``).
            if type(value) is dict and known_key(index) and index in value:
                return value[index]
        elif isinstance(value, (list, tuple, str)) and isinstance(index, (int, slice)):
            try:
                return value[index]
            except IndexError:
                return UNKNOWN
        elif isinstance(value, dict):
            try:
                return value.get(index, UNKNOWN)
            except TypeError:
                return UNKNOWN
        elif isinstance(value, Instance):
            return self._item_of(value, index, node)
        elif type(value) is Array:
            return arrays.get_item(value, index)
        if value is TENSOR:
            return TENSOR
        hook = self.hooks.methods.get(type(value))
        if hook is not None:
            # A value the model defines answers `[...]` as `__getitem__` (a tuple for `a[i, j]`).
            key = written[0] if len(written) == 1 else tuple(written)
            return hook(self, value, "__getitem__", [key], {}, node)
        if isinstance(value, Tensor):
            return TENSOR
        return UNKNOWN

    def _item_of(self, obj: Instance, index: Any, node: cst.CSTNode) -> Any:
        """``obj[index]``: the class's ``__getitem__``, or a field of a namedtuple."""
        method = self.get_attr(obj, "__getitem__", node)
        if isinstance(method, Function):
            return self.call_function(method, [index], {}, node)
        items = self.items(obj) if method is UNKNOWN and obj.cls.record() is not None else None
        if items is not None and isinstance(index, (int, slice)):
            try:
                return items[index] if isinstance(index, int) else tuple(items[index])
            except IndexError:
                return UNKNOWN
        return UNKNOWN

    def ev_BinaryOperation(self, node: cst.BinaryOperation, env: Env) -> Any:
        return self.binop(node.operator, self.ev(node.left, env), self.ev(node.right, env))

    def binop(self, operator: cst.CSTNode, left: Any, right: Any) -> Any:
        if isinstance(left, OpenObject):
            left = left.base
        if isinstance(right, OpenObject):
            right = right.base
        hook = self.hooks.operators.get(type(left)) or self.hooks.operators.get(type(right))
        if hook is not None:
            return hook(self, operator, left, right)
        if type(left) is Array or type(right) is Array:
            return arrays.binary(operator, left, right)
        if left is TENSOR or right is TENSOR:
            return TENSOR
        if type(left) in sets.SETS or type(right) in sets.SETS:
            return sets.operator(operator, left, right)
        if plain(left) and plain(right):
            result = binary(operator, left, right)
            if result is not UNKNOWN:
                return result
        elif _joins(operator, left, right):
            # Lists and tuples join and repeat whatever they hold (`shape[:-1] + [n]`).
            return binary(operator, left, right)
        # `"w_%d" % i` and `"w_" + s` with a part unknown: a str still, never None.
        stringy = isinstance(left, str) or left is STR
        kind = type(operator)
        if ((kind is cst.Modulo or kind is cst.ModuloAssign) and stringy) or (
            (kind is cst.Add or kind is cst.AddAssign)
            and stringy
            and (isinstance(right, str) or right is STR)
        ):
            return STR
        return UNKNOWN

    def ev_UnaryOperation(self, node: cst.UnaryOperation, env: Env) -> Any:
        value = self.ev(node.expression, env)
        if type(node.operator) is cst.Not:
            t = truth(value)
            return UNKNOWN if t is None else not t
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if type(node.operator) is cst.Minus:
                return -value
            if type(node.operator) is cst.Plus:
                return value
        if type(value) is Array and type(node.operator) is cst.Minus:
            return arrays.unary("neg", value)
        if type(value) in self.hooks.operators:
            # A value the model defines: `-x` is `0 - x` (the model is handed the unary operator,
            # whose op TF names apart), `+x` is `x`.
            if type(node.operator) is cst.Minus:
                return self.binop(node.operator, 0, value)
            if type(node.operator) is cst.Plus:
                return value
        return UNKNOWN

    def ev_BooleanOperation(self, node: cst.BooleanOperation, env: Env) -> Any:
        left = self.ev(node.left, env)
        t = truth(left)
        if t is None:
            self.ev(node.right, env)
            return UNKNOWN
        is_and = type(node.operator) is cst.And
        if is_and and not t:
            return left
        if not is_and and t:
            return left
        return self.ev(node.right, env)

    def ev_Comparison(self, node: cst.Comparison, env: Env) -> Any:
        left = self.ev(node.left, env)
        result: Any = True
        for target in node.comparisons:
            right = self.ev(target.comparator, env)
            if len(node.comparisons) == 1 and type(target.operator) in ORDERINGS and (
                type(left) in self.hooks.operators or type(right) in self.hooks.operators
            ):
                # An ordering of values the model defines is theirs to compute (elementwise).
                hook = self.hooks.operators.get(type(left)) or self.hooks.operators[type(right)]
                return hook(self, target.operator, left, right)
            outcome = self._compare(target.operator, left, right, node)
            if len(node.comparisons) == 1 and type(outcome) is Array:
                return outcome  # numpy compares element-wise
            if outcome is UNKNOWN or type(outcome) is Array:
                result = UNKNOWN
            elif result is True and not outcome:
                result = False
            left = right
        return result

    def _compare(self, operator: cst.CSTNode, left: Any, right: Any, node: cst.CSTNode) -> Any:
        """``left <operator> right``: the program's ``__contains__`` runs for ``in``; a dtype
        compared with a str compares with the dtype the str names (none: not equal, as TF's
        ``DType.__eq__`` answers); the rest as Python compares plain values."""
        kind = type(operator)
        if (kind is cst.In or kind is cst.NotIn) and type(right) is Instance and not right.spoilt:
            found = right.cls.lookup("__contains__")
            if type(found) is Function:
                method = self._member(right, found, node)
                answer = truth(self.call_value(method, [left], {}, node))
                if answer is None:
                    return UNKNOWN
                return answer if kind is cst.In else not answer
        if (kind is cst.Equal or kind is cst.NotEqual) and (
            (type(left) is DType and type(right) is str) or (type(left) is str and type(right) is DType)
        ):
            dtype, text = (left, right) if type(left) is DType else (right, left)
            return (self.hooks.dtype_text(text) == dtype.name) == (kind is cst.Equal)
        if (kind is cst.Equal or kind is cst.NotEqual) and (
            (type(left) is DType and type(right) is TFRef) or (type(left) is TFRef and type(right) is DType)
        ):
            # A reference dtype (``dtypes.float16_ref``) equals no dtype of another base; one of
            # the same base it equals where the variable is a reference variable (TF 1).
            dtype, ref = (left, right) if type(left) is DType else (right, left)
            name = self.hooks.canonical(ref.path)
            base = self.hooks.dtype_text(name[:-4]) if name.endswith("_ref") else None
            if base is not None and base != dtype.name:
                return kind is cst.NotEqual
        return compare(operator, left, right)

    def ev_IfExp(self, node: cst.IfExp, env: Env) -> Any:
        t = truth(self.ev(node.test, env))
        if t is True:
            return self.ev(node.body, env)
        if t is False:
            return self.ev(node.orelse, env)
        self.ev(node.body, env)
        self.ev(node.orelse, env)
        return UNKNOWN

    def ev_Lambda(self, node: cst.Lambda, env: Env) -> Any:
        self.defaults[node] = [
            self.ev(p.default, env) if p.default is not None else None
            for p in (*node.params.params, *node.params.kwonly_params)
        ]
        return Function(node, env, "<lambda>", module=self.current_module)

    def ev_Yield(self, node: cst.Yield, env: Env) -> Any:
        """``yield``: the consumer of the running generator runs here (``generators.py``);
        ``yield from`` hands on each item it knows. In a generator nobody drives (a function
        analysed on its own), an unknown value."""
        value = node.value
        if isinstance(value, cst.From):
            source = self.ev(value.item, env)
            handler = self.yield_handlers.get(self.stack[-1].invocation) if self.stack else None
            if handler is not None:
                if type(source) in (Generator, Enumerated):
                    self.drive(source, handler)
                else:
                    items = self.items(source)
                    for item in items if items is not None else ():
                        handler(item)
            return UNKNOWN
        yielded = self.ev(value, env) if value is not None else None
        return None if self.yielded(yielded) else UNKNOWN

    def ev_NamedExpr(self, node: cst.NamedExpr, env: Env) -> Any:
        value = self.ev(node.value, env)
        self.assign(node.target, value, env)
        return value

    def _comprehension(self, node: Any, env: Env, elements: Callable[[Env], Any]) -> Any:
        inner = Env(env)
        results: list = []
        known = self._unroll_comp(node.for_in, inner, lambda: results.append(elements(inner)))
        return results if known else UNKNOWN

    def _unroll_comp(self, comp: cst.CompFor, env: Env, body: Callable[[], None]) -> bool:
        source = self.ev(comp.iter, env)
        if type(source) in (Generator, Enumerated):
            return self._comp_over_generator(comp, env, body, source)
        items = self.iterate(source)
        if items is None:

            def once() -> None:
                self.assign(comp.target, UNKNOWN, env)
                for cond in comp.ifs:
                    self.ev(cond.test, env)
                if comp.inner_for_in is not None:
                    self._unroll_comp(comp.inner_for_in, env, body)
                else:
                    body()

            self.possibly(once)
            return False
        known = True
        for item in items:
            self.assign(comp.target, item, env)
            keep = True
            for cond in comp.ifs:
                t = truth(self.ev(cond.test, env))
                if t is None:
                    known = False
                keep = keep and t is not False
            if not keep:
                continue
            if comp.inner_for_in is not None:
                known = self._unroll_comp(comp.inner_for_in, env, body) and known
            else:
                body()
        return known

    def _comp_over_generator(self, comp: cst.CompFor, env: Env, body: Callable[[], None],
                             source: Any) -> bool:
        """A comprehension's ``for`` over a generator: its element is computed at each yield."""
        known = [True]

        def each(item: Any) -> None:
            self.assign(comp.target, item, env)
            for cond in comp.ifs:
                t = truth(self.ev(cond.test, env))
                if t is None:
                    known[0] = False
                if t is False:
                    return
            if comp.inner_for_in is not None:
                known[0] = self._unroll_comp(comp.inner_for_in, env, body) and known[0]
            else:
                body()

        return self.drive(source, each) and known[0]

    def ev_ListComp(self, node: cst.ListComp, env: Env) -> Any:
        value = self._comprehension(node, env, lambda e: self.ev(node.elt, e))
        return self.fresh(value) if self.recordings and type(value) is list else value

    def ev_GeneratorExp(self, node: cst.GeneratorExp, env: Env) -> Any:
        return self._comprehension(node, env, lambda e: self.ev(node.elt, e))

    def ev_SetComp(self, node: cst.SetComp, env: Env) -> Any:
        items = self._comprehension(node, env, lambda e: self.ev(node.elt, e))
        return sets.make(items if items is not UNKNOWN else None)

    def ev_DictComp(self, node: cst.DictComp, env: Env) -> Any:
        pairs = self._comprehension(node, env, lambda e: (self.ev(node.key, e), self.ev(node.value, e)))
        if pairs is UNKNOWN or not all(known_key(key) for key, _ in pairs):
            return UNKNOWN
        return self.fresh(dict(pairs))


_EV_METHODS: dict[type, Any] = {}


def _generic_ev(self: Any, node: Any, env: Any) -> Any:
    """An expression type without an ``ev_`` method: its children still run, for their calls."""
    for child in node.children:
        if isinstance(child, cst.BaseExpression):
            self.ev(child, env)
    return UNKNOWN


def _joins(operator: cst.CSTNode, left: Any, right: Any) -> bool:
    """``left + right`` of two lists (or tuples), or a list (tuple) times an int."""
    kind = type(operator)
    if kind is cst.Add or kind is cst.AddAssign:
        return (type(left) is list and type(right) is list) or (type(left) is tuple and type(right) is tuple)
    if kind is cst.Multiply or kind is cst.MultiplyAssign:
        sequence = (list, tuple)
        return (type(left) in sequence and as_int(right) is not None) or (
            type(right) in sequence and as_int(left) is not None
        )
    return False
