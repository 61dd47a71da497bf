"""Python that model libraries are written in, decided rather than left unknown: each case is a
fixture TF runs (tests/test_fixtures.py); here, that scopelint predicts all of it, dtype included."""

from __future__ import annotations

from pathlib import Path

from scopelint.read.source import Source
from scopelint.run.config import Overrides, build
from scopelint.run.runner import lint_source as lint_read

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def events(path: Path):
    settings = build([path], Overrides())
    return lint_read(Source(path.read_bytes()), str(path), settings, with_events=True).events


def predicted(relative: str) -> list[tuple]:
    return [(e.name, e.shape, e.dtype, e.conditional) for e in events(FIXTURES / relative)]


def test_globals_lookup_and_isinstance_of_none_against_a_tf_class():
    assert predicted("modules/good_initializer_looked_up_in_globals.py") == [
        ("embedding/W", (50, 8), "float32", False),
        ("dense/W", (8, 2), "float32", False),
    ]


def test_an_object_is_called_through_its_class_not_a_wrapper_in_its_dict():
    assert predicted("classes/good_call_wrapper_kept_in_instance_dict.py") == [
        ("linear/w", (6, 4), "float32", False),
        ("linear/w", (6, 4), "float32", False),
    ]


def test_tf_decorator_wrapper_empty_registry_membership_and_name_lookups():
    # make_decorator returns the wrapper; `key in {}` is False for any key; hasattr on a str,
    # callable() and isinstance(.., str) of an initializer object are Python's exact answers.
    assert predicted("modules/good_decorated_layer_with_name_lookups.py") == [
        ("dense/W", (4, 3), "float32", False),
        ("dense/b", (3,), "float32", False),
    ]


def test_static_rnn_functions_imported_from_internal_and_tf_1_1_contrib_modules():
    assert predicted("rnn/good_static_rnn_from_internal_modules.py") == [
        ("fw/Cell/W", (9, 5), "float32", False),
        ("bi/fw/Cell/W", (9, 5), "float32", False),
        ("bi/bw/Cell/W", (10, 6), "float32", False),
    ]


def test_sizes_parsed_from_a_string_by_regular_expressions_in_a_while_loop():
    # re.compile with or-ed flags, match from a position, groupdict/group/end, split, sub; the
    # while loop over the string is unrolled since its test is known and nothing breaks out.
    assert predicted("realworld/good_sizes_parsed_by_regex.py") == [
        ("enc__/w0", (4, 30), "float32", False),
        ("enc__/w1", (30, 30), "float32", False),
        ("enc__/b", (2,), "float64", False),
    ]


def test_issubclass_and_isinstance_on_builtin_and_numbers_classes():
    # type(None), nested tuples of classes, numbers.Integral / numbers.Number: Python's answers,
    # so the casts after the checks give the parsed sizes.
    assert predicted("realworld/good_hparam_types_checked_before_cast.py") == [
        ("enc/w", (7, 4), "float32", False),
        ("enc/b", (3,), "float64", False),
    ]


def test_linear_helper_tells_a_tensor_from_a_list_with_nest():
    assert predicted("modules/good_linear_helper_branches_on_nest.py") == [
        ("pair/Matrix", (10, 3), "float32", False),
        ("single/Matrix", (6, 2), "float32", False),
        ("tuple/Matrix", (5, 5), "float32", False),
    ]


def test_isinstance_tf_tensor_of_a_computed_tensor_a_variable_and_an_initializer():
    assert predicted("modules/good_shape_read_after_isinstance_tensor.py") == [
        ("fc1/W", (6, 4), "float32", False),
        ("fc2/W", (4, 3), "float32", False),
    ]


def test_comprehension_over_the_gradients_of_a_model_with_more_than_64_variables():
    found = predicted("realworld/good_clipped_gradients_of_many_variables.py")
    assert ("scale", (5,), "float32", False) in found
    slots = [e for e in found if e[0].rstrip("/").endswith(("/Adam", "/Adam_1"))]
    assert len(slots) == 140 and all(e[1:] == ((3, 3), "float32", False) for e in slots)


def test_flattened_size_from_numpy_prod_of_static_dims():
    assert predicted("modules/good_flattened_size_from_numpy_prod.py") == [
        ("fc/W", (24, 5), "float32", False),
    ]


def test_import_time_version_check_signature_and_set_leave_the_store_known():
    # distutils and inspect.signature of a function run no code of the program, nor do a set's
    # methods: nothing is tainted, so the AUTO_REUSE scopes create their variables.
    assert predicted("modules/good_import_time_checks_then_auto_reuse.py") == [
        ("Generator/dense/kernel", (3, 4), "float32", False),
        ("Generator/dense/bias", (4,), "float32", False),
        ("Discriminator/dense/kernel", (4, 1), "float32", False),
        ("Discriminator/dense/bias", (1,), "float32", False),
        ("Discriminator/dense/kernel", (4, 1), "float32", False),
        ("Discriminator/dense/bias", (1,), "float32", False),
    ]


