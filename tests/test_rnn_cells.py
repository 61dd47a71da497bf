"""RNN cells and rnn functions (``tf/cells.py``, ``custom_cells.py``, ``rnn.py``).

The fixtures under ``fixtures/rnn`` check names, shapes and dtypes against TensorFlow 2.x. TF
1.15's ``tf.contrib.rnn`` is not in TF 2.x: its cells and functions are checked here against
the names TF 1.15's source gives them (``contrib/rnn/python/ops/lstm_ops.py``, ``gru_ops.py``,
``rnn_cell.py``, ``rnn.py``), as few as cover each one.
"""

from __future__ import annotations

import textwrap

from scopelint.run.engine import check_bytes
from scopelint.types import EventKind


def created(code: str) -> list[tuple[str, tuple | None, str | None]]:
    result = check_bytes(textwrap.dedent(code).encode(), "t.py", with_events=True)
    return [(e.name, e.shape, e.dtype) for e in result.events if e.kind is EventKind.CREATE]


def test_contrib_block_cells():
    """lstm_ops.LSTMBlockCell: a layer named ``lstm_cell``, ``kernel``, ``bias`` and with
    ``use_peephole`` ``w_i_diag``, ``w_f_diag``, ``w_o_diag``; gru_ops.GRUBlockCell: a layer
    named ``gru_cell`` whose build asks for ``w_c`` [in + n, 2n], ``b_ru``, ``w_ru`` [in + n, n],
    ``b_c``; GRUBlockCellV2 names them as GRUCell does."""
    assert created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 5, 3])
        h, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.LSTMBlockCell(4, use_peephole=True), x,
                                 dtype=tf.float32, scope="a")
        h, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUBlockCell(2), h, dtype=tf.float32, scope="b")
        h, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.GRUBlockCellV2(num_units=3), h, dtype=tf.float32,
                                 scope="c")
    """) == [
        ("a/lstm_cell/kernel", (7, 16), "float32"), ("a/lstm_cell/bias", (16,), "float32"),
        ("a/lstm_cell/w_i_diag", (4,), "float32"), ("a/lstm_cell/w_f_diag", (4,), "float32"),
        ("a/lstm_cell/w_o_diag", (4,), "float32"),
        ("b/gru_cell/w_c", (6, 4), "float32"), ("b/gru_cell/b_ru", (4,), "float32"),
        ("b/gru_cell/w_ru", (6, 2), "float32"), ("b/gru_cell/b_c", (2,), "float32"),
        ("c/gru_cell/gates/kernel", (5, 6), "float32"), ("c/gru_cell/gates/bias", (6,), "float32"),
        ("c/gru_cell/candidate/kernel", (5, 3), "float32"), ("c/gru_cell/candidate/bias", (3,), "float32"),
    ]


def test_layer_norm_basic_lstm_cell():
    """rnn_cell.LayerNormBasicLSTMCell is an RNNCell, so a layer named after its class: ``kernel``
    (``bias`` only without layer norm), then gamma and beta of every gate and of the state."""
    gates = [f"rnn/layer_norm_basic_lstm_cell/{part}/{param}"
             for part in ("input", "transform", "forget", "output", "state") for param in ("gamma", "beta")]
    assert created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 5, 3])
        h, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.LayerNormBasicLSTMCell(4), x, dtype=tf.float32)
        g, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.LayerNormBasicLSTMCell(2, layer_norm=False), h,
                                 dtype=tf.float32, scope="plain")
    """) == [("rnn/layer_norm_basic_lstm_cell/kernel", (7, 16), "float32")] + [
        (name, (4,), "float32") for name in gates] + [
        ("plain/layer_norm_basic_lstm_cell/kernel", (6, 8), "float32"),
        ("plain/layer_norm_basic_lstm_cell/bias", (8,), "float32"),
    ]


