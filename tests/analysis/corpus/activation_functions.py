"""Activation functions called on tensors: keras.activations.* directly, looked up by name with
activations.get, tf.keras.activations, and an activation chosen by a config string.
"""
import keras
import tensorflow as tf
from keras import activations, layers


def gated_block(x, units, act="gelu"):
    h = layers.Dense(units)(x)
    h = activations.get(act)(h)
    gate = keras.activations.sigmoid(layers.Dense(units)(x))
    return layers.Multiply()([h, gate])


class Swish(layers.Layer):
    def call(self, inputs):
        return inputs * keras.activations.sigmoid(inputs)


class ScaledSoftmax(layers.Layer):
    def __init__(self, temperature=1.0, **kwargs):
        super().__init__(**kwargs)
        self.temperature = temperature

    def call(self, logits):
        return tf.keras.activations.softmax(logits / self.temperature, axis=-1)


inputs = keras.Input(shape=(32,))
x = layers.Dense(64)(inputs)
x = keras.activations.relu(x)
x = layers.Dense(48)(x)
x = activations.relu(x, negative_slope=0.1, max_value=6.0)
x = gated_block(x, 24)
x = Swish()(x)
x = layers.Dense(16)(x)
x = tf.keras.activations.tanh(x)
probs = ScaledSoftmax(0.5)(layers.Dense(10)(x))
model = keras.Model(inputs, probs)

seq_in = keras.Input(shape=(12, 8))
attn = layers.Dense(1)(seq_in)
attn = keras.activations.softmax(attn, axis=1)
pooled = layers.Dot(axes=1)([attn, seq_in])
flat = layers.Flatten()(pooled)
out = layers.Dense(3)(activations.get("elu")(flat))

# Valid look-alike: an activation object passed around and applied to a 4-D tensor, and the
# same names used as layer arguments.
img = keras.Input(shape=(16, 16, 3))
act_fn = activations.get("swish")
y = layers.Conv2D(8, 3, activation=activations.relu)(img)
y = act_fn(y)
y = layers.Conv2D(4, 1, activation="linear")(y)
y = keras.activations.softmax(y, axis=-1)
y = layers.Activation(activations.hard_sigmoid)(y)
y = layers.GlobalAveragePooling2D()(keras.activations.leaky_relu(y, negative_slope=0.2))
