"""Settings for one run: `[tool.scopelint]` in `pyproject.toml`, `--config FILE`, command line.

One :class:`Settings` is built per run, before any file is read, and shared by every file (Fixit
rebuilt its config per file, which dominated its run time on large trees). The configuration is
the nearest `pyproject.toml` with a `[tool.scopelint]` table above the linted paths (their common
directory); a `pyproject.toml` without the table is skipped. Patterns in it are relative to the
directory of that file, which is also the run's project root.

Selection follows ruff's layering: the defaults, then the file, then the command line. A layer's
`select` replaces everything before it, its `extend-select` adds, its `ignore` removes. Rules are
named by code (`SL001`), kebab name (`duplicate-variable`), code prefix (`SL00`) or `ALL`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..read.files import (
    DEFAULT_EXCLUDE,
    Pattern,
    PatternSet,
    WalkOptions,
    compile_pattern,
    compile_patterns,
    parents_below,
)
from ..render import DEFAULT_FORMAT, FORMATS
from ..resolve.installed import InstalledOptions, search_path
from ..rules import all_rules
from ..rules.base import DOCS_URL
from ..rules.noqa import UNUSED_NOQA
from ..types import RuleInfo

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - older Pythons only
    try:
        import tomli as tomllib  # type: ignore[no-redef]
    except ModuleNotFoundError:
        # No TOML reader and no dependency added for one: runs without a config file still
        # work; one that needs a config file fails with a clear message (see _read_toml).
        tomllib = None  # type: ignore[assignment]

# Every rule a user can name, in code order: the simulation rules, SL100 and SL900.
ALL_RULES: tuple[RuleInfo, ...] = tuple(
    sorted(
        # Every rule gets a docs URL (SARIF's helpUri, JSON's url), SL900 included.
        (
            info
            if info.url
            else replace(info, url=DOCS_URL.format(anchor=f"{info.code.lower()}-{info.name}"))
            for info in (*all_rules(), UNUSED_NOQA)
        ),
        key=lambda info: info.code,
    )
)
RULES_BY_CODE: Mapping[str, RuleInfo] = {info.code: info for info in ALL_RULES}
RULES_BY_SELECTOR: Mapping[str, RuleInfo] = {
    **RULES_BY_CODE,
    **{info.name: info for info in ALL_RULES},
}
# Like ruff's RUF100, the unused-suppression check is opt-in.
DEFAULT_SELECT: frozenset[str] = frozenset(RULES_BY_CODE) - {UNUSED_NOQA.code}

KEYS = (
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "output-format",
    "follow-installed",
    "extra-paths",
    "exclude-installed",
)


class ConfigError(Exception):
    """A configuration or command-line value that cannot be used: the run exits with code 2."""


def resolve_selectors(items: Iterable[str], where: str) -> frozenset[str]:
    """Codes for a list of selectors; an unknown one is an error naming ``where`` it came from."""
    codes: set[str] = set()
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if item.upper() == "ALL":
            codes |= set(RULES_BY_CODE)
        elif item in RULES_BY_SELECTOR or item.lower() in RULES_BY_SELECTOR:
            codes.add(RULES_BY_SELECTOR.get(item, RULES_BY_SELECTOR.get(item.lower())).code)
        elif item.upper().startswith("SL") and any(
            c.startswith(item.upper()) for c in RULES_BY_CODE
        ):
            codes |= {c for c in RULES_BY_CODE if c.startswith(item.upper())}
        else:
            raise ConfigError(
                f"{where}: unknown rule selector `{item}` (expected a code such as SL001, a "
                "name such as duplicate-variable, a code prefix, or ALL; `scopelint rule --all` "
                "lists them)"
            )
    return frozenset(codes)


def split_list(value: str) -> list[str]:
    """`--select SL001,duplicate-variable SL003`: commas and spaces both separate."""
    return [item for item in value.replace(",", " ").split() if item]


# -- one layer of options ------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Options from one source (the file or the command line), validated, codes resolved."""

    select: frozenset[str] | None = None
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    def apply(self, enabled: frozenset[str]) -> frozenset[str]:
        base = self.select if self.select is not None else enabled
        return (base | self.extend_select) - self.ignore


@dataclass(frozen=True)
class PerFileIgnore:
    pattern: Pattern
    negated: bool  # `!glob`: applies to the files the glob does NOT match
    codes: frozenset[str]


