"""BROKEN: too many 'valid' convs/pools for a small input: the last 5x5 kernel exceeds a 4x4 map."""
import keras
from keras import layers

inputs = keras.Input(shape=(28, 28, 3))
x = layers.Conv2D(16, 5, activation="relu")(inputs)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(32, 5, activation="relu")(x)
x = layers.MaxPooling2D(2)(x)
x = layers.Conv2D(64, 5, activation="relu")(x)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
