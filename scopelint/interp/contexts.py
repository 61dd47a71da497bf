"""``with``: the model's context managers, the program's classes with ``__enter__``, functions
made context managers by ``contextlib.contextmanager``, and ``contextlib.ExitStack``.

A manager the model does not define may swallow an exception, which ``catching`` counts (a
raise outside every such block ends the program); one that expects a ValueError
(``assertRaises``) makes TF's error expected. Part of ``Interpreter``.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from .args import dotted
from .handlers import names_value_error
from .signals import MAX_CALL_DEPTH, Raise, Terminate
from .values import (
    TENSOR,
    UNKNOWN,
    Env,
    ExitStack,
    Function,
    GeneratorContext,
    Instance,
    TFRef,
)


class Contexts:
    def exec_with(self, node: cst.With, env: Env, items: list[cst.WithItem]) -> None:
        if not items:
            self.exec_block(node.body.body, env)
            return
        item, rest = items[0], items[1:]
        manager = self.ev(item.item, env)
        if type(manager) is GeneratorContext:
            self._with_generator(node, env, item, rest, manager)
            return
        if type(manager) is ExitStack and not rest:
            self._with_exit_stack(node, env, item, manager)
            return
        entered, exit_ = self.enter(manager, item.item)
        # `with self.assertRaises(ValueError):` (or pytest.raises): like a try that catches it.
        expects = _expects_value_error(item.item)
        if expects:
            self.suppress += 1
        # A manager the model does not define may swallow the exception (`contextlib.suppress`,
        # an `__exit__` that returns True).
        swallows = 0 if type(manager) in self.hooks.contexts or _calls_api(item.item, env) else 1
        self.catching += swallows
        try:
            if item.asname is not None:
                self.assign(item.asname.name, entered, env)
            self.exec_with(node, env, rest)
        finally:
            self.catching -= swallows
            if expects:
                self.suppress -= 1
            exit_()

    def _with_generator(self, node: cst.With, env: Env, item: cst.WithItem,
                        rest: list[cst.WithItem], manager: GeneratorContext) -> None:
        """``with cm(...):`` for a ``@contextmanager`` function: its body runs up to ``yield``,
        the block runs there in the caller's frame (so that the scopes the function entered are
        open around it, and an exception leaves them), then the rest of the function runs."""
        self._around(manager, item.item, lambda value: self._block(node, env, item, rest, value))

    def _around(self, manager: GeneratorContext, node: cst.CSTNode,
                body: Callable[[Any], None]) -> None:
        """Run ``manager``'s function with ``body(yielded value)`` at its ``yield``."""
        fn = manager.fn
        if self.running(fn) or len(self.active) >= MAX_CALL_DEPTH:
            self.impure()
            self.opaque(list(manager.args), dict(manager.kwargs))
            body(UNKNOWN)
            return
        self.impure()  # the block runs inside the call: not a call to summarise
        ran: list = []  # how the block left: its last path, or its return, break or continue

        def block(value: Any) -> None:
            if ran:
                return  # a second yield: Python raises there; the block ran once
            try:
                body(value)
                ran.append(self.path)  # the branch the block ended on holds after the with
            except Raise as stop:
                raise _LeftBlock(stop) from None  # thrown into the function at its yield
            except Terminate as stop:
                ran.append(stop)  # return, break, continue: the function runs on, then this

        try:
            self.run_generator(fn, manager.args, manager.kwargs, node, block)
        except _LeftBlock as left:
            raise left.stop from None
        if not ran:
            raise Raise()  # "generator didn't yield": the block does not run
        if isinstance(ran[0], Terminate):
            raise ran[0]
        self.path = ran[0]

    # -- contextlib.ExitStack -------------------------------------------------------------------

    def _with_exit_stack(self, node: cst.With, env: Env, item: cst.WithItem,
                         stack: ExitStack) -> None:
        """``with ExitStack() as stack:``: the block runs statement by statement, so that a
        ``@contextmanager`` function entered on the stack by a statement of the block runs the
        rest of the block at its ``yield``; what else was entered is left, last first, at the
        end (those entered after such a function, before the rest of it runs)."""
        if item.asname is not None:
            self.assign(item.asname.name, stack, env)
        try:
            self._stack_block(node.body.body, 0, env, stack)
        finally:
            self._leave(stack, 0)

    def _stack_block(self, statements: Any, start: int, env: Env, stack: ExitStack) -> None:
        for index in range(start, len(statements)):
            stack.statement = statements[index]
            try:
                self.exec_stmt(statements[index], env)
            finally:
                stack.statement = None
            pending, stack.pending = stack.pending, None
            if pending is None:
                continue
            manager, target = pending
            mark = len(stack.exits)

            def rest(value: Any, after: int = index + 1) -> None:
                if target is not None:
                    self.assign(target, value, env)
                try:
                    self._stack_block(statements, after, env, stack)
                finally:
                    self._leave(stack, mark)

            self._around(manager, statements[index], rest)
            return

    def _leave(self, stack: ExitStack, mark: int) -> None:
        while len(stack.exits) > mark:
            stack.exits.pop()()

    def exit_stack_method(self, stack: ExitStack, name: str, args: list, kwargs: dict,
                          node: cst.CSTNode) -> Any:
        if name == "enter_context" and len(args) == 1 and not kwargs:
            return self._enter_on_stack(stack, args[0], node)
        if name == "callback" and args:
            fn, rest = args[0], args[1:]
            stack.exits.append(lambda: self.call_value(fn, list(rest), dict(kwargs), node))
            return fn
        if name in ("close", "__exit__"):
            self._leave(stack, 0)
            return None
        if name == "pop_all" and not args and not kwargs:
            moved = ExitStack(list(stack.exits))
            stack.exits.clear()
            return moved
        if name == "__enter__":
            return stack
        self.opaque(args, kwargs)  # `push` of an exit function, anything else: not followed
        return UNKNOWN

    def _enter_on_stack(self, stack: ExitStack, manager: Any, node: cst.CSTNode) -> Any:
        if type(manager) is GeneratorContext:
            target = _entered_by(stack.statement, node)
            if target is False or stack.pending is not None:
                # Not a statement of the block the stack runs as: where the rest of the block
                # would run inside the function is not followed.
                self.opaque(list(manager.args), dict(manager.kwargs))
                return UNKNOWN
            stack.pending = (manager, target)
            return UNKNOWN  # the value it yields is bound when the function reaches its yield
        value, exit_ = self.enter(manager, node)
        stack.exits.append(exit_)
        return value

    def _block(self, node: cst.With, env: Env, item: cst.WithItem, rest: list[cst.WithItem],
               entered: Any) -> None:
        if item.asname is not None:
            self.assign(item.asname.name, entered, env)
        self.exec_with(node, env, rest)

    def _frame_state(self) -> tuple:
        """Where the interpreter is: the call stack and what each running call keeps (lists
        copied, since the calls made after this push onto the same lists)."""
        return (self.stack, self.current_module, list(self.anchors), list(self.methods),
                list(self.call_frames), list(self.active))

    def _set_frame_state(self, state: tuple) -> None:
        (self.stack, self.current_module, self.anchors, self.methods, self.call_frames,
         self.active) = state

    def enter(self, manager: Any, node: cst.CSTNode) -> tuple[Any, Callable[[], None]]:
        hook = self.hooks.contexts.get(type(manager))
        if hook is not None:
            return hook(self, manager, node)
        if type(manager) is ExitStack:
            return manager, lambda: self._leave(manager, 0)
        if isinstance(manager, Instance):
            method = self.get_attr(manager, "__enter__", node)
            if isinstance(method, Function):
                value = self.call_value(method, [], {}, node)
                return value, lambda: None
        if manager is TENSOR:
            return TENSOR, lambda: None  # a harmless object (an open file, a session) gives one
        return UNKNOWN, lambda: None


