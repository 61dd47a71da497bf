"""The same fine-tuning with a wider model than the checkpoint's (hidden size 48, the
checkpoint's 32): the shared names map, their shapes do not, and init_from_checkpoint raises at
the first one (in sorted order)."""
import os

import tensorflow.compat.v1 as tf
from bert import modeling, run_classifier

CKPT = os.environ["RESTORE_CKPT"]

config = modeling.BertConfig(
    vocab_size=99, hidden_size=48, num_hidden_layers=2, num_attention_heads=4,
    intermediate_size=37, max_position_embeddings=64, type_vocab_size=2)
model_fn = run_classifier.model_fn_builder(
    bert_config=config, num_labels=3, init_checkpoint=CKPT, learning_rate=5e-5,
    num_train_steps=10, num_warmup_steps=1, use_tpu=False, use_one_hot_embeddings=False)
features = {name: tf.placeholder(tf.int32, [2, 8])
            for name in ("input_ids", "input_mask", "segment_ids")}
features["label_ids"] = tf.placeholder(tf.int32, [2])
spec = model_fn(features, None, tf.estimator.ModeKeys.TRAIN, {})  # expect: SL201
