"""Magenta's SketchRNN: a bidirectional LayerNorm-LSTM encoder, a HyperLSTM decoder (the model's
own RNNCell subclasses), the model's own clipped Adam train op, then the evaluation copy built
under reuse=True as its training script does."""
import tensorflow.compat.v1 as tf
from magenta.models.sketch_rnn import model as sketch_rnn_model

HPARAMS = (
    "enc_model=layer_norm,dec_model=hyper,enc_rnn_size=8,dec_rnn_size=16,z_size=4,"
    "num_mixture=3,batch_size=2,max_seq_len=6"
)


def hparams():
    hps = sketch_rnn_model.get_default_hparams()
    hps.parse(HPARAMS)
    return hps


def build():
    model = sketch_rnn_model.Model(hparams())
    return model.cost


loss = build()

eval_hps = sketch_rnn_model.copy_hparams(hparams())
eval_hps.use_input_dropout = 0
eval_hps.use_recurrent_dropout = 0
eval_hps.use_output_dropout = 0
eval_hps.is_training = 0
eval_model = sketch_rnn_model.Model(eval_hps, reuse=True)

