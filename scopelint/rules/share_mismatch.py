from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..events import ShareMismatch
from ..types import Severity
from .base import Report, Rule, events_of

if TYPE_CHECKING:  # the interpreter (and libcst) load only when a file is simulated
    from ..events import Trace


def _shape(shape: tuple) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


class _Mismatch(Rule):
    what: str

    def check(self, trace: Trace) -> Iterable[Report]:
        for event in events_of(trace, ShareMismatch):
            if event.what != self.what:
                continue
            show = _shape if self.what == "shape" else str
            message = (
                f"Sharing `{event.key}` with {self.what} {show(event.specified)}, but it was created "
                f"with {self.what} {show(event.found)} at line {{0}}"
            )
            yield Report(event.site, message, event.key, ((event.first.site.node, "created here"),))


class ShareShapeMismatch(_Mismatch):
    """
    ## What it does
    Finds a reuse of a variable (under `reuse=True` or `tf.AUTO_REUSE`) whose literal `shape`
    is incompatible with the shape it was created with.

    ## Why is this bad?
    TensorFlow raises `ValueError: Trying to share variable X, but specified shape ... and found
    shape ...`. The shape check comes before the dtype check. Unknown dimensions (`None`) and an
    omitted `shape` are compatible with anything.

    ## Example
    ```python
    with tf.variable_scope("fc"):
        w = tf.get_variable("w", [128, 10])
    with tf.variable_scope("fc", reuse=True):
        w2 = tf.get_variable("w", [10, 128])
    ```

    Use instead:
    ```python
    with tf.variable_scope("fc", reuse=True):
        w2 = tf.get_variable("w", [128, 10])  # or leave the shape out
    ```
    """

    code = "SL006"
    name = "share-shape-mismatch"
    severity = Severity.ERROR
    summary = "A shared variable is requested with a shape that differs from its creation."
    what = "shape"


class ShareDtypeMismatch(_Mismatch):
    """
    ## What it does
    Finds a reuse of a variable whose dtype differs from the dtype it was created with. A
    reuse without `dtype=` asks for the scope's dtype (`float32` unless the `variable_scope` sets
    one), so reusing an `int32` variable without `dtype=` is a mismatch too.

    ## Why is this bad?
    TensorFlow raises `ValueError: Trying to share variable X, but specified dtype ... and found
    dtype ...` when the graph is built.

    ## Example
    ```python
    with tf.variable_scope("s"):
        step = tf.get_variable("step", [], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        again = tf.get_variable("step", [])  # asks for float32
    ```

    Use instead:
    ```python
    with tf.variable_scope("s", reuse=True):
        again = tf.get_variable("step", [], dtype=tf.int32)
    ```
    """

    code = "SL005"
    name = "share-dtype-mismatch"
    severity = Severity.ERROR
    summary = "A shared variable is requested with a dtype that differs from its creation."
    what = "dtype"
