"""Statements: assignment, deletion, control flow and ``try``, as the interpreter runs them.

Branches the analysis cannot decide run as alternatives on *paths* (``self.path``, a frozenset of
``(branch, arm)`` choices); loops over known sequences are unrolled. Part of ``Interpreter``
(``interpreter.py``), which composes this class with the definition, ``with``, expression,
call, builtin, library and import ones.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable, Sequence

import libcst as cst

from . import arrays, sets
from .args import contains_own
from .containers import del_item, set_function_attribute, set_item
from .handlers import imports_that_resolved, only_raises, swallows_value_error
from .journal import begin, end, joined
from .signals import (
    IDLE_IMPORT_LOOP_STEPS, IDLE_LOOP_STEPS, MAX_UNROLL, Break, Continue, Raise, Return, Terminate,
)
from .values import (
    TENSOR,
    UNKNOWN,
    Array,
    Class,
    Enumerated,
    Env,
    Function,
    Generator,
    Instance,
    OpenObject,
    TFRef,
    as_int,
    note_object,
    truth,
)


class Statements:
    # -- statements ----------------------------------------------------------------------------

    def exec_block(self, stmts: Iterable[cst.CSTNode], env: Env) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        self._tick()
        # Dispatch on the node's exact type: libcst's node classes are ABCs, and a chain of
        # isinstance tests on them costs more than running most statements.
        run = _STATEMENTS.get(type(stmt))
        if run is not None:
            run(self, stmt, env)
        elif isinstance(stmt, cst.BaseSmallStatement):
            # The body of a one-line suite (`def f(x): return g(x)`, `if c: x = 1`).
            self.exec_small(stmt, env)
        # anything else (decorators alone, etc.) has no effect on TF state

    def exec_line(self, stmt: cst.SimpleStatementLine, env: Env) -> None:
        for small in stmt.body:
            run = _SMALL.get(type(small))  # exec_small, inlined: most statements are lines
            if run is not None:
                run(self, small, env)

    def exec_match(self, stmt: cst.Match, env: Env) -> None:
        self.ev(stmt.subject, env)
        self.branches([(case.body, env) for case in stmt.cases] + [(None, env)])

    def exec_small(self, small: cst.CSTNode, env: Env) -> None:
        run = _SMALL.get(type(small))
        if run is not None:
            run(self, small, env)

    def exec_expr(self, small: cst.Expr, env: Env) -> None:
        if type(small.value) is not cst.SimpleString:  # a docstring does nothing
            self.ev(small.value, env)

    def exec_assign(self, small: cst.Assign, env: Env) -> None:
        value = self.ev(small.value, env)
        for target in small.targets:
            self.assign(target.target, value, env)

    def exec_ann_assign(self, small: cst.AnnAssign, env: Env) -> None:
        if small.value is not None:
            self.assign(small.target, self.ev(small.value, env), env)

    def exec_aug_assign(self, small: cst.AugAssign, env: Env) -> None:
        right = self.ev(small.value, env)
        left = self.ev(small.target, env)
        self.assign(small.target, self.binop(small.operator, left, right), env)

    def exec_return(self, small: cst.Return, env: Env) -> None:
        value = self.ev(small.value, env) if small.value is not None else None
        raise Return(value)

    def exec_raise(self, small: cst.Raise, env: Env) -> None:
        if small.exc is not None:
            self.ev(small.exc, env)
        raise Raise()

    def assign(self, target: cst.CSTNode, value: Any, env: Env) -> None:
        kind = type(target)  # exact types: libcst's node classes are ABCs, isinstance is slow
        if kind is cst.Name:
            env.set(target.value, value)
        elif kind is cst.Tuple or kind is cst.List:
            self._unpack(target.elements, value, env)
        elif type(target) is cst.StarredElement:
            self.assign(target.value, UNKNOWN, env)
        elif type(target) is cst.Attribute:
            obj = self.ev(target.value, env)
            if self.set_through_property(obj, target.attr.value, value, target):
                pass
            elif isinstance(obj, (Instance, Class, OpenObject)):
                self.changed(obj)
                note_object(obj)
                obj.attrs[target.attr.value] = value
            elif type(obj) is TFRef:
                # A name the program adds to the package's namespace (TFLearn sets
                # `tf.GraphKeys.TRAIN_OPS = 'trainops'` at import): read back as it was set.
                self.impure()
                name = self.hooks.canonical(f"{obj.path}.{target.attr.value}")
                self.api_values[name] = value if not self.path else UNKNOWN
            elif type(obj) is Function and target.attr.value in ("__wrapped__", "__signature__"):
                self.impure()
                self.wrapped[(obj.node, obj.env)] = None  # inspect reads these: not followed
            elif type(obj) is Function and obj.bound is None:  # a bound method takes none
                set_function_attribute(obj, target.attr.value, value)
                self.impure()
            elif (obj is UNKNOWN or obj is TENSOR) and isinstance(target.value, cst.Name):
                # An object of unknown type: remember what the program sets on it.
                self.impure()  # where the name is bound: maybe outside the call
                env.rebind(target.value.value, OpenObject(obj, {target.attr.value: value}))
        elif type(target) is cst.Subscript:
            self._set_subscript(target, value, env)

    def _unpack(self, elements: Sequence[cst.BaseElement], value: Any, env: Env) -> None:
        """``a, *rest, b = value``: each target its item when the items are known."""
        items = self.items(value) if type(value) is not dict else None
        starred = [i for i, e in enumerate(elements) if type(e) is cst.StarredElement]
        if items is not None and not starred and len(items) == len(elements):
            for element, item in zip(elements, items):
                self.assign(element.value, item, env)
        elif items is not None and len(starred) == 1 and len(items) >= len(elements) - 1:
            at, tail = starred[0], len(elements) - starred[0] - 1
            for element, item in zip(elements[:at], items[:at]):
                self.assign(element.value, item, env)
            self.assign(elements[at].value, items[at:len(items) - tail], env)
            for element, item in zip(elements[at + 1:], items[len(items) - tail:]):
                self.assign(element.value, item, env)
        else:
            for element in elements:
                inner = element.value
                self.assign(inner.value if type(inner) is cst.StarredElement else inner, UNKNOWN, env)

    def _set_subscript(self, target: cst.Subscript, value: Any, env: Env) -> None:
        """``obj[key] = value``: a list or dict changed in place, or the class's ``__setitem__``."""
        obj = self.ev(target.value, env)
        key = self._subscript_key(target, env)
        if type(obj) in (list, dict):
            self.changed(obj)
            set_item(obj, key, value)
        elif type(obj) is Array:
            self.impure()
            arrays.set_item(obj, key, value)
        elif isinstance(obj, Instance):
            method = self.get_attr(obj, "__setitem__", target)
            if isinstance(method, Function):
                self.call_function(method, [key, value], {}, target)

    def _subscript_key(self, target: cst.Subscript, env: Env) -> Any:
        if len(target.slice) != 1:
            for element in target.slice:
                self._generic_slice(element, env)
            return UNKNOWN
        element = target.slice[0].slice
        if type(element) is cst.Index:
            return self.ev(element.value, env)
        parts = [self.ev(part, env) for part in (element.lower, element.upper, element.step)]
        if all(p is None or as_int(p) is not None for p in parts) and parts[2] != 0:
            return slice(*parts)
        return UNKNOWN

    def _generic_slice(self, element: cst.SubscriptElement, env: Env) -> None:
        # Its expressions, in order; not through ``children``, which runs a libcst visitor.
        part = element.slice
        if type(part) is cst.Index:
            self.ev(part.value, env)
        else:
            for child in (part.lower, part.upper, part.step):
                if child is not None:
                    self.ev(child, env)

    def exec_del(self, small: cst.Del, env: Env) -> None:
        self._delete(small.target, env)

    def _delete(self, target: cst.BaseExpression, env: Env) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value, env)
        elif type(target) is cst.Name:
            env.set(target.value, UNKNOWN)  # NameError if read again
        elif type(target) is cst.Attribute:
            obj = self.ev(target.value, env)
            if isinstance(obj, (Instance, Class, OpenObject)):
                self.changed(obj)
                note_object(obj)
                obj.attrs.pop(target.attr.value, None)
        elif type(target) is cst.Subscript:
            obj = self.ev(target.value, env)
            key = self._subscript_key(target, env)
            if type(obj) in (list, dict):
                self.changed(obj)
                del_item(obj, key)


    # -- control flow --------------------------------------------------------------------------

    def branches(self, arms: list[tuple[Any, Env]]) -> None:
        """Run each arm as an alternative the analysis cannot decide between. Each arm starts
        from the bindings and objects as they were before the branch; after it, what the arms
        that go on left different is unknown (``journal.py``), not the last arm's value: `if
        mode == "a": fn = a elif ...: fn = b` then `fn(x)` is not a claim that `b` runs. An arm
        left by return, break or continue counts too (its changes reach the caller, or the code
        after the loop); one that raises does not: the code after the branch runs only where
        nothing raised (a handler that catches it sees the other arms' state, an approximation
        taken because argument checks that raise are everywhere in library code)."""
        branch = self.new_branch()
        base = self.path
        outcomes = []
        ends: list[dict] = []
        journal = begin()
        try:
            for index, (block, env) in enumerate(arms):
                self.path = base | {(branch, index)}
                if index:
                    journal.restore()
                try:
                    if isinstance(block, partial):
                        block()
                    elif block is not None:
                        self.exec_block(block.body if not isinstance(block, list) else block, env)
                    outcomes.append((index, None))
                except Terminate as stop:
                    outcomes.append((index, stop))
                if not isinstance(outcomes[-1][1], Raise):
                    ends.append(journal.state())
        finally:
            end(journal)
        journal.merge(ends)
        self.path = base
        live = [index for index, stop in outcomes if stop is None]
        if not live:
            stops = [stop for _, stop in outcomes]
            if all(isinstance(s, Return) for s in stops):
                raise Return(joined([s.value for s in stops]))
            raise stops[0]
        if len(live) < len(outcomes):
            if any(isinstance(stop, Return) for _, stop in outcomes) and self.call_frames:
                self.call_frames[-1].maybe_returned = True
            # An arm that raises where nothing catches ends the program: what follows runs on
            # the live arm without saying so (`if bad: raise ValueError(...)` checks).
            ended = self.catching == 0 and all(
                isinstance(stop, Raise) for _, stop in outcomes if stop is not None
            )
            if len(live) == 1 and not ended:
                self.path = base | {(branch, live[0])}

    def possibly(self, run: Callable[[], None]) -> None:
        """``run`` as a possibility the analysis cannot decide (a loop's body, run an unknown
        number of times; a function a library may call): on a branch of its own, and after it
        what it changed is unknown (``journal.py``). Its return, break or raise ends only it."""
        branch = self.new_branch()
        base = self.path
        self.path = base | {(branch, 0)}
        journal = begin()
        ends: list[dict] = [{}]  # not run at all
        try:
            try:
                run()
                ends.append(journal.state())
            except (Break, Continue):
                ends.append(journal.state())
            except Return:
                ends.append(journal.state())
                if self.call_frames:
                    self.call_frames[-1].maybe_returned = True
            except Raise:
                pass  # only where it did not run does anything go on
        finally:
            end(journal)
            self.path = base
        journal.merge(ends)

    def exec_if(self, node: cst.If, env: Env) -> None:
        test = truth(self.ev(node.test, env))
        orelse = node.orelse
        if test is True:
            self.exec_block(node.body.body, env)
        elif test is False:
            if type(orelse) is cst.If:
                self.exec_if(orelse, env)
            elif orelse is not None:
                self.exec_block(orelse.body.body, env)
        else:
            if type(orelse) is cst.If:
                else_arm: Any = [orelse]
            elif orelse is not None:
                else_arm = orelse.body
            else:
                else_arm = None
            self.branches([(node.body, env), (else_arm, env)])

    def iterate(self, value: Any) -> list | None:
        items = self.items(value)
        return items if items is not None and len(items) <= MAX_UNROLL else None

    def exec_for(self, node: cst.For, env: Env) -> None:
        source = self.ev(node.iter, env)
        if type(source) in (Generator, Enumerated):
            finished = self.loop_over(
                source, node.target, lambda: self.exec_block(node.body.body, env), env
            )
            if finished and node.orelse is not None:
                self.exec_block(node.orelse.body.body, env)
            return
        orders = sets.orders(source) if type(source) in sets.SETS else None
        if orders is not None and len(orders) > 1 and len(orders[0]) <= MAX_UNROLL:
            # Strings in a set: each order Python may iterate them in is an alternative.
            self.branches([(partial(self._unrolled, node, env, order), env) for order in orders])
            return
        items = self.iterate(source)
        if items is None:
            self._maybe_loop(node, env, lambda: self.assign(node.target, UNKNOWN, env))
            return
        self._unrolled(node, env, items)

    def _unrolled(self, node: cst.For, env: Env, items: list) -> None:
        """A ``for`` loop over known items, unrolled."""
        base = self.path
        broke = False
        start = (self.steps, len(self.trace.events))
        for item in items:
            self.path = base
            if self._idle_loop(start):
                self._maybe_loop(node, env, lambda: self.assign(node.target, UNKNOWN, env))
                return
            self.assign(node.target, item, env)
            try:
                self.exec_block(node.body.body, env)
            except Break:
                broke = True
                break
            except Continue:
                continue
        self.path = base
        if not broke and node.orelse is not None:
            self.exec_block(node.orelse.body.body, env)

    def exec_while(self, node: cst.While, env: Env) -> None:
        """Unrolled while its test is known (``while pos < len(text):``) and nothing in its body
        may leave it early (a break or return taken on an undecided branch would make the later
        rounds guesses); past that, its body once as a possibility."""
        test = truth(self.ev(node.test, env))
        if test is True and not _leaves_early(node.body):
            base = self.path
            start = (self.steps, len(self.trace.events))
            for _ in range(MAX_UNROLL):
                self.path = base
                if self._idle_loop(start):
                    break  # the rest as a possibility, below
                try:
                    self.exec_block(node.body.body, env)
                except Continue:
                    pass
                self.path = base
                test = truth(self.ev(node.test, env))
                if test is not True:
                    break
        if test is False:
            if node.orelse is not None:
                self.exec_block(node.orelse.body.body, env)
            return
        self._maybe_loop(node, env, lambda: None)

    def _idle_loop(self, start: tuple[int, int]) -> bool:
        """A loop unrolled from ``start`` (steps, events) has run ``IDLE_LOOP_STEPS`` steps
        (``IDLE_IMPORT_LOOP_STEPS`` in an imported module's code) without creating or looking up
        a variable (a numpy table filled cell by cell): its remaining rounds are run as one
        possibility, which leaves what they would change unknown (to the program's values and to
        the model's state alike, as for a loop over unknown items), instead of taking the
        entry's whole budget."""
        limit = IDLE_IMPORT_LOOP_STEPS if self.importing else IDLE_LOOP_STEPS
        return self.steps - start[0] > limit and len(self.trace.events) == start[1]

    def _maybe_loop(self, node: cst.For | cst.While, env: Env, bind: Callable[[], None]) -> None:
        """A loop that runs an unknown number of times: its body once, as a possibility."""

        def body() -> None:
            bind()
            self.exec_block(node.body.body, env)

        self.possibly(body)
        if node.orelse is not None:
            self.branches([(node.orelse.body, env), (None, env)])

    def exec_try(self, node: cst.Try | cst.TryStar, env: Env) -> None:
        catches = swallows_value_error(node.handlers)
        if catches:
            self.suppress += 1
        handled = 1 if node.handlers else 0
        self.catching += handled
        stop: Terminate | None = None
        try:
            self.exec_block(node.body.body, env)
        except Raise:
            pass  # a raise inside try: the handlers below are the alternatives
        except Terminate as terminate:
            stop = terminate
        finally:
            self.catching -= handled
            if catches:
                self.suppress -= 1
        if stop is None and node.handlers and imports_that_resolved(node, env):
            # `try: from tensorflow.python... import x / except ImportError: <older path>`:
            # the imports of the modelled API and of the project's modules succeed.
            if node.orelse is not None:
                self.exec_block(node.orelse.body.body, env)
        elif stop is None and node.handlers and self.catching == 0 and all(
            only_raises(h.body) for h in node.handlers
        ):
            # Handlers that only re-raise (`except ValueError as e: raise ValueError(...)`, as
            # HParams.get checks each default) end the program where nothing catches: no
            # alternative goes on but the try's own.
            if node.orelse is not None:
                self.exec_block(node.orelse.body.body, env)
        elif stop is None:
            arms: list[tuple[Any, Env]] = []
            if node.handlers:
                arms.append((node.orelse.body if node.orelse is not None else None, env))
                for handler in node.handlers:
                    if handler.name is not None and isinstance(handler.name.name, cst.Name):
                        env.set(handler.name.name.value, UNKNOWN)
                    arms.append((handler.body, env))
                self.branches(arms)
            elif node.orelse is not None:
                self.exec_block(node.orelse.body.body, env)
        if node.finalbody is not None:
            self.exec_block(node.finalbody.body.body, env)
        if stop is not None:
            raise stop

