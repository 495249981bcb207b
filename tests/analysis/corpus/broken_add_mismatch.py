"""BROKEN: a residual block that doubles the filters but has no projection shortcut (Add mismatch)."""
import keras
from keras import layers


def residual_block(x, filters, stride=1):
    shortcut = x
    y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU()(y)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    y = layers.BatchNormalization()(y)
    y = layers.Add()([shortcut, y])
    return layers.ReLU()(y)


inputs = keras.Input((32, 32, 16))
x = residual_block(inputs, 16)
x = residual_block(x, 32)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
