"""Python as model code uses it: containers changed in place, records, decorators, method kinds,
builtins and the standard library, and what unknown code may have changed.

Each test pins what the interpreter computes (names, shapes, findings) on a small program; the
fixtures under fixtures/realworld and fixtures/classes check the same shapes against TF.
"""

from __future__ import annotations

import textwrap

from scopelint.run.engine import check_bytes
from scopelint.types import EventKind


def run(code: str):
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True)
    found = [(d.span.start.row, d.code) for d in result.diagnostics]
    created = {
        e.name: e.shape for e in result.events
        if e.kind is EventKind.CREATE and e.error is None and e.entry == "<module>"
    }
    return found, created


def test_dicts_and_lists_changed_in_place_are_followed():
    found, created = run("""
        import tensorflow as tf
        hp = {"units": 3, "layers": [4, 4]}
        hp["units"] = 5
        hp.update(depth=2, heads=1)
        hp.setdefault("heads", 7)
        del hp["layers"][0]
        widths = [2, 3]
        widths.insert(0, 1)
        widths.extend([x * 2 for x in widths if x > 1])
        widths.sort(reverse=True)
        assert widths.pop() == 1
        tf.get_variable("w", [hp["units"], hp["depth"], hp.get("heads"), len(hp["layers"])])
        tf.get_variable("v", widths)
    """)
    assert found == []
    assert created == {"w": (5, 2, 1, 1), "v": (6, 4, 3, 2)}


def test_what_unknown_code_was_handed_is_unknown_afterwards():
    """A stale value would be a wrong shape: `configure(hp)` may have set any key."""
    found, created = run("""
        import random
        import tensorflow as tf
        import mylib
        hp = {"units": 3}
        sizes = [8, 16]
        class Config(object):
            depth = 2
        config = Config()
        mylib.configure(hp, config)
        random.shuffle(sizes)
        tf.get_variable("w", [hp["units"]])
        tf.get_variable("v", [config.depth])
        tf.get_variable("u", sizes)
        for i, size in enumerate(sizes):
            tf.get_variable("s%d" % i, [size])
    """)
    assert found == []
    assert created == {"w": None, "v": None, "u": None}


def test_a_function_handed_to_a_library_may_run():
    """functools.partial and map are followed (map when it is iterated, as in Python 3); a
    function given to any other library call may create variables there: unknown code."""
    found, created = run("""
        import functools
        import numpy as np
        import tensorflow as tf
        def build(units, scope="m"):
            with tf.variable_scope(scope):
                return tf.get_variable("w", [units])
        functools.partial(build, scope="p")(3)
        ws = list(map(build, [4], ["q"]))
        lazy = map(build, [5], ["never"])
        np.vectorize(build)(3)
        with tf.variable_scope("m", reuse=True):
            tf.get_variable("w", [3])
    """)
    assert found == []
    assert created == {"p/w": (3,), "q/w": (4,)}
    found, _ = run("""
        import functools
        import tensorflow as tf
        def build(units, scope="m"):
            with tf.variable_scope(scope):
                return tf.get_variable("w", [units])
        make = functools.partial(build, scope="p")
        make(3)
        make(3)
    """)
    assert found == [(6, "SL001")]


def test_records_bind_their_fields():
    _, created = run("""
        import collections
        import dataclasses
        from typing import NamedTuple
        import tensorflow as tf
        Conv = collections.namedtuple("Conv", "kernel depth stride", defaults=[1])
        class Dense(NamedTuple):
            units: int
            bias: bool = True
        @dataclasses.dataclass
        class Pool:
            size: int = 2
            extra: list = dataclasses.field(default_factory=list)
            def __post_init__(self):
                self.area = self.size * self.size
        class Residual(Conv):
            pass
        c, d, p, r = Conv(3, 8), Dense(10), Pool(5), Residual(kernel=1, depth=4, stride=2)
        kernel, depth, stride = c
        tf.get_variable("c", [kernel, depth, stride, c[1]])
        tf.get_variable("d", [d.units, int(d.bias)])
        tf.get_variable("p", [p.size, p.area, len(p.extra)])
        tf.get_variable("r", [r.kernel, r.depth, r.stride])
    """)
    assert created == {"c": (3, 8, 1, 8), "d": (10, 1), "p": (5, 25, 0), "r": (1, 4, 2)}


