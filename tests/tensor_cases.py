"""Static shapes and dtypes of single ops, as TF's graph-mode shape inference gives them.

Each case is a small TF1 program that binds ``out`` (a tensor, or a list of tensors); the test
(``test_tensor_shapes.py``) requires scopelint's value of ``out`` to have exactly the static
shape and dtype TF gives it: every dimension TF knows, and none it does not.

    python -m tests.tensor_cases

prints TF's answer for every case as JSON: ``{case id: [shape or null, dtype]}`` (a list of such
pairs for a list of tensors).
"""

from __future__ import annotations

HEADER = """\
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
"""

# Inputs most cases start from.
IMAGES = "x = tf.placeholder(tf.float32, [None, 32, 32, 3])\n"
SEQ = "x = tf.placeholder(tf.float32, [None, 10, 16])\n"
FIXED = "x = tf.placeholder(tf.float32, [4, 10, 16])\n"

CASES: dict[str, str] = {}
# Cases where scopelint may know less than TF (never anything else): a dimension or dtype it
# leaves unknown is fine, one it claims must be TF's.
LOOSE: set[str] = set()


def case(name: str, body: str, prelude: str = "", loose: bool = False) -> None:
    if name in CASES:
        raise ValueError(f"case {name} twice")
    CASES[name] = prelude + body + "\n"
    if loose:
        LOOSE.add(name)


def _tensorflow_answers(cases: dict[str, str]) -> dict:
    from .tfrun import _tensorflow  # the TF the fixtures run under (legacy Keras, TF-Slim repaired)

    tf = _tensorflow()

    def describe(value):
        if isinstance(value, (list, tuple)):
            return [describe(v) for v in value]
        shape = value.shape
        return [None if shape.rank is None else shape.as_list(), value.dtype.base_dtype.name]

    out = {}
    for name, body in cases.items():
        with tf.Graph().as_default():
            scope: dict = {"__name__": "__case__"}
            exec(compile(HEADER + body, name, "exec"), scope)
            out[name] = describe(scope["out"])
    return out


# -- sources --------------------------------------------------------------------------------------
case("placeholder", "out = tf.placeholder(tf.int64, [None, 7])")
case("placeholder_unknown_rank", "out = tf.placeholder(tf.float32)")
case("placeholder_with_default", "out = tf.placeholder_with_default(tf.zeros([2, 3]), [None, 3])")
case("zeros_int", "out = tf.zeros(5, tf.int32)")
case("ones_like_dtype", "out = tf.ones_like(x, dtype=tf.int32)", SEQ)
case("zeros_from_tf_shape", "out = tf.zeros(tf.shape(x))", SEQ)
case("zeros_mixed_list", "out = tf.zeros([tf.shape(x)[0], 5])", SEQ)
case("zeros_mixed_list_known", "out = tf.zeros([tf.shape(x)[0], 5])", FIXED)
case("fill_mixed", "out = tf.fill([tf.shape(x)[0], 3], 1.0)", SEQ)
case("random_normal_dims", "out = tf.random_normal([2, x.shape[-1]])", SEQ)
case("constant_nested", "out = tf.constant([[1, 2, 3], [4, 5, 6]])")
case("constant_float_shape", "out = tf.constant(0.5, shape=[2, 2])")
case("convert_to_tensor", "out = tf.convert_to_tensor(x)", SEQ)
case("convert_list", "out = tf.convert_to_tensor([1.0, 2.0, 3.0])")
case("one_hot", "out = tf.one_hot(tf.placeholder(tf.int32, [None, 5]), 7)")
case("one_hot_axis0", "out = tf.one_hot(tf.placeholder(tf.int32, [4, 5]), 7, axis=0)")
case("one_hot_dtype", "out = tf.one_hot(tf.placeholder(tf.int32, [4]), 3, dtype=tf.int64)")
case("one_hot_on_value", "out = tf.one_hot(tf.placeholder(tf.int32, [4]), 3, on_value=1, off_value=0)")
case("embedding_lookup", "out = tf.nn.embedding_lookup(tf.get_variable('e', [100, 8]), tf.placeholder(tf.int32, [None, 12]))")
case("shape", "out = tf.shape(x)", SEQ)
case("shape_element", "out = tf.shape(x)[1]", SEQ)
case("shape_int64", "out = tf.shape(x, out_type=tf.int64)", SEQ)
case("size_rank", "out = [tf.size(x), tf.rank(x)]", SEQ)
case("range", "out = tf.range(5)")
case("range_step", "out = tf.range(2, 10, 3)")
case("range_float", "out = tf.range(5.0)")
case("range_tensor", "out = tf.range(tf.shape(x)[0])", SEQ)
case("range_folded", "out = tf.range(tf.shape(x)[1])", SEQ)
case("sequence_mask", "out = tf.sequence_mask([1, 2, 3], 5)")
case("sequence_mask_no_maxlen", "out = tf.sequence_mask(tf.placeholder(tf.int32, [None]))")
case("sequence_mask_dtype", "out = tf.sequence_mask(tf.placeholder(tf.int32, [4]), 7, dtype=tf.float32)")