def test_stacked_bidirectional_rnns():
    """contrib/rnn/python/ops/rnn.py: layer i in ``stack_bidirectional_rnn/cell_<i>``, a
    bidirectional_dynamic_rnn there (its own ``bidirectional_rnn`` scope), on the joined outputs
    of the layer before; the static one passes ``cell_<i>`` as the scope."""
    assert [name for name, _, _ in created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 5, 3])
        out, fw, bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
            [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)],
            [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3)], x, dtype=tf.float32)
        steps = tf.unstack(x, axis=1)
        out2, _, _ = tf.contrib.rnn.stack_bidirectional_rnn(
            [tf.nn.rnn_cell.BasicRNNCell(2)], [tf.nn.rnn_cell.BasicRNNCell(2)], steps,
            dtype=tf.float32, scope="static")
    """) if name.endswith("gates/kernel") or name.startswith("static")] == [
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/gates/kernel",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/gru_cell/gates/kernel",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/gates/kernel",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/gru_cell/gates/kernel",
        "static/cell_0/fw/basic_rnn_cell/kernel", "static/cell_0/fw/basic_rnn_cell/bias",
        "static/cell_0/bw/basic_rnn_cell/kernel", "static/cell_0/bw/basic_rnn_cell/bias",
    ]
    shapes = dict((n, s) for n, s, _ in created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 5, 3])
        out, fw, bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
            [tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)],
            [tf.nn.rnn_cell.GRUCell(3), tf.nn.rnn_cell.GRUCell(3)], x, dtype=tf.float32)
    """))
    # The second layer reads both directions of the first: 2 + 3 wide, plus its own state.
    assert shapes["stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/gru_cell/gates/kernel"] == (7, 4)


def test_own_cell_creating_variables_in_call():
    """Variables made in the program's ``call`` (TF's autograph reports them at the rnn's line,
    so this is no fixture) go in the cell's layer scope; a second new cell run in the same rnn
    scope (re-entered: its numbering restarts) makes them again."""
    code = textwrap.dedent("""
        import tensorflow as tf
        class Cell(tf.nn.rnn_cell.RNNCell):
            def __init__(self, n):
                super(Cell, self).__init__()
                self.n = n
            @property
            def state_size(self):
                return self.n
            @property
            def output_size(self):
                return self.n
            def call(self, inputs, state):
                w = tf.get_variable("w", [inputs.get_shape()[-1] + self.n, self.n])
                return tf.matmul(tf.concat([inputs, state], 1), w), state
        x = tf.placeholder(tf.float32, [2, 5, 3])
        with tf.variable_scope("enc"):
            h, _ = tf.nn.dynamic_rnn(Cell(4), x, dtype=tf.float32, scope="one")
            g, _ = tf.nn.dynamic_rnn(Cell(2), h, dtype=tf.float32, scope="one")
    """)
    result = check_bytes(code.encode(), "t.py", with_events=True)
    made = [(e.name, e.shape, e.dtype) for e in result.events if e.kind is EventKind.CREATE]
    assert made[0] == ("enc/one/cell/w", (7, 4), "float32")
    assert [(d.code, d.subject) for d in result.diagnostics] == [("SL001", "enc/one/cell/w")]


_NAMED_CELL = """
        import sys
        import tensorflow as tf
        class Cell(tf.nn.rnn_cell.RNNCell):
            def __init__(self, n, name):
                super(Cell, self).__init__(name=name)
                self.n = n
            @property
            def state_size(self):
                return self.n
            @property
            def output_size(self):
                return self.n
            def call(self, inputs, state):
                w = tf.get_variable("w", [3, self.n])
                return state, state
        x = tf.placeholder(tf.float32, [2, 5, 3])
        h, _ = tf.nn.dynamic_rnn(Cell(4, NAME), x, dtype=tf.float32)
"""


def test_own_cell_named_through_rnncell_init():
    """``super().__init__(name=...)`` names the layer the cell runs as (TF: ``rnn/mine/w``)."""
    assert created(_NAMED_CELL.replace("NAME", '"mine"')) == [("rnn/mine/w", (3, 4), "float32")]


def test_own_cell_whose_layer_name_is_not_seen():
    """A name the analysis cannot read leaves the cell's variables unnamed rather than guessed
    after the class."""
    assert created(_NAMED_CELL.replace("NAME", "sys.argv[1]")) == []


