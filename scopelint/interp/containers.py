"""Lists and dicts as the program changes them, and what unknown code may have changed.

A change the analysis can follow (``d[k] = v`` with a known key, ``append``, ``update`` with a
known dict, ``del x[i]``) is made on the object itself, so that every name bound to it sees it.
Any other change, and handing the object to code nobody can see, *spoils* it: it is emptied in
place down to ``UNKNOWN_ITEMS`` (``values.spoilt``), and an instance keeps only its class's
functions. A stale value read afterwards would be a guess: ``cfg["units"] = 5`` must not leave
``cfg["units"]`` at its first value.
"""

from __future__ import annotations

from typing import Any, Callable

from .values import (
    UNKNOWN,
    UNKNOWN_ITEMS,
    Array,
    Function,
    Instance,
    Iterator,
    OpenObject,
    as_int,
    note_object,
    plain,
    spoilt,
)

# Objects visited by one ``spoil``: past it the rest is spoilt only at the top.
_SPOIL_BUDGET = 10_000


# Values of the model that may key a dict, by type: the test says which are the same object in
# the program exactly when they are equal (a variable known by its full name). Filled by the
# model at import (``tf/registry.py``'s ``dict_key``).
KEY_TYPES: dict[type, Callable[[Any], bool]] = {}


def known_key(key: Any) -> bool:
    """A key the analysis can use in a dict: a plain, hashable value (or the model's)."""
    if isinstance(key, (str, int, float, bool)) or key is None:
        return True
    kind = type(key)
    if kind is tuple:
        return all(known_key(k) for k in key)
    test = KEY_TYPES.get(kind)
    return test is not None and test(key)


def spoil(value: Any) -> bool:
    """Unknown code was handed ``value``: it may have changed it and everything reachable from it.
    Returns whether anything changed."""
    seen: set[int] = set()
    changed = False
    todo = [value]
    while todo and len(seen) < _SPOIL_BUDGET:
        item = todo.pop()
        kind = type(item)
        if kind is Function:
            # Unknown code may set any attribute on a function it is handed.
            if item.bound is None and not (item.attrs and UNKNOWN_ITEMS in item.attrs):
                set_function_attribute(item, UNKNOWN_ITEMS, UNKNOWN)
                changed = True
            continue
        if kind not in _MUTABLE and kind is not tuple:
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        if kind is tuple:
            todo.extend(item)
            continue
        note_object(item)
        if kind is list:
            if not spoilt(item):
                todo.extend(item)
                item[:] = [UNKNOWN_ITEMS]
                changed = True
        elif kind is dict:
            if not spoilt(item):
                todo.extend(item.values())
                item.clear()
                item[UNKNOWN_ITEMS] = UNKNOWN
                changed = True
        elif kind is Array:
            if not any(i is UNKNOWN_ITEMS for i in item.items):
                item.items[:] = [UNKNOWN_ITEMS]
                changed = True
        elif kind is set:
            if not spoilt(item):
                item.clear()
                item.add(UNKNOWN_ITEMS)
                changed = True
        elif kind is Iterator:
            todo.append(item.source)
            changed = changed or not item.lost
            item.lost = True
        elif kind is Instance:
            todo.extend(item.attrs.values())
            changed = changed or not item.spoilt or bool(item.attrs)
            item.attrs.clear()
            item.spoilt = True
        else:  # OpenObject: what the program set on it
            todo.extend(item.attrs.values())
            changed = changed or bool(item.attrs)
            item.attrs.clear()
    return changed


_MUTABLE = frozenset({list, dict, set, Instance, OpenObject, Iterator, Array})


def mutable(value: Any) -> bool:
    """Whether unknown code handed ``value`` could change something the analysis keeps."""
    kind = type(value)
    if kind in _MUTABLE:
        return True
    if kind is Function:
        return value.bound is None
    return kind is tuple and any(mutable(v) for v in value)


def set_function_attribute(fn: Function, name: Any, value: Any) -> None:
    """``fn.name = value`` on a function of the program (its ``__dict__``, a dict the journal
    follows like any other)."""
    if fn.attrs is None:
        fn.attrs = {}
    note_object(fn.attrs)
    fn.attrs[name] = value


def set_item(container: Any, key: Any, value: Any) -> bool:
    """``container[key] = value`` on a list or dict; False when ``container`` is neither."""
    note_object(container)
    if type(container) is list:
        if spoilt(container):
            return True
        index = as_int(key)
        if index is not None:
            if -len(container) <= index < len(container):
                container[index] = value
            return True  # out of range: Python raises, nothing changes
        if isinstance(key, slice) and isinstance(value, (list, tuple)) and not spoilt(value):
            try:
                container[key] = list(value)
            except ValueError:  # an extended slice given the wrong number of items
                pass
            return True
        spoil(container)
        return True
    if type(container) is dict:
        if known_key(key):
            # Kept in a spoilt dict too: whatever else it holds, this key now holds this value.
            container[key] = value
        elif not spoilt(container):
            spoil(container)
        return True
    return False