def test_isinstance_dispatch_over_layer_specs():
    _, created = run("""
        import collections
        import tensorflow as tf
        Conv = collections.namedtuple("Conv", ["depth"])
        Dense = collections.namedtuple("Dense", ["units"])
        class Other(object):
            pass
        def build(specs):
            for i, spec in enumerate(specs):
                if isinstance(spec, (Conv, Other)):
                    tf.get_variable("conv%d" % i, [spec.depth])
                elif isinstance(spec, Dense) and not isinstance(spec, (list, int)):
                    tf.get_variable("dense%d" % i, [spec.units])
                elif isinstance(spec, str):
                    tf.get_variable("named%d" % i, [1])
        build([Conv(4), Dense(2), "x"])
    """)
    assert created == {"conv0": (4,), "dense1": (2,), "named2": (1,)}


def test_unknown_class_decorator_and_unknown_base_stay_unknown():
    """An unknown class decorator may return anything; a base the analysis cannot see may
    define (or derive from) anything."""
    found, created = run("""
        import tensorflow as tf
        import gin
        import mylib
        @gin.configurable
        class Config(object):
            units = 3
        class Spec(mylib.Base):
            units = 3
        class Own(object):
            pass
        s = Spec()
        tf.get_variable("a", [Config().units])
        tf.get_variable("b", [s.units])
        if isinstance(s, Own):
            tf.get_variable("c", [1])
        else:
            tf.get_variable("d", [1])
    """)
    assert found == []
    assert created["a"] is None and created["b"] == (3,)
    assert "c" in created and "d" in created  # both arms: undecided


def test_program_decorators_run():
    """A registry decorator stores the function in a module-level dict; a wrapper made with
    functools.wraps forwards *args and **kwargs; both are followed."""
    found, created = run("""
        import functools
        import tensorflow as tf
        _MODELS = {}
        def register(name=None):
            def decorator(fn):
                _MODELS[name or fn.__name__] = fn
                return fn
            return decorator
        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)
            return wrapper
        @register("mlp")
        @logged
        def mlp(x, units=2, **kwargs):
            with tf.variable_scope(kwargs.get("scope", "mlp")):
                return tf.get_variable("w", [units])
        @register()
        def linear(x):
            return tf.get_variable("v", [1])
        def build(name, **params):
            return _MODELS[name](None, **params)
        build("mlp", units=5, scope="tower")
        build("linear")
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            build("mlp", units=5, scope="tower")
        build("mlp", units=5, scope="tower")
    """)
    assert created == {"tower/w": (5,), "v": (1,)}
    assert found == [(19, "SL001")]


def test_method_kinds_super_and_class_attributes():
    _, created = run("""
        import tensorflow as tf
        class Base(object):
            prefix = "base"
            def __init__(self, **kwargs):
                self.__dict__.update(kwargs)
            @property
            def scope(self):
                return "%s_%s" % (self.prefix, type(self).__name__.lower())
            @staticmethod
            def width(n):
                return n * 2
            @classmethod
            def default(cls):
                return cls(units=3)
        class Left(Base):
            def build(self):
                return ["left"] + super(Left, self).build()
        class Right(Base):
            def build(self):
                return ["right"]
        class Net(Left, Right):
            prefix = "net"
            def build(self):
                with tf.variable_scope(self.scope):
                    for part in super().build():
                        tf.get_variable(part, [self.width(self.units)])
        Net.default().build()
    """)
    assert created == {"net_net/left": (6,), "net_net/right": (6,)}


