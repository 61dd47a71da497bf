"""The per-file result cache: `.scopelint_cache/` in the project root.

What is cached is the engine's result for one file (its diagnostics, before `# noqa` comments and
the rule selection are applied, so changing `--select` or `per-file-ignores` costs nothing).
Files the engine skips without parsing (no TensorFlow anywhere in their imports) and
`--show-variables` runs are never cached: the first are as cheap as a cache lookup, the second
need the variable events, which are not stored.

An entry is valid only if all of these still hold:

- the engine is the same: scopelint's version, a digest of its own source files (so an edited
  checkout never reads stale results), libcst's version and the Python minor version;
- the file's bytes have the same digest;
- every import the simulation resolved against the run's modules resolves to the same file now
  (this catches a module added to or removed from the run, say a new `numpy.py` that shadows the
  real one);
- every module of the run the simulation read has the same digest.

The last two are recorded while the file is linted (see :class:`Recorder`), not guessed from the
source: they are exactly the modules the simulator followed, however the import was written and
however deep, so a change to an imported module re-lints its importers and nothing else.
When imports resolve against the run's files only, resolving depends only on the importer's
path and on the set of files in the run, so when that set has the digest it had when the entry
was written, the resolutions are not redone; when it differs they are, and a valid entry is
rewritten with the new digest. When imports may also resolve to modules on disk outside the run
(the command line's project root), the set of files proves nothing, and every recorded import is
resolved again (against per-run directory listings, so this stays cheap).

One entry per linted file (its slot is named by the file's path), rewritten when it changes, so
the cache does not grow with every edit. Entries are JSON, written to a temporary file and moved
into place (`os.replace`), so a reader never sees half an entry. An entry that cannot be read or
does not have the expected shape is a miss, never an error; so is a cache directory that cannot
be created or written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from .. import __version__
from ..types import Diagnostic, FileResult, Position, Related, Severity, Span

DIRNAME = ".scopelint_cache"
ENV_VAR = "SCOPELINT_CACHE_DIR"
FORMAT = 1  # bump when the entry layout changes
ENTRIES = f"entries-v{FORMAT}"
# https://bford.info/cachedir/: backup tools skip a directory with this file.
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by scopelint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def files_digest(files: Iterable[Path]) -> str:
    """A digest of a run's set of files (resolved paths): imports resolve against it."""
    return digest("\0".join(sorted(map(str, files))).encode())


def libcst_version() -> str:
    """libcst's version, read without importing it (the import alone costs a warm run a third
    of its time)."""
    import importlib.util
    from importlib.metadata import PackageNotFoundError, version

    spec = importlib.util.find_spec("libcst")
    if spec is not None and spec.origin:
        try:
            text = (Path(spec.origin).parent / "_version.py").read_text(encoding="utf-8")
        except OSError:
            text = ""
        match = re.search(r"""^__version__\s*=.*?['"]([^'"]+)['"]""", text, re.M)
        if match:
            return match.group(1)
    try:
        return version("libcst")
    except PackageNotFoundError:
        return "?"