@dataclass(frozen=True)
class FileConfig:
    path: Path
    layer: Layer = Layer()
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None
    output_format: str | None = None
    follow_installed: bool | None = None
    extra_paths: tuple[str, ...] = ()
    exclude_installed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None means "not given"."""

    select: str | None = None
    extend_select: str | None = None
    ignore: str | None = None
    config: str | None = None
    output_format: str | None = None
    respect_gitignore: bool | None = None
    force_exclude: bool = False
    follow_installed: bool | None = None


# -- the run's settings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    enabled: frozenset[str]
    root: Path  # the config file's directory (or the working directory without one)
    walk: WalkOptions
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    output_format: str = DEFAULT_FORMAT
    config_path: Path | None = None
    installed: InstalledOptions = InstalledOptions()
    enabled_rules: tuple[RuleInfo, ...] = field(default=(), compare=False)
    # Where each setting came from, for `--show-settings`: (key, "default" | "command line" |
    # the config file's path).
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def ignored_for(self, path: Path) -> frozenset[str]:
        """Codes per-file-ignores removes for this file (a path relative to the cwd is fine)."""
        codes: set[str] = set()
        for entry in self.per_file_ignores:
            if _glob_matches(entry.pattern, path.absolute(), self.root) != entry.negated:
                codes |= entry.codes
        return frozenset(codes)


def _glob_matches(pattern: Pattern, path: Path, root: Path) -> bool:
    """A glob names a file or, like in `.gitignore`, a directory of it (`tests/` covers
    `tests/a/b.py`). Directories above the project root never count."""
    if not pattern.anchored:
        # A slash-free glob (`__init__.py`, `test_*.py`, `tests`) names a file or directory
        # at any depth.
        names = [path.name, *(p.name for p in parents_below(path, root))]
        return any(pattern.regex.fullmatch(name) is not None for name in names)
    return PatternSet(root, (pattern,)).matches_path_or_parent(path, False)


def find_config(paths: Sequence[Path]) -> Path | None:
    """The nearest `pyproject.toml` with a `[tool.scopelint]` table above the common directory of
    ``paths`` (all absolute). Tables are checked by parsing, so a comment mentioning the table in
    an unrelated `pyproject.toml` is not mistaken for one."""
    if not paths:
        return None
    dirs = [p if p.is_dir() else p.parent for p in paths]
    start = Path(os.path.commonpath([str(d) for d in dirs]))
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _has_table(candidate):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    if tomllib is None:
        raise ConfigError(
            f"cannot read {path}: reading TOML needs Python 3.11+ or the `tomli` package"
        )
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def _has_table(path: Path) -> bool:
    if tomllib is None:
        # Without a TOML reader, a file that seems to have the table is picked, and reading it
        # then fails with a message that says why.
        try:
            return b"[tool.scopelint" in path.read_bytes()
        except OSError:
            return False
    tool = _read_toml(path).get("tool")
    return isinstance(tool, dict) and isinstance(tool.get("scopelint"), dict)


def load_file(path: Path) -> FileConfig:
    """Read and validate a config file: `[tool.scopelint]` of a `pyproject.toml`, or the top-level
    table of any other TOML file given with `--config`."""
    data = _read_toml(path)
    table = data.get("tool", {}).get("scopelint") if isinstance(data.get("tool"), dict) else None
    if table is None:
        if path.name == "pyproject.toml":
            raise ConfigError(f"{path}: no [tool.scopelint] table")
        table, where = data, str(path)
    else:
        where = f"{path}: [tool.scopelint]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` (known keys: {', '.join(KEYS)})")

    def strings(key: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: `{key}` must be a list of strings")
        return tuple(value)

    def codes(key: str) -> frozenset[str] | None:
        value = strings(key)
        return None if value is None else resolve_selectors(value, f"{where} `{key}`")

    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
    entries = []
    for glob, value in per_file.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: `per-file-ignores` entry `{glob}` must be a list of codes")
        negated = glob.startswith("!")
        pattern = compile_pattern(glob[1:] if negated else glob)
        if pattern is None:
            raise ConfigError(f"{where}: `per-file-ignores` has an empty glob")
        entries.append(
            PerFileIgnore(pattern, negated, resolve_selectors(value, f"{where} `per-file-ignores`"))
        )

    respect = table.get("respect-gitignore")
    if respect is not None and not isinstance(respect, bool):
        raise ConfigError(f"{where}: `respect-gitignore` must be true or false")
    follow = table.get("follow-installed")
    if follow is not None and not isinstance(follow, bool):
        raise ConfigError(f"{where}: `follow-installed` must be true or false")
    output_format = table.get("output-format")
    if output_format is not None and output_format not in FORMATS:
        raise ConfigError(
            f"{where}: unknown `output-format` {output_format!r} (one of {', '.join(FORMATS)})"
        )
    return FileConfig(
        path=path,
        layer=Layer(
            codes("select"), codes("extend-select") or frozenset(), codes("ignore") or frozenset()
        ),
        per_file_ignores=tuple(entries),
        exclude=strings("exclude"),
        extend_exclude=strings("extend-exclude") or (),
        respect_gitignore=respect,
        output_format=output_format,
        follow_installed=follow,
        extra_paths=strings("extra-paths") or (),
        exclude_installed=strings("exclude-installed") or (),
    )


def build(paths: Sequence[Path], overrides: Overrides, cwd: Path | None = None) -> Settings:
    """The run's settings. ``paths`` are the linted paths (absolute), used to find the config."""
    cwd = cwd or Path.cwd()
    if overrides.config is not None:
        config_path: Path | None = (cwd / overrides.config).absolute()
        if not config_path.is_file():
            raise ConfigError(f"--config: {overrides.config}: No such file")
    else:
        config_path = find_config(paths)
    file = load_file(config_path) if config_path is not None else None
    root = config_path.parent if config_path is not None else cwd

    cli = Layer(
        select=(
            resolve_selectors(split_list(overrides.select), "--select")
            if overrides.select is not None
            else None
        ),
        extend_select=resolve_selectors(
            split_list(overrides.extend_select or ""), "--extend-select"
        ),
        ignore=resolve_selectors(split_list(overrides.ignore or ""), "--ignore"),
    )
    enabled = DEFAULT_SELECT
    for layer in ((file.layer,) if file else ()) + (cli,):
        enabled = layer.apply(enabled)

    output_format = overrides.output_format or (file and file.output_format) or DEFAULT_FORMAT
    if output_format not in FORMATS:
        raise ConfigError(f"--output-format: unknown format {output_format!r}")
    exclude = file.exclude if file and file.exclude is not None else DEFAULT_EXCLUDE
    extend_exclude = file.extend_exclude if file else ()
    respect = overrides.respect_gitignore
    if respect is None:
        respect = file.respect_gitignore if file and file.respect_gitignore is not None else True
    walk = WalkOptions(
        exclude=compile_patterns((*exclude, *extend_exclude), root),
        respect_gitignore=respect,
        force_exclude=overrides.force_exclude,
    )
    follow = overrides.follow_installed
    if follow is None:
        follow = file.follow_installed if file and file.follow_installed is not None else True
    installed = InstalledOptions(
        follow=follow,
        extra_paths=tuple(root / p for p in (file.extra_paths if file else ())),
        exclude=file.exclude_installed if file else (),
    )
    in_file = str(config_path) if config_path is not None else "default"

    def origin(from_cli: bool, from_file: bool) -> str:
        return "command line" if from_cli else in_file if from_file else "default"

    file_rules = file is not None and (
        file.layer.select is not None or file.layer.extend_select or file.layer.ignore
    )
    cli_rules = overrides.select is not None or bool(overrides.extend_select or overrides.ignore)
    origins = (
        (
            "rules",
            f"{in_file}, then command line"
            if cli_rules and file_rules
            else origin(cli_rules, bool(file_rules)),
        ),
        (
            "output-format",
            origin(overrides.output_format is not None, bool(file and file.output_format)),
        ),
        (
            "exclude",
            origin(False, bool(file and (file.exclude is not None or file.extend_exclude))),
        ),
        (
            "respect-gitignore",
            origin(
                overrides.respect_gitignore is not None,
                bool(file and file.respect_gitignore is not None),
            ),
        ),
        ("force-exclude", origin(overrides.force_exclude, False)),
        ("per-file-ignores", origin(False, bool(file and file.per_file_ignores))),
        (
            "follow-installed",
            origin(
                overrides.follow_installed is not None,
                bool(file and file.follow_installed is not None),
            ),
        ),
        ("extra-paths", origin(False, bool(file and file.extra_paths))),
        ("exclude-installed", origin(False, bool(file and file.exclude_installed))),
    )
    return Settings(
        origins=origins,
        enabled=enabled,
        root=root,
        walk=walk,
        per_file_ignores=file.per_file_ignores if file else (),
        output_format=output_format,
        config_path=config_path,
        installed=installed,
        enabled_rules=tuple(info for info in ALL_RULES if info.code in enabled),
    )