def test_builtins_and_six_on_known_values():
    _, created = run("""
        import copy
        import six
        from six.moves import xrange
        import tensorflow as tf
        hp = {"sizes": [3, 1, 2], "name": "x"}
        ev = copy.deepcopy(hp)
        ev["sizes"].append(9)
        shallow = copy.copy(hp)
        shallow["name"] = "y"
        for i in six.moves.range(2):
            tf.get_variable("r%d" % i, [len(hp["sizes"]), len(ev["sizes"])])
        for k, v in sorted(six.iteritems({"b": 2, "a": 1})):
            tf.get_variable(k + hp["name"] + shallow["name"], [v])
        for i, (a, b) in zip(xrange(5), zip(reversed(hp["sizes"]), sorted(hp["sizes"]))):
            tf.get_variable("z%d" % i, [a, b])
        if six.PY2:
            tf.get_variable("py2", [1])
        layers = {n: s for n, s in zip("abc", hp["sizes"]) if s > 1}
        tf.get_variable("d", [layers["a"], layers.get("c"), len(layers)])
        if hasattr(ev, "keys") or callable(len):
            tf.get_variable("h", [getattr(six, "nothing", 4) if False else 4])
    """)
    assert created == {
        "r0": (3, 4), "r1": (3, 4), "axy": (1,), "bxy": (2,), "z0": (2, 1), "z1": (1, 2),
        "z2": (3, 3), "d": (3, 2, 2), "h": (4,),
    }


def test_a_value_holder_does_not_hide_a_reuse_before_definition():
    """Namespaces of the standard library keep what they are given and call nothing: building
    one is not unknown code, and the mistake after it is reported."""
    found, created = run("""
        import argparse
        import copy
        import types
        import tensorflow as tf
        hp = types.SimpleNamespace(units=4, scope="model")
        flags = argparse.Namespace(depth=2)
        eval_hp = copy.deepcopy(hp)
        eval_hp.units = 8
        with tf.variable_scope(hp.scope, reuse=True):
            tf.get_variable("w", [hp.units, flags.depth, eval_hp.units])
    """)
    assert found == [(11, "SL002")]


def test_an_unknown_library_call_may_still_create_the_variable():
    found, _ = run("""
        import tensorflow as tf
        from mylib import HParams, build_model
        hp = HParams(units=4)
        with tf.variable_scope("model", reuse=True):
            tf.get_variable("w", [hp.units])
    """)
    assert found == []
    # The twin: with no unknown call before it, the lookup is of a variable nothing made.
    found, _ = run("""
        import tensorflow as tf
        with tf.variable_scope("model", reuse=True):
            tf.get_variable("w", [4])
    """)
    assert found == [(4, "SL002")]
    found, _ = run("""
        import tensorflow as tf
        def body(x):
            return tf.get_variable("w", [1])
        steps = sorted([3, 1], key=lambda n: -n)
        calls = max([1, 2], key=body)
        with tf.variable_scope("", reuse=True):
            tf.get_variable("w", [1])
    """)
    assert found == []
    # The twin: `body` defined but handed to nothing may not have run.
    found, _ = run("""
        import tensorflow as tf
        def body(x):
            return tf.get_variable("w", [1])
        steps = sorted([3, 1], key=lambda n: -n)
        with tf.variable_scope("", reuse=True):
            tf.get_variable("w", [1])
    """)
    assert found == [(7, "SL002")]


def test_methods_of_strings_and_files_are_not_unknown_code():
    found, _ = run("""
        import sys
        import tensorflow as tf
        name = ("%s_x" % sys.argv[0]).lower().replace("-", "_")
        with open("vocab.txt") as handle:
            words = handle.read().splitlines()
        with tf.variable_scope("m", reuse=True):
            tf.get_variable("w", [1])
    """)
    assert found == [(8, "SL002")]


def test_unknown_code_may_enter_a_scope_it_is_handed():
    """`with tf.variable_scope(scope):` inside unknown code creates below that scope, wherever
    the call is, also when the scope is held by an object it is given."""
    for handed in ("enc_scope", "{'scope': enc_scope}", "Holder(enc_scope)"):
        found, _ = run(f"""
            import tensorflow as tf
            import mylib
            class Holder(object):
                def __init__(self, scope):
                    self.scope = scope
            with tf.variable_scope("enc") as enc_scope:
                pass
            with tf.variable_scope("dec"):
                mylib.build({handed})
            with tf.variable_scope(enc_scope, reuse=True):
                tf.get_variable("w", [1])
            with tf.variable_scope("other", reuse=True):
                tf.get_variable("w", [1])
        """)
        assert found == [(14, "SL002")], handed