@functools.lru_cache(maxsize=None)
def engine_fingerprint() -> str:
    """Everything besides the file and its imports that a cached result depends on."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"scopelint {__version__}\0libcst {libcst_version()}\0".encode())
    h.update(f"python {sys.version_info[0]}.{sys.version_info[1]}\0format {FORMAT}\0".encode())
    package = Path(__file__).resolve().parent.parent  # the whole package, not only run/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
        h.update(b"\0")
    return h.hexdigest()


# What marks a project's top directory when no configuration file does (black's choice).
ROOT_MARKERS = (".git", ".hg", "pyproject.toml")


def project_root(
    config_path: Path | None, paths: Sequence[Path], cwd: Path | None = None
) -> Path:
    """The directory of the config file; else the nearest directory at or above the linted
    paths' common directory holding `.git`, `.hg` or a `pyproject.toml` (black's project root);
    else that common directory (``cwd`` without paths).

    pre-commit passes only the changed files: a changed ``models/research/vae.py`` must still
    follow its import of ``layers/common.py``, which lies outside their common directory."""
    if config_path is not None:
        return config_path.parent
    dirs = [str(p if p.is_dir() else p.parent) for p in paths]
    if not dirs:
        return cwd or Path.cwd()
    common = Path(os.path.commonpath(dirs))
    for directory in (common, *common.parents):
        if any((directory / marker).exists() for marker in ROOT_MARKERS):
            return directory
    return common


def cache_dir(root: Path, cwd: Path | None = None) -> Path:
    """Where the cache lives: ``$SCOPELINT_CACHE_DIR`` (relative to the working directory) or
    `.scopelint_cache/` in ``root``."""
    override = os.environ.get(ENV_VAR)
    if override:
        return (cwd or Path.cwd()) / override
    return root / DIRNAME


# -- (de)serialising results ---------------------------------------------------------------------


def _span(span: Span) -> list[int]:
    return [span.start.row, span.start.column, span.end.row, span.end.column]


def _unspan(value: Any) -> Span:
    if not (isinstance(value, list) and len(value) == 4 and all(type(v) is int for v in value)):
        raise ValueError(f"bad span {value!r}")
    return Span(Position(value[0], value[1]), Position(value[2], value[3]))


def _str(value: Any, optional: bool = False) -> Any:
    if isinstance(value, str) or (optional and value is None):
        return value
    raise ValueError(f"expected a string, got {value!r}")


def result_to_json(result: FileResult) -> dict[str, Any]:
    """A FileResult as plain JSON values. Variable events are not cached: refuse them."""
    if result.events:
        raise ValueError("results with variable events are not cached")
    return {
        "path": result.path,
        "analysed": result.analysed,
        "diagnostics": [
            {
                "code": d.code,
                "name": d.name,
                "severity": d.severity.value,
                "message": d.message,
                "path": d.path,
                "span": _span(d.span),
                "related": [[r.path, _span(r.span), r.message] for r in d.related],
                "subject": d.subject,
                "order": d.order,
            }
            for d in result.diagnostics
        ],
    }


def result_from_json(value: Any) -> FileResult:
    """The inverse of :func:`result_to_json`; ValueError (or KeyError, TypeError) if malformed."""
    if not isinstance(value, dict) or not isinstance(value.get("diagnostics"), list):
        raise ValueError("not a result")
    analysed = value["analysed"]
    if not isinstance(analysed, bool):
        raise ValueError("bad `analysed`")
    diagnostics = []
    for d in value["diagnostics"]:
        if type(d["order"]) is not int or not isinstance(d["related"], list):
            raise ValueError("bad diagnostic")
        diagnostics.append(
            Diagnostic(
                code=_str(d["code"]),
                name=_str(d["name"]),
                severity=Severity(d["severity"]),
                message=_str(d["message"]),
                path=_str(d["path"]),
                span=_unspan(d["span"]),
                related=tuple(
                    Related(_str(path), _unspan(span), _str(message))
                    for path, span, message in d["related"]
                ),
                subject=_str(d["subject"], optional=True),
                order=d["order"],
            )
        )
    return FileResult(_str(value["path"]), tuple(diagnostics), analysed=analysed)


# -- what a lint read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Deps:
    """What one file's result depends on besides its own bytes."""

    # (importer, module, level, the file it resolved to or None), as ProjectIndex.resolve saw them
    resolves: tuple[tuple[str, str, int, str | None], ...] = ()
    # (a module of the run the simulation parsed, the digest of its bytes)
    modules: tuple[tuple[str, str], ...] = ()


class Recorder:
    """Collects the import resolutions and module reads of one file's lint (see runner.RunIndex)."""

    def __init__(self) -> None:
        self.resolves: set[tuple[str, str, int, str | None]] = set()
        self.modules: set[Path] = set()

    def deps(self, module_digest: Callable[[Path], str]) -> Deps:
        return Deps(
            tuple(sorted(self.resolves, key=lambda r: (r[0], r[1], r[2], r[3] or ""))),
            tuple(sorted((str(p), module_digest(p)) for p in self.modules)),
        )


