"""The language server's view of the project, without any protocol: the settings each document
gets, one warm index per project root with the editor's unsaved buffers laid over the files on
disk, and which open documents read which modules.

Not thread-safe: the server calls it from one worker thread only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from ..read.files import is_force_excluded
from ..read.source import Source
from ..run.cache import Recorder, project_root
from ..run.config import ConfigError, Overrides, Settings, build, find_config
from ..run.runner import RunIndex, display_path, lint_source
from ..types import FileResult
from .reparse import Tree, measure, reparse


class OverlayIndex(RunIndex):
    """A run index that reads a module open in the editor from its buffer, not from disk."""

    def __init__(self, root: Path, settings: Settings, buffers: dict[Path, bytes]) -> None:
        super().__init__([], root=root, settings=settings)
        self.buffers = buffers  # shared by every index of the server: real path -> bytes

    def data(self, path: Path) -> bytes:
        buffer = self.buffers.get(path)
        return buffer if buffer is not None else super().data(path)


@dataclass(frozen=True)
class Checked:
    """One analysis of a document: the final result (noqa, selection and per-file ignores
    applied), and a note when the settings could not be read."""

    result: FileResult
    config_error: str | None = None
    excluded: bool = False  # the configuration excludes this file: nothing is reported


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def real(path: Path) -> Path:
    return Path(os.path.realpath(path))


class Projects:
    """``folders``: the workspace folders (a file outside all of them uses its own directory)."""

    def __init__(self, folders: Iterable[Path] = ()) -> None:
        self.folders = [real(f) for f in folders]
        self.buffers: dict[Path, bytes] = {}  # the open documents' text
        self._indexes: dict[tuple, OverlayIndex] = {}
        self._settings: dict[Path | None, Settings] = {}
        self._config_of: dict[Path, Path | None] = {}  # directory -> its configuration file
        self._config_errors: dict[Path | None, str] = {}
        # The configuration files in use, as last seen: a client that cannot watch files still
        # gets a changed one read again at the next check.
        self._stamps: dict[Path, int | None] = {}
        # Open document -> the modules its analyses read or resolved (the document included).
        self._deps: dict[Path, set[Path]] = {}
        self._trees: dict[Path, Tree] = {}  # the last parse of each open document, measured

    # -- documents -----------------------------------------------------------------------------

    def set_buffer(self, path: Path, data: bytes) -> bool:
        """The editor's text of ``path`` (opened or edited). True when it changed."""
        path = real(path)
        previous = self.buffers.get(path)
        if previous is None:  # opened: what the analyses read so far is the file on disk
            try:
                previous = path.read_bytes()
            except OSError:
                previous = None
        self.buffers[path] = data
        if previous == data:
            return False
        self._forget([path])
        return True

    def update(self, path: Path, data: bytes) -> set[Path]:
        """``set_buffer``; then the other open documents that read ``path``, if it changed."""
        return self.dependents([path]) - {real(path)} if self.set_buffer(path, data) else set()

    def close(self, path: Path) -> bool:
        """The editor closed ``path``: from now on it is read from disk. True when that
        changes what the analyses read (the buffer was not saved)."""
        path = real(path)
        data = self.buffers.pop(path, None)
        self._deps.pop(path, None)
        self._trees.pop(path, None)
        self._forget([path])
        try:
            return data != path.read_bytes()
        except OSError:
            return True

    def changed_on_disk(self, paths: Iterable[Path], listings: bool) -> None:
        """Files saved, changed by another program, created or deleted (``listings``)."""
        changed = [real(p) for p in paths]
        self._forget([p for p in changed if p not in self.buffers], listings)

    def reload_config(self) -> None:
        """A configuration file changed: settings (and the indexes built with them) anew."""
        self._settings.clear()
        self._config_of.clear()
        self._config_errors.clear()
        self._stamps.clear()
        self._indexes.clear()

    def dependents(self, paths: Iterable[Path]) -> set[Path]:
        """The open documents whose last analysis read one of ``paths``."""
        wanted = {real(p) for p in paths}
        return {doc for doc, deps in self._deps.items() if deps & wanted}

    def _forget(self, paths: list[Path], listings: bool = False) -> None:
        for index in self._indexes.values():
            index.forget(paths, listings)

    # -- settings ------------------------------------------------------------------------------

    def folder_of(self, path: Path) -> Path:
        """The workspace folder holding ``path`` (the innermost), else its directory."""
        inside = [f for f in self.folders if path == f or f in path.parents]
        return max(inside, key=lambda f: len(f.parts)) if inside else path.parent

    def settings_for(self, path: Path) -> tuple[Settings, str | None]:
        """The settings the command line would use for ``path`` alone, and the error that made
        the defaults stand in for them, if any."""
        directory = path.parent
        if directory not in self._config_of:
            try:
                self._config_of[directory] = find_config([path])
            except ConfigError as error:  # an unreadable pyproject.toml on the way up
                self._config_of[directory] = None
                self._config_errors[None] = str(error)
        config = self._config_of[directory]
        if config is not None:
            self._stamps.setdefault(config, _stamp(config))
        if config not in self._settings:
            cwd = self.folder_of(path)
            try:
                self._settings[config] = build([path], Overrides(), cwd)
            except ConfigError as error:
                self._config_errors[config] = str(error)
                self._settings[config] = build([], Overrides(), cwd)
        return self._settings[config], self._config_errors.get(config)

    def measure(self, path: Path, data: bytes) -> None:
        """Keep what the next edit of ``path`` needs to parse only what it changed (costs a
        printing of the module: done when the editor is idle)."""
        path = real(path)
        tree = self._trees.get(path)
        if tree is not None and tree.text.encode("utf-8") == data:
            return
        settings, _ = self.settings_for(path)
        module = self._index(path, settings).parsed(path, data)
        if module is not None:
            measured = measure(data.decode("utf-8", "replace"), module)
            if measured is not None:
                self._trees[path] = measured

    def _index(self, path: Path, settings: Settings) -> OverlayIndex:
        root = project_root(settings.config_path, [path], self.folder_of(path))
        key = (root, settings.installed)
        if key not in self._indexes:
            self._indexes[key] = OverlayIndex(root, settings, self.buffers)
        return self._indexes[key]

    # -- analysis ------------------------------------------------------------------------------

    def check(self, path: Path, data: bytes, *, with_events: bool = False) -> Checked:
        """Lint ``data`` as the file at ``path`` (an open document), following its imports into
        the open buffers and the files on disk. Never writes the result cache."""
        path = real(path)
        if any(_stamp(config) != stamp for config, stamp in self._stamps.items()):
            self.reload_config()
        settings, error = self.settings_for(path)
        # The engine reads the file's imports relative to its path: the path as the process
        # sees it (relative to its working directory, like the command line's), not to a folder.
        shown = display_path(path, Path.cwd())
        # As ruff's server does: a file the configuration excludes is not linted when opened.
        if is_force_excluded(path, replace(settings.walk, force_exclude=True)):
            return Checked(FileResult(shown, analysed=False), error, excluded=True)
        index = self._index(path, settings)
        index.add_file(path)
        old = self._trees.get(path)
        tree = reparse(old, data.decode("utf-8", "replace")) if old is not None else None
        if tree is not None:  # the engine takes the module from the index: no parse
            index.remember(path, data, tree.module)
            self._trees[path] = tree
        index.recorder = Recorder()
        try:
            result = lint_source(Source(data), shown, settings, project=index, with_events=with_events)
            recorder = index.recorder
        finally:
            index.recorder = None
        deps = self._deps.setdefault(path, {path})
        deps.update(Path(p) for p in recorder.modules)
        deps.update(Path(target) for *_, target in recorder.resolves if target is not None)
        return Checked(result, error)