def test_a_raise_nothing_catches_ends_the_program():
    """What follows `if bad: raise ...` runs only where it did not raise, so the check does not
    put the rest in doubt; under a try that may catch it (or a with that may swallow it), the
    variables after it may not exist."""
    template = """
        import contextlib
        import sys
        import tensorflow as tf
        def dense(x, units, activation=None):
            if activation not in (None, "relu"):
                raise ValueError("unknown activation")
            return tf.get_variable("w", [3, units])
        with tf.device("/cpu:0"), tf.variable_scope("a"):
            {first}
        with tf.variable_scope("a"):
            dense(None, 4)
    """
    cases = {
        "dense(None, 4, activation=sys.argv[1])": [(8, "SL001")],
        "try:\n    dense(None, 4, activation=sys.argv[1])\nexcept ValueError:\n    pass": [],
        "with contextlib.suppress(ValueError):\n    dense(None, 4, activation=sys.argv[1])": [],
    }
    for first, expected in cases.items():
        found, _ = run(template.format(first=first.replace("\n", "\n            ")))
        assert found == expected, first


def test_contextmanager_functions_open_their_scopes_around_the_block():
    """The function runs up to its `yield`, the block runs inside the scopes it opened, then the
    rest of the function runs (also after a `return` in the block); a function made a context
    manager is no longer unknown code."""
    found, created = run("""
        import contextlib
        import tensorflow as tf
        import mylib
        @contextlib.contextmanager
        def block_scope(name, reuse=None):
            with tf.variable_scope(name, reuse=reuse) as scope:
                yield scope
            COUNTS.append(name)
        COUNTS = []
        def layer(name):
            with block_scope(name) as scope:
                return tf.get_variable("w", [len(COUNTS) + 1])
        layer("a")
        layer("b")
        with block_scope("a", reuse=True):
            tf.get_variable("w", [1])
        with tf.variable_scope("c", reuse=True):
            tf.get_variable("w", [1])
        layer("a")
    """)
    assert created == {"a/w": (1,), "b/w": (2,)}
    assert sorted(found) == [(13, "SL001"), (19, "SL002")]


def test_contextmanager_inside_contextmanager():
    """A context-manager method that enters another one before its `yield` (Sonnet's
    `_enter_variable_scope` around `_capture_variables`), and modules nested in each other."""
    _, created = run("""
        import contextlib
        import tensorflow as tf
        class Module(object):
            def __init__(self, name):
                self.name = name
                self.calls = []
            @contextlib.contextmanager
            def _capture(self):
                self.calls.append(1)
                try:
                    yield
                finally:
                    self.calls.pop()
            @contextlib.contextmanager
            def _enter_scope(self):
                with self._capture():
                    with tf.variable_scope(self.name) as scope:
                        yield scope
            def build(self, inner=None):
                with self._enter_scope():
                    tf.get_variable("w", [len(self.calls)])
                    if inner is not None:
                        inner.build()
        Module("outer").build(Module("inner"))
    """)
    assert created == {"outer/w": (1,), "outer/inner/w": (1,)}


def test_a_method_running_for_another_object_is_not_a_recursion():
    """A base class's `__call__` connecting nested layers runs again for each of them; the same
    method on the same object stays a recursion (unknown code)."""
    found, created = run("""
        import tensorflow as tf
        class Layer(object):
            def __init__(self, name, children=()):
                self.name, self.children = name, list(children)
            def __call__(self):
                with tf.variable_scope(self.name):
                    tf.get_variable("w", [len(self.children)])
                    for child in self.children:
                        child()
        class Loop(Layer):
            def __call__(self):
                self()
        Layer("net", [Layer("a"), Layer("b", [Layer("c")])])()
        Loop("loop")()
        with tf.variable_scope("loop", reuse=True):
            tf.get_variable("w", [1])
    """)
    assert created == {"net/w": (2,), "net/a/w": (0,), "net/b/w": (1,), "net/b/c/w": (0,)}
    assert found == []


