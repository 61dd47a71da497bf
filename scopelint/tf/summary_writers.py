"""``tf.contrib.summary``'s summary ops (TF 1's ``summary_ops_v2``), which need a default writer.

``scalar``, ``histogram``, ``image``, ``audio`` and ``generic`` write only under a default summary
writer: without one each is a ``no_op``. Under one, a call given no ``step`` takes the global step
from ``get_or_create_global_step()``, which may create ``global_step`` in the current variable
scope; with a ``step`` it creates nothing either way. No other variable is ever made.

A default writer is process state beside the graph: it is set through ``tf.contrib.summary``'s
writer APIs (``create_file_writer(...).as_default()``, ...), which are not modelled and count as
unknown code, or by any other code the analysis cannot see (``World.summary_writer``, set by
``world.opaque`` and for an entry analysed without its caller). While no writer may be set, these
calls are plain ops; otherwise they stay unknown code, as before.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from ..interp.args import ArgReader
from ..interp.values import TENSOR
from .ops import call_op, make_op
from .registry import api_with

# Summary op -> the position of its ``step`` argument (summary_ops_v2's signatures).
_STEP = {"scalar": 3, "histogram": 3, "generic": 4, "image": 5, "audio": 5}


def summary_op(sim: Any, op: str, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    get = ArgReader(args, kwargs)
    if sim.world.summary_writer and (get.unknown or get(_STEP[op], "step") is None):
        return call_op(sim, f"contrib.summary.{op}", args, kwargs, node)
    make_op(sim, f"contrib.summary.{op}", args, kwargs, node)
    return TENSOR


for _op in _STEP:
    api_with(f"contrib.summary.{_op}", _op)(summary_op)
