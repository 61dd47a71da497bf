"""Every handler the TF model registers is total: whatever a program passes (unknown values,
tensors of unknown shape, lists of unknowns, wrong types, negative or huge numbers), it returns
a value of the interpreter's domain, never raises (but the program's raise where TF raises an
error no rule reports), and leaves the model's state as it found it
(the current graph, variable scope, name scope and arg_scope stack), a context manager once it
is exited. Real code passes all of these (found on public code: a `perm` list holding an unknown
value crashed `tf.transpose`). Every hook table is covered: APIs by name, and the attributes,
calls, methods, context managers and operators of every value type the model defines."""

from __future__ import annotations

import itertools

import libcst as cst
import pytest

from scopelint.interp.interpreter import Interpreter
from scopelint.interp.signals import Raise
from scopelint.interp.values import INITIALIZER, STAR, TENSOR, UNKNOWN, DType, Shape, Tensor
from scopelint.tf import HOOKS
from scopelint.tf.checkpoint_reads import Reader

from .domain import in_domain, state

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


# APIs that return None in TF too: the rest return a value (a tensor, an op, an object).
RETURNS_NONE = {
    "reset_default_graph", "add_to_collection", "add_to_collections", "losses.add_loss",
    "train.init_from_checkpoint",
    "train.checkpoint_utils.init_from_checkpoint", "train.warm_start",
    "ops.control_flow_util.GetContainingXLAContext",  # no XLA context: None
    *(f"{prefix}nest.{name}" for prefix in ("", "slim.", "util.")
      for name in ("assert_same_structure", "assert_shallow_structure")),
}
CHANGES_GRAPH = {"reset_default_graph"}  # APIs that change the model's state by design


@pytest.mark.parametrize("api", sorted(HOOKS.apis))
def test_handler_is_total(api):
    node = cst.parse_expression("f(x)")
    for args, kwargs in ARGUMENTS:
        sim = _interpreter()
        before = state(sim)
        try:
            result = HOOKS.apis[api](sim, list(args), dict(kwargs), node)
        except Raise:  # where TF raises an error no rule reports (a slim layer's scope entered
            result = None  # with reuse=True and no name): the program's raise, nothing else
        assert in_domain(result), (args, kwargs, result)
        assert api in CHANGES_GRAPH or state(sim) == before, (args, kwargs)
    # An ordinary call gives a value, unless TF's API gives None too.
    result = HOOKS.apis[api](_interpreter(), [Tensor((None, 8), "float32"), 4], {}, node)
    assert (result is None) == (api in RETURNS_NONE), result


def test_fallback_is_total():
    node = cst.parse_expression("f(x)")
    for api in ("nn.relu", "keras.layers.Dense", "layers.unknown", "random_thing"):
        for args, kwargs in ARGUMENTS[:200]:
            HOOKS.fallback(_interpreter(), api, list(args), dict(kwargs), node)


# A program that makes one value of every type the model defines (``sample_types`` checks).
SAMPLES = """
import tensorflow as tf
import tf_slim as slim
x = tf.placeholder(tf.float32, [None, 8])
vs_call = tf.variable_scope("s")
with tf.variable_scope("s2") as vs:
    pass
ns_call = tf.name_scope("n")
layer = tf.layers.Dense(4)
cell = tf.nn.rnn_cell.LSTMCell(4)
state = cell.zero_state(2, tf.float32)
g = tf.Graph()
gd = g.as_default()
hp = tf.contrib.training.HParams(a=1)
opt = tf.train.AdamOptimizer(0.1)
sync = tf.train.SyncReplicasOptimizer(opt, 2)
v = tf.get_variable("v", [2, 3])
shape = x.shape
dim = shape[1]
dtype = tf.float32
tmpl = tf.make_template("t", lambda z: z)
argsc = slim.arg_scope([slim.conv2d], padding="SAME")
@slim.add_arg_scope
def my_op(inputs, size=1):
    return tf.get_variable("w", [size])
class MyOptimizer(tf.train.Optimizer):
    def base_init(self):
        return super(MyOptimizer, self).__init__
inherited = MyOptimizer(False, "mine").base_init()
var_op = v.op
saver = tf.train.Saver()
reader = tf.train.load_checkpoint("ckpt")
scaffold = tf.train.Scaffold()
init_fn = slim.assign_from_checkpoint_fn("ckpt", [v])
warm_settings = tf.estimator.WarmStartSettings("ckpt", "model/")
def model_fn(features, labels, mode):
    return tf.get_variable("estimated", [1])
estimator = tf.estimator.Estimator(model_fn, warm_start_from=warm_settings)
getters = []
def keep(getter, name, *args, **kwargs):
    getters.append(getter)
    return getter(name, *args, **kwargs)
with tf.variable_scope("cg", custom_getter=keep):
    tf.get_variable("cgv", [1])
true_getter = getters[0]
from tensorflow.python.framework import function
defun_maker = function.Defun(tf.float32)
defun_ops = []
@function.Defun(tf.float32, shape_func=lambda op: defun_ops.append(op) or [op.inputs[0].get_shape()])
def defun_fn(z):
    return z
defun_fn(x)
defun_op = defun_ops[0]
"""
# Calls that return None in Python too: a TF base class's __init__ bound to the program's object.
CALLS_RETURNING_NONE = {"Inherited", "InitFn"}  # and slim's init_fn(session)
ATTRIBUTES = ["name", "shape", "dtype", "value", "reuse", "original_name_scope", "variables",
              "trainable_variables", "weights", "kernel", "bias", "state_size", "output_size",
              "c", "h", "graph", "op", "ndims", "dims", "base_dtype", "values", "a", "bogus",
              "__class__", "_name"]
