"""Differential testing: random TF1 scoping programs, run under TensorFlow and linted by scopelint.

A hypothesis strategy (``programs()``) builds small ``tf.compat.v1`` programs (5-30 statements)
out of the scoping constructs scopelint simulates: nested ``variable_scope`` (literal and
formatted names, ``reuse=True/False/None/tf.AUTO_REUSE/(i > 0)``, ``default_name=``, captured
scopes re-entered as objects and by ``.name``, ``tf.get_variable_scope()``, ``dtype=``,
``auxiliary_name_scope=False``), ``name_scope`` (incl. ``sc.original_name_scope`` and ``None``),
``get_variable`` (literal shapes and dtypes), ``tf.Variable``, ``reuse_variables()`` on the
current scope, the root or a captured scope, helper functions with ``name``/``scope``/``reuse``
parameters called from anywhere, ``for`` loops (and ``if i > 0:`` inside them), comprehensions,
``tf.Graph().as_default()`` blocks, blocks entered a second time to share their variables, and
legacy ``tf.layers`` calls (``dense`` named, numbered or with its own ``reuse=``; ``flatten`` and
``dropout``, which open numbered scopes without variables), new RNN cells called directly or
through ``dynamic_rnn`` (some wrapped in ``DropoutWrapper``), and ``tf.make_template`` called
once or twice.

Tensor shapes: layers (``dense``, ``conv2d``), RNN cells (``GRUCell``, ``BasicRNNCell``,
``BasicLSTMCell``, ``LSTMCell`` with and without ``num_proj``, ``MultiRNNCell``, through
``dynamic_rnn``, ``bidirectional_dynamic_rnn``, ``static_rnn`` or called directly) and
``get_variable`` sized from ``x.get_shape()[-1]`` take ``tf.placeholder`` inputs whose feature
width is drawn from ``WIDTHS``, and are shared between two inputs by name (``reuse=True``), by
``tf.AUTO_REUSE``, by a layer object or a template called twice, and by towers over
``tf.split`` (equal parts, or a size list along the features), ``tf.unstack`` and ``zip`` of two
splits; re-entered blocks may change an input's width. So the shapes a shared variable is asked
for often differ from the ones it was created with (TF's "specified shape" error, SL006).

Every program is run under TensorFlow (``tests.tfrun``, a whole batch in one child process) and
linted. They agree when scopelint's first error-class finding (lowest ``order``) is TF's first
``ValueError`` (same line, the code matching the message, same variable), there is no error-class
finding when TF runs to the end, and the variables scopelint predicts for top-level code before
that error are the ones TF made: store creations (key and op name, in order) and ``tf.Variable``
op names (in order), with every shape and dtype scopelint predicts for them (a dimension, shape or
dtype it leaves unknown claims nothing, and is counted). Where TF raises anything else, the
program disagrees if TF made more variables than scopelint predicts before its first error (TF
went past the point where scopelint says it stops), and is discarded otherwise. Each outcome
counts the variables scopelint predicts in top-level code before its first error and the ones
compared with TF's, so that the share never compared stays visible.

Library use::

    progs = generate(300, seed=0)                  # list[Program], deterministic for a seed
    outcomes = check_programs(progs)               # one TF child process for the batch
    [o for o in outcomes if o.status == "disagree"]

Campaign::

    python -m tests.differential --examples 5000 [--seed N] [--batch-size 500]
        [--save-disagreements DIR] [--minimize] [--quiet]

Besides agreement, the campaign prints how many programs TF stopped at a shape error and how many
of those scopelint reported as SL006 at that line (recall), and how many programs' first
scopelint error is an SL006 that TF did not raise there (precision); see ``shape_counts``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from scopelint.rules import ERROR_CODES
from scopelint.run.engine import check_bytes
from scopelint.types import EventKind, FileResult

from .shape_claims import compare_pairs
from .tfrun import tf_code

ROOT = Path(__file__).resolve().parent.parent
HEADER = "import tensorflow.compat.v1 as tf\n\ntf.disable_eager_execution()\n"
HEADER_LINES = HEADER.count("\n")

# ------------------------------------------------------------------------------------------------
# Programs: a small tree of statements, rendered to source text.
# ------------------------------------------------------------------------------------------------


@dataclass
class Line:
    text: str


@dataclass
class Block:
    """``with ...:`` / ``for ...:`` / ``def ...:`` with a body."""

    header: str
    body: list
    kind: str = "with"  # "with" | "for" | "if" | "def"


@dataclass
class Program:
    helpers: list  # Block(kind="def")
    body: list

    def source(self) -> str:
        out = [HEADER]
        for helper in self.helpers:
            out.append("")
            _render([helper], 0, out)
        out.append("")
        _render(self.body, 0, out)
        return "\n".join(out) + "\n"

    def statements(self) -> int:
        return _count(self.helpers) + _count(self.body)


def _render(stmts: list, depth: int, out: list) -> None:
    pad = "    " * depth
    for s in stmts:
        if isinstance(s, Line):
            out.append(pad + s.text)
        else:
            out.append(pad + s.header)
            if s.body:
                _render(s.body, depth + 1, out)
            else:
                out.append(pad + "    pass")


def _extend(out: list, statement) -> None:
    """Append a statement, or the statements of a construct that is several (a list)."""
    if isinstance(statement, list):
        out.extend(statement)
    else:
        out.append(statement)


def _count(stmts: list) -> int:
    return sum(1 + (_count(s.body) if isinstance(s, Block) else 0) for s in stmts)


# ------------------------------------------------------------------------------------------------
# The generator
# ------------------------------------------------------------------------------------------------

SCOPE_NAMES = ("a", "b", "enc", "layer", "w", "a/b", "Layer", "a_1", "blk")
DEFAULT_NAMES = ("a", "blk", "layer")
NAME_SCOPES = ("ns", "a", "w", "layer", "ns/", "ns_1", "a_1")
VAR_NAMES = ("w", "b", "v", "W", "u", "kernel", "bias", "k", "a/w", "a", "w_1", "zeros")
TF_VARIABLE_NAMES = ("w", "v", "a", "layer", "b", "a/v", "w_1", "ns", "Const")
SHAPES = ("[2]", "[3]", "[2, 3]", "[3, 2]", "[]", "(2, 3)")
DTYPES = (None, None, "tf.float32", "tf.int32", "tf.float64")
LOOP_VARS = ("i", "j")
PARAMS = ("name", "scope", "reuse")  # a helper's parameters, in this order, each optional
# Feature widths of inputs and sizes of layers: few values, so that shared variables are often
# asked for with the shape they were made with, and often not.
WIDTHS = (3, 4)
UNITS = (2, 3)
# Input ranks a shaped unit takes: the placeholder dimensions before the feature width.
LEADING = {"vec": "None", "seq": "None, 4", "img": "None, 4, 4"}


@dataclass
class _Fn:
    """One Python function (module code or a helper): its parameters and the names bound so far."""

    params: tuple = ()
    captured: list = field(default_factory=list)  # "sc0", ... bound so far, in textual order
    history: list = field(default_factory=list)  # (scope args without reuse, body, loops) so far
    callable_helpers: tuple = ()  # (name, params) of the helpers this code may call


class _Gen:
    """Draws one program; every decision is one hypothesis draw (so examples shrink well)."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.count = 0  # statements so far
        self.limit = 0
        self.sc_counter = 0
        self.calls: dict[str, set] = {}  # caller ("<module>" or helper) -> helpers it calls
        self.last_scope_args: str | None = None  # the scope just drawn, for ``replay``

    def pick(self, options):
        return self.draw(st.sampled_from(tuple(options)))

    def chance(self, one_in: int) -> bool:
        """True with probability 1/one_in; the simplest draw (0) is False."""
        return self.draw(st.integers(min_value=0, max_value=one_in - 1)) == one_in - 1

    # -- expressions ---------------------------------------------------------------------------

    def name(self, pool: tuple, fn: _Fn, loops: tuple) -> str:
        """A string expression: a literal, one formatted with a loop variable, or the name param."""
        base = self.pick(pool)
        how = self.pick(
            ["lit"] * 3
            + (["pct", "fstr"] if loops else [])
            + (["param"] if "name" in fn.params else [])
        )
        if how == "pct":
            return f'"{base}_%d" % {self.pick(loops)}'
        if how == "fstr":
            return f'f"{base}_{{{self.pick(loops)}}}"'
        if how == "param":
            return "name"
        return f'"{base}"'

    def reuse_value(self, fn: _Fn, loops: tuple, none: int = 5) -> str | None:
        options = [None] * none + ["True", "False", "tf.AUTO_REUSE", "tf.AUTO_REUSE", "None"]
        if loops:
            options.append(f"({loops[-1]} > 0)")
        if "reuse" in fn.params:
            options += ["reuse"] * 3
        return self.pick(options)

    def reuse_kw(self, fn: _Fn, loops: tuple) -> str:
        value = self.reuse_value(fn, loops)
        return f", reuse={value}" if value else ""

    # -- statements ----------------------------------------------------------------------------

    def block(
        self, fn: _Fn, loops: tuple, depth: int, caller: str, lo: int = 1, hi: int = 3
    ) -> list:
        room = self.limit - self.count
        if room <= 0:
            return []
        n = self.draw(st.integers(min_value=min(lo, room), max_value=max(min(hi, room), 1)))
        out = []
        for _ in range(n):
            if self.count >= self.limit:
                break
            _extend(out, self.statement(fn, loops, depth, caller))
        return out

    def statement(self, fn: _Fn, loops: tuple, depth: int, caller: str):
        self.count += 1
        kinds = ["get_variable"] * 6 + ["tf.Variable"] * 2 + ["reuse_variables", "capture"]
        if depth < 4:
            kinds += ["variable_scope"] * 6 + ["name_scope", "two_managers"]
        if depth < 3 and len(loops) < 2:
            kinds += ["for"]
        if depth < 3:
            kinds += ["graph"]
        if loops:
            kinds += ["if"]
        kinds += ["comprehension", "layer", "layer", "rnn", "template"]
        kinds += ["shared"] * 3 + ["towers"] * 2 + ["optimize"]
        if fn.callable_helpers:
            kinds += ["call"] * 3
        replayable = [h for h in fn.history if set(h[2]) <= set(loops)]
        if replayable:
            kinds += ["replay"] * 3
        kind = self.pick(kinds)
        if kind == "replay":
            return self.replay(fn, replayable)
        if kind == "get_variable":
            return Line(self.get_variable(fn, loops))
        if kind == "tf.Variable":
            return Line(self.tf_variable(fn, loops))
        if kind == "capture":
            # the live current scope object, not a copy: reuse_variables() on it changes it
            return Line(f"{self.fresh(fn)} = tf.get_variable_scope()")
        if kind == "reuse_variables":
            target = self.pick(["tf.get_variable_scope()"] + fn.captured)
            if target == "tf.get_variable_scope()" and depth == 0 and not self.chance(4):
                # at the root, reuse stays on for the rest of the program: keep that rare
                return Line(self.get_variable(fn, loops))
            return Line(f"{target}.reuse_variables()")
        if kind == "call":
            return Line(self.call(fn, loops, caller))
        if kind == "layer":
            return Line(self.layer(fn, loops))
        if kind == "rnn":
            return Line(self.rnn(fn, loops))
        if kind == "template":
            return Line(self.template(fn, loops))
        if kind == "optimize":
            return self.optimize(fn, loops)
        if kind == "shared":
            return self.shared(fn, loops)
        if kind == "towers":
            return self.towers(fn, loops)
        if kind == "comprehension":
            shape = self.pick(SHAPES)
            n = self.draw(st.integers(min_value=1, max_value=3))
            return Line(
                f'[tf.get_variable("{self.pick(VAR_NAMES)}_%d" % k, {shape}) for k in range({n})]'
            )
        if kind == "if":
            # the tower idiom: `if i > 0: tf.get_variable_scope().reuse_variables()`
            var = self.pick(loops)
            header = f"if {var} {self.pick(['>', '=='])} 0:"
            return Block(header, self.block(fn, loops, depth + 1, caller), kind="if")
        if kind == "for":
            var = LOOP_VARS[len(loops)]
            header = f"for {var} in range({self.draw(st.integers(min_value=1, max_value=3))}):"
            return Block(header, self.block(fn, loops + (var,), depth + 1, caller), kind="for")
        if kind == "graph":
            # a fresh graph: its own store, scopes and names, whatever encloses the block
            header = "with tf.Graph().as_default():"
        elif kind == "name_scope":
            header = f"with {self.name_scope(fn, loops)}:"
        elif kind == "two_managers":
            first = self.variable_scope(fn, loops)
            second = self.pick([self.name_scope, self.variable_scope])(fn, loops)
            header = f"with {first}, {second}:"
        else:
            header = f"with {self.variable_scope(fn, loops)}:"
            body = self.block(fn, loops, depth + 1, caller)
            if self.last_scope_args is not None:
                fn.history.append((self.last_scope_args, body, loops))
            return Block(header, body)
        return Block(header, self.block(fn, loops, depth + 1, caller))

    def layer(self, fn: _Fn, loops: tuple) -> str:
        """A legacy `tf.layers` call: named (a fixed scope) or numbered, with or without its own
        `reuse=`, or a layer without variables that still opens a numbered scope."""
        how = self.pick(["named"] * 3 + ["unnamed"] * 2 + ["flatten", "dropout"])
        if how in ("flatten", "dropout"):
            return f"tf.layers.{how}(tf.zeros([2, 3]))"
        units = self.pick(UNITS)
        if self.chance(4):
            text = f"tf.layers.conv2d({self.placeholder('img')}, {units}, 1"
        else:
            x = self.pick(["tf.zeros([2, 3])", self.placeholder("vec")])
            text = f"tf.layers.dense({x}, {units}"
        if how == "named":
            text += f", name={self.name(SCOPE_NAMES, fn, loops)}"
            text += self.reuse_kw(fn, loops)
        return text + ")"

    def rnn(self, fn: _Fn, loops: tuple) -> str:
        """A new RNN cell, called directly (a numbered layer scope) or through `dynamic_rnn`
        (under `rnn` or a named scope)."""
        units = self.pick(UNITS)
        kind = self.pick(("GRUCell", "BasicRNNCell", "BasicLSTMCell"))
        cell = f"tf.nn.rnn_cell.{kind}({units})"
        if self.chance(3):
            cell = f"tf.nn.rnn_cell.DropoutWrapper({cell}, output_keep_prob=0.5)"
        if self.chance(2):
            return self.cell_call(cell, kind, units, f"tf.zeros([2, {self.pick(WIDTHS)}])")
        scope = f", scope={self.name(SCOPE_NAMES, fn, loops)}" if self.chance(3) else ""
        x = self.pick(["tf.zeros([2, 4, 3])", self.placeholder("seq")])
        return f"tf.nn.dynamic_rnn({cell}, {x}, dtype=tf.float32{scope})"

    @staticmethod
    def cell_call(cell: str, kind: str, units: int, x: str) -> str:
        """A cell called directly on ``x`` (batch 2) with a zero state of its size."""
        state = f"tf.zeros([2, {units}])"
        if "LSTM" in kind:
            state = f"tf.nn.rnn_cell.LSTMStateTuple({state}, {state})"
        return f"{cell}({x}, {state})"

    # -- shapes: inputs of drawn widths, shared between two of them ------------------------------

    def placeholder(self, rank: str, lead: str | None = None, width: int | None = None) -> str:
        """A float input: ``rank``'s leading dimensions (or ``lead``), a feature width drawn from
        ``WIDTHS`` (or ``width``)."""
        width = self.pick(WIDTHS) if width is None else width
        return f"tf.placeholder(tf.float32, [{LEADING[rank] if lead is None else lead}, {width}])"

    def cell(self) -> tuple[str, str, int]:
        """A new RNN cell's constructor text, its kind and its output size."""
        units = self.pick(UNITS)
        kind = self.pick(
            ("GRUCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "LSTMCell_proj", "Multi")
        )
        if kind == "LSTMCell_proj":
            proj = self.pick(UNITS)
            return f"tf.nn.rnn_cell.LSTMCell({units}, num_proj={proj})", kind, proj
        if kind == "Multi":
            inner = self.pick(("GRUCell", "BasicRNNCell", "LSTMCell"))
            cells = ", ".join(f"tf.nn.rnn_cell.{inner}({self.pick(UNITS)})" for _ in range(2))
            return f"tf.nn.rnn_cell.MultiRNNCell([{cells}])", kind, units
        return f"tf.nn.rnn_cell.{kind}({units})", kind, units

    def unit(self, fn: _Fn, loops: tuple) -> tuple[str, object]:
        """Something that makes variables shaped by its input: ``(rank, make)``, where
        ``make(x)`` is the statement text applying it to the input expression ``x``.

        Every call of ``make`` builds the same thing (same names, sizes and cells): only the
        input's width can make two uses disagree.
        """
        what = self.pick(["dense"] * 3 + ["get_variable"] * 2 + ["conv2d", "rnn", "rnn", "cell"])
        units = self.pick(UNITS)
        named = self.chance(2)
        name = f", name={self.name(SCOPE_NAMES, fn, loops)}" if named else ""
        if what == "dense":
            return "vec", lambda x: f"tf.layers.dense({x}, {units}{name})"
        if what == "conv2d":
            return "img", lambda x: f"tf.layers.conv2d({x}, {units}, 1{name})"
        if what == "get_variable":
            var = self.pick(VAR_NAMES)
            # the weights of a hand-written layer, sized from the input's static shape
            return "vec", lambda x: f'tf.get_variable("{var}", [{x}.get_shape()[-1], {units}])'
        if what == "cell":
            kind = self.pick(("GRUCell", "BasicRNNCell", "BasicLSTMCell"))
            cell = f"tf.nn.rnn_cell.{kind}({units})"
            return "cell", lambda x: self.cell_call(cell, kind, units, x)
        cell, _, _ = self.cell()
        how = self.pick(["dynamic"] * 3 + ["bidirectional", "static"])
        scope = f", scope={self.name(SCOPE_NAMES, fn, loops)}" if self.chance(3) else ""
        if how == "bidirectional":
            other, _, _ = self.cell()
            return "seq", lambda x: (
                f"tf.nn.bidirectional_dynamic_rnn({cell}, {other}, {x}, dtype=tf.float32{scope})"
            )
        if how == "static":
            return "seq", lambda x: (
                f"tf.nn.static_rnn({cell}, tf.unstack({x}, axis=1), dtype=tf.float32{scope})"
            )
        return "seq", lambda x: f"tf.nn.dynamic_rnn({cell}, {x}, dtype=tf.float32{scope})"

    def inputs(self, rank: str) -> tuple[str, str]:
        """Two inputs for one unit, of widths drawn independently: often different."""
        lead = "2" if rank == "cell" else None  # a cell called directly: its zero state's batch
        rank = "vec" if rank == "cell" else rank
        return self.placeholder(rank, lead), self.placeholder(rank, lead)

    def shared(self, fn: _Fn, loops: tuple) -> list:
        """One unit applied to two inputs, the second use sharing the first's variables."""
        rank, make = self.unit(fn, loops)
        x1, x2 = self.inputs(rank)
        how = self.pick(["reuse"] * 3 + ["auto_reuse"] * 2 + ["template"] * 2 + ["object"])
        if how == "object" and rank not in ("vec", "img"):
            how = "template"
        if how == "template":
            # the template's variables are made where its function is defined (that line is
            # where TF stops when a later call asks for another shape)
            tmpl = f"tmpl{self.sc_counter}"
            self.sc_counter += 1
            name = self.name(DEFAULT_NAMES, fn, loops)
            self.count += 2
            return [
                Line(f"{tmpl} = tf.make_template({name}, lambda x: {make('x')})"),
                Line(f"{tmpl}({x1})"),
                Line(f"{tmpl}({x2})"),
            ]
        if how == "object":
            # a layer object shares by itself; a second input of another width is refused by
            # the layer (not the variable store), so usually give it the same width
            layer = {"vec": "Dense", "img": "Conv2D"}[rank]
            args = f"{self.pick(UNITS)}" + (", 1" if rank == "img" else "")
            if self.chance(2):
                args += f", name={self.name(SCOPE_NAMES, fn, loops)}"
            obj = f"layer{self.sc_counter}"
            self.sc_counter += 1
            if not self.chance(4):
                x2 = x1
            self.count += 2
            return [
                Line(f"{obj} = tf.layers.{layer}({args})"),
                Line(f"{obj}({x1})"),
                Line(f"{obj}({x2})"),
            ]
        scope = self.name(SCOPE_NAMES, fn, loops)
        first, second = ("None", "True") if how == "reuse" else ("tf.AUTO_REUSE",) * 2
        if how == "reuse" and self.chance(4):
            first = "True"  # sharing before anything was made: TF refuses the first use
        out = []
        for reuse, x in ((first, x1), (second, x2)):
            reuse_kw = "" if reuse == "None" else f", reuse={reuse}"
            body = self.apply(make, x)
            out.append(Block(f"with tf.variable_scope({scope}{reuse_kw}):", body))
            self.count += _count(body)
        fn.history.append((scope, out[0].body, loops))  # replays may change the widths
        return out

    def apply(self, make, x: str) -> list:
        """``make`` applied to ``x``; an input that ``make`` uses by name is bound first."""
        if "get_shape" in make("x") and not x.isidentifier():
            return [Line(f"x = {x}"), Line(make("x"))]
        return [Line(make(x))]

    def towers(self, fn: _Fn, loops: tuple) -> Block:
        """The multi-GPU idiom: one tower per part of a batch, each re-entering a scope, the
        towers after the first sharing the first's variables (or not, or too early)."""
        rank, make = self.unit(fn, loops)
        lead = {"vec": [], "seq": ["4"], "img": ["4", "4"], "cell": []}[rank]
        width = self.pick(WIDTHS)
        how = self.pick(["split"] * 3 + ["unstack", "unstack_num", "zip"]
                        + (["size_list"] * 2 if rank == "vec" else []))
        parts = self.draw(st.integers(min_value=2, max_value=3))
        batch = 2 * parts

        def whole(first: str, w: int = width) -> str:
            return self.placeholder(rank if rank != "cell" else "vec", ", ".join([first] + lead), w)

        if how == "split":
            source = f"tf.split({whole(str(batch))}, {parts})"
        elif how == "unstack":  # the first axis is known: its length is the number of towers
            source = f"tf.unstack({whole(f'{parts}, 2')})"
        elif how == "unstack_num":  # unknown first axis: `num=` says how many
            source = f"tf.unstack({whole('None, 2')}, num={parts})"
        elif how == "zip":
            other = self.placeholder("vec", str(batch), self.pick(WIDTHS))
            source = f"zip(tf.split({whole(str(batch))}, {parts}), tf.split({other}, {parts}))"
        else:  # a size list along the features: parts of different widths
            sizes = [self.pick((1,) + WIDTHS) for _ in range(parts)]
            x = self.placeholder("vec", str(batch), sum(sizes))
            source = f"tf.split({x}, {sizes}, axis=1)"
        index = "n"
        target = "(part, other)" if how == "zip" else "part"
        header = f"for {index}, {target} in enumerate({source}):"
        scope = self.pick(["tf.get_variable_scope()"] * 2 + [self.name(SCOPE_NAMES, fn, loops)])
        reuse = self.pick(
            [f"{index} > 0"] * 4 + ["tf.AUTO_REUSE"] * 2 + ["True", None, f"{index} == 1"]
        )
        reuse_kw = f", reuse={reuse}" if reuse else ""
        x = "part"
        if how == "zip" and rank == "vec":
            x = "tf.concat([part, other], axis=1)"
        body = self.apply(make, x)
        if self.chance(3):
            # the tower's own name scope, as in the multi-GPU examples
            body = [Block(f'with tf.name_scope("tower_%d" % {index}):', body)]
        self.count += 1 + _count(body)
        return Block(header, [Block(f"with tf.variable_scope({scope}{reuse_kw}):", body)], "for")

    def optimize(self, fn: _Fn, loops: tuple) -> list:
        """Variables as values: a ``var_list`` read from a collection (a scope's trainable
        variables, or the global ones filtered by name), and an optimizer trained on it, whose
        slots and beta powers TF names after the variables it trains."""
        vs = f"vs{self.sc_counter}"
        self.sc_counter += 1
        scope = self.pick(SCOPE_NAMES)
        source = self.pick([
            f'tf.trainable_variables("{scope}")',
            f'tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, "{scope}")',
            "tf.trainable_variables()",
            f'[v for v in tf.global_variables() if v.op.name.startswith("{scope}/")]',
            f'[v for v in tf.trainable_variables() if "{self.pick(VAR_NAMES)}" in v.name]',
        ])
        optimizer = self.pick([
            "tf.train.AdamOptimizer(0.1)", "tf.train.AdamOptimizer(0.1)",
            "tf.train.MomentumOptimizer(0.1, 0.9)", "tf.train.GradientDescentOptimizer(0.1)",
            "tf.train.RMSPropOptimizer(0.1)",
        ])
        loss = f"tf.add_n([tf.reduce_sum(v) for v in {vs}])"
        self.count += 2
        return [
            Line(f"{vs} = [v for v in {source} if v.dtype.base_dtype == tf.float32]"),
            Block(f"if {vs}:", [Line(f"{optimizer}.minimize({loss}, var_list={vs})")], kind="if"),
        ]

    def template(self, fn: _Fn, loops: tuple) -> str:
        """`tf.make_template` called once or twice: the second call shares."""
        name = self.name(DEFAULT_NAMES, fn, loops)
        var = self.pick(VAR_NAMES)
        calls = "; t()" * self.draw(st.integers(min_value=1, max_value=2))
        return f't = tf.make_template({name}, lambda: tf.get_variable("{var}", [2])){calls}'

    def replay(self, fn: _Fn, history: list) -> Block:
        """A block seen before, entered again (usually to share its variables), perhaps changed.

        This is the TF1 sharing idiom; it makes reuse that finds its variables, and shape and
        dtype mismatches, common rather than rare.
        """
        args, body, _ = self.pick(history)
        reuse = self.pick(["True"] * 3 + ["tf.AUTO_REUSE"] * 2 + [None])
        header = f"with tf.variable_scope({args}{f', reuse={reuse}' if reuse else ''}):"
        self.count += _count(body)
        return Block(header, self.mutate(body))

    def mutate(self, body: list) -> list:
        out = []
        for s in body:
            if isinstance(s, Block):
                out.append(Block(s.header, self.mutate(s.body), s.kind))
                continue
            text = s.text
            if "tf.placeholder(" in text and self.chance(3):
                # the block shared again, with an input of another width
                text = re.sub(r", \d\]\)", f", {self.pick(WIDTHS)}])", text, count=1)
            if text.startswith("tf.get_variable(") and "get_shape" not in text:
                if self.chance(6):
                    text = re.sub(r"\[[^\]]*\]|\(\d, \d\)", self.pick(SHAPES), text, count=1)
                if self.chance(8):
                    dtype = self.pick(("tf.float32", "tf.int32", "tf.float64"))
                    text = re.sub(r"tf\.(float|int)\d+", dtype, text, count=1)
                if self.chance(8):
                    text = re.sub(
                        r", shape=(\[[^\]]*\]|\(\d, \d\))", "", text, count=1
                    )  # no shape: reuse only
            out.append(Line(text))
        return out

    def name_scope(self, fn: _Fn, loops: tuple) -> str:
        if self.chance(12):
            arg = "None"  # back to the root name scope
        elif fn.captured and self.chance(4):
            # back into a captured scope's own name scope (a common idiom)
            arg = f"{self.pick(fn.captured)}.original_name_scope"
        else:
            arg = self.name(NAME_SCOPES, fn, loops)
        return f"tf.name_scope({arg})"

    def variable_scope(self, fn: _Fn, loops: tuple) -> str:
        forms = ["string"] * 4 + ["default"] * 2 + ["current"]
        if fn.captured:
            forms += ["captured"] * 3
        if "scope" in fn.params:
            forms += ["param"] * 3
        form = self.pick(forms)
        if form == "string":
            args = self.name(SCOPE_NAMES, fn, loops) + self.reuse_kw(fn, loops)
        elif form == "default":
            default = self.pick(DEFAULT_NAMES)
            spelling = self.pick(["kw", "kw", "positional", "reuse_false"])
            if spelling == "positional":
                args = f'None, "{default}"'
            elif spelling == "reuse_false":
                args = f'None, default_name="{default}", reuse=False'
            else:
                args = f'None, default_name="{default}"'
        elif form == "current":
            args = "tf.get_variable_scope()" + self.reuse_kw(fn, loops)
        elif form == "param":
            # the tf.contrib idiom: the caller's scope (object or string), else a fresh default one
            args = f'scope, default_name="{self.pick(DEFAULT_NAMES)}"'  # (reuse=True would raise)
        else:
            args = self.pick(fn.captured)
            if self.chance(4):
                args += ".name"  # re-entered by its name: a string scope, relative
            base = args
            args += self.reuse_kw(fn, loops)
        if form == "string":
            base = args.split(", reuse=")[0]
        self.last_scope_args = base if form in ("string", "captured") else None
        extra = self.draw(st.integers(min_value=0, max_value=11))
        if extra == 10:
            args += ", auxiliary_name_scope=False"
        elif extra == 11:
            args += f", dtype={self.pick(('tf.float64', 'tf.int32'))}"
        header = f"tf.variable_scope({args})"
        if self.chance(3):
            # Bound on entry, and still bound after the block (Python has no block scope).
            header += f" as {self.fresh(fn)}"
        return header

    def fresh(self, fn: _Fn) -> str:
        bound = f"sc{self.sc_counter}"
        self.sc_counter += 1
        fn.captured.append(bound)
        return bound

    def call(self, fn: _Fn, loops: tuple, caller: str) -> str:
        name, params = self.pick(fn.callable_helpers)
        self.calls.setdefault(caller, set()).add(name)
        args = []
        if "name" in params:
            args.append(self.name(SCOPE_NAMES, fn, loops))
        if "scope" in params:
            how = self.pick(["none", "string"] + (["captured"] * 2 if fn.captured else []))
            if how == "string":
                args.append(f"scope={self.name(SCOPE_NAMES, fn, loops)}")
            elif how == "captured":
                args.append(f"scope={self.pick(fn.captured)}")
        if "reuse" in params:
            value = self.reuse_value(fn, loops, none=3)
            if value:
                args.append(f"reuse={value}")
        return f"{name}({', '.join(args)})"

    def get_variable(self, fn: _Fn, loops: tuple) -> str:
        name = self.name(VAR_NAMES, fn, loops)
        # Usually a shape, so TF can create the variable; without one (or with a partly known
        # one) only a reuse succeeds.
        shape = None if self.chance(40) else "[None, 3]" if self.chance(60) else self.pick(SHAPES)
        dtype = self.pick(DTYPES)
        spelling = self.pick(["keywords"] * 3 + ["positional", "name="])
        args = [f"name={name}" if spelling == "name=" else name]
        if spelling == "positional" and shape is not None:
            args += [shape] + ([dtype] if dtype else [])
        else:
            args += ([f"shape={shape}"] if shape else []) + ([f"dtype={dtype}"] if dtype else [])
        return f"tf.get_variable({', '.join(args)})"

    def tf_variable(self, fn: _Fn, loops: tuple) -> str:
        # The initial value: a Python value, or an op made just before (named "zeros", "Const").
        init = self.pick(
            ["0.0", "[1.0, 2.0]", "0.0", "[1.0, 2.0]", "tf.zeros([2])", "tf.constant(1.0)"]
        )
        if self.chance(5):
            return f"tf.Variable({init})"
        return f"tf.Variable({init}, name={self.name(TF_VARIABLE_NAMES, fn, loops)})"

    # -- whole program -------------------------------------------------------------------------

    def program(self) -> Program:
        self.limit = self.draw(st.integers(min_value=5, max_value=30))
        # A module-level scope captured first thing, which helpers may use as a global.
        prelude = []
        if self.chance(3):
            self.count += 1
            if self.chance(2):
                prelude.append(Line("top = tf.get_variable_scope()"))
            else:
                prelude.append(
                    Block(
                        'with tf.variable_scope("top") as top:',
                        [Line(self.get_variable(_Fn(), ()))],
                    )
                )
                self.count += 1
        shared = ["top"] if prelude else []
        helpers = []
        available: list = []
        for k in range(self.draw(st.integers(min_value=0, max_value=2))):
            name = f"helper{k}"
            params = tuple(p for p in PARAMS if self.chance(2))
            fn = _Fn(params=params, captured=list(shared), callable_helpers=tuple(available))
            body = self.block(fn, (), 1, name, lo=1, hi=4)
            if not body:
                self.count += 1
                body = [Line(self.get_variable(fn, ()))]
            signature = ", ".join(
                {"name": "name", "scope": "scope=None", "reuse": "reuse=False"}[p] for p in params
            )
            helpers.append(Block(f"def {name}({signature}):", body, kind="def"))
            available.append((name, params))
        fn = _Fn(captured=list(shared), callable_helpers=tuple(available))
        body = prelude
        while self.count < self.limit:
            _extend(body, self.statement(fn, (), 0, "<module>"))
        # Every helper runs: call the ones nothing reachable from module code calls.
        reach: set = set()
        todo = ["<module>"]
        while todo:
            for callee in self.calls.get(todo.pop(), ()):
                if callee not in reach:
                    reach.add(callee)
                    todo.append(callee)
        for name, params in available:
            if name not in reach:
                body.append(
                    Line(f'{name}("{self.pick(SCOPE_NAMES)}")' if "name" in params else f"{name}()")
                )
        return Program(helpers, body)


@st.composite
def programs(draw) -> Program:
    """A random, small, deterministic-given-the-seed TF1 scoping program."""
    return _Gen(draw).program()


# Examples per hypothesis run: later examples of one run are mostly mutations of earlier ones.
CHUNK = 10


def generate(n: int, seed: int = 0, seen: set | None = None) -> list[Program]:
    """``n`` distinct programs, the same ones for the same seed.

    Hypothesis runs of ``CHUNK`` examples each, seeded ``(seed, k)``; ``seen`` (source texts)
    carries across calls so a campaign never checks a program twice.
    """
    out: list[Program] = []
    seen = set() if seen is None else seen
    k = 0
    while len(out) < n:

        @settings(
            max_examples=CHUNK,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis_seed(seed * 1_000_003 + k)
        @given(programs())
        def collect(program: Program) -> None:
            text = program.source()
            if text not in seen and len(out) < n:
                seen.add(text)
                out.append(program)

        collect()
        k += 1
        if k > 50 * (n // CHUNK + 10):  # cannot find new programs (never happens in practice)
            break
    return out


# ------------------------------------------------------------------------------------------------
# Running TF and comparing
# ------------------------------------------------------------------------------------------------

CATEGORIES = (
    "error_line", "error_code", "error_variable", "store_names", "tf_variable_names", "shapes",
)

def run_tf(paths: list[Path], timeout: float = 3600, meanwhile=None) -> dict[str, dict]:
    """Run the files under TF in one child process (``tests.tfrun``): path -> its report.

    ``meanwhile()``, if given, is called while the child runs (the caller lints then).
    """
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_USE_LEGACY_KERAS="1")
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.tfrun", "--time-limit", "60", *map(str, paths)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
        )
        try:
            if meanwhile is not None:
                meanwhile()
            returncode = proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.seek(0)
        err.seek(0)
        if returncode != 0:
            raise RuntimeError(f"tests.tfrun failed ({returncode}):\n{err.read()[-4000:]}")
        return {item["path"]: item for item in json.loads(out.read())}


def run_tf_here(paths: list[Path]) -> dict[str, dict]:
    """The same, in this process (imports TF here; for the many small runs of ``minimize``)."""
    from .tfrun import run_files

    return {item["path"]: item for item in run_files([str(p) for p in paths], time_limit=60)}


@dataclass
class Outcome:
    source: str
    status: str  # "agree" | "disagree" | "discard"
    mismatches: dict = field(default_factory=dict)  # category -> (TF, scopelint)
    truth: dict | None = None
    kind: str = ""  # for a disagreement: its class (``classify``)
    unknown_names: int = 0  # variables whose op name scopelint left unknown (None): no claim
    # Variables (store creations, tf.Variables) scopelint predicts in top-level code before its
    # first error, and how many of them were compared with TF's (none in a discarded program).
    predicted: int = 0
    compared: int = 0
    # Shapes and dtypes compared, and the ones scopelint left unknown (``shape_claims``).
    shape_tally: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        numbered = "\n".join(
            f"{i:3d}  {line}" for i, line in enumerate(self.source.splitlines(), 1)
        )
        parts = [
            f"{cat}: TF {tf!r} / scopelint {sl!r}" for cat, (tf, sl) in self.mismatches.items()
        ]
        return f"[{self.kind}]\n{numbered}\n  " + "\n  ".join(parts)


def lint(source: str, path: str = "program.py") -> FileResult:
    return check_bytes(source.encode(), path, with_events=True)


def compare(
    source: str, truth: dict, path: str = "program.py", result: FileResult | None = None
) -> Outcome:
    """Agreement of scopelint (``result``, linted here if None) with TF's report (``truth``)."""
    error = truth.get("error")
    code = tf_code(error)
    if result is None:
        result = lint(source, path)
    errors = sorted((d for d in result.diagnostics if d.code in ERROR_CODES), key=lambda d: d.order)
    first = errors[0] if errors else None
    # The variables scopelint predicts TF makes: top-level code's, before its first error.
    comparable = [
        e for e in result.events
        if e.entry == "<module>" and e.error is None and e.kind is not EventKind.REUSE
        and (first is None or e.order < first.order)
    ]
    if error is not None and code is None:
        # TF stopped on something else. If it made more variables first than scopelint predicts
        # before its first error, TF ran past that error: a disagreement, not a discard.
        made_tf = [e for e in truth.get("events") or [] if e["kind"] != "reuse"]
        if first is None or len(made_tf) <= len(comparable):
            return Outcome(source, "discard", truth=truth, predicted=len(comparable))
        outcome = Outcome(source, "disagree", {"error_code": (None, first.code)}, truth,
                          predicted=len(comparable))
        outcome.kind = f"spurious {first.code} (TF went past it, then raised {error['type']})"
        return outcome
    mismatches: dict = {}

    tf_line = error["line"] if error else None
    sl_line = first.span.start.row if first else None
    if tf_line != sl_line:
        mismatches["error_line"] = (tf_line, sl_line)
    sl_code = first.code if first else None
    if code != sl_code:
        mismatches["error_code"] = (code, sl_code)
    tf_var = error.get("variable") if error else None
    sl_var = first.subject if first else None
    if tf_var != sl_var:
        mismatches["error_variable"] = (tf_var, sl_var)

    # What happened before the error: top-level code's events, in simulation order.
    cut = first.order if first else None
    predicted = [
        e for e in result.events
        if e.entry == "<module>" and e.error is None and (cut is None or e.order < cut)
    ]
    real = truth.get("events") or []
    created = [e for e in predicted if e.kind is EventKind.CREATE]
    created_tf = [e for e in real if e["kind"] == "create"]
    mine = [(e.name, e.actual) for e in created]
    theirs = [(e["name"], e["actual"]) for e in created_tf]
    tally: Counter = Counter()
    wrong = []
    if _same_names(mine, theirs):
        wrong += compare_pairs(zip(created, created_tf), tally)
    else:
        mismatches["store_names"] = (theirs, mine)
    made = [e for e in predicted if e.kind is EventKind.VARIABLE]
    made_tf = [e for e in real if e["kind"] == "tf.Variable"]
    mine_v = [e.actual for e in made]
    theirs_v = [e["actual"] for e in made_tf]
    if _same_names(mine_v, theirs_v):
        wrong += compare_pairs(zip(made, made_tf), tally)
    else:
        mismatches["tf_variable_names"] = (theirs_v, mine_v)
    if wrong:  # only where the variables themselves agree: else the pairs are not the same ones
        mismatches["shapes"] = (
            [(m.name, m.what, m.actual) for m in wrong],
            [(m.name, m.what, m.predicted) for m in wrong],
        )
    outcome = Outcome(source, "disagree" if mismatches else "agree", mismatches, truth,
                      predicted=len(comparable), compared=len(created) + len(made))
    outcome.shape_tally = tally
    outcome.unknown_names = sum(1 for _, a in mine if a is None) + mine_v.count(None)
    outcome.kind = classify(outcome) if mismatches else ""
    return outcome


def _same_names(mine: list, theirs: list) -> bool:
    """Equal, except that an op name scopelint leaves unknown (None) makes no claim: it is where
    TF code the simulator does not model (an RNN's loop) may have taken the name first. How
    often that happens is counted and printed."""
    if len(mine) != len(theirs):
        return False
    for m, t in zip(mine, theirs):
        if isinstance(m, tuple):
            if m[0] != t[0] or (m[1] is not None and m[1] != t[1]):
                return False
        elif m is not None and m != t:
            return False
    return True


def classify(outcome: Outcome) -> str:
    """A disagreement's class: what goes wrong first, in a few words."""
    m = outcome.mismatches
    if "error_code" in m:
        tf, sl = m["error_code"]
        if sl is None:
            return f"missed {tf}"
        if tf is None:
            return f"spurious {sl}"
        return f"{tf} reported as {sl}"
    if "error_line" in m:
        return f"{tf_code(outcome.truth['error'])} at another line"
    if "error_variable" in m:
        return "error names another variable"
    if "store_names" in m:
        theirs, mine = m["store_names"]
        if [k for k, _ in theirs] == [k for k, _ in mine]:
            return "store variables get other op names"
        return "store keys differ"
    if "tf_variable_names" in m:
        return "tf.Variable names differ"
    theirs, _ = m["shapes"]
    return "wrong " + " and ".join(sorted({what for _, what, _ in theirs}))


def check_sources(sources: list[str], workdir: Path | None = None, runner=None) -> list[Outcome]:
    """Run all sources under TF (one child process by default), lint them, compare."""
    with tempfile.TemporaryDirectory(prefix="scopelint-diff-", dir=workdir) as tmp:
        paths = []
        for k, text in enumerate(sources):
            path = Path(tmp) / f"prog_{k:05d}.py"
            path.write_text(text)
            paths.append(path)
        results: list = []

        def lint_all() -> None:
            results.extend(lint(text, str(path)) for text, path in zip(sources, paths))

        if runner is None:
            truths = run_tf(paths, meanwhile=lint_all)  # lint while TF runs
        else:
            truths = runner(paths)
            lint_all()
        return [
            compare(text, truths[str(path)], str(path), result)
            for text, path, result in zip(sources, paths, results)
        ]


def check_programs(progs: list[Program], workdir: Path | None = None) -> list[Outcome]:
    return check_sources([p.source() for p in progs], workdir)


# ------------------------------------------------------------------------------------------------
# Minimising a disagreement (on the text: drop statements, unwrap blocks, drop arguments)
# ------------------------------------------------------------------------------------------------


def _candidates(source: str) -> Iterable[str]:
    lines = source.splitlines()
    n = len(lines)

    def indent(s: str) -> int:
        return len(s) - len(s.lstrip(" "))

    def block_end(i: int) -> int:
        j = i + 1
        while j < n and (not lines[j].strip() or indent(lines[j]) > indent(lines[i])):
            j += 1
        return j

    def fix(new: list) -> str:
        out = []  # a block left without a body gets `pass`; blank runs collapse
        for k, line in enumerate(new):
            if not line.strip() and out and not out[-1].strip() and k >= HEADER_LINES:
                continue
            out.append(line)
            if line.rstrip().endswith(":"):
                nxt = next((x for x in new[k + 1 :] if x.strip()), None)
                if nxt is None or indent(nxt) <= indent(line):
                    out.append(" " * (indent(line) + 4) + "pass")
        return "\n".join(out).rstrip("\n") + "\n"

    statements = [
        i for i in range(HEADER_LINES, n) if lines[i].strip() and lines[i].strip() != "pass"
    ]
    # delete a whole statement (with its block), largest first
    for i in sorted(statements, key=lambda i: i - block_end(i)):
        yield fix(lines[:i] + lines[block_end(i) :])
    for i in statements:
        line = lines[i]
        # unwrap a block: its body moves one level out
        if line.rstrip().endswith(":") and not line.lstrip().startswith("def "):
            j = block_end(i)
            body = [x.removeprefix("    ") for x in lines[i + 1 : j]]
            yield fix(lines[:i] + body + lines[j:])
        # inline a call of a helper without parameters
        m = re.fullmatch(r"(\s*)(helper\d+)\(\)", line)
        if m:
            d = next((k for k in range(n) if lines[k].startswith(f"def {m.group(2)}(")), None)
            if d is not None:
                body = [m.group(1) + x[4:] for x in lines[d + 1 : block_end(d)] if x.strip()]
                yield fix(lines[:i] + body + lines[i + 1 :])
        # a helper without its parameters (and its calls without arguments)
        m = re.fullmatch(r"def (helper\d+)\(.+\):", line)
        if m:
            call = re.compile(rf"\b{m.group(1)}\([^)]*\)")
            new = [call.sub(f"{m.group(1)}()", x) for x in lines]
            new[i] = f"def {m.group(1)}():"
            yield fix(new)
        # simplify: drop keyword arguments and bindings, shorten loops, literal names
        for pattern, repl in (
            (r"\[(tf\.get_variable\(.*\)) for k in range\(\d\)\]", r"\1"),
            (r", reuse=[^,)]+(?=[,)])", ""),
            (r", dtype=tf\.\w+", ""),
            (r", tf\.(float|int)\d+\)", ")"),
            (r", auxiliary_name_scope=False", ""),
            (r" as sc\d+", ""),
            (r'f"(\w+)_\{\w\}"', r'"\1_0"'),
            (r'"(\w+)_%d" % \w', r'"\1_0"'),
        ):
            new = re.sub(pattern, repl, line, count=1)
            if new != line:
                yield fix(lines[:i] + [new] + lines[i + 1 :])
        m = re.search(r"range\((\d)\)", line)
        if m and int(m.group(1)) > 1:
            yield fix(
                lines[:i]
                + [line.replace(m.group(0), f"range({int(m.group(1)) - 1})")]
                + lines[i + 1 :]
            )


def minimize(outcome: Outcome, rounds: int = 100, log=None, runner=None) -> Outcome:
    """Greedy reduction to a small program with the same class of disagreement.

    Each round runs every one-step simplification (by default in this process, see
    ``run_tf_here``) and keeps the shortest that still disagrees in the same way.
    """
    best = outcome
    for _ in range(rounds):
        cands = list(dict.fromkeys(c for c in _candidates(best.source) if c != best.source))
        if not cands:
            break
        results = check_sources(cands, runner=runner or run_tf_here)
        keep = [r for r in results if r.status == "disagree" and r.kind == outcome.kind]
        if not keep:
            break
        best = min(keep, key=lambda r: (_statements(r.source), len(r.source)))
        if log:
            log(f"  {_statements(best.source)} statements")
    return best


def _statements(source: str) -> int:
    return sum(1 for line in source.splitlines()[HEADER_LINES:] if line.strip() not in ("", "pass"))


# ------------------------------------------------------------------------------------------------
# Campaign
# ------------------------------------------------------------------------------------------------


def shape_counts(outcome: Outcome) -> Counter:
    """Shape-error recall and precision of one compared program (discarded ones count nothing).

    ``shape_raised``: TF stopped at a "specified shape" error; ``shape_found``: scopelint's first
    error is SL006 at that line. ``shape_reported``: scopelint's first error is SL006;
    ``shape_spurious``: TF did not raise a shape error at that line.
    """
    counts: Counter = Counter()
    if outcome.status == "discard" or outcome.truth is None:
        return counts
    tf_first = tf_code(outcome.truth.get("error"))
    m = outcome.mismatches
    sl_first = m["error_code"][1] if "error_code" in m else tf_first
    same_line = "error_line" not in m
    if tf_first == "SL006":
        counts["shape_raised"] += 1
        counts["shape_found"] += sl_first == "SL006" and same_line
    if sl_first == "SL006":
        counts["shape_reported"] += 1
        counts["shape_spurious"] += not (tf_first == "SL006" and same_line)
    return counts


def campaign(
    examples: int,
    seed: int = 0,
    batch_size: int = 500,
    save: Path | None = None,
    do_minimize: bool = False,
    quiet: bool = False,
) -> dict:
    started = time.time()
    totals: Counter = Counter()
    per_category: Counter = Counter()
    per_class: dict[str, list[Outcome]] = {}
    class_counts: Counter = Counter()
    seen: set = set()
    shapes: Counter = Counter()
    batch = 0
    if save:
        save.mkdir(parents=True, exist_ok=True)
    while totals["generated"] < examples:
        want = min(batch_size, examples - totals["generated"])
        progs = generate(want, seed=seed * 100_003 + batch, seen=seen)
        batch += 1
        if not progs:
            break
        outcomes = check_programs(progs)
        totals["generated"] += len(progs)
        for o in outcomes:
            totals[o.status] += 1
            totals["unknown_names"] += o.unknown_names
            totals["variables_predicted"] += o.predicted
            totals["variables_compared"] += o.compared
            shapes.update(o.shape_tally)
            totals.update(shape_counts(o))
            if o.status != "disagree":
                continue
            per_category.update(list(o.mismatches))
            class_counts[o.kind] += 1
            items = per_class.setdefault(o.kind, [])
            items.append(o)
            if len(items) > 20:  # bounded memory: keep the 20 shortest of each class
                items.sort(key=lambda x: len(x.source))
                del items[20:]
            if save:
                (save / f"disagree_{totals['disagree']:05d}.py").write_text(
                    o.source
                    + "\n"
                    + "".join(
                        f"# {line}\n" for line in o.describe().splitlines()[-len(o.mismatches) :]
                    )
                )
        if not quiet:
            print(
                f"batch {batch}: generated {totals['generated']}, discarded {totals['discard']}, "
                f"agreed {totals['agree']}, disagreed {totals['disagree']} "
                f"({time.time() - started:.0f}s)",
                flush=True,
            )
    compared = totals["agree"] + totals["disagree"]
    print()
    print(f"programs generated : {totals['generated']}")
    print(
        f"discarded          : {totals['discard']} (TF raised something other than a store error)"
    )
    print(f"compared           : {compared}")
    print(
        f"agreed             : {totals['agree']} ({100 * totals['agree'] / max(compared, 1):.2f}%)"
    )
    print(f"disagreed          : {totals['disagree']}")
    print(f"op names unknown   : {totals['unknown_names']} (variables whose op name scopelint leaves open)")
    share = totals["variables_compared"] / max(totals["variables_predicted"], 1)
    print(f"variables compared : {totals['variables_compared']} of the "
          f"{totals['variables_predicted']} scopelint predicts ({100 * share:.1f}%)")
    print(f"shapes compared    : {shapes['shapes']} ({shapes['dims_unknown']} dims left unknown; "
          f"{shapes['shapes_unknown']} variable shapes not predicted)")
    print(f"dtypes compared    : {shapes['dtypes']} ({shapes['dtypes_unknown']} not predicted)")
    found, raised = totals["shape_found"], totals["shape_raised"]
    reported = totals["shape_reported"]
    right = reported - totals["shape_spurious"]
    print(
        f"shape errors       : TF raised one (\"specified shape\") in {raised} programs; "
        f"scopelint SL006 there: {found} (recall {100 * found / max(raised, 1):.1f}%)"
    )
    print(
        f"SL006 reported     : first error in {reported} programs; TF raised it there: {right}, "
        f"not: {totals['shape_spurious']} (precision {100 * right / max(reported, 1):.1f}%)"
    )
    print("disagreements per category (a program can count in several):")
    for cat in CATEGORIES:
        print(f"  {cat:18s} {per_category[cat]}")
    print(f"wall time          : {time.time() - started:.0f}s")
    for kind, items in sorted(per_class.items()):
        example = min(items, key=lambda o: len(o.source))
        how = "minimised" if do_minimize else "the shortest"
        print(f"\n=== class: {kind}: {class_counts[kind]} programs; example ({how}):")
        if do_minimize:
            example = minimize(example)
            if save:
                slug = re.sub(r"\W+", "_", kind).strip("_")
                (save / f"minimal_{slug}.py").write_text(example.source)
        print(example.describe())
    return {"totals": dict(totals), "categories": dict(per_category), "classes": dict(class_counts),
            "shapes": dict(shapes)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.differential",
        description="Differential testing of scopelint against TensorFlow on random programs.",
    )
    parser.add_argument("--examples", type=int, default=1000, help="programs to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--batch-size", type=int, default=500, help="programs per TF child process (bounds memory)"
    )
    parser.add_argument(
        "--save-disagreements",
        type=Path,
        default=None,
        metavar="DIR",
        help="write every disagreeing program (and minimised ones) here",
    )
    parser.add_argument(
        "--minimize",
        action="store_true",
        help="reduce the shortest example of each class (runs TF in this process)",
    )
    parser.add_argument("--quiet", action="store_true", help="no per-batch progress lines")
    args = parser.parse_args(argv)
    result = campaign(
        args.examples,
        args.seed,
        args.batch_size,
        args.save_disagreements,
        args.minimize,
        args.quiet,
    )
    return 1 if result["totals"].get("disagree") else 0


if __name__ == "__main__":
    sys.exit(main())