# -- reading shapes in code -----------------------------------------------------------------------
case("as_list", "out = tf.zeros(x.shape.as_list()[1:])", SEQ)
case("get_shape_as_list", "out = tf.zeros([x.get_shape().as_list()[-1], 2])", SEQ)
case("int_shape", "out = tf.zeros([int(x.shape[-1]), 2])", SEQ)
case("dims", "out = tf.zeros([d for d in x.get_shape().dims[1:]])", SEQ)
case("variable_get_shape", "v = tf.get_variable('v', [3, 4])\nout = tf.zeros(v.get_shape())")
case("variable_slice", "v = tf.get_variable('v', [3, 4])\nout = v[:, :2]")
case("shape_list_t2t", """
def shape_list(x):
    x = tf.convert_to_tensor(x)
    if x.get_shape().dims is None:
        return tf.shape(x)
    static = x.get_shape().as_list()
    shape = tf.shape(x)
    ret = []
    for i, dim in enumerate(static):
        if dim is None:
            dim = shape[i]
        ret.append(dim)
    return ret
b, t, d = shape_list(x)
out = tf.reshape(x, [b, t, 4, d // 4])
""", SEQ)
case("get_shape_list_bert", """
def get_shape_list(tensor, expected_rank=None, name=None):
    if name is None:
        name = tensor.name
    shape = tensor.shape.as_list()
    non_static_indexes = []
    for (index, dim) in enumerate(shape):
        if dim is None:
            non_static_indexes.append(index)
    if not non_static_indexes:
        return shape
    dyn_shape = tf.shape(tensor)
    for index in non_static_indexes:
        shape[index] = dyn_shape[index]
    return shape
shape = get_shape_list(x, expected_rank=3)
matrix = tf.reshape(x, [-1, shape[-1]])
out = tf.reshape(matrix, shape[0:-1] + [shape[-1]])
""", SEQ)
case("gpt2_split_states", """
def shape_list(x):
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if s is None else s for i, s in enumerate(static)]
*start, m = shape_list(x)
out = tf.transpose(tf.reshape(x, start + [4, m // 4]), [0, 2, 1, 3])
""", SEQ)

