"""TensorFlow's model: one module per TF API family, each registering its handlers in ``HOOKS``.

``registry`` (the hooks and the decorators), ``world`` (TF's state beside the interpreter),
``scopes``, ``graphs``, ``variables``, ``ops`` (every unmodelled API), ``layers``, ``rnn``,
``templates``, ``optimizers``, ``slim``. Every module of this package is imported here, so a new
family is a new module and nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil

from .registry import HOOKS

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["HOOKS"]