def test_generators_run_as_they_are_iterated():
    found, created = run("""
        import tensorflow as tf
        def blocks(names):
            for name in names:
                with tf.variable_scope(name):
                    yield tf.get_variable("w", [1])
        def chained():
            yield from blocks(["x"])
            yield from [1, 2]
        unused = blocks(["never"])
        for i, w in enumerate(blocks(["a", "b", "c"])):
            tf.get_variable("gate%d" % i, [i + 1])
            if i == 1:
                break
        first = next(blocks(["n"]))
        made = [w for w in blocks(["p", "q"]) if w is not None]
        tf.get_variable("count", [len(list(chained())) + len(made)])
        with tf.variable_scope("never", reuse=True):
            tf.get_variable("w", [1])
    """)
    assert list(created) == [
        "a/w", "a/gate0", "b/w", "b/gate1", "n/w", "p/w", "q/w", "x/w", "count",
    ]
    assert created["count"] == (5,)
    assert found == [(19, "SL002")]


def test_a_generator_in_a_module_read_lazily(tmp_path):
    """A module of an installed package or of the project is read with its function bodies
    left out until a call needs one: whether a function yields is read from its real body."""
    from scopelint.resolve.project import ProjectIndex

    (tmp_path / "lib.py").write_text(textwrap.dedent("""
        def names(n):
            for i in range(n):
                yield "w%d" % i
    """))
    main = tmp_path / "main.py"
    main.write_text(textwrap.dedent("""
        import tensorflow as tf
        from lib import names
        for name in names(2):
            tf.get_variable(name, [1])
    """))
    index = ProjectIndex([main], root=tmp_path)  # lib.py is read from disk, as a skeleton
    result = check_bytes(main.read_bytes(), str(main), with_events=True, project=index)
    assert [e.name for e in result.events if e.kind is EventKind.CREATE] == ["w0", "w1"]


def test_what_undecided_arms_change_is_unknown_after_them():
    """Each arm starts from the state before the branch; after it, a binding, list, dict or
    attribute the arms leave different is unknown, and what they agree on is kept. A loop run an
    unknown number of times is its body or nothing."""
    found, created = run("""
        import sys
        import tensorflow as tf
        class Config(object):
            units = 4
        cfg, hp, layers, same = Config(), {"a": 1, "b": 2}, [], []
        n = 3
        if len(sys.argv) > 1:
            n = 5
            hp["a"] = 7
            cfg.units = 8
            same.append(1)
        else:
            tf.get_variable("seen", [n])
            same.append(1)
        for i in range(len(sys.argv)):
            layers.append(i)
        tf.get_variable("n", [n])
        tf.get_variable("hp", [hp["a"], hp["b"]])
        tf.get_variable("units", [cfg.units])
        tf.get_variable("layers", [len(layers)])
        tf.get_variable("same", [len(same)])
    """)
    assert created == {
        "seen": (3,), "n": None, "hp": None, "units": None, "layers": None, "same": (1,),
    }


def test_nested_undecided_arms():
    """An inner branch's changes are undone for the outer branch's next arm too."""
    _, created = run("""
        import sys
        import tensorflow as tf
        n, m, sizes = 1, 1, [1]
        if len(sys.argv) > 1:
            if len(sys.argv) > 2:
                n = 2
                sizes.append(2)
            else:
                n = 2
                sizes.append(2)
        else:
            tf.get_variable("outer_else", [n, m, len(sizes)])
            n = 2
            sizes.append(2)
        if len(sys.argv) > 3:
            if len(sys.argv) > 4:
                m = 3
        tf.get_variable("after", [n, len(sizes)])
        tf.get_variable("m", [m])
    """)
    assert created == {"outer_else": (1, 1, 1), "after": (2, 2), "m": None}


def test_what_a_raising_arm_changed_does_not_reach_the_code_after_it():
    """The code after a branch runs only where the branch did not raise, also where something
    may catch the raise: the raising arm's changes are not merged into it."""
    _, created = run("""
        import contextlib
        import sys
        import tensorflow as tf
        CONFIG = {"units": 3}
        def check(value):
            if value not in ("a", "b"):
                CONFIG["units"] = 0
                raise ValueError(value)
        with contextlib.suppress(KeyError):
            check(sys.argv[1])
            tf.get_variable("w", [CONFIG["units"]])
    """)
    assert created == {"w": (3,)}