# -- array ops ------------------------------------------------------------------------------------
case("reshape_minus_one", "out = tf.reshape(x, [-1, 16])", SEQ)
case("reshape_minus_one_known", "out = tf.reshape(x, [-1, 8])", FIXED)
case("reshape_flat", "out = tf.reshape(x, [-1])", FIXED)
case("reshape_mixed", "out = tf.reshape(x, [tf.shape(x)[0], 10, 4, 4])", SEQ)
case("reshape_folded", "out = tf.reshape(x, [tf.shape(x)[0], -1])", FIXED)
case("reshape_folded_product", "t = tf.shape(x)\nout = tf.reshape(x, [t[0] * t[1], 16])", FIXED)
case("reshape_unknown_product", "t = tf.shape(x)\nout = tf.reshape(x, [t[0] * t[1], 16])", SEQ)
case("reshape_to_other_shape", "out = tf.reshape(x, tf.shape(x))", SEQ)
case("reshape_unknown_rank", "out = tf.reshape(tf.placeholder(tf.float32), [-1, 4])")
case("transpose_perm", "out = tf.transpose(x, [0, 2, 1])", SEQ)
case("transpose_default", "out = tf.transpose(x)", SEQ)
case("tile", "out = tf.tile(x, [2, 1, 3])", SEQ)
case("tile_tensor_multiple", "out = tf.tile(x, [tf.shape(x)[0], 1, 1])", FIXED)
case("concat_negative_axis", "out = tf.concat([x, x], -1)", SEQ)
case("concat_axis0_unknown", "out = tf.concat([x, x], 0)", SEQ)
case("concat_shape_vectors", "out = tf.reshape(x, tf.concat([tf.shape(x)[:-1], [4, 4]], 0))", SEQ)
case("split_count", "out = tf.split(x, 2, axis=2)", SEQ)
case("split_sizes", "out = tf.split(x, [4, -1], axis=-1)", SEQ)
case("unstack_axis1", "out = tf.unstack(x, axis=1)", SEQ)
case("stack_axis_last", "out = tf.stack([x, x], axis=-1)", SEQ)
case("stack_scalars", "out = tf.stack([tf.shape(x)[0], 4])", SEQ)
case("squeeze_axis", "out = tf.squeeze(tf.placeholder(tf.float32, [None, 1, 5]), [1])")
case("squeeze_all", "out = tf.squeeze(tf.placeholder(tf.float32, [3, 1, 5, 1]))")
case("expand_dims_negative", "out = tf.expand_dims(x, -1)", SEQ)
case("expand_dims_dim", "out = tf.expand_dims(x, dim=1)", SEQ)
case("expand_dims_axis_list", "out = tf.expand_dims(tf.placeholder(tf.int32, [2, 8]), axis=[-1])")
case("slice_literal", "out = tf.slice(x, [0, 2, 0], [-1, 3, -1])", SEQ)
case("slice_known", "out = tf.slice(x, [1, 2, 0], [-1, 3, -1])", FIXED)
case("getitem_range", "out = x[:, 0:1, :]", SEQ)
case("getitem_last", "out = x[:, -1]", SEQ)
case("getitem_ellipsis", "out = x[..., :4]", SEQ)
case("getitem_newaxis", "out = x[:, None, :, tf.newaxis]", SEQ)
case("getitem_step", "out = x[:, ::2]", SEQ)
case("getitem_negative", "out = x[:, -3:]", SEQ)
case("getitem_unknown_dim", "out = x[1:3]", SEQ)
case("getitem_tensor_index", "out = x[:, tf.placeholder(tf.int32, [])]", SEQ)
case("getitem_shape_slice", "out = tf.shape(x)[:2]", SEQ)
case("pad_literal", "out = tf.pad(x, [[0, 0], [1, 1], [2, 2], [0, 0]])", IMAGES)
case("pad_reflect", "out = tf.pad(x, [[0, 0], [3, 3], [3, 3], [0, 0]], mode='REFLECT')", IMAGES)
case("pad_symmetric", "out = tf.pad(x, [[0, 0], [1, 2], [0, 0]], 'SYMMETRIC')", SEQ)
case("gather", "out = tf.gather(tf.get_variable('e', [100, 8]), tf.placeholder(tf.int32, [None, 5]))")
case("gather_axis", "out = tf.gather(x, [0, 2, 4], axis=1)", SEQ)
case("gather_nd", "out = tf.gather_nd(x, tf.placeholder(tf.int32, [6, 2]))", SEQ)
case("embedding_reshaped", """
table = tf.get_variable('table', [50, 8])
ids = tf.placeholder(tf.int32, [None, 12])
flat = tf.reshape(ids, [-1])
out = tf.reshape(tf.gather(table, flat), [tf.shape(ids)[0], 12, 8])
""")
case("where_select", "out = tf.where(x > 0, x, tf.zeros_like(x))", SEQ)
case("where_indices", "out = tf.where(x > 0)", SEQ)
case("reverse", "out = tf.reverse(x, [1])", SEQ)
case("boolean_mask", "out = tf.boolean_mask(x, tf.placeholder(tf.bool, [None, 10]))", SEQ)

