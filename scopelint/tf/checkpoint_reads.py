"""Reading a checkpoint inside the program: ``tf.train.list_variables(path)``,
``tf.train.load_checkpoint(path)`` / ``NewCheckpointReader`` and the reader's maps.

With ``scopelint checkpoint CKPT PATH...`` the programs read CKPT (the question is whether they
restore from it), so these return its entries: helpers that intersect the model's names with
the checkpoint's (BERT's ``get_assignment_map_from_checkpoint``) give their real result. In a
plain lint there is no checkpoint and they are unknown. The tensors' values never are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from ..checkpoint.reader import active
from ..interp.args import ArgReader
from ..interp.values import TENSOR, UNKNOWN, BoundBuiltin, DType
from .registry import api, attribute, method


@dataclass(frozen=True)
class Reader:
    """``load_checkpoint(path)``: the command's checkpoint, read for names, shapes, dtypes."""

    entries: tuple


def _entries() -> tuple | None:
    checkpoint = active()
    if checkpoint is None or any(e.shape is None for e in checkpoint.entries):
        return None
    return checkpoint.entries


@api("train.list_variables", "train.checkpoint_utils.list_variables")
def list_variables(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    """``[(name, shape), ...]`` sorted by name, as TF lists them."""
    entries = _entries()
    if entries is None:
        return UNKNOWN
    return [(e.name, list(e.shape)) for e in sorted(entries, key=lambda e: e.name)]


@api("train.load_checkpoint", "train.NewCheckpointReader", "train.checkpoint_utils.load_checkpoint")
def load_checkpoint(sim: Any, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
    entries = _entries()
    return UNKNOWN if entries is None else Reader(entries)


@attribute(Reader, pure=True)
def reader_attribute(sim: Any, reader: Reader, attr: str, node: cst.CSTNode) -> Any:
    return BoundBuiltin(reader, attr)


@method(Reader, pure=True)
def reader_method(sim: Any, reader: Reader, name: str, args: list, kwargs: dict,
                  node: cst.CSTNode) -> Any:
    if name == "get_variable_to_shape_map":
        return {e.name: list(e.shape) for e in reader.entries}
    if name == "get_variable_to_dtype_map":
        return {e.name: DType(e.dtype) for e in reader.entries}
    if name == "has_tensor":
        key = ArgReader(args, kwargs)(0, "tensor_str")
        return any(e.name == key for e in reader.entries) if isinstance(key, str) else UNKNOWN
    if name == "get_tensor":
        return TENSOR
    return UNKNOWN
