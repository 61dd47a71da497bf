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
    UNKNOWN,
    UNKNOWN_ITEMS,
    Class,
    Generator,
    Instance,
    Lazy,
    OpenObject,
)

_ABSENT: Any = object()  # a binding that did not exist, or an attribute or key that did not


class Journal:
    def __init__(self) -> None:
        self.bindings: dict[tuple[int, str], tuple[Any, str, Any]] = {}  # -> (env, name, first)
        self.objects: dict[int, tuple[Any, Any]] = {}  # id -> (object, first contents)

    def binding(self, env: Any, name: str) -> None:
        key = (id(env), name)
        if key not in self.bindings:
            self.bindings[key] = (env, name, env.vars.get(name, _ABSENT))

    def object(self, obj: Any) -> None:
        if id(obj) not in self.objects:
            self.objects[id(obj)] = (obj, _contents(obj))

    def state(self) -> dict:
        """What the noted bindings and objects hold now (an arm's end)."""
        out: dict = {}
        for key, (env, name, _) in self.bindings.items():
            out[key] = env.vars.get(name, _ABSENT)
        for key, (obj, _) in self.objects.items():
            out[key] = _contents(obj)
        return out

    def restore(self) -> None:
        """Back to the state before the first arm."""
        for env, name, first in self.bindings.values():
            _bind(env, name, first)
        for obj, first in self.objects.values():
            _set_contents(obj, first)

    def merge(self, ends: list[dict]) -> None:
        """Each binding and object as the arms that go on (``ends``) leave it when they agree,
        else unknown. No arm goes on: as before the first."""
        self.restore()
        if not ends:
            return
        for key, (env, name, first) in self.bindings.items():
            finals = [end.get(key, first) for end in ends]
            if all(_same(f, finals[0]) for f in finals):
                _bind(env, name, finals[0])
            else:
                env.vars[name] = UNKNOWN
        for key, (obj, first) in self.objects.items():
            _set_contents(obj, _merged(obj, [end.get(key, first) for end in ends]))


def begin() -> Journal:
    journal = Journal()
    JOURNALS.append(journal)
    return journal


def end(journal: Journal) -> None:
    if JOURNALS and JOURNALS[-1] is journal:
        JOURNALS.pop()


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


def _contents(obj: Any) -> Any:
    kind = type(obj)
    if kind is list:
        return tuple(obj)
    if kind is dict:
        return dict(obj)
    if kind is Instance:
        return (dict(obj.attrs), obj.spoilt)
    if kind is OpenObject or kind is Class:
        return dict(obj.attrs)
    if kind is Lazy:
        return obj.used
    if kind is Generator:
        return (obj.used, obj.partial)
    return None


def _set_contents(obj: Any, contents: Any) -> None:
    kind = type(obj)
    if kind is list:
        obj[:] = contents
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


def _merged(obj: Any, finals: list) -> Any:
    """The contents the arms agree on: item by item, or attribute by attribute; where they do
    not, unknown (a list of another length, keys only some arms have: unknown throughout)."""
    first = finals[0]
    kind = type(obj)
    if kind is list:
        if any(len(f) != len(first) for f in finals):
            return (UNKNOWN_ITEMS,)
        return tuple(v if all(_same(f[i], v) for f in finals) else UNKNOWN for i, v in enumerate(first))
    if kind is dict or kind is OpenObject or kind is Class:
        return _merged_mapping(finals, kind is dict)
    if kind is Instance:
        attrs = _merged_mapping([f[0] for f in finals], False)
        return (attrs, any(f[1] for f in finals))
    if kind is Lazy:
        return first if all(f == first for f in finals) else True
    if kind is Generator:
        if all(f == first for f in finals):
            return first
        return (True, True)  # begun in some arm: the rest of it is unknown
    return first


def _merged_mapping(finals: list[dict], spoils: bool) -> dict:
    keys = set(finals[0])
    if any(set(f) != keys for f in finals):
        if spoils:
            return {UNKNOWN_ITEMS: UNKNOWN}
        keys = set().union(*finals)  # an attribute some arms set: unknown
    out = {}
    for key in keys:
        values = [f.get(key, _ABSENT) for f in finals]
        out[key] = values[0] if all(_same(v, values[0]) for v in values) and values[0] is not _ABSENT else UNKNOWN
    return out