# -- math -----------------------------------------------------------------------------------------
case("cast", "out = tf.cast(x, tf.int32)", SEQ)
case("to_float", "out = tf.to_float(tf.placeholder(tf.int32, [3, None]))")
case("broadcast_add", "out = x + tf.zeros([16])", SEQ)
case("broadcast_rank", "out = tf.placeholder(tf.float32, [None, 1, 4]) * tf.placeholder(tf.float32, [3, 1])")
case("negate", "out = -x", SEQ)
case("scalar_times", "out = 2.0 * x", SEQ)
case("int_division", "out = tf.placeholder(tf.int32, [3]) / 2")
case("comparison_dtype", "out = tf.equal(x, 0.0)", SEQ)
case("greater_operator", "out = x > 0", SEQ)
case("softmax_axis", "out = tf.nn.softmax(x, axis=1)", SEQ)
case("sigmoid", "out = tf.sigmoid(x)", SEQ)
case("gelu_like", "out = 0.5 * x * (1.0 + tf.tanh(0.79 * (x + 0.044715 * tf.pow(x, 3))))", SEQ)
case("dropout", "out = tf.nn.dropout(x, keep_prob=0.9)", SEQ)
case("dropout_rate", "out = tf.nn.dropout(x, rate=0.1)", SEQ)
case("matmul_2d", "out = tf.matmul(tf.zeros([3, 4]), tf.zeros([5, 4]), transpose_b=True)")
case("matmul_batched", "out = tf.matmul(x, tf.zeros([4, 16, 7]))", FIXED)
case("matmul_batched_transpose", "out = tf.matmul(x, x, transpose_b=True)", SEQ)
case("matmul_broadcast", "out = tf.matmul(x, tf.zeros([16, 7]))", SEQ)
case("einsum_bmm", "out = tf.einsum('bij,bjk->bik', x, tf.zeros([4, 16, 3]))", FIXED)
case("einsum_projection", "out = tf.einsum('btd,dh->bth', x, tf.zeros([16, 32]))", SEQ)
case("einsum_heads", "out = tf.einsum('BTNH,BFNH->BNFT', tf.zeros([2, 5, 4, 8]), tf.zeros([2, 7, 4, 8]))")
case("einsum_implicit", "out = tf.einsum('ij,jk', tf.zeros([3, 4]), tf.zeros([4, 5]))")
case("einsum_ellipsis", "out = tf.einsum('...d,df->...f', x, tf.zeros([16, 2]))", SEQ)
case("tensordot", "out = tf.tensordot(x, tf.zeros([16, 5]), axes=1)", SEQ)
case("tensordot_lists", "out = tf.tensordot(x, tf.zeros([16, 5]), axes=[[2], [0]])", SEQ)
case("reduce_keepdims", "out = tf.reduce_mean(x, axis=-1, keepdims=True)", SEQ)
case("reduce_keep_dims_legacy", "out = tf.reduce_sum(x, 1, keep_dims=True)", SEQ)
case("reduce_indices_legacy", "out = tf.reduce_max(x, reduction_indices=[1, 2])", SEQ)
case("reduce_all_axes", "out = tf.reduce_sum(x)", SEQ)
case("argmax", "out = tf.argmax(x, axis=-1)", SEQ)
case("argmax_output_type", "out = tf.argmax(x, 1, output_type=tf.int32)", SEQ)
case("moments", "out = list(tf.nn.moments(x, axes=[0, 1]))", SEQ)
case("moments_keep", "out = list(tf.nn.moments(x, [2], keep_dims=True))", SEQ)
case("top_k", "out = list(tf.nn.top_k(x, k=3))", SEQ)
case("l2_normalize", "out = tf.nn.l2_normalize(x, axis=-1)", SEQ)
case("batch_normalization_fn", "m, v = tf.nn.moments(x, [0, 1])\nout = tf.nn.batch_normalization(x, m, v, None, None, 1e-3)", SEQ)
case("xw_plus_b", "out = tf.nn.xw_plus_b(tf.zeros([3, 4]), tf.zeros([4, 6]), tf.zeros([6]))")
case("bias_add", "out = tf.nn.bias_add(x, tf.zeros([16]))", SEQ)
case("cumsum", "out = tf.cumsum(x, axis=1)", SEQ)

