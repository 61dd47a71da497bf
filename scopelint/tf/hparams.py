"""TF 1.15's ``tf.contrib.training.HParams``: named hyperparameters, known once constructed.

As ``contrib/training/python/training/hparam.py``: each keyword of the constructor is an
``add_hparam(name, value)``, which records the value's type (a list's element type);
``set_hparam`` casts as ``_cast_to_type_if_compatible`` does (an int to a float param, never a
float to an int, a number to a bool or anything to a str); ``parse`` reads ``name=value`` and
``name=[v, ...]`` as ``parse_values`` does, then ``override_from_dict``; ``values()`` is the dict
of every hparam. What the analysis cannot follow (a string or dict it does not know, a proto)
makes the values it may have changed unknown, never a guess.

The object is an ``Instance`` of an empty class to the interpreter, so that ``hps.x = v`` and
``del hps.x`` change its attributes as Python does; reading them and its methods go through the
hooks below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import STAR, STAR_KEY, STR, UNKNOWN, BoundBuiltin, Class, Instance, is_known, plain
from .registry import api, attribute, method

_CLASS = Class(cst.ClassDef(name=cst.Name("HParams"), body=cst.IndentedBlock([cst.SimpleStatementLine([cst.Pass()])])),
               "HParams")
_METHODS = frozenset({
    "add_hparam", "set_hparam", "del_hparam", "parse", "override_from_dict", "set_from_map",
    "values", "get", "to_json", "parse_json", "set_model_structure", "get_model_structure",
})
_SCALARS = (bool, int, float, str, type(None))


@dataclass(eq=False, slots=True)
class HParams(Instance):
    """``types``: name -> (element type or None when unknown, is a list); ``lost``: something
    the analysis could not follow was done to it, so names it does not hold may exist."""

    types: dict = field(default_factory=dict)
    lost: bool = False


def _type_of(value: Any) -> Any:
    return type(value) if isinstance(value, _SCALARS) else None


def _add(hps: HParams, name: Any, value: Any) -> None:
    if not isinstance(name, str):
        _lose(hps)
        return
    if name in _METHODS or hps.attrs.get(name) is not None:
        return  # TF raises: the name is reserved
    if isinstance(value, (list, tuple)):
        if not value:
            return  # TF raises: multi-valued hparams cannot be empty
        hps.types[name] = (_type_of(value[0]), True)
    else:
        hps.types[name] = (_type_of(value), False)
    hps.attrs[name] = value


def _lose(hps: HParams, names: Any = None) -> None:
    """The values of ``names`` (every hparam when None) may have changed to anything."""
    for name in hps.types if names is None else names:
        hps.attrs[name] = UNKNOWN
    if names is None:
        hps.lost = True


_FAIL = object()  # TF raises ValueError


def _cast(param_type: Any, value: Any) -> Any:
    """``_cast_to_type_if_compatible``."""
    if param_type is None or not plain(value) or isinstance(value, (list, tuple)):
        return UNKNOWN
    if isinstance(value, param_type):
        return value
    if param_type is type(None):
        return value
    if issubclass(param_type, str) and not isinstance(value, str):
        return _FAIL
    if issubclass(param_type, bool) != isinstance(value, bool):
        return _FAIL
    if issubclass(param_type, int) and not isinstance(value, int):
        return _FAIL
    if issubclass(param_type, (int, float)) and not isinstance(value, (int, float)):
        return _FAIL
    return param_type(value)


def _set(hps: HParams, name: Any, value: Any) -> None:
    if not isinstance(name, str):
        _lose(hps)
        return
    if name not in hps.types:
        if hps.lost:
            hps.attrs[name] = UNKNOWN
        return  # TF raises KeyError
    param_type, is_list = hps.types[name]
    if isinstance(value, list) != is_list:
        if value is UNKNOWN or not is_known(value):
            _lose(hps, [name])
        return  # TF raises ValueError
    cast = [_cast(param_type, v) for v in value] if is_list else _cast(param_type, value)
    if cast is _FAIL or (is_list and _FAIL in cast):
        return  # TF raises ValueError
    hps.attrs[name] = cast


def _override(hps: HParams, values: Any) -> None:
    if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
        _lose(hps)
        return
    for name, value in values.items():
        _set(hps, name, value)


# contrib.training's PARAM_RE: ``name``, an optional ``[index]``, then one value or a list.
_PARAM = re.compile(r"""
  (?P<name>[a-zA-Z][\w\.]*)
  (\[\s*(?P<index>\d+)\s*\])?
  \s*=\s*
  ((?P<val>[^,\[]*)
   |
   \[(?P<vals>[^\]]*)\])
  ($|,\s*)""", re.VERBOSE)


def _parse_one(param_type: Any, text: str) -> Any:
    if param_type is bool:
        if text in ("true", "True"):
            return True
        if text in ("false", "False"):
            return False
        try:
            return bool(int(text))
        except ValueError:
            return _FAIL
    if param_type in (int, float, str):
        try:
            return param_type(text)
        except ValueError:
            return _FAIL
    return _FAIL


def _parse(hps: HParams, values: Any) -> None:
    """``parse(values)``: ``parse_values`` with the hparams' types, then override_from_dict."""
    if not isinstance(values, str):
        _lose(hps)
        return
    parsed: dict = {}
    pos = 0
    while pos < len(values):
        match = _PARAM.match(values, pos)
        if not match:
            return  # TF raises: malformed
        pos = match.end()
        name = match.group("name")
        if name not in hps.types or match.group("index") is not None:
            if name in hps.types:
                _lose(hps, [name])  # one element of a list: not followed
            return  # TF raises for an unknown name
        param_type, _ = hps.types[name]
        if match.group("val") is not None:
            value = _parse_one(param_type, match.group("val"))
        else:
            items = [_parse_one(param_type, v) for v in re.split("[ ,]", match.group("vals")) if v]
            value = _FAIL if _FAIL in items else items
        if value is _FAIL:
            return  # TF raises
        parsed[name] = value
    _override(hps, parsed)


