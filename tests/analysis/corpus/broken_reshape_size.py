"""BROKEN: Reshape target (7, 7, 32) does not hold the 6 * 6 * 32 values of the Dense output."""
import keras
from keras import layers

latent = keras.Input((100,))
x = layers.Dense(6 * 6 * 32, activation="relu")(latent)
x = layers.Reshape((7, 7, 32))(x)
x = layers.Conv2DTranspose(16, 4, strides=2, padding="same")(x)
generator = keras.Model(latent, x)
