"""Summaries of calls that only compute: interpreted once per file, replayed at every repeat.

Real models call small helpers thousands of times with the same tensors (``shape_list(x)``,
``cast_like(x, y)``): their bodies read shapes and build ops without a name, and change nothing
the analysis keeps. A call is *recorded* when its function is a plain function (not a bound
method) and every argument is a frozen value (``key_of``). It is *summarised* if, while it ran,
it was *pure*:

- the model never called ``impure()``: every handler it reached computed its result from its
  arguments and ``Hooks.token`` and changed nothing (an op that takes a name does not);
- it read, from environments that existed before the call, only frozen values, functions,
  modules of the run and classes of the program holding nothing else (each read becomes a guard:
  the name must still give the same object, the class the same attributes);
- it wrote nothing outside itself (no ``global``/``nonlocal``, no import, no ``super()``, no
  unknown decorator, no call into unknown code that the model's state does not record already,
  no change to a list, dict or object it did not make: ``changed``), emitted no event, and
  returned normally a value made of frozen values, lists, tuples, dicts and objects it made of
  the classes it read (a helper that builds an ``HParams``).

A repeat of the call (same function, environment, arguments and token) whose guards hold is
replayed: the result is rebuilt (lists, dicts and objects anew, as the body would have built
them), and
the steps, invocation and branch numbers and executed functions the body would have added are
added, so everything after the call is as if the body had run. A replay that could run out of
steps, reach the call depth limit or recurse into a running function is interpreted instead.
Environments carry a creation serial: one created after a recording started is the call's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from .signals import MAX_CALL_DEPTH, MAX_ENTRY_STEPS, OutOfBudget
from .values import (
    Builtin,
    Class,
    ClassMethod,
    ContextFactory,
    Dim,
    DType,
    Env,
    Function,
    Instance,
    ModuleRef,
    ProjectModule,
    Property,
    Shape,
    StaticMethod,
    Tensor,
    TFRef,
    _Singleton,
    next_serial,
)

MISSING: Any = _Singleton("MISSING")  # a name bound nowhere
# A function whose recordings were impure this many times, and never pure, is not recorded again.
GIVE_UP = 3

_ATOMS = frozenset({type(None), bool, int, str, Dim, DType, TFRef, ModuleRef, Builtin, _Singleton})


def key_of(value: Any) -> Any:
    """A hashable key for a frozen value, equal only for values no code can tell apart (so
    ``1``, ``True``, ``1.0`` and ``Dim(1)`` differ), or None when ``value`` is not frozen."""
    kind = type(value)
    if kind in _ATOMS:
        return (kind, value)
    if kind is float:
        return (float, value.hex())  # 0.0 and -0.0 are equal, but print differently
    if kind is Tensor:
        shape = value.shape
        return (Tensor, value) if shape is None else (Tensor, value, tuple(map(type, shape)))
    if kind is tuple or kind is Shape:
        items = []
        for item in value:
            key = key_of(item)
            if key is None:
                return None
            items.append(key)
        return (kind, tuple(items))
    return None


# What a class body makes of a function: reading it through the class gives the function.
_WRAPPERS = (StaticMethod, ClassMethod, Property, ContextFactory)


def readable(value: Any) -> bool:
    """A value a summarised call may read from outside itself: it cannot change under the guard
    (frozen), or what is read through it is guarded in turn (a function's environment, a module's
    namespace)."""
    if value is MISSING or key_of(value) is not None:
        return True
    kind = type(value)
    return (kind is Function and value.bound is None) or kind is ProjectModule


@dataclass(eq=False)
class Recording:
    """What one call did while it ran, for its summary."""

    serial: int  # environments with this serial or later are the call's own
    steps: int
    invocations: int
    branches: int
    events: int
    depth: int  # len(active) before the call
    pure: bool = True
    guards: dict = field(default_factory=dict)  # (id(env), name) -> (env, name, value)
    # id(node) -> (node, defaults list, serial of the function's environment)
    defaults: dict = field(default_factory=dict)
    functions: set = field(default_factory=set)  # nodes of the functions it ran
    deepest: int = 0  # the most calls running at once
    # Classes of the program it read from outside: id -> (class, its attributes as read)
    classes: dict = field(default_factory=dict)
    # The entry had not called the modelled package when it started: the summary can tell
    # when (or whether) the call does (``Summary.api_at``).
    api_known: bool = False
    # What the model did that a replay does again (``Summarising.effect``): (function, args).
    effects: list = field(default_factory=list)

    def guard(self, env: Env, name: str, value: Any) -> None:
        """``name``, looked up from ``env`` (the innermost environment made before the call),
        gave ``value``: a replay needs the same."""
        key = (id(env), name)
        if key not in self.guards:
            self.guards[key] = (env, name, value)
            if not self.admit(value):
                self.pure = False

    def admit(self, value: Any) -> bool:
        """May the call read ``value`` from outside? A class of the program may be read when
        everything it and its bases hold may: what a replay needs of it is that none of their
        attributes changed since (``Summary.classes``)."""
        if readable(value):
            return True
        return type(value) is Class and self._admit_class(value)

    def _admit_class(self, cls: Class) -> bool:
        if id(cls) in self.classes:
            return True
        # A base the model knows (a TF class) answers for the names it defines, a record binds
        # fields: neither is guarded here.
        order = cls.mro()
        if not order or cls.record() is not None or cls.foreign_base() is not None:
            return False
        for klass in order:
            if type(klass) is Class and id(klass) not in self.classes:
                self.classes[id(klass)] = (klass, tuple(klass.attrs.items()))
                for member in klass.attrs.values():
                    if type(member) in _WRAPPERS:
                        member = member.fn
                    if not self.admit(member):
                        return False
        return True


@dataclass(frozen=True, eq=False)
class Summary:
    result: Any  # a template (``template``)
    steps: int
    invocations: int
    branches: int
    extent: int  # calls running at once inside it, itself included
    guards: tuple  # (env, name, value): env.find(name) must still give value
    defaults: tuple  # (node, list, serial): the function's defaults must still be that list
    functions: frozenset
    env: Env  # kept alive: the key holds its id
    classes: tuple  # (class, attributes): each class must still hold the very same
    api_known: bool  # api_at is known (the recording started before any call into the package)
    api_at: int | None  # steps into the call of its first call into the package; None: none
    effects: tuple  # (function, args) the model ran, in order: a replay runs them again


class _Impure(Exception):
    pass


_BUILDING: Any = _Singleton("BUILDING")


def template(value: Any, record: Recording) -> Any:
    """What ``rebuild`` makes ``value`` again, or raises ``_Impure``: frozen values are kept,
    lists, dicts and tuples holding them are built anew (shared ones stay shared), and so are
    the objects the call made of classes it read from outside (an ``HParams`` a helper builds)."""
    seen: dict[int, Any] = {}

    def walk(v: Any) -> Any:
        if key_of(v) is not None:
            return ("value", v)
        found = seen.get(id(v))
        if found is _BUILDING:
            raise _Impure
        if found is not None:
            return found
        kind = type(v)
        if kind is tuple:
            # Rebuilt after its items: a tuple reached again through them (a cycle) cannot be.
            seen[id(v)] = _BUILDING
            node: Any = [tuple, [walk(item) for item in v]]
            seen[id(v)] = node
            return node
        if kind is list:
            node = [list, []]
            seen[id(v)] = node
            node[1].extend(walk(item) for item in v)
            return node
        if kind is dict:
            node = [dict, []]
            seen[id(v)] = node
            node[1].extend((k, walk(item)) for k, item in v.items())
            return node
        if kind is Instance and v.born > record.invocations and id(v.cls) in record.classes:
            # [Instance, class, attributes, spoilt, made how many calls into the recorded one]
            node = [Instance, v.cls, [], v.spoilt, v.born - record.invocations]
            seen[id(v)] = node
            node[2].extend((k, walk(item)) for k, item in v.attrs.items())
            return node
        raise _Impure

    return walk(value)


def rebuild(shape: Any, invocations: int) -> tuple[Any, list]:
    """The value ``template`` describes, made anew as by a call that starts after invocation
    ``invocations``; and the lists and dicts made."""
    made: dict[int, Any] = {}
    containers: list = []

    def walk(node: Any) -> Any:
        if type(node) is tuple:
            return node[1]
        found = made.get(id(node))
        if found is not None:
            return found
        kind = node[0]
        if kind is Instance:
            _, cls, attrs, spoilt, born = node
            obj = Instance(cls, {}, spoilt, invocations + born)
            made[id(node)] = obj
            for k, item in attrs:
                obj.attrs[k] = walk(item)
            return obj
        items = node[1]
        if kind is dict:
            out: Any = {}
            made[id(node)] = out
            containers.append(out)
            for k, item in items:
                out[k] = walk(item)
            return out
        if kind is list:
            out = []
            made[id(node)] = out
            containers.append(out)
            out.extend(walk(item) for item in items)
            return out
        return tuple(walk(item) for item in items)  # no cycle runs through it (``template``)

    return walk(shape), containers


def summarise(record: Recording, result: Any, fn: Function, steps: int, invocations: int,
              branches: int, api_step: int | None) -> Summary | None:
    """The summary of a call that has just returned ``result``, or None when it was not pure."""
    if not record.pure:
        return None
    try:
        shape = template(result, record)
    except _Impure:
        return None
    return Summary(
        result=shape,
        steps=steps - record.steps,
        invocations=invocations - record.invocations,
        branches=branches - record.branches,
        extent=record.deepest - record.depth,
        guards=tuple(record.guards.values()),
        defaults=tuple(record.defaults.values()),
        functions=frozenset(record.functions),
        env=fn.env,
        classes=tuple(record.classes.values()),
        api_known=record.api_known,
        api_at=api_step - record.steps if record.api_known and api_step is not None else None,
        effects=tuple(record.effects),
    )


def holds(summary: Summary, defaults: dict) -> bool:
    """Whether everything the summarised call read from outside still reads the same."""
    for env, name, value in summary.guards:
        if env.find(name, MISSING) is not value:
            return False
    for node, values, _ in summary.defaults:
        if defaults.get(node) is not values:
            return False
    for cls, attrs in summary.classes:
        now = cls.attrs
        if len(now) != len(attrs) or any(now.get(k, MISSING) is not v for k, v in attrs):
            return False
    return True


class Summarising:
    """Recording calls and replaying their summaries. Part of ``Interpreter``: ``call_function``
    hands a plain function's call here; the interpreter and the model report what a recording
    must know (``impure``, ``find_recorded``, ``entered_recorded``)."""

    def call_summarised(self, fn: Function, args: list, kwargs: dict, node: cst.CSTNode) -> Any:
        key = self._summary_key(fn, args, kwargs)
        if key is not None:
            summary = self.summaries.get(key)
            if summary is not None:
                if self._replayable(summary):
                    return self._replay(summary)
                key = None
            elif self.impure_calls.get(fn.node, 0) >= GIVE_UP:
                key = None
        if key is None:
            return self._run_call(fn, args, kwargs, node, False)
        record = Recording(
            serial=next_serial(), steps=self.steps, invocations=self.invocation_counter,
            branches=self.branch_counter, events=len(self.trace.events), depth=len(self.active),
            api_known=self.api_step is None,
        )
        self.recordings.append(record)
        try:
            result = self._run_call(fn, args, kwargs, node, False)
        finally:
            recordings = self.recordings
            if recordings and recordings[-1] is record:  # (unless it was dropped as impure)
                recordings.pop()
            if not recordings:
                self.made.clear()
        if len(self.trace.events) != record.events:
            record.pure = False
        summary = summarise(
            record, result, fn, self.steps, self.invocation_counter, self.branch_counter,
            self.api_step,
        )
        if summary is None:
            self.impure_calls[fn.node] = self.impure_calls.get(fn.node, 0) + 1
        else:
            self.summaries[key] = summary
        return result

    def _summary_key(self, fn: Function, args: list, kwargs: dict) -> Any:
        """The key of a call whose arguments are all frozen, or None."""
        positional = key_of(tuple(args))
        named = key_of(tuple(kwargs.values())) if kwargs else ()
        if positional is None or named is None:
            return None
        return (fn.node, id(fn.env), positional, tuple(kwargs), named, self.hooks.token(self))

    def _replayable(self, summary: Summary) -> bool:
        if not (
            len(self.active) + summary.extent <= MAX_CALL_DEPTH
            and summary.functions.isdisjoint(self.active)
            and holds(summary, self.defaults)
        ):
            return False
        if self.api_step is None and not summary.api_known:
            return False  # whether the call reaches the package is not known: run it
        if self.steps + summary.steps <= self.max_steps:
            return True
        if not (self.idle and not self.importing):
            return False
        # An entry's first steps (``Interpreter._over_budget``): the body would stop the entry
        # before it reaches the package, or go on with the whole entry budget.
        if self.api_step is None and (
            summary.api_at is None or self.steps + summary.api_at > self.max_steps
        ):
            raise OutOfBudget
        return self.steps + summary.steps <= MAX_ENTRY_STEPS

    def _replay(self, summary: Summary) -> Any:
        """What running the summarised body again would leave behind, without running it."""
        result, containers = rebuild(summary.result, self.invocation_counter)
        if summary.api_at is not None and self.api_step is None:
            self.reached_api(self.steps + summary.api_at)
        self.steps += summary.steps
        self.invocation_counter += summary.invocations
        self.branch_counter += summary.branches
        self.executed |= summary.functions
        for record in self.recordings:  # an enclosing recording read what the summary read
            for env, name, value in summary.guards:
                if env.serial < record.serial:  # else that recording's own variable
                    record.guards[(id(env), name)] = (env, name, value)
            for node, values, serial in summary.defaults:
                if serial < record.serial:
                    record.defaults[id(node)] = (node, values, serial)
            for cls, attrs in summary.classes:  # as they still are (``holds``)
                record.classes.setdefault(id(cls), (cls, attrs))
            record.functions |= summary.functions
            record.deepest = max(record.deepest, len(self.active) + summary.extent)
            record.effects.extend(summary.effects)
        for effect, args in summary.effects:
            effect(self, *args)
        for made in containers:
            self.fresh(made)
        return result

    def entered_recorded(self, fn: Function) -> None:
        """A call started while recordings run: what it reads of its function (the defaults of
        one defined before a recording) and how deep the calls go."""
        depth = len(self.active)
        node = fn.node
        dropped = False
        for record in self.recordings:
            record.functions.add(node)
            if depth > record.deepest:
                record.deepest = depth
            if fn.env.serial < record.serial and id(node) not in record.defaults:
                values = self.defaults.get(node)
                record.defaults[id(node)] = (node, values, fn.env.serial)
                if values and not all(record.admit(v) for v in values):
                    record.pure = False
                    dropped = True
        if dropped:
            self._drop_impure()

    def find_recorded(self, env: Env, name: str, missing: Any) -> Any:
        """``env.find(name, missing)``, telling the running recordings what was read."""
        holder: Env | None = env
        while holder is not None:
            vars_ = holder.vars
            if name in vars_:
                value = vars_[name]
                if holder.serial < self.recordings[-1].serial:
                    self._read_outside(env, name, value, holder.serial)
                return value
            holder = holder.parent
        self._read_outside(env, name, MISSING, -1)
        return missing

    def _read_outside(self, env: Env, name: str, value: Any, serial: int) -> None:
        """``name`` was found (from ``env``) in an environment with ``serial`` (-1: nowhere): a
        guard for every recording that started after that environment was made."""
        dropped = False
        for record in reversed(self.recordings):  # the innermost started last
            if record.serial <= serial:
                break  # its own variable, and the variable of every recording around it
            start: Env | None = env
            while start is not None and start.serial >= record.serial:
                start = start.parent
            if start is not None:
                record.guard(start, name, value)
                dropped = dropped or not record.pure
        if dropped:
            self._drop_impure()

    def effect(self, effect: Any, *args: Any) -> None:
        """The model changes its state by ``effect(self, *args)``, relative to where the call
        runs and the same whatever it did before (adding to a set): a summary keeps it, and a
        replay runs it again, so the call stays summarisable."""
        effect(self, *args)
        for record in self.recordings:
            record.effects.append((effect, args))

    def impure(self) -> None:
        """Something happened that a summary cannot replay: no running recording is kept."""
        for record in self.recordings:
            record.pure = False
        self.recordings.clear()

    def _drop_impure(self) -> None:
        """A recording that cannot be summarised any more needs to be told nothing: it leaves
        ``recordings`` (what reads and changes cost while recordings run is for the others)."""
        self.recordings[:] = [record for record in self.recordings if record.pure]

    def fresh(self, made: Any) -> Any:
        """``made``, a list or dict, was just made by the program: the recordings running now
        may change it (``changed``)."""
        if self.recordings:
            self.made[id(made)] = (made, next_serial())
        return made

    def changed(self, obj: Any) -> None:
        """``obj`` (a list, dict or object) is about to change: a recording that did not make it
        cannot be summarised (the object may be seen outside the call)."""
        recordings = self.recordings
        if not recordings:
            return
        if type(obj) is Instance:
            made = obj.born  # the invocation that made it
            # Made inside a recording, it is made inside every recording around it too.
            keep = sum(1 for record in recordings if made > record.invocations)
        else:
            found = self.made.get(id(obj))
            serial = found[1] if found is not None and found[0] is obj else -1
            keep = sum(1 for record in recordings if serial > record.serial)
        for record in recordings[keep:]:  # the innermost started last
            record.pure = False
        del recordings[keep:]
