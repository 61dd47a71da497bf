"""Summaries of calls that only compute (``interp/summaries.py``): a repeated call is replayed
only when interpreting its body again would give the same result and leave the same state.

Every program runs twice on the same tree, with summaries and without: the events, the entries,
the counters that later events depend on and the functions executed must be the same.
"""

from __future__ import annotations

import textwrap

import libcst as cst

from scopelint.interp.interpreter import Interpreter
from scopelint.interp.values import Function
from scopelint.tf import HOOKS

HEADER = "import tensorflow as tf\n"


def run(code: str, summarise: bool) -> Interpreter:
    module = cst.parse_module(HEADER + textwrap.dedent(code))
    interp = Interpreter(module, HOOKS)
    if not summarise:
        interp.summaries = None
    interp.run()
    return interp


def both(code: str) -> tuple[Interpreter, Interpreter]:
    """The program with summaries and without; asserts that they agree."""
    module = cst.parse_module(HEADER + textwrap.dedent(code))
    runs = []
    for summarise in (True, False):
        interp = Interpreter(module, HOOKS)
        if not summarise:
            interp.summaries = None
        interp.run()
        runs.append(interp)
    with_, without = runs
    assert with_.trace.events == without.trace.events
    assert with_.trace.entries == without.trace.entries
    assert with_.trace.unseen_graphs == without.trace.unseen_graphs
    assert (with_.steps, with_.invocation_counter, with_.branch_counter) == (
        without.steps, without.invocation_counter, without.branch_counter)
    assert with_.executed == without.executed
    return with_, without


def created(interp: Interpreter) -> list[tuple[str, object]]:
    return [(e.key, e.shape) for e in interp.trace.events if type(e).__name__ == "StoreCreate"]


def summarised(interp: Interpreter, name: str) -> int:
    return sum(1 for key in interp.summaries if getattr(key[0], "name", None) is not None
               and key[0].name.value == name)


SHAPE_LIST = """
def shape_list(x):
    static = x.get_shape().as_list()
    dynamic = tf.shape(x)
    out = []
    for i, dim in enumerate(static):
        if dim is None:
            dim = dynamic[i]
        out.append(dim)
    return out
"""


def test_a_helper_that_only_reads_shapes_is_replayed():
    interp, _ = both(SHAPE_LIST + """
x = tf.placeholder(tf.float32, [None, 4])
for i in range(3):
    n = shape_list(x)[-1]
    w = tf.get_variable("w%d" % i, [n, n])
""")
    assert summarised(interp, "shape_list") == 1
    assert created(interp) == [("w0", (4, 4)), ("w1", (4, 4)), ("w2", (4, 4))]


def test_a_replayed_list_is_a_new_list():
    interp, _ = both(SHAPE_LIST + """
x = tf.placeholder(tf.float32, [None, 4])
a = shape_list(x)
a.append(7)
b = shape_list(x)
b.append(5)
w = tf.get_variable("w", [b[2]])
""")
    assert summarised(interp, "shape_list") == 1
    assert created(interp) == [("w", (5,))]


def test_a_global_read_is_guarded():
    interp, _ = both("""
WIDTH = 4
def width(x):
    return WIDTH
x = tf.placeholder(tf.float32, [2])
a = tf.get_variable("a", [width(x)])
WIDTH = 8
b = tf.get_variable("b", [width(x)])
""")
    assert created(interp) == [("a", (4,)), ("b", (8,))]


def test_a_call_that_changes_state_outside_itself_is_not_summarised():
    for body in (
        "    global COUNT\n    COUNT = COUNT + 1\n    return COUNT",
        "    SEEN.append(x)\n    return len(SEEN)",
        "    return len(tf.get_variable('v', [1]).shape)",
        "    tf.identity(x, name='named')\n    return 1",
        "    with tf.variable_scope('s'):\n        return 1",
    ):
        interp, _ = both(f"""
COUNT = 0
SEEN = []
def helper(x):
{body}
x = tf.placeholder(tf.float32, [2])
a = tf.get_variable("a%s" % helper(x), [1])
b = tf.get_variable("b%s" % helper(x), [1])
""")
        assert summarised(interp, "helper") == 0, body


def test_arguments_that_can_change_are_not_keys():
    interp, _ = both("""
class HParams:
    pass
def size(hp):
    return hp.size
hp = HParams()
hp.size = 3
a = tf.get_variable("a", [size(hp)])
hp.size = 5
b = tf.get_variable("b", [size(hp)])
""")
    assert summarised(interp, "size") == 0
    assert created(interp) == [("a", (3,)), ("b", (5,))]


