from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..events import AlreadyExists
from ..types import Severity
from .base import Report, Rule, call_sites, events_of, function_name

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    from ..events import Trace


class DuplicateVariable(Rule):
    """
    ## What it does
    Finds `tf.get_variable` calls (and the layers, RNNs and optimizers built on it) that create
    a variable whose full name already exists in the graph while reuse is off.

    ## Why is this bad?
    TensorFlow raises `ValueError: Variable X already exists, disallowed` when the graph is built,
    often after minutes of data loading. The usual causes are a model function called twice, a
    loop, a layer with a fixed `name=` applied twice, or a `tf.name_scope` that was expected to
    prefix the name: `name_scope` only prefixes op names, `get_variable` ignores it.

    ## Example
    ```python
    def tower(x):
        w = tf.get_variable("w", [3, 3])
        return tf.matmul(x, w)

    a = tower(x1)
    b = tower(x2)  # ValueError: Variable w already exists
    ```

    Use instead:
    ```python
    with tf.variable_scope("tower"):
        a = tower(x1)
    with tf.variable_scope("tower", reuse=True):
        b = tower(x2)
    ```
    """

    code = "SL001"
    name = "duplicate-variable"
    severity = Severity.ERROR
    summary = "A variable is created twice without reuse; TensorFlow raises 'already exists'."

    def check(self, trace: Trace) -> Iterable[Report]:
        for event in events_of(trace, AlreadyExists):
            first = event.first
            message = f"Variable `{event.key}` already exists: this call creates it again while reuse is off"
            related: list = [(first.site.node, "first created here")]
            calls = call_sites(first.site, event.site)
            if first.site.node is event.site.node and calls is not None:
                a, b = calls
                message += (
                    f"; `{function_name(a)}()` runs again (called at line {{1}} and at line {{2}})"
                    if a.function == b.function
                    else "; the same code runs again (via line {1} and line {2})"
                )
                related += [(a.call, "first call"), (b.call, "second call")]
            elif first.site.node is event.site.node:
                message += "; this line runs again (a loop?)"
            else:
                message += " (first created at line {0})"
            if (event.in_name_scope or first.in_name_scope) and event.name_stack != first.name_stack:
                message += (
                    "; `name_scope` does not prefix `get_variable` names, `variable_scope` does"
                )
            else:
                message += "; pass `reuse=True` or `reuse=tf.AUTO_REUSE` to share it"
            yield Report(event.site, message, event.key, tuple(related))
