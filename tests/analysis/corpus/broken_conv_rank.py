"""BROKEN: a Conv2D applied to flattened (None, 784) features instead of an image."""
import keras
from keras import layers

pixels = keras.Input(shape=(784,))
x = layers.Dense(784, activation="relu")(pixels)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.Flatten()(x)
model = keras.Model(pixels, layers.Dense(10)(x))
