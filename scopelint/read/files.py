"""Which files a run lints: walking directories, default excludes, `.gitignore`, `--force-exclude`.

Everything here is standard library. Patterns use gitignore's syntax for both `.gitignore` files
and the `exclude` settings, so users learn one language:

- a pattern without a slash (`build`, `*.egg-info`) matches a file or directory name at any depth;
- a pattern with a slash (`src/gen/*.py`, `/docs`) is anchored to the directory it is relative to;
- `*` and `?` never match `/`, `**` matches any number of directories;
- a trailing `/` matches directories only; a leading `!` re-includes (gitignore files only).

Ignored directories are pruned, never walked into: a `node_modules` with 100k files costs one
`stat`. Directory symlinks are followed, but every directory (by device and inode) is walked at
most once, so a symlink loop cannot hang the walk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

PYTHON_SUFFIXES = (".py", ".pyi")

# ruff's default excludes, plus scopelint's own cache. Users replace them with `exclude` or add to
# them with `extend-exclude`.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "env",
    ".tox",
    ".nox",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".scopelint_cache",
    "node_modules",
    "site-packages",
    ".eggs",
    "*.egg-info",
)


# -- patterns ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pattern:
    """One gitignore-style pattern, compiled. ``base`` is the directory it is relative to."""

    text: str
    regex: re.Pattern[str]
    negated: bool = False
    dir_only: bool = False
    anchored: bool = False

    def matches(self, rel: str, is_dir: bool) -> bool:
        """``rel``: a POSIX path relative to the pattern's base directory, no leading slash."""
        if self.dir_only and not is_dir:
            return False
        subject = rel if self.anchored else rel.rsplit("/", 1)[-1]
        return self.regex.fullmatch(subject) is not None


def compile_pattern(line: str) -> Pattern | None:
    """Compile one line of a `.gitignore` (or one exclude glob). None for blanks and comments."""
    text = line.rstrip("\n").rstrip("\r")
    # Trailing spaces are ignored unless escaped with a backslash (gitignore(5)).
    stripped = text.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(text):
        stripped += " "
    text = stripped
    if not text or text.startswith("#"):
        return None
    negated = False
    if text.startswith("!"):
        negated, text = True, text[1:]
    elif text.startswith(("\\!", "\\#")):
        text = text[1:]
    dir_only = text.endswith("/") and not text.endswith("\\/")
    text = text.rstrip("/") if dir_only else text
    if not text:
        return None
    # A slash anywhere but at the end anchors the pattern to its directory.
    anchored = "/" in text
    text = text.lstrip("/")
    if text.startswith("**/"):
        # `**/foo` matches `foo` at any depth: the same as an unanchored `foo` when the rest has
        # no slash, else an anchored pattern whose regex allows any leading directories.
        rest = text[3:]
        if "/" not in rest:
            anchored, text = False, rest
    return Pattern(line, re.compile(_translate(text)), negated, dir_only, anchored)