def test_equal_values_of_other_types_are_other_keys():
    interp, _ = both("""
def kind(v):
    if v is True:
        return 2
    return 3
a = tf.get_variable("a", [kind(1)])
b = tf.get_variable("b", [kind(True)])
""")
    assert created(interp) == [("a", (3,)), ("b", (2,))]
    assert summarised(interp, "kind") == 2


def test_a_result_with_a_cycle_through_a_tuple_is_not_summarised():
    interp, _ = both("""
def knot(x):
    items = []
    pair = (items, 2)
    items.append(pair)
    return pair
a = knot(1)
b = knot(1)
w = tf.get_variable("w", [b[1]])
""")
    assert summarised(interp, "knot") == 0
    assert created(interp) == [("w", (2,))]


def test_zero_and_minus_zero_are_other_keys():
    interp, _ = both("""
def label(v):
    return "w" + str(v)
a = tf.get_variable(label(0.0), [1])
b = tf.get_variable(label(-0.0), [1])
""")
    assert [key for key, _ in created(interp)] == ["w0.0", "w-0.0"]


def test_unknown_code_in_a_graph_that_records_it_already_is_replayed():
    interp, _ = both("""
import somelib
def helper(x):
    somelib.touch(x)
    return 2
with tf.variable_scope("s"):
    somelib.touch(1)
    a = tf.get_variable("a", [helper(1)])
    b = tf.get_variable("b", [helper(1)])
""")
    assert summarised(interp, "helper") == 1


def test_a_replay_that_could_recurse_is_interpreted():
    both("""
def leaf(n):
    return n + 1
def outer(n):
    if n > 2:
        return leaf(n)
    return outer(leaf(n))
a = tf.get_variable("a", [leaf(1)])
b = tf.get_variable("b", [outer(1)])
""")


def test_summaries_are_per_environment():
    interp, _ = both("""
def make(k):
    def inner(x):
        return k
    return inner
f, g = make(2), make(3)
a = tf.get_variable("a", [f(1)])
b = tf.get_variable("b", [g(1)])
""")
    assert created(interp) == [("a", (2,)), ("b", (3,))]


def test_functions_are_summarised_in_uncalled_entries_too():
    interp, _ = both(SHAPE_LIST + """
def model(x):
    d = shape_list(x)[-1]
    e = shape_list(x)[-1]
    return tf.get_variable("w", [d, e])
""")
    assert isinstance(interp.globals.vars["model"], Function)
    assert summarised(interp, "shape_list") == 1


def test_python_shapes_agree_with_and_without_summaries():
    """Generators, context-manager functions, decorators, records, partials and containers
    changed in place or spoilt by unknown code, each called repeatedly with frozen arguments."""
    with_, _ = both("""
        import collections
        import contextlib
        import functools
        import mylib
        Spec = collections.namedtuple("Spec", "units depth")
        REGISTRY = {}
        def register(fn):
            REGISTRY[fn.__name__] = fn
            return fn
        def widths(n):
            for i in range(n):
                yield 2 ** i
        @contextlib.contextmanager
        def block(name):
            with tf.variable_scope(name) as scope:
                yield scope
        @register
        def size(n, extra=0):
            sizes = {"n": n}
            sizes["n"] += extra
            return sizes["n"] + len(list(widths(n)))
        def build(name, n):
            with block(name):
                config = {"units": size(n), "depth": size(n, extra=1)}
                mylib.tweak(config) if n > 5 else None
                spec = Spec(**config)
                half = functools.partial(size, extra=2)
                for i, w in enumerate(widths(2)):
                    tf.get_variable("w%d" % i, [spec.units, spec.depth, w, half(n)])
        for name in ["a", "b", "a_1"]:
            build(name, 3)
        build("c", 6)
        REGISTRY["size"](3)
    """)
    assert ("a/w0", (6, 7, 1, 8)) in created(with_)
    assert ("c/w0", None) in created(with_)  # the unknown code had the config: its sizes are unknown


PARAMS = """
class Params(object):
    def __init__(self, **kwargs):
        self._types = {}
        for name, value in kwargs.items():
            self.add(name, value)

    def add(self, name, value):
        if getattr(self, name, None) is not None:
            raise ValueError(name)
        self._types[name] = (type(value), False)
        setattr(self, name, value)

def base():
    return Params(units=3, depth=2)

def small():
    hp = base()
    hp.units = 1
    hp.add("extra", 5)
    return hp
"""