def describe(settings: Settings, project_root: Path) -> str:
    """`--show-settings`: the resolved settings, TOML-like, each with where it came from, and
    the project root the run would use (imports below it are followed; the cache lives there)."""
    origins = dict(settings.origins)

    def line(key: str, value: str, origin_key: str | None = None) -> str:
        origin = origins.get(origin_key or key)
        return f"{key} = {value}" + (f"  # {origin}" if origin else "") + "\n"

    def strings(values: Iterable[str]) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    config = str(settings.config_path) if settings.config_path else "(none: built-in defaults)"
    out = [
        f"Settings path: {config}\n",
        f"Project root: {project_root}\n",
        line("enabled", strings(info.code for info in settings.enabled_rules), "rules"),
        line("output-format", f'"{settings.output_format}"'),
        line("exclude", strings(p.text for p in settings.walk.exclude.patterns)),
        line("respect-gitignore", str(settings.walk.respect_gitignore).lower()),
        line("force-exclude", str(settings.walk.force_exclude).lower()),
    ]
    ignores = ", ".join(
        f'"{"!" if item.negated else ""}{item.pattern.text}" = {strings(sorted(item.codes))}'
        for item in settings.per_file_ignores
    )
    out.append(line("per-file-ignores", "{" + ignores + "}"))
    installed = settings.installed
    out.append(line("follow-installed", str(installed.follow).lower()))
    out.append(line("extra-paths", strings(str(p) for p in installed.extra_paths)))
    out.append(line("exclude-installed", strings(installed.exclude)))
    searched = search_path(installed)
    out.append(f"Installed packages are looked up in: {strings(searched) if searched else '(nowhere)'}\n")
    return "".join(out)
