"""The one narrow interface between the interpreter and an API model (TensorFlow's: ``scopelint.tf``).

The interpreter knows Python; what a call into the modelled package does, what its objects
answer to, and what entering one of its context managers means is asked of a ``Hooks``:

- ``apis``: handlers keyed by canonical API name (``variable_scope``, ``layers.dense``);
  ``fallback`` handles every other name of the package.
- ``attributes`` / ``calls`` / ``methods`` / ``contexts``: handlers keyed by the type of a value
  the model defines (a scope, a layer, a graph, a tensor), for ``obj.attr``, ``obj(...)``,
  ``obj.method(...)``, ``with obj:`` and ``a + b``; ``presence`` answers ``hasattr``.
- ``start``: a new entry begins (module code, or a function analysed without its caller);
  ``opaque``: the program called code nobody can see.
- ``token``: what of the model's state a handler may read without saying so. A handler that
  reads more of it, or changes it, calls ``interp.impure()`` first: a call that reached no such
  handler can be summarised (``summaries.py``).

A model fills one ``Hooks`` per process and the interpreter only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# handler(interp, args, kwargs, node) -> value
ApiHandler = Callable[..., Any]


@dataclass(eq=False)
class Hooks:
    canonical: Callable[[str], str]  # dotted path as imported -> canonical API name
    is_api_module: Callable[[str], bool]  # an imported module path belongs to the package
    api_attribute: Callable[[str], Any]  # the value of a dotted path inside the package
    # A str naming one of the package's dtypes -> the dtype's name (``"float"`` -> ``"float32"``),
    # None when it names none: ``dtype == "float16"`` compares as the package does.
    dtype_text: Callable[[str], str | None] = lambda text: None
    apis: dict[str, ApiHandler] = field(default_factory=dict)
    fallback: Callable[..., Any] | None = None  # (interp, api, args, kwargs, node)
    attributes: dict[type, Callable[..., Any]] = field(default_factory=dict)  # (interp, obj, attr, node)
    calls: dict[type, Callable[..., Any]] = field(default_factory=dict)  # (interp, obj, args, kwargs, node)
    methods: dict[type, Callable[..., Any]] = field(default_factory=dict)  # (interp, obj, name, args, kwargs, node)
    contexts: dict[type, Callable[..., Any]] = field(default_factory=dict)  # (interp, manager, node) -> (value, exit)
    # Binary operators where either operand is of this type: (interp, operator, left, right).
    operators: dict[type, Callable[..., Any]] = field(default_factory=dict)
    start: Callable[[Any, bool], None] | None = None  # (interp, open_store)
    opaque: Callable[[Any, list, dict], None] | None = None  # (interp, args, kwargs)
    # hasattr(value, name) for a value of this type: True, False, or None when unknown.
    presence: dict[type, Callable[[Any, str], Any]] = field(default_factory=dict)
    # isinstance(value, cls) for a class of the package: (value, canonical class name) -> True,
    # False, or None when the model cannot tell.
    instance: Callable[[Any, str], Any] = lambda value, api: None
    token: Callable[[Any], Any] = lambda interp: None  # hashable
    # ``obj.attr`` where the program's classes leave ``attr`` to a base of the package (``super()
    # .__init__(...)`` of a ``tf.train.Optimizer`` subclass): (interp, obj, base, attr, node) ->
    # its value, or None when the model does not know it (unknown code then).
    inherited: Callable[..., Any] = lambda interp, obj, base, attr, node: None
