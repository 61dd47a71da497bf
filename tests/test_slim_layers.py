"""TF-Slim's layers and arg_scope (``tf/slim.py``, ``slim_layers.py``, ``slim_ops.py``).

The fixtures under ``fixtures/slim`` check every name, shape and dtype against TensorFlow; these
tests pin what the fixture check lets pass (a shape left unknown is no failure there) and what
TF 2.x cannot run (TF 1.15's ``tf.contrib.layers.embed_sequence``).
"""

from __future__ import annotations

import textwrap

import pytest

from scopelint.run.engine import check_bytes
from scopelint.types import EventKind

from .fixture_spec import FIXTURES


def created(code: str) -> list[tuple[str, tuple | None, str | None]]:
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True)
    return [(e.name, e.shape, e.dtype) for e in result.events if e.kind is EventKind.CREATE]


@pytest.mark.parametrize("name", [
    "good_arg_scope_returned_by_function.py", "good_separable_transpose_stack.py",
    "good_layer_norm_numbered_scopes.py", "good_batch_norm_through_normalizer_fn.py",
    "good_batch_norm_arg_scope_of_its_own.py", "good_add_arg_scope_user_layer.py",
])
def test_shapes_follow_the_input_through_every_layer(name):
    """Each layer's output shape feeds the next layer's variables: every variable of these
    fixtures has a fully known shape and a dtype (TF's, by test_fixtures)."""
    path = FIXTURES / "slim" / name
    result = check_bytes(path.read_bytes(), str(path), with_events=True)
    made = [e for e in result.events if e.kind is EventKind.CREATE]
    assert made
    for event in made:
        assert event.shape is not None and None not in event.shape, (event.name, event.shape)
        assert event.dtype is not None, event.name


def test_embed_sequence_as_tf_1_15_defined_it():
    """TF 1.15's contrib/layers/python/layers/encoders.py: ``variable_scope(scope,
    'EmbedSequence', reuse=reuse)`` and ``model_variable('embeddings', [vocab_size,
    embed_dim])`` (float32, model_variable's default). Not in TF 2.x or tf_slim, so not a
    fixture."""
    assert created("""
        import tensorflow as tf
        ids = tf.placeholder(tf.int32, [2, 7])
        a = tf.contrib.layers.embed_sequence(ids, vocab_size=50, embed_dim=8)
        b = tf.contrib.layers.embed_sequence(ids, 50, 8, scope="dec")
        c = tf.contrib.layers.fully_connected(a, 3)
    """) == [
        ("EmbedSequence/embeddings", (50, 8), "float32"),
        ("dec/embeddings", (50, 8), "float32"),
        ("fully_connected/weights", (8, 3), "float32"),
        ("fully_connected/biases", (3,), "float32"),
    ]


def test_contrib_layers_are_slim():
    """TF 1.15's tf.contrib.layers / tf.contrib.framework / tf.contrib.slim are TF-Slim."""
    assert created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 6])
        with tf.contrib.framework.arg_scope([tf.contrib.layers.fully_connected],
                                            normalizer_fn=tf.contrib.layers.layer_norm):
            h = tf.contrib.slim.fully_connected(x, 4, scope="fc")
    """) == [
        ("fc/weights", (6, 4), "float32"),
        ("fc/LayerNorm/beta", (4,), "float32"),
        ("fc/LayerNorm/gamma", (4,), "float32"),
    ]


def test_arg_scope_naming_an_unknown_op_with_harmless_keywords():
    """``arg_scope([slim.conv2d, bottleneck], outputs_collections=...)`` where ``bottleneck`` is
    a function the analysis cannot see: the keyword changes no variable, so slim's layers keep
    their known defaults. A keyword that does change variables makes them unknown."""
    code = """
        import tensorflow as tf
        import tf_slim as slim
        from somewhere import bottleneck
        x = tf.placeholder(tf.float32, [2, 8, 8, 3])
        with slim.arg_scope([slim.conv2d, bottleneck], {keyword}):
            h = slim.conv2d(x, 4, [3, 3], scope="c")
    """
    assert created(code.format(keyword="outputs_collections='ends'")) == [
        ("c/weights", (3, 3, 3, 4), "float32"), ("c/biases", (4,), "float32"),
    ]
    assert created(code.format(keyword="normalizer_fn=slim.batch_norm")) == []


def test_arg_scope_of_a_dict_replaces_the_enclosing_scopes():
    """``arg_scope(sc)`` pushes ``sc`` itself: defaults from scopes around it do not apply."""
    assert created("""
        import tensorflow as tf
        import tf_slim as slim
        with slim.arg_scope([slim.fully_connected], biases_initializer=None) as no_bias:
            pass
        x = tf.placeholder(tf.float32, [2, 6])
        with slim.arg_scope([slim.fully_connected], normalizer_fn=slim.layer_norm):
            with slim.arg_scope(no_bias):
                h = slim.fully_connected(x, 4, scope="fc")
    """) == [("fc/weights", (6, 4), "float32")]


def test_unknown_normalizer_leaves_biases_open():
    """``use_bias = not normalizer_fn and biases_initializer``: with a normalizer the analysis
    cannot know, ``biases`` may or may not exist, so neither is claimed, and the weights are."""
    assert created("""
        import tensorflow as tf
        import tf_slim as slim
        from somewhere import norm
        x = tf.placeholder(tf.float32, [2, 6])
        h = slim.fully_connected(x, 4, normalizer_fn=norm, scope="fc")
    """) == [("fc/weights", (6, 4), "float32")]


def test_ops_without_variables_are_not_unknown_code():
    """``slim.softmax`` / ``unit_norm`` / ``one_hot_encoding`` make no variable: an optimizer
    after them still knows every variable it trains (ResNet and Inception end in
    ``slim.softmax``)."""
    names = [name for name, _, _ in created("""
        import tensorflow as tf
        import tf_slim as slim
        x = tf.placeholder(tf.float32, [2, 6])
        logits = slim.fully_connected(x, 3, scope="fc")
        p = slim.softmax(logits, scope="predictions")
        n = slim.unit_norm(logits, 1)
        o = slim.one_hot_encoding(tf.placeholder(tf.int32, [2]), 3)
        step = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(logits * o))
    """)]
    assert names == ["fc/weights", "fc/biases", "fc/weights/Momentum/", "fc/biases/Momentum/"]
