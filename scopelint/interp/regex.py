"""The ``re`` module on known text: compiled patterns and match objects are Python's own.

Configuration code parses literal strings with regular expressions (hyperparameter strings such
as ``"units=4,rate=0.5"``); the sizes it reads decide the shapes of the variables built from
them. What is computed here is what Python computes; a pattern or text that is not known, too
long, or a call the module would make to a function of the program (``re.sub`` with a
replacement function) gives a harmless unknown value (``TENSOR``), as other known modules do.
"""

from __future__ import annotations

import re
from typing import Any

from .values import TENSOR, UNKNOWN, BoundBuiltin

# Bounds on what is matched here (config strings are short; this keeps the work small).
_MAX_PATTERN = 2000
_MAX_TEXT = 20000

FLAGS = {
    f"re.{name}": int(getattr(re, name))
    for name in ("A", "ASCII", "I", "IGNORECASE", "L", "LOCALE", "M", "MULTILINE", "S",
                 "DOTALL", "U", "UNICODE", "X", "VERBOSE")
}

# Methods of a compiled pattern and what each is: the text is its first argument.
_PATTERN_METHODS = frozenset({"match", "search", "fullmatch", "findall", "split", "sub", "subn",
                              "finditer"})
_MATCH_METHODS = frozenset({"group", "groups", "groupdict", "start", "end", "span", "expand"})
_PATTERN_ATTRS = frozenset({"pattern", "flags", "groups", "groupindex"})
_MATCH_ATTRS = frozenset({"pos", "endpos", "lastindex", "lastgroup", "string", "re"})


def is_regex_value(value: Any) -> bool:
    return isinstance(value, (re.Pattern, re.Match))


def _plain(value: Any) -> bool:
    """A value Python's ``re`` may be handed here: text, numbers, None, tuples of them."""
    if isinstance(value, str):
        return len(value) <= _MAX_TEXT
    if isinstance(value, tuple):
        return all(map(_plain, value))
    return value is None or type(value) in (int, bool)


def compiled(pattern: Any, flags: Any = 0) -> re.Pattern | None:
    """``re.compile(pattern, flags)``, or None when either is not known."""
    if isinstance(pattern, re.Pattern) and flags == 0:
        return pattern
    if not isinstance(pattern, str) or len(pattern) > _MAX_PATTERN or type(flags) is not int:
        return None
    try:
        return re.compile(pattern, flags)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None


def module_function(name: str, args: list, kwargs: dict) -> Any:
    """``re.<name>(pattern, ...)`` as a method of the compiled pattern."""
    if name == "compile":
        if len(args) > 2 or set(kwargs) - {"pattern", "flags"}:
            return TENSOR
        pattern = args[0] if args else kwargs.get("pattern")
        flags = args[1] if len(args) > 1 else kwargs.get("flags", 0)
        found = compiled(pattern, flags)
        return TENSOR if found is None else found
    if name == "escape":
        if len(args) != 1 or kwargs or not isinstance(args[0], str) or not _plain(args[0]):
            return TENSOR
        return re.escape(args[0])
    if name not in _PATTERN_METHODS or not args:
        return TENSOR
    kwargs = dict(kwargs)
    flags = kwargs.pop("flags", 0)
    rest = list(args[1:])
    # re.split(p, s, maxsplit, flags), re.sub(p, r, s, count, flags): flags is the last positional.
    positional_flags = {"split": 3, "sub": 4, "subn": 4, "findall": 2, "finditer": 2,
                        "match": 2, "search": 2, "fullmatch": 2}[name]
    if len(args) > positional_flags:
        if len(args) > positional_flags + 1:
            return TENSOR
        flags = args[positional_flags]
        rest = list(args[1:positional_flags])
    pattern = compiled(args[0], flags)
    if pattern is None:
        return TENSOR
    return method(pattern, name, rest, kwargs)


def method(obj: Any, name: str, args: list, kwargs: dict) -> Any:
    """A method of a compiled pattern or a match object, computed by Python."""
    if not all(map(_plain, args)) or not all(map(_plain, kwargs.values())):
        return TENSOR
    if name not in (_PATTERN_METHODS if isinstance(obj, re.Pattern) else _MATCH_METHODS):
        return TENSOR
    try:
        result = getattr(obj, name)(*args, **kwargs)
    except (re.error, IndexError, TypeError, ValueError, OverflowError, RecursionError):
        return TENSOR  # Python raises here: what the program does next is not followed
    if name == "finditer":
        result = list(result)
    return result


def attribute(obj: Any, attr: str) -> Any:
    """An attribute of a compiled pattern or match object: a method bound to it, or the value."""
    pattern = isinstance(obj, re.Pattern)
    if attr in (_PATTERN_METHODS if pattern else _MATCH_METHODS):
        return BoundBuiltin(obj, attr)
    if attr not in (_PATTERN_ATTRS if pattern else _MATCH_ATTRS):
        return UNKNOWN
    value = getattr(obj, attr)
    return dict(value) if attr == "groupindex" else value
