"""Transformer encoder: token + position embeddings, MultiHeadAttention blocks built in a loop."""
import keras
from keras import layers, ops


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = ops.shape(x)[-1]
        positions = ops.arange(start=0, stop=maxlen, step=1)
        positions = self.pos_emb(positions)
        x = self.token_emb(x)
        return x + positions


def transformer_encoder(x, embed_dim, num_heads, ff_dim, rate=0.1):
    attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim // num_heads)(x, x)
    attn = layers.Dropout(rate)(attn)
    x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, attn]))
    ff = layers.Dense(ff_dim, activation="relu")(x)
    ff = layers.Dense(embed_dim)(ff)
    ff = layers.Dropout(rate)(ff)
    return layers.LayerNormalization(epsilon=1e-6)(x + ff)


maxlen, vocab_size, embed_dim, num_heads, ff_dim = 64, 1000, 32, 4, 64
inputs = layers.Input(shape=(maxlen,))
x = TokenAndPositionEmbedding(maxlen, vocab_size, embed_dim)(inputs)
for _ in range(3):
    x = transformer_encoder(x, embed_dim, num_heads, ff_dim)
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)

# Cross-attention with a different key length and returned scores.
query = keras.Input(shape=(10, 16))
memory = keras.Input(shape=(25, 8))
mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, value_dim=6, output_shape=12)
attended, scores = mha(query, memory, return_attention_scores=True)