def _translate(glob: str) -> str:
    """gitignore glob to regex: `**` spans directories, `*` and `?` stay within one name."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*":
            if glob.startswith("**", i):
                at_start = i == 0 or glob[i - 1] == "/"
                j = i + 2
                if at_start and j < n and glob[j] == "/":
                    out.append("(?:.*/)?")  # `**/`: zero or more directories
                    i = j + 1
                    continue
                if at_start and j == n:
                    out.append(".*")  # trailing `/**`: everything inside
                    i = j
                    continue
                out.append("[^/]*")  # `**` elsewhere is an ordinary `*`
                i = j
                continue
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2 if glob.startswith(("[!", "[^"), i) else i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = glob[i + 1 : end]
                if body.startswith(("!", "^")):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Patterns relative to one directory; the last matching pattern decides."""

    base: Path
    patterns: tuple[Pattern, ...]

    def decide(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored; False: re-included by a `!` pattern; None: no pattern matched."""
        try:
            rel = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        if rel == ".":
            return None
        for pattern in reversed(self.patterns):
            if pattern.matches(rel, is_dir):
                return not pattern.negated
        return None

    def matches_path_or_parent(self, path: Path, is_dir: bool) -> bool:
        """Does the path, or any of its directories below ``base``, match? (no negation here)"""
        if self.decide(path, is_dir):
            return True
        return any(self.decide(parent, True) for parent in parents_below(path, self.base))


def compile_patterns(lines: Iterable[str], base: Path) -> PatternSet:
    compiled = (compile_pattern(line) for line in lines)
    return PatternSet(base, tuple(p for p in compiled if p is not None))


def parents_below(path: Path, base: Path) -> list[Path]:
    parents = []
    for parent in path.parents:
        if parent == base or base not in parent.parents:
            break
        parents.append(parent)
    return parents


# -- gitignore -----------------------------------------------------------------------------------


def read_gitignore(directory: Path) -> PatternSet | None:
    """The `.gitignore` of one directory (plus `.git/info/exclude` at a repository root)."""
    lines: list[str] = []
    for name in (".git/info/exclude", ".gitignore"):
        try:
            lines += (directory / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            # Absent or unreadable: git itself treats an unreadable ignore file as empty.
            continue
    patterns = compile_patterns(lines, directory)
    return patterns if patterns.patterns else None


def gitignored(path: Path, is_dir: bool, chain: Sequence[PatternSet]) -> bool:
    """``chain``: ignore files from the outermost directory inward; deeper files win."""
    for patterns in reversed(chain):
        decision = patterns.decide(path, is_dir)
        if decision is not None:
            return decision
    return False


def _outer_gitignores(directory: Path) -> list[PatternSet]:
    """Ignore files above a walked directory, up to its repository root (where `.git` is).

    Outside a repository only the ignore files inside the walked tree apply: a stray
    `.gitignore` in a home or temp directory must not hide a project's files.
    """
    root = repo_root(directory)
    if root is None:
        return []
    above = [p for p in directory.parents if p == root or root in p.parents]
    chain = [read_gitignore(p) for p in reversed(above)]
    return [p for p in chain if p is not None]


def repo_root(directory: Path) -> Path | None:
    """The repository containing ``directory`` (the nearest ancestor with `.git`), if any."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


# -- discovery -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Discovery:
    files: tuple[Path, ...]
    errors: tuple[str, ...] = ()  # paths that do not exist: the run ends with exit code 2


@dataclass(frozen=True, slots=True)
class WalkOptions:
    """What discovery needs from the settings, built once per run."""

    exclude: PatternSet
    respect_gitignore: bool = True
    force_exclude: bool = False


@dataclass
class _Walker:
    options: WalkOptions
    found: dict[Path, None] = field(default_factory=dict)  # ordered set of resolved files
    files: list[Path] = field(default_factory=list)
    # Directories walked so far, by device and inode: each is walked once, however many
    # symlinks lead to it, so a symlink loop ends and a symlink fan-out cannot blow up.
    visited: set[tuple[int, int]] = field(default_factory=set)

    def add(self, path: Path) -> None:
        # os.path.realpath, unlike Path.resolve, does not raise on a symlink loop: the looping
        # file is kept, and reading it reports the loop as an SL900 finding.
        key = Path(os.path.realpath(path))
        if key not in self.found:
            self.found[key] = None
            self.files.append(path)

    def excluded(self, path: Path, is_dir: bool) -> bool:
        # Exclude patterns without a slash match any name; with one, a path below the root.
        name_match = any(
            not p.anchored and p.matches(path.name, is_dir) for p in self.options.exclude.patterns
        )
        return name_match or bool(self.options.exclude.decide(path.absolute(), is_dir))

    def walk(self, top: Path) -> None:
        chain = _outer_gitignores(top.absolute()) if self.options.respect_gitignore else []
        self._walk(top, chain)

    def _walk(self, directory: Path, chain: list[PatternSet]) -> None:
        try:
            stat = directory.stat()
        except OSError:
            return
        identity = (stat.st_dev, stat.st_ino)
        if identity in self.visited:
            return
        self.visited.add(identity)
        if self.options.respect_gitignore:
            own = read_gitignore(directory.absolute())
            chain = chain + [own] if own is not None else chain
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return  # unreadable directory: nothing to list (git skips it the same way)
        for entry in entries:
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks; a dangling one is a file-like entry
            except OSError:
                is_dir = False
            if self.excluded(path, is_dir):
                continue
            if self.options.respect_gitignore and gitignored(path.absolute(), is_dir, chain):
                continue
            if is_dir:
                self._walk(path, chain)
            elif entry.name.endswith(PYTHON_SUFFIXES):
                self.add(path)


def discover(paths: Sequence[str | Path], options: WalkOptions) -> Discovery:
    """Expand the command line's paths into files, in a deterministic order."""
    walker = _Walker(options)
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if options.force_exclude and _force_excluded(walker, path, True):
                continue
            walker.walk(path)
        elif path.exists() or path.is_symlink():
            # Named explicitly: linted whatever its suffix or ignore status (ruff does the
            # same), unless --force-exclude asks for the excludes to apply anyway.
            if options.force_exclude and _force_excluded(walker, path, False):
                continue
            walker.add(path)
        else:
            errors.append(f"{raw}: No such file or directory")
    return Discovery(tuple(walker.files), tuple(errors))


def _force_excluded(walker: _Walker, path: Path, is_dir: bool) -> bool:
    """An explicitly named path is excluded when it or one of its directories below the project
    root matches: directories above the root (say the checkout lives in `~/build/`) never do."""
    absolute = path.absolute()
    if walker.excluded(absolute, is_dir):
        return True
    base = walker.options.exclude.base
    return any(walker.excluded(parent, True) for parent in parents_below(absolute, base))


def is_force_excluded(path: Path, options: WalkOptions) -> bool:
    """For `--stdin-filename`: would --force-exclude drop this file?"""
    return options.force_exclude and _force_excluded(_Walker(options), path, False)
