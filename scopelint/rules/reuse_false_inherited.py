from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..events import ReuseFalse
from ..interp.values import AUTO
from ..types import Severity
from .base import Report, Rule, events_of

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    from ..events import Trace


class ReuseFalseInherited(Rule):
    """
    ## What it does
    Finds `variable_scope(..., reuse=False)` entered where reuse is already on: inside a
    reusing scope (lexically or through the caller), or jumping into a captured scope whose
    reuse is on.

    ## Why is this bad?
    TensorFlow treats `reuse=False` as "inherit": it cannot turn reuse off. Inside a reusing
    scope the new scope reuses too, so a `get_variable` meant to create a variable raises
    `Variable X does not exist` instead, or silently shares one under `tf.AUTO_REUSE`.

    ## Example
    ```python
    with tf.variable_scope("model", reuse=True):
        with tf.variable_scope("head", reuse=False):  # still reusing
            w = tf.get_variable("w", [10])  # ValueError: model/head/w does not exist
    ```

    Use instead:
    ```python
    with tf.variable_scope("model", reuse=True):
        ...
    with tf.variable_scope("model/head"):  # outside the reusing block
        w = tf.get_variable("w", [10])
    ```
    """

    code = "SL004"
    name = "reuse-false-inherited"
    severity = Severity.WARNING
    summary = "reuse=False inside a reusing scope: it means 'inherit', reuse stays on."

    def check(self, trace: Trace) -> Iterable[Report]:
        # Reuse that comes from a caller is reported only when every run of this scope inherited
        # it: a helper also run without reuse uses `reuse=False` to mean "whatever my caller says".
        runs: dict[int, list[ReuseFalse]] = {}
        for event in events_of(trace, ReuseFalse):
            runs.setdefault(id(event.site.node), []).append(event)
        for events in runs.values():
            # AUTO_REUSE from a caller: the scope still creates what is missing, as its author
            # wants (a helper that creates in one stream and shares in another, run once).
            on = [e for e in events if e.inherited is True or (e.inherited is AUTO and e.lexical)]
            if not on:
                continue
            lexical = [e for e in on if e.lexical]
            if not lexical and len(on) != len(events):
                continue
            event = (lexical or on)[0]
            flag = "tf.AUTO_REUSE" if event.inherited is AUTO else "True"
            message = (
                f"`reuse=False` does not turn reuse off: it inherits, and reuse here is {flag}"
            )
            related: tuple = ()
            if event.reuse_site is not None:
                message += " (set at line {0})"
                related = ((event.reuse_site, "reuse turned on here"),)
            if not event.lexical:
                message += ", inherited from the caller"
            message += "; leave the reusing scope instead"
            yield Report(event.site, message, None, related)
