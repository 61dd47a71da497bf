"""How control leaves a block (return, break, continue, raise) and the interpreter's budgets."""

from __future__ import annotations

from typing import Any

MAX_CALL_DEPTH = 24
MAX_UNROLL = 1024  # loops and comprehensions over known sequences (gradients of every variable of a model)
IDLE_LOOP_STEPS = 20_000 # an unrolled loop that changed nothing in the model so far (statements.py)
MAX_STEPS = 100_000  # statements and calls per entry; past it the entry stops, silently
MAX_IMPORT_DEPTH = 2  # modules of the tree imported by the file, and the ones they import
MAX_INSTALLED_DEPTH = 24  # imports within installed packages (interp/imports.py)


class Terminate(Exception):
    """Control leaves a block: return, break, continue or raise."""


class Return(Terminate):
    def __init__(self, value: Any) -> None:
        self.value = value


class Break(Terminate):
    pass


class Continue(Terminate):
    pass


class Raise(Terminate):
    pass


class OutOfBudget(Exception):
    """The entry used up its steps: it stops where it is, silently."""
