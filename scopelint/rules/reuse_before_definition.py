from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..events import DoesNotExist
from ..types import Severity
from .base import Report, Rule, events_of

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    from ..events import Trace


class ReuseBeforeDefinition(Rule):
    """
    ## What it does
    Finds `tf.get_variable` lookups under reuse (`reuse=True`, `scope.reuse_variables()`,
    `tf.get_variable_scope().reuse_variables()`) of a full name that no earlier call created.

    ## Why is this bad?
    With reuse on, `get_variable` only looks variables up. TensorFlow raises
    `ValueError: Variable X does not exist, or was not created with tf.get_variable()`. The name
    may be misspelt, sit in another scope (a numbered `default_name` scope, a string scope that
    differs from the captured one), have been made by `tf.Variable` (which never enters the store
    `get_variable` looks in), or reuse was switched on before the first creation; an optimizer's
    slot variables fail the same way when a root-level `reuse_variables()` is still in effect.

    ## Example
    ```python
    with tf.variable_scope("enc", reuse=True):
        w = tf.get_variable("w", [3, 3])  # nothing created enc/w before
    ```

    Use instead:
    ```python
    with tf.variable_scope("enc"):
        w = tf.get_variable("w", [3, 3])
    with tf.variable_scope("enc", reuse=True):
        w_again = tf.get_variable("w", [3, 3])
    ```
    """

    code = "SL002"
    name = "reuse-before-definition"
    severity = Severity.ERROR
    summary = "A variable is looked up under reuse before it was ever created."

    def check(self, trace: Trace) -> Iterable[Report]:
        for event in events_of(trace, DoesNotExist):
            related: list = []
            message = f"Variable `{event.key}` does not exist: reuse is on here"
            if event.reuse_site is event.site.node:
                message += " (turned on within this call)"
            elif event.reuse_site is not None:
                related.append((event.reuse_site, "reuse turned on here"))
                message += " (turned on at line {0})"
            message += " but no earlier `get_variable` created it"
            if event.key.endswith("/"):
                message += (
                    "; optimizers and moving averages create their slot variables with "
                    "`get_variable`, so reuse must be off when they are built"
                )
            if event.made_by_tf_variable is not None:
                related.append((event.made_by_tf_variable, "made by tf.Variable here"))
                message += (
                    f"; the `tf.Variable` at line {{{len(related) - 1}}} never enters the store "
                    "`get_variable` looks in"
                )
            yield Report(event.site, message, event.key, tuple(related))