def test_a_list_holding_a_dict_changed_in_an_unknown_loop():
    _, created = run("""
        import sys
        import tensorflow as tf
        specs = [{"units": 2}, 3]
        grow = [{"units": 2}]
        for arg in sys.argv:
            specs.append(arg)
            grow.append(3)
        tf.get_variable("w", [len(specs)])
        tf.get_variable("v", [len(grow)])
    """)
    assert created == {"w": None, "v": None}


def test_try_whose_handlers_only_raise_again_adds_no_alternative():
    """`except ValueError as e: raise ValueError(...)` (HParams.get checking each default) ends
    the program where nothing catches it: no undecided branch is opened for it."""
    import libcst as cst

    from scopelint.interp.interpreter import Interpreter
    from scopelint.tf import HOOKS

    sim = Interpreter(cst.parse_module(textwrap.dedent("""
        import tensorflow as tf
        def checked(value):
            try:
                number = int(value)
            except ValueError as e:
                raise ValueError("bad value: %s" % e)
            return number
        for i in range(3):
            tf.get_variable("w%d" % checked(i), [1])
    """)), HOOKS)
    sim.run()
    assert sim.branch_counter == 0
    assert [e.actual for e in sim.trace.events] == ["w0", "w1", "w2"]


def test_iterators_advance_and_are_lost_where_not_known():
    """`next(iter(xs))` takes the items in turn (a list's iterator sees an append made after it);
    a loop that may stop early, a branch that may advance it and unknown code leave where it
    stands unknown."""
    found, created = run("""
        import tensorflow as tf
        import mylib
        xs = [2, 3]
        it = iter(xs)
        xs.append(4)
        a, b, c = next(it), next(it), next(it)
        tf.get_variable("abc", [a, b, c, next(it, 5)])
        pairs = iter((6, 7, 8))
        first = next(pairs)
        tf.get_variable("rest", [first, *pairs])
        loop = iter([1, 2, 3])
        for x in loop:
            if x == 1:
                break
        tf.get_variable("after_break", [next(loop)])
        branch = iter([1, 2])
        if mylib.flag():
            next(branch)
        tf.get_variable("after_branch", [next(branch)])
        handed = iter([1, 2])
        mylib.consume(handed)
        tf.get_variable("after_unknown", [next(handed)])
    """)
    assert found == []
    assert created["abc"] == (2, 3, 4, 5)
    assert created["rest"] == (6, 7, 8)
    for name in ("after_break", "after_branch", "after_unknown"):
        assert created[name] is None or created[name] == (None,), (name, created[name])


def test_numpy_numbers_of_python_numbers_have_values():
    """`int(np.ceil(np.log2(n)))` is known; numpy's nan, overflow and float32 rounding are not
    (they stay unknown), and the value never becomes a dtype claim: a numpy float is float64
    to TF, a Python float float32."""
    found, created = run("""
        import math
        import numpy as np
        import tensorflow as tf
        tf.get_variable("known", [int(np.ceil(np.log2(5))), int(np.sqrt(16)), math.ceil(np.log2(9)),
                                  int(np.power(2, 3)), int(np.abs(-2)), int(np.float64(3.5))])
        tf.get_variable("nan", [int(np.sqrt(-1.0))])
        tf.get_variable("rounded", [int(np.float32(2.0))])
        tf.get_variable("huge", [int(np.exp(1000.0))])
    """)
    assert found == []
    assert created["known"] == (3, 4, 4, 8, 2, 3)
    for name in ("nan", "rounded", "huge"):
        assert created[name] in (None, (None,)), (name, created[name])