def test_raw_rnn_calls_loop_fn_and_the_cell():
    """raw_rnn: in ``rnn``, loop_fn(0, None, None, None) gives the first input and state."""
    assert created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 3])
        cell = tf.nn.rnn_cell.LSTMCell(4)
        def loop_fn(time, cell_output, cell_state, loop_state):
            if cell_output is None:
                return (tf.zeros([2], tf.bool), x, cell.zero_state(2, tf.float32), None, None)
            return (tf.ones([2], tf.bool), x, cell_state, cell_output, None)
        emit, state, _ = tf.nn.raw_rnn(cell, loop_fn)
    """) == [("rnn/lstm_cell/kernel", (7, 16), "float32"), ("rnn/lstm_cell/bias", (16,), "float32")]


def test_contrib_framework_nest():
    """TF 1.15's ``tf.contrib.framework.nest`` is TF's nest: structures of states flatten and
    pack back, so the layers applied to each keep their widths."""
    assert created("""
        import tensorflow as tf
        nest = tf.contrib.framework.nest
        x = tf.placeholder(tf.float32, [2, 5, 3])
        cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4), tf.nn.rnn_cell.GRUCell(2)])
        _, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
        flat = nest.flatten(state)
        again = nest.pack_sequence_as(state, [s * 2.0 for s in flat])
        w = tf.get_variable("w", [len(flat), again[0].h.get_shape()[-1], again[1].get_shape()[-1]])
    """)[-1] == ("w", (3, 4, 2), "float32")


def test_contrib_projection_wrappers():
    """core_rnn_cell.OutputProjectionWrapper / InputProjectionWrapper / EmbeddingWrapper are
    RNNCells, layers named after their class: the wrapped cell runs inside that scope, the
    projection is a ``_Linear`` (``kernel``, ``bias``) made there after (output) or before
    (input) the wrapped cell's step, the embedding wrapper's table ``embedding``."""
    assert created("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [2, 5, 6])
        out = tf.contrib.rnn.OutputProjectionWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), 3)
        h, _ = tf.nn.dynamic_rnn(out, x, dtype=tf.float32)
        inp = tf.contrib.rnn.InputProjectionWrapper(tf.nn.rnn_cell.GRUCell(2), 5)
        g, _ = tf.nn.dynamic_rnn(inp, h, dtype=tf.float32, scope="second")
        ids = tf.placeholder(tf.int32, [2, 5, 1])
        emb = tf.contrib.rnn.EmbeddingWrapper(tf.nn.rnn_cell.BasicRNNCell(3), embedding_classes=10,
                                              embedding_size=4)
        e, _ = tf.nn.dynamic_rnn(emb, ids, dtype=tf.float32, scope="third")
    """) == [
        ("rnn/output_projection_wrapper/basic_lstm_cell/kernel", (10, 16), "float32"),
        ("rnn/output_projection_wrapper/basic_lstm_cell/bias", (16,), "float32"),
        ("rnn/output_projection_wrapper/kernel", (4, 3), "float32"),
        ("rnn/output_projection_wrapper/bias", (3,), "float32"),
        ("second/input_projection_wrapper/kernel", (3, 5), "float32"),
        ("second/input_projection_wrapper/bias", (5,), "float32"),
        ("second/input_projection_wrapper/gru_cell/gates/kernel", (7, 4), "float32"),
        ("second/input_projection_wrapper/gru_cell/gates/bias", (4,), "float32"),
        ("second/input_projection_wrapper/gru_cell/candidate/kernel", (7, 2), "float32"),
        ("second/input_projection_wrapper/gru_cell/candidate/bias", (2,), "float32"),
        ("third/embedding_wrapper/embedding", (10, 4), "float32"),
        ("third/embedding_wrapper/basic_rnn_cell/kernel", (7, 3), "float32"),
        ("third/embedding_wrapper/basic_rnn_cell/bias", (3,), "float32"),
    ]