class _LeftBlock(Exception):
    """The block of a ``with`` on a generator raised: the exception goes through the
    generator's frames from its ``yield``, then on from the ``with``."""

    def __init__(self, stop: Terminate) -> None:
        self.stop = stop


def _entered_by(statement: Any, call: cst.CSTNode) -> Any:
    """Where the statement ``statement`` binds what ``call`` gives: None when it is the
    statement's whole expression, the target of a plain ``x = call``; False when ``call``
    is anything else (part of an expression, of a nested block)."""
    if type(statement) is not cst.SimpleStatementLine or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if type(small) is cst.Expr and small.value is call:
        return None
    if type(small) is cst.Assign and small.value is call and len(small.targets) == 1:
        return small.targets[0].target
    return False


def _calls_api(expression: cst.BaseExpression, env: Env) -> bool:
    """``expression`` calls an API of the modelled package (``tf.device(...)``): its context
    managers never swallow an exception."""
    name = dotted(expression.func) if type(expression) is cst.Call else None
    return name is not None and type(env.find(name.split(".")[0], None)) is TFRef


# Context managers of test frameworks that expect the exception class they are given.
_EXPECTING = frozenset({
    "assertRaises", "assertRaisesRegex", "assertRaisesRegexp", "assertRaisesWithPredicateMatch",
    "raises",
})


def _expects_value_error(manager: cst.BaseExpression) -> bool:
    """``manager`` is ``self.assertRaises(ValueError, ...)``, ``pytest.raises(ValueError)`` or
    the like: a ValueError raised inside is what the test expects."""
    if not isinstance(manager, cst.Call) or not manager.args:
        return False
    name = dotted(manager.func)
    if name is None or name.split(".")[-1] not in _EXPECTING:
        return False
    first = manager.args[0]
    return first.keyword is None and not first.star and names_value_error(first.value)
