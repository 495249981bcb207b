"""keras.ops shape functions between layers: reshape, transpose, concat, expand_dims, matmul, means."""
import keras
from keras import layers, ops

tokens = keras.Input(shape=(12, 16))
proj = layers.Dense(24)(tokens)
heads = ops.reshape(proj, (-1, 12, 4, 6))
heads = ops.transpose(heads, (0, 2, 1, 3))
scores = ops.matmul(heads, ops.transpose(heads, (0, 1, 3, 2)))
weights = layers.Softmax(axis=-1)(scores)
context = ops.matmul(weights, heads)
context = ops.reshape(ops.transpose(context, (0, 2, 1, 3)), (-1, 12, 24))
pooled = ops.mean(context, axis=1, keepdims=True)
tiled = ops.tile(pooled, (1, 12, 1))
merged = ops.concatenate([context, tiled], axis=-1)
first = merged[:, 0, :]
last = merged[:, -1]
both = ops.stack([first, last], axis=1)
summed = ops.sum(both, axis=1)
expanded = ops.expand_dims(summed, axis=-1)
conv = layers.Conv1D(4, 3, padding="same")(expanded)
squeezed = ops.squeeze(layers.Dense(1)(conv), axis=-1)
out = layers.Dense(3)(squeezed)
model = keras.Model(tokens, out)

img = keras.Input(shape=(16, 16, 8))
patches = ops.reshape(img, (-1, 4, 4, 4, 4, 8))
patches = ops.transpose(patches, (0, 1, 3, 2, 4, 5))
patches = ops.reshape(patches, (-1, 16, 128))
channel_mean = ops.mean(img, axis=[1, 2], keepdims=True)
scaled = layers.Multiply()([img, layers.Dense(8, activation="sigmoid")(channel_mean)])
padded = ops.pad(scaled, [[0, 0], [1, 1], [2, 2], [0, 0]])
a, b = ops.split(padded, 2, axis=-1)
gated = ops.add(a, ops.multiply(b, 0.5))
flat = layers.Flatten()(gated)