# -- nn -------------------------------------------------------------------------------------------
case("conv2d_same_strided", "out = tf.nn.conv2d(x, tf.zeros([7, 7, 3, 64]), strides=[1, 2, 2, 1], padding='SAME')", IMAGES)
case("conv2d_valid", "out = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 8]), [1, 1, 1, 1], 'VALID')", IMAGES)
case("conv2d_int_strides", "out = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 8]), 2, 'VALID')", IMAGES)
case("conv2d_dilations", "out = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 8]), [1, 1, 1, 1], 'VALID', dilations=[1, 2, 2, 1])", IMAGES)
case("conv2d_nchw", "out = tf.nn.conv2d(tf.placeholder(tf.float32, [None, 3, 32, 32]), tf.zeros([3, 3, 3, 8]), [1, 1, 2, 2], 'SAME', data_format='NCHW')")
case("conv2d_unknown_input", "out = tf.nn.conv2d(tf.placeholder(tf.float32), tf.zeros([3, 3, 3, 8]), [1, 1, 1, 1], 'SAME')")
case("convolution", "out = tf.nn.convolution(x, tf.zeros([4, 4, 3, 8]), 'SAME', strides=(2, 2))", IMAGES)
case("convolution_keywords", "out = tf.nn.convolution(x, tf.zeros([3, 3, 3, 8]), strides=(1, 1), padding='VALID', dilation_rate=(2, 2), data_format='NHWC')", IMAGES)
case("convolution_positional", "out = tf.nn.convolution(x, tf.zeros([3, 3, 3, 8]), 'VALID', [2, 1], [1, 1])", IMAGES)
case("convolution_1d", "out = tf.nn.convolution(x, tf.zeros([3, 16, 32]), padding='VALID', strides=[2])", SEQ)
case("convolution_nchw", "out = tf.nn.convolution(tf.placeholder(tf.float32, [None, 3, 32, 32]), tf.zeros([3, 3, 3, 8]), 'SAME', strides=[2, 2], data_format='NCHW')")
case("conv1d", "out = tf.nn.conv1d(x, tf.zeros([3, 16, 32]), 1, 'SAME')", SEQ)
case("conv1d_stride_valid", "out = tf.nn.conv1d(x, tf.zeros([3, 16, 32]), stride=2, padding='VALID')", SEQ)
case("depthwise_conv2d", "out = tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 3, 2]), [1, 2, 2, 1], 'SAME')", IMAGES)
case("separable_conv2d_fn", "out = tf.nn.separable_conv2d(x, tf.zeros([3, 3, 3, 2]), tf.zeros([1, 1, 6, 10]), [1, 1, 1, 1], 'VALID')", IMAGES)
case("atrous_conv2d", "out = tf.nn.atrous_conv2d(x, tf.zeros([3, 3, 3, 5]), rate=2, padding='SAME')", IMAGES)
case("atrous_conv2d_valid", "out = tf.nn.atrous_conv2d(x, tf.zeros([3, 3, 3, 5]), rate=2, padding='VALID')", IMAGES)
case("conv2d_transpose", "out = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 6, 3]), [4, 64, 64, 6], [1, 2, 2, 1], 'SAME')", IMAGES)
case("conv2d_transpose_dynamic_batch", "out = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 6, 3]), [tf.shape(x)[0], 64, 64, 6], [1, 2, 2, 1])", IMAGES)
case("max_pool", "out = tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding='SAME')", IMAGES)
case("avg_pool_valid", "out = tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], 'VALID')", IMAGES)
case("max_pool2d_ints", "out = tf.nn.max_pool2d(x, 2, 2, 'VALID')", IMAGES)
case("pool_max_strided", "out = tf.nn.pool(x, (3, 3), 'MAX', 'SAME', strides=(2, 2))", IMAGES)
case("pool_avg_valid_1d", "out = tf.nn.pool(x, [3], 'AVG', 'VALID')", SEQ)
case("pool_dilated", "out = tf.nn.pool(x, [2, 2], 'MAX', 'VALID', dilation_rate=[2, 2])", IMAGES)
case("lrn", "out = tf.nn.lrn(x)", IMAGES)
case("resize_images", "out = tf.image.resize_images(x, [64, 48])", IMAGES)
case("resize_bilinear", "out = tf.image.resize_bilinear(x, [16, 16])", IMAGES)
case("resize_nearest", "out = tf.image.resize_nearest_neighbor(x, [64, 64])", IMAGES)
case("resize_v2", "out = tf.image.resize(x, [20, 20])", IMAGES)
case("slim_style_net", """
h = tf.nn.conv2d(x, tf.zeros([7, 7, 3, 16]), [1, 2, 2, 1], 'SAME')
h = tf.nn.relu(tf.nn.bias_add(h, tf.zeros([16])))
h = tf.nn.max_pool(h, [1, 3, 3, 1], [1, 2, 2, 1], 'SAME')
h = tf.pad(h, [[0, 0], [1, 1], [1, 1], [0, 0]], mode='REFLECT')
out = tf.nn.conv2d(h, tf.zeros([3, 3, 16, 8]), [1, 1, 1, 1], 'VALID')
""", IMAGES)