def lint_source(tmp_path, text: str) -> list[tuple]:
    path = tmp_path / "m.py"
    path.write_text(text)
    return [(e.name, e.conditional) for e in events(path)]


def test_a_name_bound_differently_on_undecided_arms_is_unknown_after_them(tmp_path):
    """Not the last arm's value: which layer function runs is not known, so no variable is
    claimed; a value every arm agrees on stays known."""
    assert lint_source(tmp_path, (
        "import sys\n"
        "import tensorflow.compat.v1 as tf\n"
        "def a_layer():\n    return tf.get_variable('a', [1])\n"
        "def b_layer():\n    return tf.get_variable('b', [1])\n"
        "if sys.argv[1] == 'a':\n    fn, scope = a_layer, 'net'\n"
        "elif sys.argv[1] == 'b':\n    fn, scope = b_layer, 'net'\n"
        "else:\n    fn, scope = b_layer, 'net'\n"
        "with tf.variable_scope(scope):\n    fn()\n"
        "    tf.get_variable('w', [2])\n"
    )) == [("net/w", False)]


def test_imports_of_the_api_in_a_try_make_its_import_error_handler_dead(tmp_path):
    assert lint_source(tmp_path, (
        "import tensorflow.compat.v1 as tf\n"
        "try:\n"
        "    from tensorflow.python.ops.variable_scope import get_variable as gv\n"
        "except ImportError:\n"
        "    gv = None\n"
        "gv('w', [2])\n"
    )) == [("w", False)]


def test_python_classes_from_type_compare_equal_by_name(tmp_path):
    """An HParams parser picks its parse function by `type_ == bool` / `== int` / `== str` with
    `type_ = type(default)`: decided, so the arm that runs is known."""
    assert lint_source(tmp_path, (
        "import tensorflow.compat.v1 as tf\n"
        "kinds = {name: type(v) for name, v in dict(model='lstm', n=3, on=True).items()}\n"
        "t = kinds['model']\n"
        "if t == bool:\n    k = 'a'\nelif t == int:\n    k = 'b'\n"
        "elif t != str:\n    k = 'c'\nelse:\n    k = 'd'\n"
        "tf.get_variable(k, [1])\n"
    )) == [("d", False)]


def test_collections_abstract_classes_and_their_pre_3_10_aliases(tmp_path):
    """TF1-era code tests `isinstance(getter, collections.Mapping)` (the alias Python kept until
    3.10); plain values are decided, an object of the program's class is not (an abstract class
    decides by the methods a class defines)."""
    assert lint_source(tmp_path, (
        "import collections\n"
        "import tensorflow.compat.v1 as tf\n"
        "class Table(object):\n    def __getitem__(self, key):\n        return key\n"
        "def pick(value, name):\n"
        "    if isinstance(value, collections.Mapping):\n        name += '_map'\n"
        "    if isinstance(value, (collections.abc.Sequence, collections.Callable)):\n"
        "        name += '_seq'\n"
        "    tf.get_variable(name, [1])\n"
        "pick(None, 'a')\npick({}, 'b')\npick([1], 'c')\npick(Table(), 'd')\n"
    )) == [("a", False), ("b_map", False), ("c_seq", False)]  # d: its name is unknown


def test_dm_tree_is_tfs_nest(tmp_path):
    """`import tree` (DeepMind's dm-tree, as TRFL flattens its inputs with it) is TF's nest under
    its own names: followed, not unknown code, so the optimizer's slots stay known (the zoo's
    TRFL models check it against TF, with TF's nest standing in for dm-tree)."""
    assert lint_source(tmp_path, (
        "import tree\n"
        "import tensorflow.compat.v1 as tf\n"
        "w = tf.get_variable('w', [2])\n"
        "parts = tree.flatten({'b': [w, w], 'a': (w,)})\n"
        "same = tree.unflatten_as([0, [1, 2]], parts)\n"
        "tree.assert_same_structure(same, [0, [1, 2]])\n"
        "tf.train.AdamOptimizer(0.1).minimize(tree.map_structure(tf.reduce_sum, parts)[0])\n"
        "tf.get_variable('n%d' % len(parts), [1])\n"
    )) == [("w", False), ("beta1_power", False), ("beta2_power", False), ("w/Adam/", False),
           ("w/Adam_1/", False), ("n3", False)]


def test_small_numpy_arrays(tmp_path):
    """np.array of a flat list of numbers: element-wise comparison and arithmetic, a boolean
    mask written in place, reductions, items; a nested list stays unknown."""
    assert lint_source(tmp_path, (
        "import numpy as np\n"
        "import tensorflow.compat.v1 as tf\n"
        "v = np.array([2, -1, 3])\n"
        "v[v < 0] = 4\n"
        "w = v * 2 + 1\n"
        "tf.get_variable('a%d_%d' % (np.prod(v), w[1]), [1])\n"
        "tf.get_variable('b', list(-w))\n"
        "tf.get_variable('c', tuple(np.array([[1, 2]])))\n"
    )) == [("a24_9", False), ("b", False), ("c", False)]
