"""Static shapes and dtypes of tensors through single ops, against TF's graph-mode inference.

Each case of ``tensor_cases.py`` binds ``out``; scopelint's value of ``out`` must have exactly the
static shape and dtype TF gives it: every dimension TF knows, and no dimension it does not (a
dimension scopelint does not know where TF does fails too, so that a lost shape is noticed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import libcst as cst
import pytest

from scopelint.interp.interpreter import Interpreter
from scopelint.interp.values import TENSOR, UNKNOWN, Dim, Shape, Tensor
from scopelint.run.engine import check_bytes
from scopelint.tf import HOOKS
from scopelint.tf.tensors import as_tensor
from scopelint.types import EventKind

from .domain import in_domain
from .fixture_spec import ROOT
from .tensor_cases import CASES, HEADER, LOOSE


@pytest.fixture(scope="module")
def tf_answers() -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    proc = subprocess.run([sys.executable, "-m", "tests.tensor_cases"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout)


def predicted(source: str) -> object:
    """scopelint's ``out`` after running ``source``: [shape or None, dtype or None], or a list of
    them for a list of tensors."""
    sim = Interpreter(cst.parse_module(HEADER + source), HOOKS)
    sim.run()
    return describe(sim.globals.vars.get("out", UNKNOWN))


def describe(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [describe(v) for v in value]
    if value is UNKNOWN or value is TENSOR:
        return [None, None]
    known = as_tensor(value)
    return [None if known.shape is None else list(known.shape), known.dtype]


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", sorted(CASES))
def test_static_shape_is_tensorflows(name, tf_answers):
    mine, theirs = predicted(CASES[name]), tf_answers[name]
    if name in LOOSE:
        assert compatible(mine, theirs), (mine, theirs)
    else:
        assert mine == theirs


def compatible(mine: object, theirs: object) -> bool:
    """Every dimension and dtype scopelint claims is TF's (what it leaves unknown is not)."""
    if not isinstance(theirs[1], str):  # a list of tensors (TF always knows a dtype)
        return len(mine) == len(theirs) and all(compatible(a, b) for a, b in zip(mine, theirs))
    (shape, dtype), (shape_tf, dtype_tf) = mine, theirs
    if dtype is not None and dtype != dtype_tf:
        return False
    if shape is None:
        return True
    return shape_tf is not None and len(shape) == len(shape_tf) and all(
        d is None or d == e for d, e in zip(shape, shape_tf))


def test_cases_know_something():
    """The cases are not vacuous: scopelint knows a dimension in most of them."""
    known = [name for name, source in CASES.items() if "None, None]" not in repr(predicted(source))]
    assert len(known) > len(CASES) // 2


KNOWN = sorted((ROOT / "fixtures" / "shapes").glob("good_known_*.py"))


@pytest.mark.parametrize("path", KNOWN, ids=lambda p: p.name)
def test_known_fixtures_predict_every_shape(path):
    """In the `good_known_*` fixtures every variable's shape and dtype is predicted in full (that
    TF agrees is checked with the other fixtures): a shape lost on the way fails here."""
    result = check_bytes(path.read_bytes(), str(path), with_events=True)
    made = [e for e in result.events if e.kind is not EventKind.REUSE and e.entry == "<module>"]
    assert len(made) >= 8
    unknown = [(e.line, e.name, e.shape, e.dtype) for e in made
               if e.shape is None or None in e.shape or e.dtype is None]
    assert not unknown


@pytest.mark.parametrize("key", [
    0, -1, 7, slice(None), slice(1, None, 2), slice(-3, None), (Ellipsis, 0), (None, slice(None)),
    (slice(None), None, Ellipsis), (0, 0, 0, 0), (Ellipsis, Ellipsis), UNKNOWN, TENSOR, "a",
    (slice(UNKNOWN, None),), (Tensor((), "int32"), slice(None)), (Tensor((2,), "int32"),), (),
    slice(None, None, 0), 10 ** 12,
])
@pytest.mark.parametrize("value", [Tensor((None, 4, 6), "float32"), Tensor(), Tensor((3,), "int32", None, (2, None, 5))])
def test_subscript_is_total(value, key):
    """``x[...]`` with any index returns a value, never raises."""
    sim = Interpreter(cst.parse_module(HEADER), HOOKS)
    result = HOOKS.methods[Tensor](sim, value, "__getitem__", [key], {}, cst.parse_expression("x[0]"))
    assert in_domain(result), result
    if value.shape == (None, 4, 6) and key in (0, -1):  # what it computes where it knows
        assert (result.shape, result.dtype) == ((4, 6), "float32")


ODD = [UNKNOWN, TENSOR, None, True, -1, 0, 3, 10 ** 12, 2.5, "a", [1, UNKNOWN], [None, 8], (2, 2), {},
       Tensor(), Tensor((None, 8), "float32"), Tensor((), "int32", None, 4), Tensor((3,), "int32", None, (1, None, 3)),
       Shape((Dim(2), None)), Dim(3)]


@pytest.mark.parametrize("op", [cst.Add(), cst.Subtract(), cst.Multiply(), cst.Divide(), cst.FloorDivide(),
                                cst.Modulo(), cst.Power(), cst.MatrixMultiply(), cst.BitAnd(), cst.LessThan(),
                                cst.GreaterThanEqual(), cst.LeftShift()])
def test_operators_are_total(op):
    """Arithmetic and orderings of a tensor with anything return a value, never raise."""
    sim = Interpreter(cst.parse_module(HEADER), HOOKS)
    for left in ODD:
        for right in ODD:
            if isinstance(left, Tensor) or isinstance(right, Tensor):
                assert in_domain(HOOKS.operators[Tensor](sim, op, left, right)), (left, right)


@pytest.mark.parametrize("name", ["get_shape", "set_shape", "__getitem__", "read_value", "eval", "as_list",
                                  "num_elements", "is_compatible_with", "merge_with", "concatenate",
                                  "with_rank", "assert_has_rank"])
def test_tensor_and_shape_methods_are_total(name):
    sim = Interpreter(cst.parse_module(HEADER), HOOKS)
    node = cst.parse_expression("x.f(y)")
    for receiver in (Tensor(), Tensor((None, 8), "float32"), Shape((Dim(2), None)), Shape(())):
        for arg in ODD:
            one = HOOKS.methods[type(receiver)](sim, receiver, name, [arg], {}, node)
            two = HOOKS.methods[type(receiver)](sim, receiver, name, [arg, arg], {"k": arg}, node)
            assert in_domain(one) and in_domain(two), (receiver, arg, one, two)
