"""Magenta's Coconet: a dilated convolutional net whose layers come from a list of layer-spec
dicts made by an architecture class looked up by name, with residual connections, hand-written
batch norm and separable convolutions, the model's own Adam; then the validation copy built under
reuse as its training script does."""
import tensorflow.compat.v1 as tf
from magenta.models.coconet import lib_graph
from magenta.models.coconet import lib_hparams


def hparams():
    return lib_hparams.Hyperparameters(
        batch_size=2,
        min_pitch=60,
        max_pitch=67,
        crop_piece_len=8,
        num_instruments=2,
        architecture="dilated",
        num_dilation_blocks=1,
        num_filters=8,
        use_sep_conv=True,
        num_initial_regular_conv_layers=2,
    )


def build():
    model = lib_graph.build_graph(is_training=True, hparams=hparams())
    return model.loss


loss = build()

with tf.variable_scope(tf.get_variable_scope(), reuse=True):
    validation = lib_graph.build_graph(is_training=False, hparams=hparams())
