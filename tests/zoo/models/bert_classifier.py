"""BERT (bert-tensorflow) fine-tuned for classification as run_classifier does it: the project's
create_model (BertModel and the output_weights/output_bias head) and its create_optimizer
(AdamWeightDecayOptimizer with warmup and gradient clipping), with a tiny literal config."""

import tensorflow.compat.v1 as tf
from bert import modeling, optimization, run_classifier


def build():
    config = modeling.BertConfig(
        vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2)
    input_ids = tf.placeholder(tf.int32, [2, 8])
    input_mask = tf.placeholder(tf.int32, [2, 8])
    segment_ids = tf.placeholder(tf.int32, [2, 8])
    labels = tf.placeholder(tf.int32, [2])
    loss, _, _, _ = run_classifier.create_model(
        config, True, input_ids, input_mask, segment_ids, labels, 3, False)
    return loss


loss = build()
train_op = optimization.create_optimizer(loss, 5e-5, 100, 10, False)
