"""Text tagger: Embedding, Bidirectional LSTM/GRU (merge modes), GRU with state, TimeDistributed."""
from keras import Model, layers

vocab_size, seq_len, n_tags = 500, 40, 9

tokens = layers.Input(shape=(seq_len,), dtype="int32")
x = layers.Embedding(vocab_size, 32, mask_zero=True)(tokens)
x = layers.Bidirectional(layers.LSTM(16, return_sequences=True))(x)
x = layers.Bidirectional(layers.GRU(8, return_sequences=True), merge_mode="sum")(x)
fwd, bwd = layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode=None)(x)
x = layers.Concatenate()([fwd, bwd])
seq, last_state = layers.GRU(12, return_sequences=True, return_state=True)(x)
tags = layers.TimeDistributed(layers.Dense(n_tags, activation="softmax"))(seq)
summary = layers.SimpleRNN(6)(seq)
pooled = layers.GlobalMaxPooling1D()(seq)
both = layers.concatenate([summary, pooled, last_state])
model = Model(tokens, [tags, both])

# Video classifier: TimeDistributed CNN over frames, then an LSTM.
frames = layers.Input(shape=(8, 32, 32, 3))
f = layers.TimeDistributed(layers.Conv2D(8, 3, activation="relu"))(frames)
f = layers.TimeDistributed(layers.MaxPooling2D(2))(f)
f = layers.TimeDistributed(layers.Flatten())(f)
f = layers.LSTM(16)(f)
video_model = Model(frames, layers.Dense(3)(f))