def test_a_helper_that_builds_an_object_is_replayed_with_a_new_object():
    # Hyperparameter sets: a function builds an object of a class of the program, another one
    # starts from it and changes it. Each call gives an object of its own.
    interp, _ = both(PARAMS + """
a = base()
a.units = 7
b = base()
s = small()
s.add("more", 4)
t = small()
tf.get_variable("a", [a.units])
tf.get_variable("b", [b.units, b.depth])
tf.get_variable("s", [s.units, s.extra, s.more])
tf.get_variable("t", [t.units, t.extra, len(t._types)])
""")
    assert summarised(interp, "base") == 1 and summarised(interp, "small") == 1
    assert created(interp) == [("a", (7,)), ("b", (3, 2)), ("s", (1, 5, 4)), ("t", (1, 5, 3))]


def test_hparams_entries_replay_the_set_they_start_from():
    interp, _ = both(PARAMS + """
def tiny():
    hp = small()
    hp.units = 2
    return hp

def big():
    hp = small()
    hp.add("width", 8)
    return hp

def model():
    hp = tiny()
    return tf.get_variable("w", [hp.units, hp.depth, hp.extra])

model()
""")
    assert interp.trace.entries == ["<module>", "big"]  # it starts from the same set
    assert summarised(interp, "small") >= 1
    assert created(interp) == [("w", (2, 2, 5))]


def test_a_class_changed_between_calls_is_read_again():
    for change in ("P.SIZE = 5", "P.__init__ = other", "del P.SIZE\nP.SIZE = 5"):
        interp, _ = both(f"""
class P(object):
    SIZE = 3
    def __init__(self):
        self.n = self.SIZE
def other(self):
    self.n = 5
def make():
    return P()
a = make()
{change}
b = make()
tf.get_variable("a", [a.n])
tf.get_variable("b", [b.n])
""")
        assert created(interp) == [("a", (3,)), ("b", (5,))], change


def test_a_class_holding_what_can_change_is_not_read_by_a_summary():
    for holder in ("ITEMS = []", "ITEMS = {}", "ITEMS = Box()"):
        interp, _ = both(f"""
class Box(object):
    def __len__(self):
        return 9
class Reg(object):
    {holder}
    def __init__(self):
        self.k = len(Reg.ITEMS)
def make():
    return Reg()
a = make()
b = make()
tf.get_variable("a", [a.k + 1])
""")
        assert summarised(interp, "make") == 0, holder


def test_the_subclasses_of_a_class_are_not_replayed():
    interp, _ = both("""
class B(object):
    pass
def count():
    return len(B.__subclasses__())
a = count()
class C(B):
    pass
b = count()
tf.get_variable("a", [a + 1])
tf.get_variable("b", [b + 1])
""")
    assert created(interp) == [("a", (1,)), ("b", (2,))]


def test_an_object_of_a_class_the_call_defines_is_not_replayed():
    interp, _ = both("""
def make():
    class Local(object):
        pass
    obj = Local()
    obj.n = 3
    return obj
a = make()
b = make()
b.n = 4
tf.get_variable("a", [a.n, b.n])
""")
    assert summarised(interp, "make") == 0
    assert created(interp) == [("a", (3, 4))]


def test_a_helper_called_by_a_call_that_cannot_be_summarised_is_still_replayed():
    # The outer call creates a variable first: its recording is dropped, the helper's are not.
    interp, _ = both(SHAPE_LIST + """
def layer(x, name):
    w = tf.get_variable(name, [2])
    n = shape_list(x)[-1]
    m = shape_list(x)[-1]
    return tf.get_variable(name + "_b", [n, m])
x = tf.placeholder(tf.float32, [None, 4])
layer(x, "a")
layer(x, "b")
""")
    assert summarised(interp, "layer") == 0 and summarised(interp, "shape_list") == 1
    assert created(interp)[-1] == ("b_b", (4, 4))
    assert interp.recordings == [] and interp.made == {}


def test_a_call_around_one_that_cannot_be_summarised_still_guards_what_it_reads():
    # inner reads an object outer made: inner cannot be summarised, outer can, and the global
    # outer reads after inner returned must still be guarded.
    interp, _ = both("""
class Box(object):
    pass
G = 1
def outer():
    box = Box()
    def inner(k):
        return box
    inner(1)
    return G + 1
a = outer()
G = 5
b = outer()
c = outer()
tf.get_variable("w", [a, b, c])
""")
    assert summarised(interp, "outer") == 1 and summarised(interp, "inner") == 0
    assert created(interp) == [("w", (2, 6, 6))]
