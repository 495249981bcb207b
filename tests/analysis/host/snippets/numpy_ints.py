# numpy integers as layer arguments: a pool size, units from np.prod, filters as np.int32.
import keras
import numpy as np
from keras import layers

images = np.ones((10, 64, 64, 3), dtype="float32")
pool = np.int64(2)
filters = np.int32(16)
height = images.shape[1]
factor = height // 16
flat_units = int(np.prod(images.shape[1:]))
units = np.prod((8, 8, 3))
root = int(np.sqrt(64))
steps = np.ceil(height / 3)

inputs = keras.Input(shape=images.shape[1:])
x = layers.Conv2D(filters, 3, padding="same")(inputs)
x = layers.MaxPooling2D(pool_size=(pool, pool))(x)
x = layers.MaxPooling2D(pool_size=(factor, factor))(x)
x = layers.Conv2D(np.int64(3), 1)(x)
x = layers.Reshape((units,))(x)
x = layers.Dense(root)(x)
model = keras.Model(inputs, x)
flat = layers.Flatten()(images)
dense = layers.Dense(8)(images.reshape(-1, flat_units))
