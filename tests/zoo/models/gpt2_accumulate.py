"""GPT-2 (gpt-2-simple's src/model.py) fine-tuned as gpt-2-simple's finetune does it with
accumulate_gradients > 1 and only_train_transformer_layers: the project's AccumulatingOptimizer
(tf.Variable accumulators per trained variable) around Adam, on the transformer blocks only."""

import tensorflow.compat.v1 as tf
from gpt_2_simple.src import model
from gpt_2_simple.src.accumulate import AccumulatingOptimizer


def build():
    hparams = model.default_hparams()
    hparams.override_from_dict({"n_vocab": 40, "n_ctx": 12, "n_embd": 24, "n_head": 3,
                                "n_layer": 3})
    context = tf.placeholder(tf.int32, [2, None])
    output = model.model(hparams=hparams, X=context)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=context[:, 1:], logits=output["logits"][:, :-1]))


loss = build()
all_vars = [v for v in tf.trainable_variables() if "model" in v.name]
train_vars = [v for v in all_vars if "/h" in v.name]
opt = AccumulatingOptimizer(opt=tf.train.AdamOptimizer(learning_rate=0.0001), var_list=train_vars)
opt_reset = opt.reset()
opt_compute = opt.compute_gradients(loss)
opt_apply = opt.apply_gradients()
