from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from ..events import StoreReuse, TfVariable
from ..interp.values import AUTO
from ..types import Severity
from .base import Report, Rule, events_of

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    from ..events import Trace


class UnsharedVariable(Rule):
    """
    ## What it does
    Finds `tf.Variable` calls where sharing is evidently expected: inside a scope whose reuse is
    on, in a function whose `get_variable` calls are shared between its calls, or a named
    `tf.Variable` in a function called from two places, so the second call makes a silently
    renamed copy (`conv1_weights_1`). An unnamed `tf.Variable` made with `trainable=False` is
    taken for a buffer that each copy keeps for itself (a carried RNN state), and is not reported.

    ## Why is this bad?
    `tf.Variable` never looks in the variable store and ignores `reuse`: every call makes a new
    variable, renamed if the name is taken. The model trains two sets of weights where the author
    meant one, and nothing fails.

    ## Example
    ```python
    def my_image_filter(images):
        w = tf.Variable(tf.random_normal([5, 5, 32, 32]), name="conv1_weights")
        ...

    result1 = my_image_filter(image1)
    result2 = my_image_filter(image2)  # a second set: conv1_weights_1
    ```

    Use instead:
    ```python
    def my_image_filter(images):
        w = tf.get_variable("conv1_weights", [5, 5, 32, 32])
        ...

    with tf.variable_scope("image_filters") as scope:
        result1 = my_image_filter(image1)
        scope.reuse_variables()
        result2 = my_image_filter(image2)
    ```
    """

    code = "SL003"
    name = "unshared-variable"
    severity = Severity.WARNING
    summary = "tf.Variable where sharing is expected: it always creates a new variable."

    def check(self, trace: Trace) -> Iterable[Report]:
        # Functions (by invocation) whose get_variable calls returned shared variables.
        sharing: dict[tuple[int, str], set[int]] = defaultdict(set)
        for event in trace.events:
            if isinstance(event, StoreReuse):
                for frame in event.site.stack:
                    sharing[(event.site.graph, frame.function)].add(frame.invocation)
        stacks: dict[tuple[int, object], set[tuple]] = defaultdict(set)
        runs_in_scope: dict[tuple, int] = defaultdict(int)
        # TF's own variables (an optimizer's beta powers) are never the program's sharing mistake,
        # nor is a buffer each copy of a model keeps for itself: an unnamed, non-trainable
        # tf.Variable (an RNN's carried state, as ELMo's biLM keeps per input).
        variables = [
            e for e in events_of(trace, TfVariable)
            if not e.internal and (e.trainable is True or e.requested is not None)
        ]
        # The invocations of the innermost function in which each tf.Variable call ran.
        ran_in: dict[tuple, set[int]] = defaultdict(set)
        for event in variables:
            if event.site.stack:
                inner = event.site.stack[-1]
                ran_in[(event.site.graph, id(event.site.node), inner.function)].add(inner.invocation)
        for event in variables:
            calls = tuple(id(frame.call) for frame in event.site.stack)
            stacks[(event.site.graph, event.site.node)].add(calls)
            if event.scope is not None:
                runs_in_scope[(event.site.graph, id(event.site.node), event.scope)] += 1
        seen: set[int] = set()
        for event in variables:
            node = event.site.node
            if id(node) in seen:
                continue
            message = None
            actual = f" (`{event.actual}`)" if event.actual else ""
            # reuse=True always means sharing is expected; AUTO_REUSE only once the same call
            # runs again in the same scope (building a part once under AUTO_REUSE is fine).
            if event.reuse is True or (
                event.reuse is AUTO
                and runs_in_scope[(event.site.graph, id(node), event.scope)] > 1
            ):
                message = (
                    f"`tf.Variable` inside a reusing scope creates a new variable{actual}; "
                    "`tf.Variable` ignores reuse, use `tf.get_variable` to share"
                )
            elif event.site.stack:
                inner = event.site.stack[-1]
                key = (event.site.graph, inner.function)
                # "On every call" only when it did run in more than one call: a tf.Variable
                # behind a flag that is off in the reusing call is made once.
                if sharing.get(key) and len(ran_in[(event.site.graph, id(node), inner.function)]) > 1:
                    message = (
                        f"`tf.Variable` in `{inner.function.split('.')[-1]}()`, whose "
                        f"`get_variable` calls are shared between calls, creates a new variable "
                        f"on every call{actual}; use `tf.get_variable`"
                    )
                elif (
                    event.requested is not None
                    and len(stacks[(event.site.graph, node)]) > 1
                    and event.actual is not None
                    and event.actual != event.requested
                ):
                    message = (
                        f"`tf.Variable` `{event.requested}` is created again by another call of "
                        f"`{inner.function.split('.')[-1]}()` and silently renamed to "
                        f"`{event.actual}`: the calls do not share it; use `tf.get_variable` "
                        "with reuse"
                    )
            if message is not None:
                seen.add(id(node))
                yield Report(event.site, message, event.actual)
