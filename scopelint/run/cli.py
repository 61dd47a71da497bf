"""The command line: `scopelint [OPTIONS] PATH...`, `scopelint checkpoint CKPT PATH...` and
`scopelint rule CODE|NAME|--all`.

Exit codes follow ruff (and ESLint): 0 no findings, 1 findings, 2 a usage, configuration or
internal error (`--exit-zero` turns 1 into 0, never 2).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Sequence, TextIO

from .. import __version__
from ..read.files import discover, is_force_excluded, repo_root
from ..read.source import Source
from ..render import FORMATS, RenderContext
from ..render.jsonfmt import render_statistics_json, render_variables_json
from ..render.ruledocs import rule_list, rule_text
from ..render.text import render_statistics, render_variables
from ..types import FileResult, Position, Span
from .cache import DIRNAME, ENV_VAR, Cache, cache_dir, project_root
from .config import (
    ALL_RULES,
    DEFAULT_SELECT,
    RULES_BY_CODE,
    RULES_BY_SELECTOR,
    ConfigError,
    Overrides,
    Settings,
    build,
    describe,
)
from .progress import Progress
from .progress import progress_wanted as _progress_wanted
from .runner import (
    Sources,
    add_findings,
    default_jobs,
    display_path,
    lint,
    lint_source,
    lint_stdin,
)

if TYPE_CHECKING:
    from ..checkpoint.reader import Checkpoint

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COLOR_FORMATS = ("full", "concise")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scopelint",
        description="A static linter for TensorFlow 1 variable-scoping mistakes.",
        epilog=(
            "Other commands: `scopelint server` runs the language server for editors; "
            "`scopelint rule CODE|NAME` prints a rule's documentation, "
            "`scopelint rule --all` lists the rules; `scopelint checkpoint CKPT PATH...` checks "
            "that the programs will restore the checkpoint CKPT (a prefix, or a directory with "
            "a `checkpoint` file). Exit status: 0 no findings, 1 findings, 2 usage, "
            "configuration or internal error."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to lint (default: .); `-` reads the source from stdin",
    )
    parser.add_argument(
        "--output-format",
        choices=tuple(FORMATS),
        default=None,
        help="output format (default: full, or `output-format` from the configuration)",
    )
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="rules to enable, replacing the configured selection: codes, names, prefixes or ALL, "
        "comma separated",
    )
    parser.add_argument(
        "--extend-select",
        action="append",
        metavar="RULES",
        help="rules to enable in addition to the selection (e.g. SL100)",
    )
    parser.add_argument("--ignore", action="append", metavar="RULES", help="rules to disable")
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="use this TOML file (a pyproject.toml with [tool.scopelint], or a file whose "
        "top level holds the same keys) instead of searching for one",
    )
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply the exclude settings to files named on the command line too (for pre-commit)",
    )
    parser.add_argument(
        "--no-follow-installed",
        dest="follow_installed",
        action="store_const",
        const=False,
        default=None,
        help="do not read installed packages' code (tf_slim.nets, model libraries): calls into "
        "them stay unknown",
    )
    parser.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_const",
        const=False,
        default=None,
        help="lint files that .gitignore files exclude",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the path of the source read from stdin (for display, configuration and "
        "per-file-ignores)",
    )
    parser.add_argument(
        "-e",
        "--exit-zero",
        action="store_true",
        help="exit with 0 even when there are findings (errors still exit with 2)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print findings only: no summary line, no warnings",
    )
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print the number of findings per rule (count, code, name) instead of the findings",
    )
    parser.add_argument(
        "--show-variables",
        action="store_true",
        help="print every variable the simulator predicts (line, create/reuse/tf.Variable, full "
        "name, actual name) per file, instead of the findings",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="lint in N worker processes (default: the number of CPUs; 1: no workers)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the result cache ({DIRNAME}/ in the project root, or "
        f"${ENV_VAR})",
    )
    parser.add_argument(
        "-o",
        "--output-file",
        metavar="FILE",
        help="write the report to FILE instead of stdout (never coloured)",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the full and concise output: auto (default: on a terminal, unless NO_COLOR "
        "is set or FORCE_COLOR asks for it anyway), always, never",
    )
    parser.add_argument(
        "--show-settings",
        action="store_true",
        help="print the resolved settings and the configuration file they came from, and exit",
    )
    parser.add_argument(
        "--show-files",
        action="store_true",
        help="print the files that would be linted, one per line, and exit",
    )
    parser.add_argument("--version", action="version", version=f"scopelint {__version__}")
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return number


def _rule_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scopelint rule", description="Print a rule's documentation, or list all rules."
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "rule", nargs="?", metavar="CODE|NAME", help="e.g. SL001 or duplicate-variable"
    )
    group.add_argument("--all", action="store_true", help="list every rule")
    return parser


def _joined(values: list[str] | None) -> str | None:
    return None if values is None else ",".join(values)


def _use_color(stream: TextIO, choice: str = "auto") -> bool:
    """`--color`: `always` and `never` decide. `auto`: any non-empty NO_COLOR turns colour off
    (https://no-color.org), then a FORCE_COLOR other than empty or `0` turns it on (for CI logs
    that render colour), else colour only on a terminal, never into a pipe or a file."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["rule"]:
            return _rule_command(args[1:])
        if args[:1] == ["checkpoint"]:
            return _check(args[1:], checkpoint_mode=True)
        if args[:1] == ["server"]:
            # Loaded only here: the language server's dependency (pygls) is optional.
            from ..server import main as server_main

            return server_main(args[1:])
        if args[:1] == ["check"]:
            # `scopelint check PATH...`, the habit of `ruff check`: the same as without `check`.
            # (A directory named `check` is linted as `./check`.)
            args = args[1:]
        return _check(args)
    except ConfigError as error:
        print(f"scopelint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `scopelint ... | head`: the reader left; not an error worth a traceback. Point stdout
        # at /dev/null so that the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except Exception:
        # An uncaught exception would exit with 1, which means "findings" to CI. This is the
        # only place that catches broadly; it prints the traceback and asks for a report.
        traceback.print_exc()
        print(
            "scopelint: internal error (this is a bug in scopelint; please report it with the "
            "traceback above)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _rule_command(argv: list[str]) -> int:
    args = _rule_parser().parse_args(argv)
    if args.all:
        sys.stdout.write(rule_list(ALL_RULES, DEFAULT_SELECT))
        return EXIT_OK
    info = (
        RULES_BY_SELECTOR.get(args.rule)
        or RULES_BY_SELECTOR.get(args.rule.upper())
        or RULES_BY_SELECTOR.get(args.rule.lower())
    )
    if info is None:
        print(
            f"scopelint: error: unknown rule `{args.rule}` (`scopelint rule --all` lists them)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    sys.stdout.write(rule_text(info))
    return EXIT_OK


def _check(argv: list[str], checkpoint_mode: bool = False) -> int:
    parser = _parser()
    if checkpoint_mode:
        parser.prog = "scopelint checkpoint"
        parser.usage = "scopelint checkpoint [OPTIONS] CKPT PATH..."
    args = parser.parse_args(argv)
    cwd = Path.cwd()
    checkpoint_spec: str | None = None
    if checkpoint_mode:
        if len(args.paths) < 2:
            parser.error("expected a checkpoint (a prefix or a directory) and at least one PATH")
        checkpoint_spec, args.paths = args.paths[0], args.paths[1:]
        if "-" in args.paths:
            parser.error("`-` (stdin) cannot be used with `checkpoint`")
    paths = args.paths or ["."]
    use_stdin = "-" in paths
    if use_stdin and len(paths) > 1:
        parser.error("`-` (stdin) cannot be combined with other paths")
    if args.stdin_filename is not None and not use_stdin:
        parser.error("--stdin-filename needs `-` as the path")
    if args.statistics and args.show_variables:
        parser.error("--statistics and --show-variables cannot be combined")
    if args.show_settings and args.show_files:
        parser.error("--show-settings and --show-files cannot be combined")

    overrides = Overrides(
        select=_joined(args.select),
        extend_select=_joined(args.extend_select),
        ignore=_joined(args.ignore),
        config=args.config,
        output_format=args.output_format,
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
        follow_installed=args.follow_installed,
    )
    if use_stdin:
        anchor = [cwd / args.stdin_filename] if args.stdin_filename else [cwd]
    else:
        anchor = [(cwd / p).absolute() for p in paths]
    settings = build(anchor, overrides, cwd)  # once per run, before any file is read
    if args.show_settings:
        sys.stdout.write(describe(settings, project_root(settings.config_path, anchor, cwd)))
        return EXIT_OK
    checkpoint = None
    if checkpoint_spec is not None and not args.show_files:
        # Here, not at the top: a plain lint (a pre-commit hook's warm run) never loads them.
        from ..checkpoint.reader import CheckpointError
        from ..checkpoint.reader import activate as activate_checkpoint
        from ..checkpoint.reader import load as load_checkpoint

        try:
            checkpoint = load_checkpoint(checkpoint_spec)
        except CheckpointError as error:
            return _refuse_checkpoint(args, settings, cwd, checkpoint_spec, str(error))
        # The programs read this checkpoint (tf.train.list_variables): in this process only.
        activate_checkpoint(checkpoint)

    sources = Sources()
    errors: list[str] = []
    if use_stdin:
        if args.show_files:
            shown = args.stdin_filename or "-"
            if not (args.stdin_filename and is_force_excluded(cwd / shown, settings.walk)):
                print(display_path(Path(shown), cwd) if args.stdin_filename else "-")
            return EXIT_OK
        results = _lint_stdin(args, settings, cwd, sources)
    else:
        discovery = discover(paths, settings.walk)
        errors = list(discovery.errors)
        if args.show_files:
            # ruff's `--show-files`: one path per line, sorted, and exit (2 if a path is missing).
            for name in sorted(display_path(f, cwd) for f in discovery.files):
                print(name)
            for message in errors:
                print(f"scopelint: error: {message}", file=sys.stderr)
            return EXIT_ERROR if errors else EXIT_OK
        if not discovery.files and not errors and not args.quiet:
            print(
                "scopelint: warning: no Python files found under the given paths", file=sys.stderr
            )
        root = project_root(settings.config_path, anchor, cwd)
        cache = None
        if not args.no_cache and not args.show_variables and checkpoint is None:
            cache = Cache(cache_dir(root, cwd))
        with Progress(len(discovery.files), sys.stderr, enabled=_progress_wanted(sys.stderr)):
            results = lint(
                discovery.files,
                settings,
                cwd=cwd,
                with_events=args.show_variables or checkpoint is not None,
                sources=sources,
                jobs=1 if checkpoint is not None else args.jobs or default_jobs(),
                cache=cache,
                root=root,  # imports of modules not named on the command line are followed there
            )

    if checkpoint is not None:
        results = _compare(results, checkpoint, settings, cwd, sources, quiet=args.quiet)

    ctx = RenderContext(
        rules=settings.enabled_rules,
        root=repo_root(cwd) or settings.root,
        cwd=cwd,
        lines=sources,
        color=settings.output_format in COLOR_FORMATS
        and args.output_file is None
        and _use_color(sys.stdout, args.color),
        quiet=args.quiet,
        version=__version__,
        incomplete=bool(errors),
    )
    json_out = settings.output_format in ("json", "json-lines")
    if args.show_variables:
        report = (render_variables_json if json_out else render_variables)(results, ctx)
    elif args.statistics:
        report = (render_statistics_json if json_out else render_statistics)(results, ctx)
    else:
        report = FORMATS[settings.output_format](results, ctx)
    if args.output_file is not None:
        _write_report(cwd / args.output_file, report)
    else:
        sys.stdout.write(report)
        sys.stdout.flush()

    for message in errors:
        print(f"scopelint: error: {message}", file=sys.stderr)
    crashed = [r for r in results if r.crash is not None]
    for result in crashed:
        sys.stderr.write(result.crash)
        print(
            f"scopelint: internal error while checking {result.path}; it was not checked (this is "
            "a bug in scopelint; please report it with the traceback above)",
            file=sys.stderr,
        )
    if errors or crashed:
        return EXIT_ERROR
    if args.show_variables or args.exit_zero:
        return EXIT_OK
    return EXIT_FINDINGS if any(r.diagnostics for r in results) else EXIT_OK


def _lint_stdin(
    args: argparse.Namespace, settings: Settings, cwd: Path, sources: Sources
) -> list[FileResult]:
    read = Source(sys.stdin.buffer.read())
    if args.stdin_filename is None:
        return [lint_source(read, "-", settings, with_events=args.show_variables, sources=sources)]
    path = cwd / args.stdin_filename
    if is_force_excluded(path, settings.walk):
        return []  # pre-commit style: an excluded file is not linted, even from stdin
    # The same project root as a path run of this file: its imports are followed the same way.
    root = project_root(settings.config_path, [path], cwd)
    result = lint_stdin(
        read,
        path,
        display_path(Path(args.stdin_filename), cwd),
        settings,
        root=root,
        with_events=args.show_variables,
        sources=sources,
    )
    return [result]


def _compare(
    results: list[FileResult],
    checkpoint: Checkpoint,
    settings: Settings,
    cwd: Path,
    sources: Sources,
    quiet: bool,
) -> list[FileResult]:
    """`scopelint checkpoint`: each file's restore findings joined to its lint findings; what
    could not be compared is said on stderr (it is no finding: nothing is known to be wrong)."""
    from ..checkpoint.restore import compare

    out = []
    for result in results:
        comparison = compare(result, checkpoint)
        if comparison.diagnostics:
            try:
                read = Source((cwd / result.path).read_bytes())
            except OSError:
                read = Source(b"")  # read a moment ago; without it, no noqa comment applies
            result = add_findings(result, comparison.diagnostics, read, settings, sources)
        out.append(result)
        if quiet:
            continue
        for text in comparison.messages:
            print(f"scopelint: note: {text}", file=sys.stderr)
        for note in comparison.notes:
            where = f"{note.path}" + (f" (graph {note.graph})" if note.graph else "")
            reasons = []
            if note.unknown:
                reasons.append(
                    f"{note.unknown} of its {note.variables} variables have a name or shape "
                    "scopelint cannot predict"
                )
            if note.unseen_code:
                reasons.append("it calls code scopelint cannot see")
            tail = "those are not compared"
            if note.unclaimed:
                tail += (
                    f", and the {note.unclaimed} checkpoint "
                    f"entr{'y' if note.unclaimed == 1 else 'ies'} no predicted variable restores "
                    "may be theirs (not reported)"
                )
            print(f"scopelint: note: {where}: {'; '.join(reasons)}: {tail}", file=sys.stderr)
    return out


def _refuse_checkpoint(
    args: argparse.Namespace, settings: Settings, cwd: Path, spec: str, message: str
) -> int:
    """An unreadable checkpoint: one SL901 finding in the chosen format, and exit 2."""
    from ..checkpoint.rules import UNREADABLE_CHECKPOINT

    shown = display_path(Path(spec), cwd)
    info = RULES_BY_CODE[UNREADABLE_CHECKPOINT.code]  # with its docs URL
    diagnostic = info.diagnostic(
        shown, f"cannot read the checkpoint: {message}", Span(Position(1, 1), Position(1, 2))
    )
    ctx = RenderContext(
        rules=tuple(sorted({*settings.enabled_rules, info}, key=lambda i: i.code)),
        root=repo_root(cwd) or settings.root,
        cwd=cwd,
        quiet=args.quiet,
        version=__version__,
    )
    report = FORMATS[settings.output_format]([FileResult(shown, (diagnostic,), analysed=False)], ctx)
    if args.output_file is not None:
        _write_report(cwd / args.output_file, report)
    else:
        sys.stdout.write(report)
        sys.stdout.flush()
    return EXIT_ERROR


def _write_report(path: Path, report: str) -> None:
    """`--output-file`: the report goes there (its directory is created, as ruff does); a file
    that cannot be written is a usage error, not a traceback."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"--output-file: {path}: {error.strerror or error}") from error