# -- the store -----------------------------------------------------------------------------------


class Cache:
    """Entries under ``directory``, valid for one engine fingerprint."""

    def __init__(self, directory: Path, fingerprint: str | None = None) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint or engine_fingerprint()
        self._prepared = False
        self._made: set[Path] = set()
        self.hits = 0
        self.misses = 0

    def spec(self) -> tuple[str, str]:
        """What a worker process needs to open the same cache."""
        return (str(self.directory), self.fingerprint)

    @classmethod
    def from_spec(cls, spec: tuple[str, str]) -> Cache:
        return cls(Path(spec[0]), spec[1])

    def empty(self) -> bool:
        """No entry was ever written here (a cold run)."""
        return not (self.directory / ENTRIES).is_dir()

    def _slot(self, file: str, shown: str) -> Path:
        name = hashlib.blake2b(f"{file}\0{shown}".encode(), digest_size=16).hexdigest()
        return self.directory / ENTRIES / name[:2] / f"{name[2:]}.json"

    def load(
        self,
        file: str,
        shown: str,
        data_digest: str,
        files_digest: str,
        resolve: Callable[[str, str, int], str | None],
        module_digest: Callable[[str], str],
        disk_imports: bool = False,
    ) -> FileResult | None:
        """The cached result for this file, or None. ``file`` is its absolute path, ``shown``
        its displayed path; ``files_digest`` (of the run's set of files), ``resolve`` and
        ``module_digest`` answer for the run as it is now. ``disk_imports``: imports may also
        resolve to modules outside the run, so the same set of files does not prove that they
        still resolve as before: check them all."""
        try:
            with open(self._slot(file, shown), "rb") as handle:
                entry = json.loads(handle.read())
            if (
                entry["engine"] != self.fingerprint
                or entry["file"] != file
                or entry["shown"] != shown
                or entry["digest"] != data_digest
            ):
                raise LookupError
            same_files = entry["files"] == files_digest
            if disk_imports or not same_files:
                for importer, module, level, target in entry["resolves"]:
                    if resolve(importer, module, level) != target:
                        raise LookupError
            for path, module_hash in entry["modules"]:
                if module_digest(path) != module_hash:
                    raise LookupError
            result = result_from_json(entry["result"])
            if result.path != shown:
                raise LookupError
        except (OSError, ValueError, LookupError, TypeError, AttributeError):
            # Missing, stale, unreadable, truncated or hand-edited: all a miss.
            self.misses += 1
            return None
        if not same_files:  # still valid for this set of files: say so, for the next run
            entry["files"] = files_digest
            self._write(self._slot(file, shown), entry)
        self.hits += 1
        return result

    def store(
        self,
        file: str,
        shown: str,
        data_digest: str,
        files_digest: str,
        deps: Deps,
        result: FileResult,
    ) -> None:
        """Write one entry; failing to write (read-only tree, full disk) is not an error."""
        entry = {
            "engine": self.fingerprint,
            "file": file,
            "shown": shown,
            "digest": data_digest,
            "files": files_digest,
            "resolves": [list(r) for r in deps.resolves],
            "modules": [list(m) for m in deps.modules],
            "result": result_to_json(result),
        }
        self._write(self._slot(file, shown), entry)

    def _write(self, slot: Path, entry: dict[str, Any]) -> None:
        try:
            self._prepare()
            if slot.parent not in self._made:  # 256 fan-out directories: make each once
                slot.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(slot.parent)
            text = json.dumps(entry, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=slot.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, slot)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass

    def _prepare(self) -> None:
        """Create the directory with its `.gitignore` and `CACHEDIR.TAG`, once per process."""
        if self._prepared:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            path = self.directory / name
            if not path.exists():
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.directory)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, path)
        self._prepared = True
