"""Constants built with numpy inside custom layers: sinusoidal positional encodings sliced to the
sequence length, a fixed mask and a projection matrix from tf.constant, added or multiplied in call.
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops


def sinusoid_table(max_len, d_model):
    positions = np.arange(max_len)[:, np.newaxis]
    dims = np.arange(d_model)[np.newaxis, :]
    angles = positions / np.power(10000, (2 * (dims // 2)) / np.float32(d_model))
    angles[:, 0::2] = np.sin(angles[:, 0::2])
    angles[:, 1::2] = np.cos(angles[:, 1::2])
    return angles[np.newaxis, ...].astype("float32")


class PositionalEncoding(layers.Layer):
    def __init__(self, max_len, d_model, **kwargs):
        super().__init__(**kwargs)
        self.pos_encoding = tf.constant(sinusoid_table(max_len, d_model))

    def call(self, x):
        length = tf.shape(x)[1]
        return x + self.pos_encoding[:, :length, :]


class FixedPositions(layers.Layer):
    def __init__(self, maxlen, dim):
        super().__init__()
        pe = np.zeros((maxlen, dim), dtype="float32")
        position = np.arange(0, maxlen, dtype="float32")[:, None]
        div = np.exp(np.arange(0, dim, 2, dtype="float32") * (-np.log(10000.0) / dim))
        pe[:, 0::2] = np.sin(position * div)
        pe[:, 1::2] = np.cos(position * div)
        self.pe = pe

    def call(self, x):
        steps = x.shape[1]
        return x + self.pe[:steps]


class Projector(layers.Layer):
    def __init__(self, in_dim, out_dim, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.matrix = tf.constant(rng.standard_normal((in_dim, out_dim)), dtype=tf.float32)
        self.bias = np.ones((out_dim,), dtype=np.float32)

    def call(self, x):
        return tf.matmul(x, self.matrix) + self.bias


class CausalMask(layers.Layer):
    def __init__(self, size):
        super().__init__()
        self.mask = ops.convert_to_tensor(np.tril(np.ones((size, size), dtype="float32")))

    def call(self, scores):
        return scores * self.mask - 1e9 * (1.0 - self.mask)


tokens = keras.Input(shape=(16,), dtype="int32")
x = layers.Embedding(500, 32)(tokens)
x = PositionalEncoding(64, 32)(x)
x = FixedPositions(40, 32)(x)
x = Projector(32, 24)(x)
scores = layers.Dense(16)(x)
scores = CausalMask(16)(scores)
weights = layers.Softmax()(scores)
context = layers.Dot(axes=(2, 1))([weights, x])
pooled = layers.GlobalAveragePooling1D()(context)
model = keras.Model(tokens, layers.Dense(2)(pooled))

# Valid look-alike: a table longer than the sequence, sliced by a Python int, and a constant
# built from a list rather than numpy.
short_in = keras.Input(shape=(5, 32))
short = FixedPositions(100, 32)(short_in)
scale = tf.constant([0.5] * 32)
scaled = layers.Lambda(lambda t: t * scale)(short)
