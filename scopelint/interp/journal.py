"""Undecided alternatives start from the same state and end in what they agree on.

The interpreter runs the arms of a branch it cannot decide one after the other, on one set of
environments and objects. A ``Journal`` notes, before the program changes them, the first value
of each binding and the first contents of each list, dict and object (``values.note_binding``,
``values.note_object``); each arm starts from those, and after the last one every binding or
object keeps what all the arms that go on agree on. Where they differ, the value is unknown:
``n = 3`` in one arm and ``n = 5`` in the other must not leave ``n`` at 5, nor a loop that runs
an unknown number of times leave the one item its body appended.
"""

from __future__ import annotations

from typing import Any

from .summaries import key_of
from .values import (
    JOURNALS,
    TENSOR,
    next_serial,
    UNKNOWN,
    UNKNOWN_ITEMS,
    Array,
    Class,
    Generator,
    Instance,
    Iterator,
    Lazy,
    OpenObject,
    Tensor,
)

_ABSENT: Any = object()  # a binding that did not exist, or an attribute or key that did not


class Journal:
    def __init__(self) -> None:
        self.bindings: dict[tuple[int, str], tuple[Any, str, Any]] = {}  # -> (env, name, first)
        self.objects: dict[int, tuple[Any, Any]] = {}  # id -> (object, first contents)
        self.touched: set = set()  # the keys the running arm may have changed
        # Environments made after this (the locals of a call in an arm) end with their call.
        self.serial = next_serial()

    def binding(self, env: Any, name: str) -> None:
        if env.serial > self.serial:
            return
        key = (id(env), name)
        if key not in self.bindings:
            self.bindings[key] = (env, name, env.vars.get(name, _ABSENT))
        self.touched.add(key)

    def object(self, obj: Any) -> None:
        key = id(obj)
        if key not in self.objects:
            self.objects[key] = (obj, _contents(obj))
        self.touched.add(key)

    def state(self) -> dict:
        """What the bindings and objects the arm changed hold now (its end), where it is not
        what they held before the first arm."""
        out: dict = {}
        bindings = self.bindings
        for key in self.touched:
            entry = bindings.get(key)
            if entry is not None:
                env, name, first = entry
                value = env.vars.get(name, _ABSENT)
                if value is not first:
                    out[key] = value
            else:
                obj, first = self.objects[key]
                contents = _contents(obj)
                if not _same_contents(obj, contents, first):
                    out[key] = contents
        return out

    def restore(self) -> None:
        """Back to the state before the first arm (only what an arm changed needs it)."""
        bindings = self.bindings
        for key in self.touched:
            entry = bindings.get(key)
            if entry is not None:
                _bind(entry[0], entry[1], entry[2])
            else:
                obj, first = self.objects[key]
                _set_contents(obj, first)
        self.touched.clear()

    def merge(self, ends: list[dict]) -> None:
        """Each binding and object as the arms that go on (``ends``) leave it when they agree,
        else unknown. No arm goes on: as before the first."""
        self.restore()
        if not ends:
            return
        bindings = self.bindings
        rest = ends[1:]
        for key in {key for end in ends for key in end} if rest else ends[0]:
            entry = bindings.get(key)
            if entry is not None:
                env, name, first = entry
                value = joined([end.get(key, first) for end in ends])
                if value is _ABSENT:
                    env.vars.pop(name, None)
                else:
                    env.vars[name] = value
            else:
                obj, first = self.objects[key]
                _set_contents(obj, _merged(obj, [end.get(key, first) for end in ends]))

def begin() -> Journal:
    journal = Journal()
    JOURNALS.append(journal)
    return journal


def end(journal: Journal) -> None:
    """``journal``'s alternatives are over. The journal around it takes what it noted and had
    not noted itself: unchanged since that journal began, so its first value is the same."""
    if JOURNALS and JOURNALS[-1] is journal:
        JOURNALS.pop()
    if JOURNALS:
        outer = JOURNALS[-1]
        for key, noted in journal.bindings.items():
            if noted[0].serial < outer.serial:
                outer.bindings.setdefault(key, noted)
        for key, noted in journal.objects.items():
            outer.objects.setdefault(key, noted)
        outer.touched.update(journal.bindings.keys() & outer.bindings.keys())
        outer.touched.update(journal.objects)  # the merge may change them


def _bind(env: Any, name: str, value: Any) -> None:
    if value is _ABSENT:
        env.vars.pop(name, None)
    else:
        env.vars[name] = value


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    key = key_of(a)
    return key is not None and key == key_of(b)