def del_item(container: Any, key: Any) -> bool:
    """``del container[key]`` on a list or dict; False when ``container`` is neither."""
    note_object(container)
    if type(container) is list:
        index = as_int(key)
        if spoilt(container):
            return True
        if index is not None or isinstance(key, slice):
            try:
                del container[key if index is None else index]
            except IndexError:
                pass
        else:
            spoil(container)
        return True
    if type(container) is dict:
        if known_key(key):
            container.pop(key, None)  # (in a spoilt dict, it is then as unknown as any other)
        elif not spoilt(container):
            spoil(container)
        return True
    return False


# Methods of lists and dicts that only read.
_READS = frozenset({"get", "items", "keys", "values", "copy", "index", "count"})


def items_of(value: Any) -> list | None:
    """The items iterating ``value`` gives, when known: a list, tuple, str or dict's keys."""
    if isinstance(value, (list, tuple, str)) and not spoilt(value):
        return list(value)
    if isinstance(value, dict) and not spoilt(value):
        return list(value)
    return None


def list_method(obj: list, name: str, args: list, kwargs: dict) -> Any:
    """``obj.name(*args, **kwargs)`` on a list: the change made, or the list spoilt."""
    if name not in _READS:
        note_object(obj)
    if spoilt(obj):
        return [UNKNOWN_ITEMS] if name == "copy" else UNKNOWN
    if kwargs and name != "sort":
        spoil(obj)
        return UNKNOWN
    count = len(args)
    if name == "append" and count == 1:
        obj.append(args[0])
        return None
    if name == "extend" and count == 1:
        items = items_of(args[0])
        if items is None:
            spoil(obj)
        else:
            obj.extend(items)
        return None
    if name == "insert" and count == 2 and as_int(args[0]) is not None:
        obj.insert(as_int(args[0]), args[1])
        return None
    if name == "pop" and count <= 1:
        index = as_int(args[0]) if args else -1
        if index is not None:
            try:
                return obj.pop(index)
            except IndexError:
                return UNKNOWN
    if name == "clear" and count == 0:
        obj.clear()
        return None
    if name == "reverse" and count == 0:
        obj.reverse()
        return None
    if name == "copy" and count == 0:
        return list(obj)
    if name in ("index", "count", "remove") and count == 1 and plain(args[0]) and plain(obj):
        try:
            return getattr(obj, name)(args[0])
        except ValueError:
            return UNKNOWN
    if name == "sort" and count == 0 and plain(obj) and set(kwargs) <= {"reverse"}:
        reverse = kwargs.get("reverse", False)
        if isinstance(reverse, bool):
            try:
                obj.sort(reverse=reverse)
                return None
            except TypeError:
                pass
    if name in ("index", "count"):
        return UNKNOWN  # they only read
    spoil(obj)
    return UNKNOWN


def dict_method(obj: dict, name: str, args: list, kwargs: dict) -> Any:
    """``obj.name(*args, **kwargs)`` on a dict: the change made, or the dict spoilt."""
    if name not in _READS:
        note_object(obj)
    count = len(args)
    if spoilt(obj):
        if name == "get" and 1 <= count <= 2 and not kwargs and known_key(args[0]):
            return obj.get(args[0], UNKNOWN)  # a key set since: its value; any other: unknown
        return dict(obj) if name == "copy" else UNKNOWN
    if name in ("get", "setdefault", "pop") and 1 <= count <= 2 and not kwargs:
        key = args[0]
        if not known_key(key):
            if name == "get":
                return UNKNOWN
            spoil(obj)
            return UNKNOWN
        default = args[1] if count == 2 else None
        if name == "get":
            return obj.get(key, default)
        if name == "setdefault":
            return obj.setdefault(key, default)
        if key in obj or count == 2:
            return obj.pop(key, default)
        return UNKNOWN  # KeyError in Python
    if kwargs and name != "update":
        spoil(obj)
        return UNKNOWN
    if name == "items" and count == 0:
        return list(obj.items())
    if name in ("keys", "values") and count == 0:
        return list(getattr(obj, name)())
    if name == "copy" and count == 0:
        return dict(obj)
    if name == "clear" and count == 0:
        obj.clear()
        return None
    if name == "update" and count <= 1:
        pairs = _pairs(args[0]) if args else []
        if pairs is not None and all(known_key(k) for k in kwargs):
            obj.update(pairs)
            obj.update(kwargs)
            return None
    if name == "popitem" and count == 0 and obj:
        return obj.popitem()
    spoil(obj)
    return UNKNOWN


def _pairs(value: Any) -> list | None:
    """What ``dict.update(value)`` adds, as (key, value) pairs, when known."""
    if type(value) is dict:
        return None if spoilt(value) else list(value.items())
    if isinstance(value, (list, tuple)) and not spoilt(value):
        pairs = []
        for item in value:
            if not (isinstance(item, (list, tuple)) and len(item) == 2 and known_key(item[0])):
                return None
            pairs.append((item[0], item[1]))
        return pairs
    return None
