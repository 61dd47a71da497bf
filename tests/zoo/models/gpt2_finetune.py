"""GPT-2 (gpt-2-simple's src/model.py) fine-tuned as gpt-2-simple's finetune does it by default:
the language-model loss on the context shifted by one, tf.gradients on the model's trainable
variables and Adam's apply_gradients on the zipped pairs, with tiny literal hyperparameters."""

import tensorflow.compat.v1 as tf
from gpt_2_simple.src import model


def build():
    hparams = model.default_hparams()
    hparams.override_from_dict({"n_vocab": 50, "n_ctx": 16, "n_embd": 32, "n_head": 4,
                                "n_layer": 2})
    context = tf.placeholder(tf.int32, [2, None])
    output = model.model(hparams=hparams, X=context)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=context[:, 1:], logits=output["logits"][:, :-1]))


loss = build()
all_vars = [v for v in tf.trainable_variables() if "model" in v.name]
opt = tf.train.AdamOptimizer(learning_rate=0.0001)
opt_grads = tf.gradients(ys=loss, xs=all_vars)
opt_grads = list(zip(opt_grads, all_vars))
opt_apply = opt.apply_gradients(opt_grads)