def _same_contents(obj: Any, a: Any, b: Any) -> bool:
    """Two snapshots of ``obj`` (``_contents``) hold the very same values."""
    kind = type(obj)
    if kind is list or kind is Array:
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    if kind is set:
        return a == b
    if kind is Instance:
        return a[1] == b[1] and _same_mapping(a[0], b[0])
    if kind is dict or kind is OpenObject or kind is Class:
        return _same_mapping(a, b)
    return a == b  # an iterator's flags


def _same_mapping(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(a[k] is b[k] for k in a)


def _contents(obj: Any) -> Any:
    kind = type(obj)
    if kind is list:
        return tuple(obj)
    if kind is Array:
        return tuple(obj.items)
    if kind is dict:
        return dict(obj)
    if kind is set:
        return frozenset(obj)
    if kind is Instance:
        return (dict(obj.attrs), obj.spoilt)
    if kind is OpenObject or kind is Class:
        return dict(obj.attrs)
    if kind is Lazy:
        return obj.used
    if kind is Generator:
        return (obj.used, obj.partial)
    if kind is Iterator:
        return (obj.pos, obj.lost)
    return None


def _set_contents(obj: Any, contents: Any) -> None:
    kind = type(obj)
    if kind is list:
        obj[:] = contents
    elif kind is Array:
        obj.items[:] = contents
    elif kind is set:
        obj.clear()
        obj.update(contents)
    elif kind is dict:
        obj.clear()
        obj.update(contents)
    elif kind is Instance:
        obj.attrs.clear()
        obj.attrs.update(contents[0])
        obj.spoilt = contents[1]
    elif kind is OpenObject or kind is Class:
        obj.attrs.clear()
        obj.attrs.update(contents)
    elif kind is Lazy:
        obj.used = contents
    elif kind is Generator:
        obj.used, obj.partial = contents
    elif kind is Iterator:
        obj.pos, obj.lost = contents


def _merged(obj: Any, finals: list) -> Any:
    """The contents the arms agree on: item by item, or attribute by attribute; where they do
    not, unknown (a list of another length, keys only some arms have: unknown throughout)."""
    first = finals[0]
    kind = type(obj)
    if kind is list or kind is Array:
        if any(len(f) != len(first) for f in finals):
            return (UNKNOWN_ITEMS,)
        if kind is Array and any(not _same(f[i], v) for f in finals for i, v in enumerate(first)):
            return (UNKNOWN_ITEMS,)  # an array holds numbers only
        return tuple(joined([f[i] for f in finals]) for i in range(len(first)))
    if kind is dict or kind is OpenObject or kind is Class:
        return _merged_mapping(finals, kind is dict)
    if kind is set:
        return first if all(f == first for f in finals) else frozenset((UNKNOWN_ITEMS,))
    if kind is Instance:
        attrs = _merged_mapping([f[0] for f in finals], False)
        return (attrs, any(f[1] for f in finals))
    if kind is Lazy:
        return first if all(f == first for f in finals) else True
    if kind is Generator:
        if all(f == first for f in finals):
            return first
        return (True, True)  # begun in some arm: the rest of it is unknown
    if kind is Iterator:
        return first if all(f == first for f in finals) else (first[0], True)
    return first


def _merged_mapping(finals: list[dict], spoils: bool) -> dict:
    # In the first arm's order, not a set's (whose order of strings changes per process): a dict
    # the arms filled in different orders still iterates the same way in every run.
    keys: Any = dict.fromkeys(finals[0])
    if any(f.keys() != keys.keys() for f in finals):
        if spoils:
            return {UNKNOWN_ITEMS: UNKNOWN}
        keys = dict.fromkeys(k for f in finals for k in f)  # an attribute some arms set: unknown
    out = {}
    for key in keys:
        values = [f.get(key, _ABSENT) for f in finals]
        out[key] = UNKNOWN if any(v is _ABSENT for v in values) else joined(values)
    return out


def joined(values: list) -> Any:
    """One of ``values``, as the code after the arms that left them sees it: the value itself
    where they agree, else unknown; tensors stay tensors, of the dimensions and dtype they agree
    on (`if batch_norm: x = bn(x)` leaves ``x`` with the shape both arms give it)."""
    first = values[0]
    if all(v is first or _same(v, first) for v in values):
        return first
    if any(v is TENSOR for v in values) and all(v is TENSOR or type(v) is Tensor for v in values):
        return TENSOR
    if all(type(v) is Tensor for v in values):
        shape, dtype = first.shape, first.dtype
        for v in values:
            if shape is not None and (v.shape is None or len(v.shape) != len(shape)):
                shape = None
            elif shape is not None:
                shape = tuple(p if p == q else None for p, q in zip(shape, v.shape))
            if v.dtype != dtype:
                dtype = None
        return TENSOR if shape is None and dtype is None else Tensor(shape, dtype)
    return UNKNOWN

