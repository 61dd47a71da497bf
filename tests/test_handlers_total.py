"""Every handler the TF model registers is total: whatever a program passes (unknown values,
tensors of unknown shape, lists of unknowns, wrong types, negative or huge numbers), it returns
a value and never raises. Real code passes all of these (found on public code: a `perm` list
holding an unknown value crashed `tf.transpose`)."""

from __future__ import annotations

import itertools

import libcst as cst
import pytest

from scopelint.interp.interpreter import Interpreter
from scopelint.interp.values import INITIALIZER, STAR, TENSOR, UNKNOWN, DType, Shape, Tensor
from scopelint.tf import HOOKS

ODD_VALUES = [
    UNKNOWN, TENSOR, INITIALIZER, None, True, -1, 0, 3, 10 ** 12, 2.5, "same", "",
    [UNKNOWN, 1], [None, 8], [-1, 4], [3, UNKNOWN, 2], [], (2, 2), [[1, 2], [3]], {"a": 1},
    DType("float16"), Tensor(), Tensor((None, 8), "float32"), Tensor((4, 6, 3), "float32"),
    Tensor((2, 3, 5, 7), None), Tensor((), "int32"), [Tensor((None, 8)), Tensor((None, 6))],
    Shape(()), STAR,
]
KEYWORDS = ["name", "shape", "dtype", "axis", "units", "filters", "kernel_size", "strides",
            "padding", "reuse", "scope", "num", "perm", "keepdims", "inputs", "data_format"]


def _interpreter() -> Interpreter:
    return Interpreter(cst.parse_module("import tensorflow as tf\n"), HOOKS)


def _argument_lists():
    for count in range(3):
        for combo in itertools.product(ODD_VALUES, repeat=count):
            yield list(combo), {}
    for combo in itertools.islice(itertools.product(ODD_VALUES, repeat=3), 0, None, 97):
        yield list(combo), {}
    for key, value in itertools.product(KEYWORDS, ODD_VALUES):
        yield [Tensor((None, 8), "float32"), 4], {key: value}


ARGUMENTS = list(_argument_lists())


@pytest.mark.parametrize("api", sorted(HOOKS.apis))
def test_handler_is_total(api):
    node = cst.parse_expression("f(x)")
    for args, kwargs in ARGUMENTS:
        sim = _interpreter()
        HOOKS.apis[api](sim, list(args), dict(kwargs), node)


def test_fallback_is_total():
    node = cst.parse_expression("f(x)")
    for api in ("nn.relu", "keras.layers.Dense", "layers.unknown", "random_thing"):
        for args, kwargs in ARGUMENTS[:200]:
            HOOKS.fallback(_interpreter(), api, list(args), dict(kwargs), node)
