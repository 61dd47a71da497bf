"""The modules of one run, so that a call into another module of the tree is followed.

Built once per run from the files being linted. Modules are read and parsed lazily, only when
some file imports them, and kept in a table of bounded size (:class:`ModuleTable`): however large
the tree, the parsed modules one process holds stay within ``PARSED_BUDGET``; a module that fell
out is parsed again if it is needed again.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..read import source
from .installed import Installed
from .skeleton import Skeleton, parse_skeleton

if TYPE_CHECKING:
    import libcst as cst

# What a parsed module costs in memory, per byte of its source (tracemalloc on tensor2tensor's
# common_layers.py: its libcst tree 29 bytes a byte, its skeleton 9.5), a skeleton's function
# bodies counted as they are parsed.
TREE_COST = 32
SKELETON_COST = 10
# The memory the parsed modules of one process may take, as estimated with the costs above
# (4 MiB of source parsed whole). The interpreter, the run's bytes and what one file's lint holds
# on to come on top: one process peaks near 250 MB on tensor2tensor and tensorpack linted
# together. 96 MiB made that 225 MB, but parsed a tenth more (modules dropped and needed again).
PARSED_BUDGET = 128 * 1024 * 1024


class ModuleTable(OrderedDict):
    """Parsed modules by path, the least recently used dropped first when their estimated cost
    exceeds the budget. The module being linted is never dropped (``pinned``): the tree its lint
    runs on is the one its own imports must find when they import it back."""

    def __init__(self, size: Callable[[Path], int], budget: int = PARSED_BUDGET) -> None:
        super().__init__()
        self._size = size  # a module's source, in bytes
        self.budget = budget
        self._costs: dict[Path, int] = {}
        self._total = 0
        self.pinned: Path | None = None

    def __getitem__(self, key: Path) -> Any:
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def get(self, key: Path, default: Any = None) -> Any:
        return self[key] if key in self else default

    def __setitem__(self, key: Path, value: Any) -> None:
        if key in self:
            self._total -= self._costs.pop(key)
        super().__setitem__(key, value)
        self.move_to_end(key)
        self._costs[key] = self._cost(key, value)
        self._total += self._costs[key]
        self._shrink(keep=key)

    def _shrink(self, keep: Path) -> None:
        if self._total <= self.budget:
            return
        # A skeleton grows as its function bodies are parsed: its cost is read again now (a
        # module parsed whole costs what it did).
        costs = self._costs
        for path, value in self.items():
            if value is not None and value.sources:
                cost = self._cost(path, value)
                self._total += cost - costs[path]
                costs[path] = cost
        for old in list(self):
            if self._total <= self.budget:
                break
            if old != keep and old != self.pinned:
                super().__delitem__(old)
                self._total -= self._costs.pop(old)

    def __delitem__(self, key: Path) -> None:
        super().__delitem__(key)
        self._total -= self._costs.pop(key)

    def pop(self, key: Path, default: Any = None) -> Any:
        # OrderedDict.pop does not go through __delitem__: the accounting is kept here.
        if key not in self:
            return default
        value = super().__getitem__(key)
        del self[key]
        return value

    @property
    def total(self) -> int:
        """The estimated memory of the modules held, as last computed."""
        return self._total

    def _cost(self, path: Path, value: Any) -> int:
        if value is None:
            return 0
        if value.sources:  # bodies left out: a skeleton, and the bodies parsed since
            return self._size(path) * SKELETON_COST + value.parsed_bytes * TREE_COST
        return self._size(path) * TREE_COST


_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+([\w, \t()]+)|import[ \t]+([\w., \t]+))", re.M)


class ProjectIndex:
    """``files``: the files of the run. ``root``: a directory whose other modules may be read
    from disk too when a file of the run imports them (pre-commit passes only the changed
    files); None: the run's files only. ``installed``: where an absolute import that names no
    module of the project finds an installed package to follow (``installed.py``). ``budget``:
    the estimated memory the parsed modules may take (see ``ModuleTable``)."""

    def __init__(
        self,
        files: list[Path] | tuple[Path, ...] = (),
        root: Path | None = None,
        installed: Installed | None = None,
        budget: int = PARSED_BUDGET,
    ) -> None:
        self.installed = installed
        self._reals: dict[Path, Path] = {Path(f): Path(f).resolve() for f in files}
        self.files = set(self._reals.values())
        real_root = os.path.realpath(root) if root is not None else None
        # Never the filesystem root: that would let `import utils` find any /utils.py.
        self.root = real_root if real_root and os.path.dirname(real_root) != real_root else None
        self._listings: dict[str, frozenset[str]] = {}
        self._data: dict[Path, bytes] = {}
        # Each module as a Skeleton (a tree parsed whole is one with no body left out), so that
        # what is learnt about its functions is kept with it; None: unreadable.
        self._parsed = ModuleTable(lambda path: len(self.data(path)), budget)
        self._uses_tf: dict[Path, bool] = {}
        # Known module files by path string: the run's, and those found on disk since.
        self._names: dict[str, Path] = {str(f): f for f in self.files}
        self._by_directory: dict[tuple[str, str, int], Path | None] = {}
        self._resolved: dict[tuple[Path, str, int], Path | None] = {}

    # -- resolution ----------------------------------------------------------------------------

    def resolve(self, importer: Path, module: str, level: int = 0) -> Path | None:
        """The file in this run that ``import module`` (with ``level`` leading dots) names."""
        if not self.files and self.root is None and self.installed is None:
            return None
        key = (importer, module, level)
        if key in self._resolved:  # every file that imports the same runs this again
            return self._resolved[key]
        target = self._resolved[key] = self._resolve_new(importer, module, level)
        return target

    def _resolve_new(self, importer: Path, module: str, level: int) -> Path | None:
        importer_name = str(self._real(importer))
        # What an import names depends on the importer's directory only (unless it names the
        # importer itself): files side by side share one lookup of `import os`.
        shared = (os.path.dirname(importer_name), module, level)
        if shared not in self._by_directory:
            self._by_directory[shared] = self._resolve(importer_name, module, level, False)
        target = self._by_directory[shared]
        if target is not None and str(target) == importer_name:
            return self._resolve(importer_name, module, level, True)
        return target

    def _resolve(self, importer_name: str, module: str, level: int, exclude: bool) -> Path | None:
        """The first candidate that exists; with ``exclude``, never the importer itself."""
        names = self._names
        parts = [p for p in module.split(".") if p]
        base = os.path.dirname(importer_name)
        if level:
            for _ in range(level - 1):
                base = os.path.dirname(base)
            bases = [base]
        else:
            bases = []
            while len(bases) < 8:
                bases.append(base)
                parent = os.path.dirname(base)
                if parent == base:
                    break
                base = parent
        for base in bases:
            candidate = os.path.join(base, *parts)
            for name in (candidate + ".py", os.path.join(candidate, "__init__.py")):
                if exclude and name == importer_name:
                    continue
                if name in names:
                    return names[name]
                if self._on_disk(name) or (
                    level and self.installed is not None and self.installed.holds(name)
                    and os.path.isfile(name)
                ):
                    names[name] = Path(name)
                    return names[name]
        if not level and self.installed is not None:
            found = self.installed.find(module)
            if found is not None and not (exclude and found == importer_name):
                return names.setdefault(found, Path(found))
        return None

    def _on_disk(self, name: str) -> bool:
        """A module file below ``root`` that is not part of the run. Directory listings are
        read once per run, so an import that resolves nowhere costs no system calls twice."""
        root = self.root
        if root is None or not name.startswith(root + os.sep):
            return False
        directory, base = os.path.split(name)
        listing = self._listings.get(directory)
        if listing is None:
            try:
                listing = frozenset(e.name for e in os.scandir(directory) if e.is_file())
            except OSError:
                listing = frozenset()
            self._listings[directory] = listing
        return base in listing

    def _real(self, path: Path) -> Path:
        """``path.resolve()``, once per path: it costs a system call per directory."""
        real = self._reals.get(path)
        if real is None:
            real = self._reals[path] = path.resolve()
        return real

    def is_installed(self, path: Path) -> bool:
        """Is ``path`` a module of an installed package (not of the project)?"""
        return (
            self.installed is not None
            and path not in self.files
            and self.installed.holds(str(path))
        )

    # -- a long-lived index (a language server) ------------------------------------------------

    def add_file(self, path: Path) -> None:
        """A file linted from now on (an editor opened it)."""
        real = self._real(path)
        self.files.add(real)
        self._names[str(real)] = real

    def forget(self, paths: Iterable[Path], listings: bool = False) -> None:
        """These files changed since they were read: read and parse them again when next
        needed. ``listings``: files appeared or disappeared, so imports are resolved again."""
        for path in paths:
            for key in {Path(path), self._real(Path(path))}:
                self._data.pop(key, None)
                self._parsed.pop(key, None)
        self._uses_tf.clear()  # a file's answer depends on the modules it imports
        if listings:
            self._listings.clear()
            self._by_directory.clear()
            self._names = {str(f): f for f in self.files}

    # -- contents ------------------------------------------------------------------------------

    def data(self, path: Path) -> bytes:
        if path not in self._data:
            try:
                self._data[path] = path.read_bytes()
            except OSError:
                self._data[path] = b""
        return self._data[path]

    def remember(
        self, path: Path, data: bytes, module: cst.Module | None = None, text: str | None = None
    ) -> None:
        """The runner has read (and maybe parsed) this file already: keep it, don't read twice.
        With ``module``: the file is about to be linted, on that tree (parsed from ``text``)."""
        path = self._real(path)
        self._data[path] = data
        if module is not None:
            known = self._parsed.get(path)
            if known is None or known.module is not module or known.sources:
                known = Skeleton(module, yields_nowhere=text is not None and "yield" not in text)
            # (A tree imported earlier keeps what its skeleton learnt of its functions.)
            self._parsed[path] = known
            self._parsed.pinned = path

    def parsed(self, path: Path, data: bytes) -> cst.Module | None:
        """The module parsed whole earlier in this run from the same bytes, if any."""
        path = self._real(path)
        if self._data.get(path) == data:
            found = self._parsed.get(path)
            return found.module if found is not None and not found.sources else None
        return None

    def module(self, path: Path) -> cst.Module | None:
        """The module at ``path``, to import it. A module only imported (not linted) is parsed
        as a skeleton whose function bodies are parsed when called (``skeleton.py``)."""
        if path not in self._parsed:
            text = source.decode(self.data(path))
            if isinstance(text, source.Unreadable):
                self._parsed[path] = None
            else:
                lazy = parse_skeleton(text) if not self.lints_soon(path) else None
                parsed = lazy if lazy is not None else source.parse(text)
                if isinstance(parsed, source.Unreadable):
                    self._parsed[path] = None
                else:
                    self._parsed[path] = (
                        parsed if lazy is not None
                        else Skeleton(parsed, yields_nowhere="yield" not in text)
                    )
        found = self._parsed[path]
        return found.module if found is not None else None

    def lints_soon(self, path: Path) -> bool:
        """Is ``path`` a file this process will lint? Its tree is then parsed whole when another
        module imports it, and kept for its own lint; any other module is parsed as a skeleton."""
        return path in self.files

    def skeleton(self, path: Path) -> Skeleton | None:
        """The skeleton ``module(path)`` came from (its bodies maybe left out)."""
        return self._parsed.get(path)

    def uses_tf(self, path: Path, data: bytes | None = None, _seen: set | None = None) -> bool:
        """Does this file, or a module of the run it imports, mention tensorflow? Bytes only."""
        path = self._real(path)
        if path in self._uses_tf:
            return self._uses_tf[path]
        seen = _seen if _seen is not None else set()
        if path in seen:
            return False
        seen.add(path)
        if data is None:
            data = self.data(path)
        else:
            self._data.setdefault(path, data)  # the runner read it: no second read for digests
        result = b"tensorflow" in data
        if not result and (self.files or self.root is not None):
            for match in _IMPORT.finditer(data):
                names = []
                if match.group(1) is not None:
                    module = match.group(1).decode("ascii", "replace")
                    level = len(module) - len(module.lstrip("."))
                    for name in re.split(r"[,\s()]+", match.group(2).decode("ascii", "replace")):
                        if name and name != "as":
                            names.append((f"{module.lstrip('.')}.{name}".strip("."), level))
                    names.append((module.lstrip("."), level))
                else:
                    for item in match.group(3).decode("ascii", "replace").split(","):
                        item = item.strip().split(" ")[0]
                        if item:
                            names.append((item, 0))
                for name, level in names:
                    target = self.resolve(path, name, level) if name or level else None
                    if target is not None and self.uses_tf(target, None, seen):
                        result = True
                        break
                if result:
                    break
        if _seen is None or result:
            self._uses_tf[path] = result
        return result