@api("contrib.training.HParams", "contrib.training.python.training.hparam.HParams", "training.HParams")
def hparams(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``HParams(hparam_def=None, model_structure=None, **kwargs)``."""
    hps = HParams(_CLASS)
    known = {k: v for k, v in kwargs.items() if k not in ("hparam_def", "model_structure", STAR_KEY)}
    for name, value in known.items():
        _add(hps, name, value)
    if STAR_KEY in kwargs or STAR in args or ArgReader(args, kwargs)(0, "hparam_def") is not None:
        hps.lost = True  # from a proto, or keywords the analysis cannot see
    return hps


@attribute(HParams)
def hparams_attribute(sim: Any, hps: HParams, attr: str, node: cst.CSTNode) -> Any:
    if attr in hps.attrs:
        return hps.attrs[attr]
    if attr in _METHODS:
        return BoundBuiltin(hps, attr)
    return UNKNOWN  # AttributeError in TF, unless unknown code added it


@method(HParams)
def hparams_method(sim: Any, hps: HParams, name: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if get.unknown and name not in ("values", "to_json", "get_model_structure"):
        _lose(hps)
        return UNKNOWN
    if name == "add_hparam":
        _add(hps, get(0, "name"), get(1, "value"))
        return None
    if name == "set_hparam":
        _set(hps, get(0, "name"), get(1, "value"))
        return None
    if name == "del_hparam":
        target = get(0, "name")
        if isinstance(target, str):
            hps.attrs.pop(target, None)
            hps.types.pop(target, None)
        else:
            _lose(hps)
        return None
    if name == "parse":
        _parse(hps, get(0, "values"))
        return hps
    if name in ("override_from_dict", "set_from_map"):
        _override(hps, get(0, "values_dict" if name == "override_from_dict" else "values_map"))
        return hps
    if name == "parse_json":
        _lose(hps)
        return hps
    if name == "values":
        if hps.lost or any(n not in hps.attrs for n in hps.types):
            return UNKNOWN
        return {n: hps.attrs[n] for n in hps.types}
    if name == "get":
        key = get(0, "key")
        if isinstance(key, str) and key in hps.types and key in hps.attrs:
            return hps.attrs[key]
        if isinstance(key, str) and not hps.lost and key not in hps.types:
            return get(1, "default")
        return UNKNOWN
    if name == "to_json":
        return STR
    return UNKNOWN