# -- control flow, and more ops real models call ------------------------------------------------
case("cond_same", "p = tf.placeholder(tf.bool, [])\nout = tf.cond(p, lambda: x, lambda: x * 2.0)", FIXED)
case("cond_differing_dim", "p = tf.placeholder(tf.bool, [])\nout = tf.cond(p, lambda: x, lambda: tf.zeros([4, 3, 16]))", FIXED)
case("cond_tuple", "p = tf.placeholder(tf.bool, [])\nout = list(tf.cond(p, lambda: (x, 1), lambda: (x[:, :5], 2)))", FIXED)
case("cond_rank_differs", "p = tf.placeholder(tf.bool, [])\nout = tf.cond(p, lambda: x, lambda: tf.reshape(x, [4, 160]))", FIXED)
case("cond_dropout", """
def dropout(t, training):
    return tf.cond(training, lambda: tf.nn.dropout(t, rate=0.1), lambda: t)
out = dropout(x, tf.placeholder(tf.bool, []))
""", SEQ)
case("norm_default", "out = tf.norm(x)", SEQ)
case("norm_axis", "out = tf.norm(x, axis=-1, keepdims=True)", SEQ)
case("norm_pair", "out = tf.norm(x, axis=[1, 2])", SEQ)
case("ensure_shape", "out = tf.ensure_shape(tf.placeholder(tf.float32), [None, 4])")
case("print_identity", "out = tf.Print(x, [x])", SEQ)
case("assign", "v = tf.get_variable('v', [3, 4])\nout = tf.assign(v, tf.zeros([3, 4]))")
case("assign_add", "v = tf.get_variable('v', [2], dtype=tf.int32)\nout = tf.assign_add(v, [1, 1])")
case("eye", "out = tf.eye(4)")
case("eye_rect", "out = tf.eye(3, 5, dtype=tf.int32)")
case("scatter_nd", "out = tf.scatter_nd(tf.placeholder(tf.int32, [4, 1]), tf.zeros([4, 3]), [8, 3])")
case("broadcast_to", "out = tf.broadcast_to(tf.zeros([3]), [tf.shape(x)[0], 3])", FIXED)
case("depth_to_space", "out = tf.depth_to_space(tf.placeholder(tf.float32, [None, 4, 4, 12]), 2)")
case("space_to_depth", "out = tf.space_to_depth(x, 4)", IMAGES)
case("crop_to_bounding_box", "out = tf.image.crop_to_bounding_box(x, 2, 3, 20, 10)", IMAGES)
case("per_image_standardization", "out = tf.image.per_image_standardization(x)", IMAGES)
case("multinomial", "out = tf.multinomial(tf.zeros([5, 10]), 3)")
case("categorical", "out = tf.random.categorical(tf.zeros([5, 10]), 2)")
case("unsorted_segment_sum", "out = tf.unsorted_segment_sum(x, tf.placeholder(tf.int32, [4]), 7)", FIXED)
case("matrix_band_part", "out = tf.matrix_band_part(tf.ones([6, 6]), -1, 0)")
case("sort", "out = [tf.sort(x), tf.argsort(x)]", SEQ)
case("roll", "out = tf.roll(x, 1, axis=1)", SEQ)
case("crelu", "out = tf.nn.crelu(x)", SEQ)
case("fused_batch_norm", "out = list(tf.nn.fused_batch_norm(x, tf.ones([3]), tf.zeros([3])))", IMAGES)
case("tensor_shape", "out = tf.zeros(tf.TensorShape([2, 5]))")
case("dimension_value", "out = tf.zeros([tf.dimension_value(x.shape[-1])])", SEQ)
case("math_aliases", "out = [tf.math.ceil(x), tf.math.cos(x), tf.math.mod(x, 2.0)]", SEQ)
case("in_top_k", "out = tf.nn.in_top_k(tf.zeros([4, 10]), tf.zeros([4], tf.int32), 1)")
case("global_norm", "out = tf.global_norm([x, x])", SEQ)

case("set_shape", "out = tf.py_func(len, [x], tf.float32)\nout.set_shape([None, 10, 16])", SEQ)
case("set_shape_merges", "out = tf.placeholder(tf.float32, [None, None, 3])\nout.set_shape([4, None, None])")
case("set_shape_in_helper", """
def fixed(t):
    t.set_shape([2, 3])
    return t
out = fixed(tf.placeholder(tf.float32))
""")

case("gpt2_merge_states", """
def shape_list(x):
    static = x.shape.as_list()
    dynamic = tf.shape(x)
    return [dynamic[i] if s is None else s for i, s in enumerate(static)]
*start, a, b = shape_list(x)
out = tf.reshape(x, start + [a * b])
""", "x = tf.placeholder(tf.float32, [None, 10, 4, 8])\n")

