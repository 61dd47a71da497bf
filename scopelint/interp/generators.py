"""Generators: a function with ``yield`` runs only as it is iterated, one item at a time.

Calling such a function makes a ``Generator`` and runs nothing. Iterating it runs its body; at
each ``yield`` of that call the consumer's code for the item runs right there, in the
consumer's frame: a ``for`` loop's body, a comprehension's element, the block of a ``with`` on
a ``@contextmanager`` function (``contexts.py``), or a collector for ``list(gen)``. So the
consumer's effects and the generator's interleave as in Python, a ``break`` closes the
generator (leaving its scopes as ``GeneratorExit`` would), and a generator nobody iterates
runs nothing. It runs once; iterated again, it gives nothing. Part of ``Interpreter``.
"""

from __future__ import annotations

from typing import Any, Callable

import libcst as cst

from .args import contains_own
from .signals import MAX_CALL_DEPTH, Terminate
from .values import UNKNOWN, Enumerated, Function, Generator, note_object


class Generators:
    def is_generator(self, fn: Function) -> bool:
        """``fn`` is a function whose own body yields."""
        node = fn.node
        # A module read lazily keeps the bodies out of its tree until a call needs one; its
        # skeleton, shared by the files that import it, keeps the answers too.
        skeleton = self.skeletons.get(fn.module) if fn.module is not None else self.own_skeleton
        known = skeleton.yields if skeleton is not None else self.generator_nodes
        found = known.get(node)
        if found is None:
            found = False
            if (type(node) is cst.FunctionDef and node.asynchronous is None
                    and (skeleton is None or skeleton.may_yield(node))):
                body = skeleton.body(node) if skeleton is not None else node.body
                found = contains_own(body, (cst.Yield,))
            known[node] = found
        return found

    def run_generator(self, fn: Function, args: tuple, kwargs: dict, node: cst.CSTNode,
                      handler: Callable[[Any], None]) -> None:
        """Run ``fn``'s body; each ``yield`` of this call runs ``handler(value)`` in the frame
        of the code that runs the generator (its call stack, module and running calls)."""
        caller = self._frame_state()

        def on_yield(value: Any) -> None:
            inner = self._frame_state()
            self._set_frame_state(tuple(list(v) if type(v) is list else v for v in caller))
            try:
                handler(value)
            finally:
                self._set_frame_state(inner)

        invocation = self.invocation_counter + 1  # the number _run_call gives this call
        self.yield_handlers[invocation] = on_yield
        try:
            self._run_call(fn, list(args), dict(kwargs), node, False)
        finally:
            self.yield_handlers.pop(invocation, None)

    def yielded(self, value: Any) -> bool:
        """A ``yield value`` ran: hand it to the consumer of the running call, if any."""
        if not self.yield_handlers or not self.stack:
            return False
        handler = self.yield_handlers.get(self.stack[-1].invocation)
        if handler is None:
            return False
        handler(value)
        return True

    def drive(self, source: Any, each: Callable[[Any], None]) -> bool:
        """Iterate a generator (or ``enumerate`` of one), running ``each(item)`` for each item
        as it is yielded. ``each`` raises ``StopDriving`` to close the generator (``break``),
        ``Driven`` to leave the consumer's way out past it. False when the items are unknown:
        the generator could not run (a recursion, the depth limit, begun by ``next()``)."""
        if type(source) is Enumerated:
            count = [source.start]

            def numbered(value: Any) -> None:
                index = count[0]
                count[0] += 1
                each((index, value))

            return self.drive(source.source, numbered)
        gen: Generator = source
        if gen.used:
            if gen.partial:
                self.opaque([], {})  # the rest of its body runs, unseen
                return False
            return True  # exhausted: no items
        note_object(gen)
        gen.used = True
        fn = gen.fn
        # A generator recursing over known data (subclasses of subclasses) is followed: only
        # the depth limit and the step budget bound it.
        if len(self.active) >= MAX_CALL_DEPTH:
            self.opaque(list(gen.args), dict(gen.kwargs))
            return False
        self.impure()  # the consumer runs inside the call: not a call to summarise
        token = object()  # this drive's: a generator it runs may drive another inside

        def own(value: Any) -> None:
            try:
                each(value)
            except StopDriving as stop:
                stop.token = stop.token or token
                raise
            except Driven as left:
                left.token = left.token or token
                raise

        try:
            self.run_generator(fn, gen.args, gen.kwargs, gen.node, own)
        except StopDriving as stop:
            if stop.token is not token:
                raise
        except Driven as left:
            if left.token is not token:
                raise
            raise left.stop from None
        return True

    def collect(self, source: Any) -> list | None:
        """All the items of a generator, for a consumer that takes them all (``list(gen)``)."""
        items: list = []
        return items if self.drive(source, items.append) else None

    def first(self, gen: Generator) -> Any:
        """``next(gen)``: its body runs up to the first ``yield``; what follows stays unknown."""
        if gen.used:
            return UNKNOWN
        found: list = []

        def stop(value: Any) -> None:
            found.append(value)
            raise StopDriving

        known = self.drive(gen, stop)
        note_object(gen)
        gen.partial = True
        return found[0] if known and found else UNKNOWN

    def loop_over(self, source: Any, target: cst.BaseAssignTargetExpression, body: Callable[[], None],
                  env: Any) -> bool:
        """A ``for`` loop over a generator: the body runs at each ``yield``. Returns whether the
        loop ended without ``break`` (None-safe: an unknown end counts as not broken)."""
        from .signals import Break, Continue  # signals imports nothing: no cycle

        broke: list = []

        def each(value: Any) -> None:
            self.assign(target, value, env)
            try:
                body()
            except Break:
                broke.append(True)
                raise StopDriving from None
            except Continue:
                pass
            except Terminate as stop:
                raise Driven(stop) from None

        known = self.drive(source, each)
        if not known:  # the items are unknown: the body once, as a possibility

            def once() -> None:
                self.assign(target, UNKNOWN, env)
                body()

            self.possibly(once)
        return not broke


class StopDriving(Exception):
    """The consumer is done with the generator (``break``, ``next``): close it. ``token`` names
    the drive whose consumer stopped (generators inside it are closed on the way)."""

    token: Any = None


class Driven(Exception):
    """The consumer's code left by return, raise or an outer loop's break: the generator's frames
    are left as an exception would, then the way out goes on from the consumer's drive
    (``token``)."""

    def __init__(self, stop: Terminate) -> None:
        self.stop = stop
        self.token: Any = None
