"""BERT (bert-tensorflow) pre-training as run_pretraining's model_fn builds it: BertModel, the
masked-LM head sharing the word embeddings, the next-sentence head, and the project's
create_optimizer, with a tiny literal config."""

import tensorflow.compat.v1 as tf
from bert import modeling, optimization, run_pretraining


def build():
    config = modeling.BertConfig(
        vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=37, max_position_embeddings=64, type_vocab_size=2)
    input_ids = tf.placeholder(tf.int32, [2, 8])
    input_mask = tf.placeholder(tf.int32, [2, 8])
    segment_ids = tf.placeholder(tf.int32, [2, 8])
    positions = tf.placeholder(tf.int32, [2, 3])
    masked_ids = tf.placeholder(tf.int32, [2, 3])
    masked_weights = tf.placeholder(tf.float32, [2, 3])
    next_sentence = tf.placeholder(tf.int32, [2, 1])
    model = modeling.BertModel(
        config=config, is_training=True, input_ids=input_ids, input_mask=input_mask,
        token_type_ids=segment_ids, use_one_hot_embeddings=False)
    masked_lm_loss, _, _ = run_pretraining.get_masked_lm_output(
        config, model.get_sequence_output(), model.get_embedding_table(), positions,
        masked_ids, masked_weights)
    next_sentence_loss, _, _ = run_pretraining.get_next_sentence_output(
        config, model.get_pooled_output(), next_sentence)
    return masked_lm_loss + next_sentence_loss


loss = build()
train_op = optimization.create_optimizer(loss, 1e-4, 1000, 100, False)