case("gpt2_get_value", """
def get_value(a):
    if hasattr(a, 'value'):
        return a.value
    return a
out = tf.zeros([get_value(x.shape[-1]), 2])
""", SEQ)

case("bert_gelu", """
import numpy as np
def gelu(x):
    cdf = 0.5 * (1.0 + tf.tanh((np.sqrt(2 / np.pi) * (x + 0.044715 * tf.pow(x, 3)))))
    return x * cdf
out = gelu(x)
""", SEQ)
case("numpy_scalar_constant", "import numpy as np\nout = tf.constant(np.sqrt(2.0))", loose=True)
case("numpy_scalar_times", "import numpy as np\nout = x / np.sqrt(float(x.shape[-1]))", SEQ, loose=True)

case("t2t_cast_like", """
def cast_like(x, y):
    x = tf.convert_to_tensor(x)
    y = tf.convert_to_tensor(y)
    if x.dtype.base_dtype == y.dtype.base_dtype:
        return x
    return tf.cast(x, y.dtype)
scale = tf.get_variable("scale", [16])
out = [cast_like(scale, x), cast_like(1e-6, x), cast_like(tf.zeros([3], tf.int32), x)]
""", SEQ)

case("decorated_helpers_calling_each_other", """
import functools
def add_name_scope():
    def decorator(f):
        @functools.wraps(f)
        def decorated(*args, **kwargs):
            with tf.name_scope(kwargs.pop("name", None) or f.__name__):
                return f(*args, **kwargs)
        return decorated
    return decorator
@add_name_scope()
def split_last_dimension(t, n):
    *rest, m = t.shape.as_list()
    return tf.reshape(t, [-1] + rest[1:] + [n, m // n])
@add_name_scope()
def split_heads(t, n):
    return tf.transpose(split_last_dimension(t, n), [0, 2, 1, 3])
out = split_heads(x, 4)
""", SEQ)


# -- which integers from tf.shape TF folds (an element of a slice or a stack of a partly known
# shape does not fold; the slice itself does) --------------------------------------------------
case("fold_slice_of_slice", "s = tf.shape(x)\nout = tf.zeros(s[1:][1:])", SEQ)
case("fold_not_element_of_slice", "s = tf.shape(x)\nout = tf.zeros([s[1:][0], 2])", SEQ)
case("fold_not_element_of_stack", "s = tf.shape(x)\nout = tf.zeros([tf.stack([s[0], s[1]])[1]])", SEQ)
case("fold_element_of_full_stack", "s = tf.shape(x)\nout = tf.zeros([tf.stack([s[0], s[1]])[1]])", FIXED)
case("fold_not_identity_vector", "out = tf.zeros(tf.identity(tf.shape(x))[1:])", SEQ)
case("fold_identity_scalar", "out = tf.zeros([tf.identity(tf.shape(x)[1])])", SEQ)
case("fold_cast_vector", "out = tf.zeros(tf.cast(tf.shape(x)[1:], tf.int64))", SEQ)
case("fold_not_cast_element", "out = tf.zeros([tf.cast(tf.shape(x), tf.int64)[1]])", SEQ)
case("fold_unstack", "b, t, d = tf.unstack(tf.shape(x))\nout = tf.zeros([t * 2, d])", SEQ)
case("fold_not_unstack_of_slice", "t, d = tf.unstack(tf.shape(x)[1:])\nout = tf.zeros([t, d])", SEQ)
case("fold_size_of_slice", "out = tf.zeros([tf.size(x[0]), tf.size(x)])", SEQ)
case("fold_converted_shape", "out = tf.zeros([tf.convert_to_tensor(tf.shape(x))[1]])", SEQ)
case("fold_step_slice", "out = tf.zeros(tf.shape(x)[::2])", SEQ)
case("fold_concat_of_slices", "s = tf.shape(x)\nout = tf.reshape(x, tf.concat([s[:1], [5], s[2:]], 0))", SEQ)

case("fold_element_of_stack_of_folded", "s = tf.shape(x)\nout = tf.zeros([tf.stack([s[1], s[2]])[0], tf.reduce_prod(tf.stack([s[1], 2]))])", SEQ, loose=True)
case("fold_not_element_of_shape_slice", "s = tf.shape(x)\nout = tf.zeros([s[1:3][1]])", SEQ)
case("fold_cast_scalar_and_expand", "s = tf.shape(x)\nout = tf.zeros([tf.cast(s[1], tf.int64), tf.expand_dims(s[2], 0)[0]])", SEQ)

