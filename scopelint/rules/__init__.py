"""The rule registry: every rule, by code and by kebab name."""

from __future__ import annotations

from ..types import Diagnostic, Position, RuleInfo, Severity, Span
from .base import Report, Rule
from ..checkpoint.rules import CHECKPOINT_RULES
from .duplicate_variable import DuplicateVariable
from .reuse_before_definition import ReuseBeforeDefinition
from .reuse_false_inherited import ReuseFalseInherited
from .share_mismatch import ShareDtypeMismatch, ShareShapeMismatch
from .unshared_variable import UnsharedVariable

RULES: tuple[type[Rule], ...] = (
    DuplicateVariable,
    ReuseBeforeDefinition,
    UnsharedVariable,
    ReuseFalseInherited,
    ShareDtypeMismatch,
    ShareShapeMismatch,
)

# Diagnostics that are not simulation rules but can be selected and suppressed like them.
FILE_ERROR = RuleInfo(
    code="SL900",
    name="unreadable-file",
    severity=Severity.ERROR,
    summary="The file could not be read or parsed, so it was not checked.",
    doc=(
        "## What it does\nReports a file scopelint could not check: a syntax error (including "
        "Python 2 code), undecodable bytes, NUL bytes, nesting too deep to analyse, or a file that "
        "cannot be read.\n\n## Why is this bad?\nNothing in that file was checked. Python itself "
        "would refuse most of these files.\n\n## Example\n```python\nprint \"hello\"\n```\n\n"
        "Use instead:\n```python\nprint(\"hello\")\n```"
    ),
)



def file_error(path: str, message: str, position: Position = Position(1, 1)) -> Diagnostic:
    """An SL900 finding: the file at ``path`` was not checked, for ``message``."""
    span = Span(position, Position(position.row, position.column + 1))
    return FILE_ERROR.diagnostic(path, message, span)


ERROR_CODES = frozenset(rule.code for rule in RULES if rule.severity is Severity.ERROR)


def all_rules() -> tuple[RuleInfo, ...]:
    return tuple(rule.info() for rule in RULES) + CHECKPOINT_RULES + (FILE_ERROR,)


def by_selector() -> dict[str, RuleInfo]:
    """Codes and kebab names, both accepted wherever a rule is named."""
    table: dict[str, RuleInfo] = {}
    for info in all_rules():
        table[info.code] = info
        table[info.name] = info
    return table


__all__ = ["RULES", "Rule", "Report", "FILE_ERROR", "ERROR_CODES", "file_error", "all_rules", "by_selector"]
