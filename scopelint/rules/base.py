"""The rule contract: a code, a kebab name, a severity, a docstring, and a check over the trace."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Iterable

from ..events import Frame, Site
from ..types import RuleInfo, Severity

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    import libcst as cst

    from ..events import Trace

DOCS_URL = "https://github.com/scopelint/scopelint/blob/main/docs/rules.md#{anchor}"


@dataclass(frozen=True, slots=True)
class Report:
    """A finding before positions are resolved: rules speak in nodes, the engine in lines."""

    site: Site
    message: str
    subject: str | None = None
    related: tuple[tuple[cst.CSTNode, str], ...] = ()


class Rule:
    """Base class. The class docstring is the rule's documentation, in ruff's shape:
    "What it does", "Why is this bad?", "Example", "Use instead"."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]

    def check(self, trace: Trace) -> Iterable[Report]:
        raise NotImplementedError

    @classmethod
    def info(cls) -> RuleInfo:
        anchor = f"{cls.code.lower()}-{cls.name}"
        return RuleInfo(
            code=cls.code,
            name=cls.name,
            severity=cls.severity,
            summary=cls.summary,
            doc=inspect.cleandoc(cls.__doc__ or ""),
            url=DOCS_URL.format(anchor=anchor),
        )


def events_of(trace: Trace, kind: type) -> Iterable:
    for event in trace.events:
        if isinstance(event, kind) and not event.site.suppressed:
            yield event


def call_sites(first: Site, second: Site) -> tuple[Frame, Frame] | None:
    """The two calls that made the same code run twice, if the two sites differ by a call."""
    for a, b in zip(first.stack, second.stack):
        if a.invocation != b.invocation:
            return a, b
    return None


def function_name(frame: Frame) -> str:
    return frame.function.split(".")[-1] if frame.function != "<lambda>" else "lambda"
