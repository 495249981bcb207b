"""Later layers sized from x.shape and int_shape (squeeze-excite, attention pooling).

Keras 3 dropped `keras.backend.int_shape`; the tf.keras backend (TF 2.21) still has it.
"""
import keras
import tensorflow as tf
from keras import layers
from tensorflow.keras import backend as K


def squeeze_excite(x, ratio=4):
    channels = K.int_shape(x)[-1]
    se = layers.GlobalAveragePooling2D()(x)
    se = layers.Reshape((1, 1, channels))(se)
    se = layers.Dense(channels // ratio, activation="relu")(se)
    se = layers.Dense(channels, activation="sigmoid")(se)
    return layers.multiply([x, se])


inp = keras.Input((40, 30, 12))
x = layers.Conv2D(24, 3, strides=2)(inp)
x = squeeze_excite(x)
_, h, w, c = x.shape
x = layers.Reshape((h * w, c))(x)
steps = tf.keras.backend.int_shape(x)[1]
x = layers.Conv1D(c // 2, 3, padding="same")(x)
x = layers.Reshape((steps // 2, -1))(x)
att = layers.Dense(1, activation="tanh")(x)
att = layers.Flatten()(att)
att = layers.Activation("softmax")(att)
att = layers.RepeatVector(x.shape[-1])(att)
att = layers.Permute([2, 1])(att)
weighted = layers.Multiply()([x, att])
pooled = layers.Dense(x.shape[1] // 7)(layers.Flatten()(weighted))
model = keras.Model(inp, pooled)
