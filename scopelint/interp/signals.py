"""How control leaves a block (return, break, continue, raise) and the interpreter's budgets."""

from __future__ import annotations

from typing import Any

MAX_CALL_DEPTH = 24  # library model code nests deep: a tensor2tensor layer norm runs 22 calls below its builder
MAX_UNROLL = 1024  # loops and comprehensions over known sequences (gradients of every variable of a model)
IDLE_LOOP_STEPS = 5_000  # an unrolled loop that changed nothing in the model so far (statements.py)
# The same in the top-level code of an imported module, which runs again for every file that
# imports it (tensor2tensor's gym_env registers 360 Atari problems at import, in every file that
# imports its models). On the benchmark's trees and TF-heavy files 1,000 leaves the variables
# shown and the findings as they were with 5,000 and saves 4 % of all steps; the zoo is unchanged.
IDLE_IMPORT_LOOP_STEPS = 1_000
MAX_STEPS = 100_000  # statements and calls of the module's code; past it the entry stops, silently
# The same for a function run without its caller: with its arguments unknown most of its branches
# are undecided, and its steps grow far faster than the program's own. Of the 6,700 entries of
# the benchmark's TF-heavy files, 120 report anything (a tf.Variable, a restore, reuse=False, or
# what a new graph creates), all within their first 10,000 steps; the longest ran 30,000 steps
# building a model from unknown hyperparameters, where nothing they create can be named.
MAX_ENTRY_STEPS = 10_000
# Of those, the steps before its first call into TF: data processing and hyperparameter tables
# run as entries cost most of a real tree's time and can create no variable.
IDLE_ENTRY_STEPS = 2_000
# The top-level code of the modules a file imports, all together (run once per file, whichever
# entry imports them first): past it an import stops where it is, and its importer goes on.
# A library's package imports its models' modules at import (tensor2tensor's registries).
MAX_IMPORT_STEPS = 200_000
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
