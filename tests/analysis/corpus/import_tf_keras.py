"""`import tensorflow as tf` and tf.keras.layers.X everywhere (Keras 3 through tf.keras)."""
import tensorflow as tf


def make_model(input_shape=(48, 48, 3), num_classes=6):
    inputs = tf.keras.Input(shape=input_shape)
    x = tf.keras.layers.Rescaling(1.0 / 255)(inputs)
    x = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same")(x)
    x = tf.keras.layers.BatchNormalization()(x)
    x = tf.keras.layers.Activation("relu")(x)
    previous = x
    for size in [32, 64]:
        x = tf.keras.layers.SeparableConv2D(size, 3, padding="same")(x)
        x = tf.keras.layers.BatchNormalization()(x)
        x = tf.keras.layers.MaxPooling2D(3, strides=2, padding="same")(x)
        residual = tf.keras.layers.Conv2D(size, 1, strides=2, padding="same")(previous)
        x = tf.keras.layers.add([x, residual])
        previous = x
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    outputs = tf.keras.layers.Dense(num_classes, activation="softmax")(x)
    return tf.keras.Model(inputs, outputs)


model = make_model()
seq = tf.keras.Sequential([
    tf.keras.layers.Input((20,)),
    tf.keras.layers.Dense(8),
    tf.keras.layers.Reshape((2, 4)),
    tf.keras.layers.Permute((2, 1)),
    tf.keras.layers.Flatten(),
])