def test_property_setters_run_on_assignment_and_setattr():
    """`@x.setter` keeps the getter of `x`; `obj.x = v` and `setattr(obj, "x", v)` call the
    setter (which may store something else than `v`), and a property without one is as before."""
    found, created = run("""
        import tensorflow as tf
        class Box(object):
            def __init__(self):
                self._width = 2
            @property
            def width(self):
                return self._width
            @width.setter
            def width(self, value):
                self._width = value * 10
        box = Box()
        tf.get_variable("before", [box.width])
        box.width = 3
        tf.get_variable("assigned", [box.width, box._width])
        setattr(box, "width", 4)
        tf.get_variable("set", [box.width])
    """)
    assert found == []
    assert created == {"before": (2,), "assigned": (30, 30), "set": (40,)}


def test_sets_are_known_where_their_order_does_not_matter():
    """Membership, size, `sorted` and the set operations are known; a set of numbers iterates in
    Python's own order; strings have none (their hash changes per process): a loop over them runs
    each order as an alternative, so what all orders agree on is known (a dict filled by key)
    and what they do not is unknown (a list's positions)."""
    found, created = run("""
        import tensorflow as tf
        import mylib
        required = set()
        for name in ["b", "a", "c", "d"]:
            required.add(name)
        required.discard("d")
        fields = {"a", "c", "x"}
        both = required & fields
        kwargs = {}
        for key in both:
            kwargs[key] = len(key) + len(kwargs)
        tf.get_variable("known", [len(required), len(both | {"y"}), int("a" in both),
                                  int(both <= required), len(required - fields), len(kwargs)])
        tf.get_variable(sorted(required)[1], [2])
        order = []
        for key in both:
            order.append(key)
        tf.get_variable("positions", [len(order)])
        tf.get_variable(order[0], [3])
        tf.get_variable("numbers", list({30, 10, 20}))
        handed = {1, 2}
        mylib.fill(handed)
        tf.get_variable("handed", [len(handed)])
    """)
    assert found == []
    assert created["known"] == (3, 3, 1, 1, 1, 2)
    assert created["b"] == (2,)
    assert created["positions"] == (2,)
    assert created["numbers"] == tuple(list({30, 10, 20}))
    assert created["handed"] in (None, (None,))
    assert not any(shape == (3,) for shape in created.values())  # order[0] is either key


def test_signatures_of_the_programs_functions():
    """`inspect.signature` lists parameters with their defaults (`Parameter.empty` for none) and
    kinds, unwrapping a `functools.wraps` wrapper as inspect does; `getfullargspec` does not
    unwrap; a function whose `__signature__` the program set has no known signature."""
    found, created = run("""
        import functools
        import inspect
        import tensorflow as tf
        def loss(real, fake, weights=1.0, scope=None, *rest, collection="losses", **extra):
            return real
        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)
            return wrapper
        params = inspect.signature(loss).parameters
        required = [n for n, p in params.items() if p.default is inspect.Parameter.empty]
        kinds = [p.kind for p in params.values()]
        tf.get_variable("params", [len(params), len(required), int(params["weights"].default),
                                   kinds.index(inspect.Parameter.VAR_POSITIONAL)])
        wrapped = deco(loss)
        tf.get_variable("unwrapped", [len(inspect.signature(wrapped).parameters),
                                      len(inspect.getfullargspec(wrapped).args) + 1])
        def other(a, b):
            return a
        other.__signature__ = None
        tf.get_variable("set", [len(inspect.signature(other).parameters)])
    """)
    assert found == []
    assert created["params"] == (7, 4, 1, 4)
    assert created["unwrapped"] == (7, 1)
    assert created["set"] in (None, (None,))


def test_dicts_merged_after_a_branch_iterate_the_same_in_every_process(tmp_path):
    """Arms that fill a dict in different orders (a loop over a set of strings, an undecided
    `if`) leave it in one order, not in the order of a set of its keys, which changes with
    Python's hash seed from one process to the next."""
    import os
    import subprocess
    import sys

    program = tmp_path / "t.py"
    program.write_text(textwrap.dedent("""
        import tensorflow as tf
        import mylib
        sizes = {}
        for name in {"alpha", "beta", "gamma"}:
            sizes[name] = 2
        if mylib.flag():
            sizes["delta"], sizes["eps"] = 3, 4
        else:
            sizes["eps"], sizes["delta"] = 4, 3
        for name, size in sizes.items():
            tf.get_variable(name, [size])
    """))
    runs = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-m", "scopelint", "--no-cache", "--show-variables", str(program)],
            env=env, capture_output=True, text=True, check=False,
        )
        runs.append(done.stdout)
    assert "delta" in runs[0] and runs[0] == runs[1] == runs[2]