METHODS = ["__getitem__", "get_shape", "as_list", "with_rank", "merge_with", "concatenate",
           "is_compatible_with", "set_shape", "reuse_variables", "zero_state", "apply", "build",
           "call", "__call__", "minimize", "compute_gradients", "apply_gradients", "get_slot",
           "as_default", "name_scope", "values", "parse", "set_hparam", "add_hparam", "assign",
           "read_value", "initialized_value", "get_variable", "train", "bogus"]
OPERATORS = [cst.Add(), cst.Subtract(), cst.Multiply(), cst.MatrixMultiply(), cst.Divide(),
             cst.FloorDivide(), cst.Modulo(), cst.Power(), cst.BitAnd(), cst.BitOr()]
SMALL_ARGUMENTS = [(args, kwargs) for args, kwargs in ARGUMENTS if len(args) <= 1 and not kwargs]
SMALL_ARGUMENTS += ARGUMENTS[-len(KEYWORDS) * len(ODD_VALUES)::7]


def _samples() -> tuple[Interpreter, dict[type, object]]:
    sim = Interpreter(cst.parse_module(SAMPLES), HOOKS)
    sim.exec_block(sim.module.body, sim.globals)
    samples = {type(v): v for v in sim.globals.vars.values()}
    # load_checkpoint gives a reader only when the command runs with a checkpoint.
    samples.setdefault(Reader, Reader(entries=()))
    return sim, samples


def _table(name: str) -> list[type]:
    return sorted(getattr(HOOKS, name), key=lambda t: t.__name__)


def test_samples_cover_every_type():
    """Each hook table's types have a sample below: a new type is tested once added there."""
    _, samples = _samples()
    for table in ("attributes", "calls", "methods", "contexts", "operators"):
        missing = [t.__name__ for t in _table(table) if t not in samples]
        assert not missing, (table, missing)


def _check(sim, result, before, what) -> None:
    assert in_domain(result), (what, result)
    assert state(sim) == before, what


@pytest.mark.parametrize("kind", _table("attributes"), ids=lambda t: t.__name__)
def test_attribute_handler_is_total(kind):
    node = cst.parse_expression("o.a")
    for attr in ATTRIBUTES:
        sim, samples = _samples()
        before = state(sim)
        _check(sim, HOOKS.attributes[kind](sim, samples[kind], attr, node), before, attr)


@pytest.mark.parametrize("kind", _table("methods"), ids=lambda t: t.__name__)
def test_method_handler_is_total(kind):
    node = cst.parse_expression("o.m(x)")
    for name in METHODS:
        sim, samples = _samples()
        for args, kwargs in SMALL_ARGUMENTS:
            before = state(sim)
            result = HOOKS.methods[kind](sim, samples[kind], name, list(args), dict(kwargs), node)
            _check(sim, result, before, (name, args, kwargs))


@pytest.mark.parametrize("kind", _table("calls"), ids=lambda t: t.__name__)
def test_call_handler_is_total(kind):
    node = cst.parse_expression("o(x)")
    sim, samples = _samples()
    for args, kwargs in SMALL_ARGUMENTS:
        before = state(sim)
        result = HOOKS.calls[kind](sim, samples[kind], list(args), dict(kwargs), node)
        _check(sim, result, before, (args, kwargs))
    # An ordinary call gives a value: a layer's, cell's or template's output.
    sim, samples = _samples()
    result = HOOKS.calls[kind](sim, samples[kind], [Tensor((None, 8), "float32")], {}, node)
    assert (result is None) == (kind.__name__ in CALLS_RETURNING_NONE), result


@pytest.mark.parametrize("kind", _table("contexts"), ids=lambda t: t.__name__)
def test_context_handler_is_total(kind):
    """Entering gives a value and an exit; exiting restores the state entering changed."""
    node = cst.parse_expression("o")
    sim, samples = _samples()
    before = state(sim)
    value, exit_ = HOOKS.contexts[kind](sim, samples[kind], node)
    assert in_domain(value) and callable(exit_), value
    exit_()
    assert state(sim) == before


@pytest.mark.parametrize("kind", _table("operators"), ids=lambda t: t.__name__)
def test_operator_handler_is_total(kind):
    sim, samples = _samples()
    for operator in OPERATORS:
        for other in ODD_VALUES:
            for left, right in ((samples[kind], other), (other, samples[kind])):
                before = state(sim)
                result = HOOKS.operators[kind](sim, operator, left, right)
                _check(sim, result, before, (type(operator).__name__, left, right))
