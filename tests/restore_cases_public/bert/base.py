"""Pre-training BERT with bert-tensorflow's own code (``modeling.BertModel`` and
``run_pretraining``'s masked-LM and next-sentence heads), tiny: the checkpoint fine-tuning
starts from."""
import tensorflow.compat.v1 as tf
from bert import modeling, run_pretraining

config = modeling.BertConfig(
    vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
    intermediate_size=37, max_position_embeddings=64, type_vocab_size=2)
input_ids = tf.placeholder(tf.int32, [2, 8])
model = modeling.BertModel(config=config, is_training=False, input_ids=input_ids)
positions = tf.placeholder(tf.int32, [2, 3])
masked_lm_loss, _, _ = run_pretraining.get_masked_lm_output(
    config, model.get_sequence_output(), model.get_embedding_table(), positions,
    tf.placeholder(tf.int32, [2, 3]), tf.placeholder(tf.float32, [2, 3]))
next_sentence_loss, _, _ = run_pretraining.get_next_sentence_output(
    config, model.get_pooled_output(), tf.placeholder(tf.int32, [2, 1]))