def _break(sim: Any, small: cst.Break, env: Env) -> None:
    raise Break()


def _continue(sim: Any, small: cst.Continue, env: Env) -> None:
    raise Continue()


def _global(sim: Any, small: cst.Global, env: Env) -> None:
    sim.impure()
    env.globals_.update(n.name.value for n in small.names)


def _nonlocal(sim: Any, small: cst.Nonlocal, env: Env) -> None:
    sim.impure()
    env.nonlocal_names.update(n.name.value for n in small.names)


def _assert(sim: Any, small: cst.Assert, env: Env) -> None:
    sim.ev(small.test, env)


_STATEMENTS: dict[type, Callable[[Any, Any, Env], None]] = {
    cst.SimpleStatementLine: Statements.exec_line,
    cst.FunctionDef: lambda sim, stmt, env: sim.define_function(stmt, env),
    cst.ClassDef: lambda sim, stmt, env: sim.define_class(stmt, env),
    cst.If: Statements.exec_if,
    cst.For: Statements.exec_for,
    cst.While: Statements.exec_while,
    cst.With: lambda sim, stmt, env: sim.exec_with(stmt, env, list(stmt.items)),
    cst.Try: Statements.exec_try,
    cst.TryStar: Statements.exec_try,
    cst.Match: Statements.exec_match,
}

_SMALL: dict[type, Callable[[Any, Any, Env], None]] = {
    cst.Expr: Statements.exec_expr,
    cst.Assign: Statements.exec_assign,
    cst.AnnAssign: Statements.exec_ann_assign,
    cst.AugAssign: Statements.exec_aug_assign,
    cst.Return: Statements.exec_return,
    cst.Break: _break,
    cst.Continue: _continue,
    cst.Raise: Statements.exec_raise,
    cst.Import: lambda sim, small, env: sim.do_import(small, env),
    cst.ImportFrom: lambda sim, small, env: sim.do_import_from(small, env),
    cst.Global: _global,
    cst.Nonlocal: _nonlocal,
    cst.Assert: _assert,
    cst.Del: Statements.exec_del,
}


def _leaves_early(body: cst.BaseSuite) -> bool:
    """A ``break`` or ``return`` of the loop itself (not of a nested def or class)."""
    return contains_own(body, (cst.Break, cst.Return))