case("variable_read_value", """
v = tf.get_variable("v", [3, 5])
accumulator = tf.Variable(tf.zeros_like(v.read_value()), trainable=False)
out = [v.value(), accumulator.read_value(), accumulator.assign_add(v)]
""")

case("tensor_shape_methods", """
a = tf.placeholder(tf.float32, [None, 4])
b = tf.placeholder(tf.float32, [3, None])
a.shape.assert_has_rank(2)
merged = a.shape.merge_with(b.shape)
wide = merged.concatenate([5])
out = tf.zeros(wide if a.shape.is_compatible_with(b.shape) else [1])
""")
case("static_value_of_shape", """
def get_shape(t):
    dynamic = tf.shape(t)
    static = tf.get_static_value(dynamic)
    return dynamic if static is None else static
out = [tf.reshape(tf.zeros([2, 6]), get_shape(tf.zeros([3, 4]))), tf.reshape(x, get_shape(x))]
""", SEQ)
case("conditioning_helper", """
def condition_tensor(tensor, conditioning):
    tensor.shape[1:].assert_is_fully_defined()
    num_features = tensor.shape[1:].num_elements()
    mapped = tf.layers.dense(tf.layers.flatten(conditioning), num_features)
    if not mapped.shape.is_compatible_with(tensor.shape):
        mapped = tf.reshape(mapped, tf.shape(tensor))
    return tensor + mapped
out = [condition_tensor(tf.zeros([2, 16]), tf.zeros([2, 10])), condition_tensor(tf.zeros([2, 4, 4]), tf.zeros([2, 10]))]
""")

case("batch_to_space_upscale", "out = tf.batch_to_space(input=tf.tile(tf.zeros([2, 4, 4, 8]), [4, 1, 1, 1]), crops=[[0, 0], [0, 0]], block_size=2)")
case("batch_to_space_v1_positional", "out = tf.batch_to_space(tf.zeros([8, 3, 3, 5]), [[0, 1], [1, 0]], 2)")
case("space_to_batch_nd", "out = tf.space_to_batch_nd(x, [2, 2], [[0, 0], [1, 1]])", IMAGES)
case("space_to_batch_v1", "out = tf.space_to_batch(tf.zeros([2, 6, 6, 3]), [[1, 1], [1, 1]], 4)")

case("isinstance_of_tensor", """
def convert(t):
    if isinstance(t, (list, tuple)):
        return [tf.convert_to_tensor(value=v) for v in t]
    elif isinstance(t, dict):
        return {k: tf.convert_to_tensor(value=v) for k, v in t.items()}
    return tf.convert_to_tensor(value=t)
out = convert(x)
""", SEQ)

case("numpy_scale_times_conv", "import numpy as np\nscale = np.sqrt(2.0 / 27)\nout = scale * tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), [1, 1, 1, 1], 'SAME') + tf.zeros([4])", IMAGES)

case("numpy_he_scale", """
import numpy as np
def he_scale(shape, slope=1.0):
    fan_in = np.prod(shape[:-1])
    return np.sqrt(2. / ((1. + slope ** 2) * fan_in))
kernel_shape = [3, 3, 3, 8]
out = [he_scale(kernel_shape) * tf.nn.conv2d(x, tf.zeros(kernel_shape), [1, 1, 1, 1], 'SAME'),
       tf.zeros([np.prod(kernel_shape[:2]), np.sum([1, 2]), np.prod(x.shape[1:3])])]
""", IMAGES)

case("dense_rank3", "out = tf.layers.dense(x, 7)", SEQ)
case("slim_fully_connected_rank3", "import tf_slim as slim\nout = slim.fully_connected(x, 7)", SEQ)
case("slim_conv_pool_chain", """
import tf_slim as slim
h = slim.conv2d(x, 8, [3, 3], stride=2, scope='c1')
h = slim.max_pool2d(h, [2, 2])
h = slim.avg_pool2d(h, 2, stride=1, padding='SAME')
out = slim.flatten(slim.batch_norm(h))
""", IMAGES)


if __name__ == "__main__":
    import json
    import sys

    json.dump(_tensorflow_answers(CASES), sys.stdout)
