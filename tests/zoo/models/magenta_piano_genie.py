"""Magenta's Piano Genie (its paper configuration, made tiny) as its train script builds it: a
bidirectional LSTMBlockCell encoder, integer-quantized step embeddings with straight-through
gradients and contour penalties, an autoregressive LSTM decoder with delta-time auxiliary
features, all in the script's "phero_model" scope; then the script's hybrid loss and Adam on it
with the global step."""
import tensorflow.compat.v1 as tf
from magenta.models.piano_genie import configs
from magenta.models.piano_genie.model import build_genie_model

BATCH, STEPS = 2, 6


def config():
    cfg = configs.PianoGeniePaper()
    cfg.rnn_nlayers = 1
    cfg.rnn_nunits = 16
    cfg.train_batch_size = BATCH
    cfg.train_seq_len = STEPS
    return cfg


def build():
    cfg = config()
    feat_dict = {
        "midi_pitches": tf.placeholder(tf.int32, [BATCH, STEPS], name="midi_pitches"),
        "velocities": tf.placeholder(tf.int32, [BATCH, STEPS], name="velocities"),
        "delta_times_int": tf.placeholder(tf.int32, [BATCH, STEPS], name="delta_times_int"),
    }
    with tf.variable_scope("phero_model"):
        model_dict = build_genie_model(
            feat_dict, cfg, cfg.train_batch_size, cfg.train_seq_len, is_training=True)
    loss = model_dict["dec_recons_loss"]
    loss += cfg.train_loss_iq_range_scalar * model_dict["stp_emb_iq_range_penalty"]
    loss += cfg.train_loss_iq_contour_scalar * model_dict["stp_emb_iq_contour_penalty"]
    return loss


loss = build()

opt = tf.train.AdamOptimizer(learning_rate=config().train_lr)
train_op = opt.minimize(loss, global_step=tf.train.get_or_create_global_step())
