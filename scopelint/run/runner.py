"""Lint a list of files with one run's settings: read, check, suppress, select.

A thin layer between the command line and the engine. Everything that is the same for every file
(settings, selection, the project index for calls across modules) is built once per run, never
per file; with `--jobs N` once per worker process.

A run goes like this:

1. Read every file (a file that cannot be read becomes an SL900 finding; the run goes on) and
   apply the engine's byte test (``ProjectIndex.uses_tf``): a file that cannot involve
   TensorFlow is finished here, in the main process, without being parsed.
2. Look the rest up in the result cache (`cache.py`), if there is one.
3. Lint what is left: in this process (``jobs == 1``, or too few files to pay for starting
   workers), or in a pool of worker processes. Each worker receives the settings and the file
   list once, through the pool's initializer, builds its own :class:`RunIndex` over the whole
   run, and lints its own lane of the files, chunk by chunk, then helps the others
   (``lanes.py``).
4. Apply `# noqa` comments and the rule selection (always, also to cached results) and sort by
   path, so the output does not depend on the number of workers or on the cache.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from ..read.source import Source
from ..resolve.installed import Installed, search_path
from ..resolve.project import PARSED_BUDGET, ProjectIndex
from ..rules import noqa
from ..rules import FILE_ERROR, file_error
from ..rules.noqa import UNUSED_NOQA
from ..types import Diagnostic, FileResult
from . import lanes
from .cache import Cache, Recorder, digest, files_digest
from .config import Settings
from .engine import check_source


@dataclass
class Sources:
    """Source lines for the renderers (snippets, fingerprints), by displayed path.

    The runner hands over the :class:`Source` of each file with findings, which it has in hand
    anyway (only its lines are kept); a path it does not know (a file linted in a worker) is read
    on demand.
    """

    _lines: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def remember(self, path: str, read: Source) -> None:
        self._lines[path] = read.lines

    def __call__(self, path: str) -> Sequence[str]:
        if path not in self._lines:
            try:
                self.remember(path, Source(Path(path).read_bytes()))
            except OSError:
                self._lines[path] = ()
        return self._lines[path]


def display_path(path: Path, cwd: Path) -> str:
    """The path as findings show it: relative to the working directory when inside it."""
    absolute = Path(os.path.normpath(cwd / path))
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


# Fewer files than this left to lint (after the byte test and the cache) are linted in this
# process: starting a worker (an interpreter, libcst, its own index) costs about as much as
# linting a few dozen files.
POOL_MIN_FILES = 48
# Young collections every 20,000 allocations instead of 700 (see _Collector).
GC_THRESHOLD = (20_000, 20, 100)


def default_jobs() -> int:
    """The CPUs this process may run on (respects affinity masks, e.g. `taskset`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class RunIndex(ProjectIndex):
    """The run's :class:`ProjectIndex`, with what the cache needs: a record of the imports one
    file's lint resolved and the modules it read (the cache's dependencies: see `cache.py`)."""

    def __init__(
        self,
        files: Sequence[Path],
        budget: int | None = None,
        root: Path | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(
            list(files), root, _installed(settings), PARSED_BUDGET if budget is None else budget
        )
        self.recorder: Recorder | None = None
        # In a worker: the files of its lane (see lanes.py). The other files of the run are
        # linted by the other workers, so here they are imported as skeletons: a module every
        # worker imports is not parsed whole by each of them.
        self.mine: frozenset[Path] | None = None
        self._digests: dict[Path, str] = {}
        self._files_digest: str | None = None

    @property
    def files_digest(self) -> str:
        if self._files_digest is None:
            self._files_digest = files_digest(self.files)
        return self._files_digest

    def resolve(self, importer: Path, module: str, level: int = 0) -> Path | None:
        target = super().resolve(importer, module, level)
        if self.recorder is not None:
            self.recorder.resolves.add(
                (str(importer), module, level, None if target is None else str(target))
            )
        return target

    def add_file(self, path: Path) -> None:
        super().add_file(path)
        self._files_digest = None

    def forget(self, paths: Sequence[Path], listings: bool = False) -> None:
        super().forget(paths, listings)
        for path in paths:
            self._digests.pop(Path(path), None)
            self._digests.pop(self._real(Path(path)), None)

    def lints_soon(self, path: Path) -> bool:
        return path in self.mine if self.mine is not None else super().lints_soon(path)

    def set_mine(self, paths: Sequence[Path]) -> None:
        """The files this process lints: only those are parsed whole when imported."""
        self.mine = frozenset(self._real(p) for p in paths)

    def module(self, path: Path) -> Any:
        if self.recorder is not None:
            self.recorder.modules.add(path)
        return super().module(path)

    def digest(self, path: Path) -> str:
        """The digest of a module's bytes as this process reads them (once)."""
        path = Path(path)
        if path not in self._digests:
            self._digests[path] = digest(self.data(path))
        return self._digests[path]

    def resolved_name(self, importer: str, module: str, level: int) -> str | None:
        target = self.resolve(Path(importer), module, level)
        return None if target is None else str(target)


def _installed(settings: Settings | None) -> Installed | None:
    """The installed packages this run follows (``resolve/installed.py``), or None."""
    if settings is None or not settings.installed.follow:
        return None
    directories = search_path(settings.installed)
    return Installed(directories, settings.installed.exclude) if directories else None


def lint(
    files: Sequence[Path],
    settings: Settings,
    *,
    cwd: Path | None = None,
    with_events: bool = False,
    sources: Sources | None = None,
    jobs: int = 1,
    cache: Cache | None = None,
    root: Path | None = None,
) -> list[FileResult]:
    """Lint every file; results come back sorted by path.

    ``jobs`` > 1 lints in that many worker processes (when there are enough files to lint);
    ``cache`` reads and writes results there (never for ``with_events`` runs). Neither changes
    the results.
    """
    cwd = cwd or Path.cwd()
    if with_events:
        cache = None
    paths = [cwd / f for f in files]
    shown = [display_path(f, cwd) for f in files]
    results: list[FileResult | None] = [None] * len(files)
    pending: dict[int, Source] = {}  # files the engine must see, as read
    if jobs > 1 and len(files) >= POOL_MIN_FILES and (cache is None or cache.empty()):
        # Surely a cold run with work for a pool: let its server start up (import libcst and
        # scopelint) while this process reads the files.
        _start_server()
    with _Collector() as collector:
        # One index per run: a call into another linted module is followed into it. Paths that
        # do not lead to a file (dangling links, symlink loops) stay out: the index resolves its
        # paths, and those files are reported when they fail to read below.
        index = RunIndex([p for p in paths if os.path.exists(p)], root=root, settings=settings)
        for i, path in enumerate(paths):
            try:
                read = Source(path.read_bytes())
            except OSError as error:
                results[i] = _unreadable(shown[i], error, settings)
                continue
            if index.uses_tf(path, read.data):
                pending[i] = read
            else:  # the engine's own byte test says it skips the file: no parse, no worker
                results[i] = lint_source(
                    read,
                    shown[i],
                    settings,
                    project=index,
                    with_events=with_events,
                    sources=sources,
                )
        if cache is not None:
            for i in list(pending):
                raw = cache.load(
                    os.path.abspath(paths[i]),
                    shown[i],
                    digest(pending[i].data),
                    index.files_digest,
                    index.resolved_name,
                    lambda p: index.digest(Path(p)),
                    disk_imports=index.root is not None or index.installed is not None,
                )
                if raw is not None:
                    results[i] = _finish(raw, pending.pop(i), shown[i], settings, sources)
        if jobs > 1 and len(pending) >= POOL_MIN_FILES:
            sizes = {i: len(read.data) for i, read in pending.items()}
            pending.clear()  # the workers read the files themselves
            for i, result in _lint_in_pool(
                files, cwd, settings, with_events, cache, sizes, jobs, root
            ):
                results[i] = result
        else:
            while pending:  # each file's source is dropped once it is linted
                i = next(iter(pending))
                results[i] = _lint_one(
                    index, cache, paths[i], shown[i], pending.pop(i), settings, with_events, sources
                )
                collector.file_done()
    return sorted((r for r in results if r is not None), key=lambda r: r.path)


def _lint_one(
    index: RunIndex,
    cache: Cache | None,
    path: Path,
    shown: str,
    read: Source,
    settings: Settings,
    with_events: bool,
    sources: Sources | None,
) -> FileResult:
    """One file through the engine (recording its dependencies and caching the result when
    there is a cache), then suppressions and selection."""
    if cache is None:
        raw = _check(read, shown, with_events, index)
        return _finish(raw, read, shown, settings, sources)
    # The byte test follows imports too; run it first so that only what the simulation itself
    # resolves and reads is recorded.
    index.uses_tf(path, read.data)
    index.recorder = Recorder()
    try:
        raw = _check(read, shown, with_events, index)
        deps = index.recorder.deps(index.digest)
    finally:
        index.recorder = None
    if raw.crash is None:  # a crash is not a result: the next run tries again
        cache.store(os.path.abspath(path), shown, digest(read.data), index.files_digest, deps, raw)
    return _finish(raw, read, shown, settings, sources)


def _check(read: Source, shown: str, with_events: bool, project: ProjectIndex | None) -> FileResult:
    """The engine on one file. An exception here is a bug in scopelint, not in the file: it must
    not cost the findings of every other file, so it is kept (with its traceback) as this file's
    result, and the command line reports it and exits with 2."""
    try:
        return check_source(read, shown, with_events=with_events, project=project)
    except Exception:  # reported in full, never swallowed: see above
        return FileResult(shown, analysed=False, crash=traceback.format_exc())


def _unreadable(shown: str, error: OSError, settings: Settings) -> FileResult:
    # Permission denied, a dangling symlink, a symlink loop (ELOOP), a directory named `x.py`: a
    # finding for this file, not the end of the run.
    reason = error.strerror or str(error)
    return _select(
        FileResult(shown, (file_error(shown, f"cannot read file: {reason}"),), analysed=False),
        settings,
    )


class _Collector:
    """The garbage collector during a run.

    Parsing allocates millions of objects, and the parsed trees stay alive (the table of parsed
    modules): with the default settings the collector scanned them again and again, a fifth of
    a run's time. So: after each file, collect what that file left behind (the simulation's
    reference cycles), then freeze what survives, so that later collections only look at newer
    objects. Frozen objects are still freed by reference counting (trees have no cycles) when
    the table drops them. At the end of the run they are unfrozen, and the thresholds restored;
    a process that freezes objects itself is left alone (thresholds only).
    """

    def __enter__(self) -> _Collector:
        self._old = gc.get_threshold()
        self._freeze = gc.isenabled() and gc.get_freeze_count() == 0
        gc.set_threshold(*GC_THRESHOLD)
        return self

    def file_done(self) -> None:
        if self._freeze:
            gc.collect()
            gc.freeze()

    def __exit__(self, *exc_info: object) -> None:
        if self._freeze:
            gc.unfreeze()
        gc.set_threshold(*self._old)


# -- the worker pool -----------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """Workers never fork the main process (threads, open files, a half-built state): they
    fork from a clean server process that has imported scopelint once (forkserver, POSIX), or
    start a fresh interpreter each (spawn, elsewhere)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


def _start_server() -> None:
    context = _context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _lint_in_pool(
    files: Sequence[Path],
    cwd: Path,
    settings: Settings,
    with_events: bool,
    cache: Cache | None,
    sizes: dict[int, int],
    jobs: int,
    root: Path | None,
) -> list[tuple[int, FileResult]]:
    """Lint the files ``sizes`` names (indices into ``files``, with their sizes in bytes), one
    lane of consecutive files per worker (``lanes.py``)."""
    context = _context()
    board = lanes.Board(context, lanes.plan(list(sizes), jobs, sizes))
    tasks = sum(len(lane) for lane in board.lanes)  # one chunk per task
    initargs = (
        [os.fspath(f) for f in files],
        os.fspath(cwd),
        settings,
        with_events,
        cache.spec() if cache is not None else None,
        root,
        board,
    )
    out: list[tuple[int, FileResult]] = []
    pool = ProcessPoolExecutor(
        len(board.lanes), mp_context=context, initializer=_worker_init, initargs=initargs
    )
    try:
        for part in pool.map(_worker_lint, range(tasks)):
            out.extend(part)
    except BaseException:
        # An error in a worker (re-raised here with its traceback) or Ctrl-C: drop the queued
        # chunks; the workers finish the one they are on and exit.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return out


@dataclass
class _Worker:
    files: list[str]
    cwd: Path
    settings: Settings
    with_events: bool
    cache: Cache | None
    index: RunIndex
    collector: _Collector
    board: lanes.Board
    lane: int


_WORKER: _Worker | None = None


def _worker_init(
    files: list[str],
    cwd: str,
    settings: Settings,
    with_events: bool,
    cache_spec: tuple[str, str] | None,
    root: Path | None,
    board: lanes.Board,
) -> None:
    """Once per worker process: the run's settings, file list and index, and its lane."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    base = Path(cwd)
    paths = [base / f for f in files]
    _WORKER = _Worker(
        files,
        base,
        settings,
        with_events,
        Cache.from_spec(cache_spec) if cache_spec is not None else None,
        RunIndex([p for p in paths if os.path.exists(p)], root=root, settings=settings),
        _Collector().__enter__(),  # for the life of the process
        board,
        board.join(),
    )
    _WORKER.index.set_mine([paths[i] for i in board.files(_WORKER.lane)])
    _WORKER.collector.file_done()  # what exists now lives as long as the process


def _worker_lint(task: int) -> list[tuple[int, FileResult]]:
    """One task: lint the next chunk of this worker's lane (or one it takes from another)."""
    worker = _WORKER
    assert worker is not None, "worker not initialised"
    out = []
    chunk = worker.board.take(worker.lane)
    for i in chunk:
        relative = Path(worker.files[i])
        path = worker.cwd / relative
        shown = display_path(relative, worker.cwd)
        try:
            read = Source(path.read_bytes())
        except OSError as error:
            out.append((i, _unreadable(shown, error, worker.settings)))
            continue
        result = _lint_one(
            worker.index,
            worker.cache,
            path,
            shown,
            read,
            worker.settings,
            worker.with_events,
            None,
        )
        worker.collector.file_done()
        out.append((i, result))
    return out


# -- one file ------------------------------------------------------------------------------------


def lint_source(
    read: Source,
    path: str,
    settings: Settings,
    *,
    project: ProjectIndex | None = None,
    with_events: bool = False,
    sources: Sources | None = None,
) -> FileResult:
    """One file as read (from disk or stdin) to its final findings."""
    result = _check(read, path, with_events, project)
    return _finish(result, read, path, settings, sources)


def lint_stdin(
    read: Source,
    path: Path,
    shown: str,
    settings: Settings,
    *,
    root: Path | None,
    with_events: bool = False,
    sources: Sources | None = None,
) -> FileResult:
    """Source read from stdin for the file at ``path`` (what editors send: the unsaved buffer).

    Linted exactly as a path run of that one file is: its imports are followed into the modules
    on disk below ``root``, only the file itself is these bytes instead of what is on disk (it
    need not exist there at all).
    """
    index = RunIndex([path], root=root, settings=settings)
    return lint_source(
        read, shown, settings, project=index, with_events=with_events, sources=sources
    )


def _finish(
    result: FileResult, read: Source, path: str, settings: Settings, sources: Sources | None
) -> FileResult:
    """The engine's result (fresh or cached) to the final findings: suppressions, selection."""
    diagnostics: list[Diagnostic] = list(result.diagnostics)
    directives = read.directives
    if not directives.empty:
        diagnostics, used = noqa.apply(diagnostics, directives)
        unreadable = any(d.code == FILE_ERROR.code for d in result.diagnostics)
        # In a file that could not be parsed no rule ran, so every directive would look unused.
        if UNUSED_NOQA.code in settings.enabled and not unreadable:
            diagnostics += noqa.unused(path, directives, used)
    final = _select(replace(result, diagnostics=tuple(diagnostics)), settings)
    if sources is not None and final.diagnostics:
        sources.remember(path, read)
    return final


def add_findings(
    result: FileResult,
    extra: Sequence[Diagnostic],
    read: Source,
    settings: Settings,
    sources: Sources | None,
) -> FileResult:
    """Findings made after the lint (`scopelint checkpoint`'s) joined to a file's result, under
    the same `# noqa` comments and rule selection."""
    found = list(extra)
    directives = read.directives
    if not directives.empty:
        found, _ = noqa.apply(found, directives)
    final = _select(replace(result, diagnostics=result.diagnostics + tuple(found)), settings)
    if sources is not None and final.diagnostics:
        sources.remember(result.path, read)
    return final


def _select(result: FileResult, settings: Settings) -> FileResult:
    ignored = settings.ignored_for(Path(result.path))
    kept = tuple(
        sorted(
            (d for d in result.diagnostics if d.code in settings.enabled and d.code not in ignored),
            key=Diagnostic.sort_key,
        )
    )
    return replace(result, diagnostics=kept)
