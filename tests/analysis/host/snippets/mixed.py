# Concrete data meeting symbolic tensors, and Keras 3's single-output unwrapping.
import keras
import numpy as np
from keras import layers

inp = keras.Input((8,))
shifted = inp + np.ones((8,), dtype="float32")
scaled = 2.0 * inp
h = layers.Dense(4)(shifted)
h2 = layers.Dense(4)(scaled)
model = keras.Model(inputs=inp, outputs=[layers.Dense(4)(inp)])
single = model(np.zeros((3, 8), dtype="float32"))
single_shape = single.shape
two = keras.Model(inp, [layers.Dense(3)(inp), layers.Dense(5)(inp)])
pair = two(np.zeros((2, 8), dtype="float32"))
