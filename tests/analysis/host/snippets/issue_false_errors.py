# The false errors issue 10 saw on real files, each now built as TensorFlow builds it.
import keras
import numpy as np
from keras import layers

# 1. np.random.normal(loc, scale, size) then Dense: was shape (0,) and "expected min_ndim=2"
x = np.random.normal(0, 1, (4, 8))
y = layers.Dense(3)(x)

# 2. slicing a numpy array of image pairs: was "Unsupported key type for slicing a KerasTensor"
pairs = np.zeros((10, 2, 28, 28, 1))
head = pairs[:-1]
a_side = layers.Flatten()(pairs[:-1, 0])

# 3. numpy integers as a pool size: was "pool_size must be a tuple of 2 integers"
size = np.array([2, 2])
k = np.int64(2)
inputs = keras.Input((32, 32, 3))
p1 = layers.MaxPooling2D(pool_size=(k, k))(inputs)
p2 = layers.MaxPooling2D(pool_size=size)(inputs)
p3 = layers.AveragePooling2D(pool_size=tuple(size))(inputs)
side = int(inputs.shape[1] // np.int64(4))  # alone, a numpy int is rejected by Keras
p4 = layers.MaxPooling2D(pool_size=side)(inputs)

# 4. input_shape=x_train.shape[1:] after load_data: the Sequential now builds
(x_train, y_train), _ = keras.datasets.cifar10.load_data()
model = keras.Sequential([layers.Conv2D(8, 3, input_shape=x_train.shape[1:]), layers.Flatten(),
                          layers.Dense(10)])
