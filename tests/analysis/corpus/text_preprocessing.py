"""String inputs through TextVectorization / StringLookup / IntegerLookup (vocabularies given, or
max_tokens with a fixed output size), then Embedding, pooling and Dense heads.
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

VOCAB = ["the", "a", "cat", "dog", "sat", "on", "mat", "ran"]
MAX_LEN = 12

vectorize = layers.TextVectorization(
    max_tokens=2000, output_mode="int", output_sequence_length=MAX_LEN
)
vectorize.adapt(tf.data.Dataset.from_tensor_slices(["the cat sat", "a dog ran on the mat"]))

text_in = keras.Input(shape=(1,), dtype="string")
ids = vectorize(text_in)
emb = layers.Embedding(2000, 16)(ids)
pooled = layers.GlobalAveragePooling1D()(emb)
logits = layers.Dense(1)(pooled)
model = keras.Model(text_in, logits)

# Bag-of-words modes with a fixed vocabulary.
bow = layers.TextVectorization(output_mode="multi_hot", vocabulary=VOCAB)
counts = layers.TextVectorization(max_tokens=50, output_mode="count")
counts.adapt(["the cat sat on the mat"])
tfidf = layers.TextVectorization(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=np.ones(len(VOCAB)))
doc_in = keras.Input(shape=(1,), dtype="string")
bow_out = bow(doc_in)
count_out = counts(doc_in)
tfidf_out = tfidf(doc_in)
features = layers.Concatenate()([bow_out, count_out, tfidf_out])
doc_head = layers.Dense(4, activation="softmax")(features)

# Scalar string input, and a vocabulary in a file-less list.
scalar_in = keras.Input(shape=(), dtype="string")
seq_ids = layers.TextVectorization(
    vocabulary=VOCAB, output_sequence_length=6, standardize="lower_and_strip_punctuation"
)(scalar_in)
seq_emb = layers.Embedding(len(VOCAB) + 2, 8, mask_zero=True)(seq_ids)
seq_vec = layers.LSTM(8)(seq_emb)

# Lookups on categorical columns.
color_in = keras.Input(shape=(1,), dtype="string")
color_ids = layers.StringLookup(vocabulary=["red", "green", "blue"])(color_in)
color_emb = layers.Embedding(4, 3)(color_ids)
color_flat = layers.Flatten()(color_emb)
color_onehot = layers.StringLookup(vocabulary=["red", "green", "blue"], output_mode="one_hot")(
    color_in
)
tags_in = keras.Input(shape=(3,), dtype="string")
tags_hot = layers.StringLookup(vocabulary=["x", "y", "z"], output_mode="multi_hot")(tags_in)
tags_count = layers.StringLookup(max_tokens=10, output_mode="count", vocabulary=["x", "y"])(tags_in)

code_in = keras.Input(shape=(1,), dtype="int64")
code_ids = layers.IntegerLookup(vocabulary=[10, 20, 30, 40])(code_in)
code_hot = layers.IntegerLookup(vocabulary=[10, 20, 30, 40], output_mode="one_hot")(code_in)
code_multi = layers.IntegerLookup(max_tokens=8, output_mode="multi_hot", vocabulary=[1, 2, 3])(
    code_in
)
tabular = layers.Concatenate()([color_flat, color_onehot, tags_hot, tags_count, code_hot,
                                code_multi])
tab_out = layers.Dense(1)(tabular)

# Valid look-alike: int-mode output without a fixed length is ragged-free (None steps), then
# an Embedding and a pooling that accept any length.
free = layers.TextVectorization(max_tokens=100)
free.adapt(["one two three", "four five"])
free_ids = free(keras.Input(shape=(1,), dtype="string"))
free_emb = layers.Embedding(100, 4)(free_ids)
free_vec = layers.GlobalMaxPooling1D()(free_emb)

# An output sized from the vocabulary adapt() learned, and a lookup given its vocabulary later.
vocab_layer = layers.TextVectorization(output_mode="int", output_sequence_length=5)
vocab_layer.adapt(["Hello, world!", "hello there", "General Kenobi"])
size = vocab_layer.vocabulary_size()
q = vocab_layer(keras.Input(shape=(1,), dtype="string"))
q = layers.Embedding(size, 4)(q)
q = layers.Flatten()(q)
next_word = layers.Dense(size, activation="softmax")(q)

late = layers.StringLookup(output_mode="one_hot")
late.set_vocabulary(["low", "mid", "high"])
level = layers.Dense(2)(late(keras.Input(shape=(1,), dtype="string")))
