"""Siamese network: a shared encoder model called as a layer on two inputs, shared layers."""
import keras
from keras import layers, ops


def build_encoder(input_shape=(28, 28, 1), embedding_dim=16):
    inp = keras.Input(shape=input_shape)
    x = layers.Conv2D(8, 3, activation="relu")(inp)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(embedding_dim)(x)
    return keras.Model(inp, x, name="encoder")


def euclidean_distance(vects):
    a, b = vects
    sum_square = ops.sum(ops.square(a - b), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(sum_square, keras.backend.epsilon()))


encoder = build_encoder()
left = keras.Input(shape=(28, 28, 1))
right = keras.Input(shape=(28, 28, 1))
emb_left = encoder(left)
emb_right = encoder(right)
distance = layers.Lambda(euclidean_distance)([emb_left, emb_right])
norm = layers.BatchNormalization()(distance)
score = layers.Dense(1, activation="sigmoid")(norm)
siamese = keras.Model(inputs=[left, right], outputs=score)

# One Dense shared between a vector and a sequence: two distinct outputs at one call site.
shared = layers.Dense(5)
vec = keras.Input((7,))
seq = keras.Input((3, 7))
outs = [shared(t) for t in (vec, seq)]
bigger = encoder(keras.Input((28, 28, 1)))