def _certainly_created(code: str) -> dict:
    """The variables the module creates, each with whether it is made on every path."""
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True)
    return {
        e.name: not e.conditional for e in result.events
        if e.kind is EventKind.CREATE and e.error is None and e.entry == "<module>"
    }


def test_a_value_read_from_a_module_not_followed_decides_no_branch():
    """`config.flag` or `from config import FLAG` may be any value, None or false included: an
    `if`, `and`, conditional expression or `is None` on it takes both arms. What `import config`
    binds is a module, which is always true."""
    assert _certainly_created("""
        import tensorflow as tf
        import config
        from settings import FLAG, DEPTH
        if config.flag:
            tf.get_variable("flag_set", [1])
        else:
            tf.get_variable("flag_unset", [1])
        if not FLAG:
            tf.get_variable("not_flag", [1])
        if (config.deep and 3) == 3:
            tf.get_variable("anded", [1])
        if (1 if config.sub.flag else 2) == 1:
            tf.get_variable("ternary", [1])
        if DEPTH is None:
            tf.get_variable("no_depth", [1])
        if config:
            tf.get_variable("module_is_true", [1])
    """) == {
        "flag_set": False, "flag_unset": False, "not_flag": False, "anded": False,
        "ternary": False, "no_depth": False, "module_is_true": True,
    }


def test_an_instance_whose_class_defines_len_or_bool_may_be_false():
    assert _certainly_created("""
        import tensorflow as tf
        class Empty(object):
            def __len__(self):
                return 0
        class Plain(object):
            pass
        if Empty():
            tf.get_variable("empty", [1])
        if Plain():
            tf.get_variable("plain", [1])
    """) == {"empty": False, "plain": True}


def test_tensors_left_by_undecided_arms_keep_what_the_arms_agree_on():
    """`if flag: x = dropout(x)` or a helper returning either: a tensor of the dims and dtype both
    arms give it; a dim, rank or dtype they differ in is unknown; a tensor and another value:
    unknown."""
    found, created = run("""
        import sys
        import tensorflow as tf
        def maybe(x, flag):
            if flag:
                return tf.nn.relu(x)
            else:
                return x
        x = tf.placeholder(tf.float32, [None, 6])
        h = maybe(x, len(sys.argv) > 5)
        if len(sys.argv) > 7:
            h = tf.nn.dropout(h, rate=0.5)
        tf.get_variable("kept", [h.shape.as_list()[1]])
        y = tf.placeholder(tf.float32, [4, 6])
        if len(sys.argv) > 9:
            y = tf.reshape(y, [4, 3, 2])
        tf.get_variable("rank_differs", y.shape.as_list())
        z = tf.placeholder(tf.float32, [4, 6])
        if len(sys.argv) > 9:
            z = tf.reshape(z, [8, 3])
        tf.get_variable("dim_differs", [z.shape.as_list()[1], 1])
        v = tf.placeholder(tf.float32, [4, 6])
        if len(sys.argv) > 9:
            v = [v]
        tf.get_variable("not_a_tensor", [v.shape.as_list()[1]])
    """)
    assert created == {"kept": (6,), "rank_differs": None, "dim_differs": (None, 1),
                       "not_a_tensor": None}


def test_methods_read_off_pythons_classes():
    """`str.upper(padding)`: the method of the first argument when it is the class's own value;
    another value (Python raises) or a method called on the class itself stays unknown."""
    found, created = run("""
        import tensorflow as tf
        padding = str.upper("same")
        sizes = {"a": 2}
        tf.get_variable("w", [len(padding), dict.get(sizes, "a"), list.index([5, 7], 7)])
        tf.get_variable("v", [len(str.upper(3))])
        tf.get_variable("u", [len(dict.fromkeys({"a": 1}, 0))])
    """)
    assert created == {"w": (4, 2, 1), "v": None, "u": None}
