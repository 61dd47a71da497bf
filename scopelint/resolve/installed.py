"""Installed packages whose code is followed like the project's own.

A TF1 program's variables are mostly made by library code: `tf_slim.nets`, BERT's `modeling`,
tensor2tensor's layers. Those modules are found where Python would find them, on the search
path of the Python scopelint runs in (and the configured `extra-paths`), and read like modules of
the project: parsed lazily, their functions interpreted when called. Never imported.

Only packages that build TensorFlow graphs are followed: a top-level package is followed when
one of its files imports `tensorflow` or `tf_slim` (numpy, six or absl are not, and stay
opaque values), it is not the modelled API itself (`tfapi.is_tf_module`), and it is not
excluded by name. The default exclusions are frameworks whose variables do not go through the
TF1 store (Keras) or whose code is far larger than what a model uses of it.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .tfapi import is_tf_module

# Import TF-based code but are not TF1 model code to follow: Keras layers keep their variables
# outside the store; the others are large libraries a model calls into for a few values.
DEFAULT_EXCLUDE = (
    "keras",
    "tf_keras",
    "tensorflow_estimator",
    "tensorflow_probability",
    "tensorflow_hub",
    "tensorflow_datasets",
    "tensorboard",
    "jax",
    "torch",
    "transformers",
)

_TF_IMPORT = re.compile(rb"^[ \t]*(?:import|from)[ \t]+(?:tensorflow|tf_slim)\b", re.M)
_HEAD = 4_096  # imports stand at the top of a file, after the licence
# Files read, nearest the package's top first, to decide whether it builds TF graphs: a TF
# package imports TF near its top; a large package that does not is not read through.
_MAX_SCAN = 300


@dataclass(frozen=True)
class InstalledOptions:
    """`follow-installed`, `extra-paths` (absolute) and `exclude-installed` of the settings."""

    follow: bool = True
    extra_paths: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()


def search_path(options: InstalledOptions) -> tuple[str, ...]:
    """Where installed modules are looked up, in order: `extra-paths`, then this Python's
    `sys.path` without the standard library and the working directory of `python -m` (the
    project's own modules are found by the project's resolution first)."""
    if not options.follow:
        return ()
    paths = sysconfig.get_paths()
    stdlib = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib")}
    # site-packages usually lies inside the standard library's directory
    packages = {os.path.realpath(paths[key]) for key in ("purelib", "platlib")}
    # Not the program's search path: the working directory (`python -m`, `-c`) and the
    # directory of the script that started scopelint.
    own = {os.path.realpath(os.getcwd())}
    if sys.argv and sys.argv[0] and os.path.isfile(sys.argv[0]):
        own.add(os.path.realpath(os.path.dirname(sys.argv[0])))
    out: list[str] = []
    for entry in (*map(str, options.extra_paths), *sys.path):
        if not entry:
            continue
        real = os.path.realpath(entry)
        if real in own and entry not in map(str, options.extra_paths):
            continue
        if real in out or not os.path.isdir(real):
            continue
        inside = any(real == s or real.startswith(s + os.sep) for s in stdlib)
        if inside and not any(real == p or real.startswith(p + os.sep) for p in packages):
            continue
        out.append(real)
    return tuple(out)


class Installed:
    """Finds the file of an installed module that is followed (see the module doc)."""

    def __init__(self, directories: Iterable[str], exclude: Iterable[str] = ()) -> None:
        self.directories = tuple(directories)
        self.exclude = frozenset((*DEFAULT_EXCLUDE, *exclude))
        self._found: dict[str, str | None] = {}
        self._builds_graphs: dict[str, bool] = {}
        self._holds: dict[str, bool] = {}

    def find(self, module: str) -> str | None:
        """The file of ``module`` (absolute, dotted) if it is followed, else None."""
        if module not in self._found:
            self._found[module] = self._find(module)
        return self._found[module]

    def holds(self, name: str) -> bool:
        """Is the file ``name`` inside a followed package (for relative imports within it)?
        Asked at every import the interpreter runs: answered once per file."""
        if name not in self._holds:
            self._holds[name] = self._inside(name)
        return self._holds[name]

    def _inside(self, name: str) -> bool:
        for directory in self.directories:
            if name.startswith(directory + os.sep):
                parts = name[len(directory) + 1:].split(os.sep)
                parts[-1] = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
                if parts[-1] == "__init__":
                    parts.pop()
                if not parts or is_tf_module(".".join(parts)):
                    return False
                return self._followed(directory, parts[0])
        return False

    def _find(self, module: str) -> str | None:
        parts = [p for p in module.split(".") if p]
        if not parts or is_tf_module(module):
            return None
        for directory in self.directories:
            candidate = os.path.join(directory, *parts)
            for name in (candidate + ".py", os.path.join(candidate, "__init__.py")):
                if os.path.isfile(name):
                    followed = _imports_tf(name) or self._followed(directory, parts[0])
                    return name if followed and parts[0] not in self.exclude else None
            if os.path.isdir(os.path.join(directory, parts[0])) or os.path.isfile(
                os.path.join(directory, parts[0] + ".py")
            ):
                return None  # the package is here: Python would not look further
        return None

    def _followed(self, directory: str, top: str) -> bool:
        if top in self.exclude:
            return False
        key = os.path.join(directory, top)
        if key not in self._builds_graphs:
            self._builds_graphs[key] = _builds_graphs(key)
        return self._builds_graphs[key]


def _builds_graphs(path: str) -> bool:
    """Does some file of the package (or the single module) at ``path`` import TF?"""
    if os.path.isfile(path + ".py"):
        return _imports_tf(path + ".py")
    seen = 0
    queue = [path]
    while queue:
        directory = queue.pop(0)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith((".", "__pycache__")):
                continue
            if entry.is_dir():
                queue.append(entry.path)
            elif entry.name.endswith(".py"):
                if _imports_tf(entry.path):
                    return True
                seen += 1
                if seen >= _MAX_SCAN:
                    return False
    return False


def _imports_tf(name: str) -> bool:
    try:
        with open(name, "rb") as handle:
            return _TF_IMPORT.search(handle.read(_HEAD)) is not None
    except OSError:
        return False
