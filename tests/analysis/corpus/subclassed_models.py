"""Subclassed keras.layers.Layer (with build) and keras.Model, called on an Input."""
import keras
from keras import layers, ops


class ConvBlock(layers.Layer):
    def __init__(self, filters, kernel_size=3, pool=True, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.conv1 = layers.Conv2D(filters, kernel_size, padding="same")
        self.bn = layers.BatchNormalization()
        self.conv2 = layers.Conv2D(filters, kernel_size, padding="same")
        self.pool = layers.MaxPooling2D(2) if pool else None

    def call(self, inputs, training=False):
        x = self.conv1(inputs)
        x = self.bn(x, training=training)
        x = ops.relu(x)
        x = self.conv2(x)
        if self.pool is not None:
            x = self.pool(x)
        return x


class ScaledDense(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")
        self.scale = self.add_weight(shape=(), initializer="ones")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) * self.scale + self.b


class Classifier(keras.Model):
    def __init__(self, num_classes=10, widths=(16, 32, 64)):
        super().__init__()
        self.blocks = [ConvBlock(w, pool=i < 2) for i, w in enumerate(widths)]
        self.gap = layers.GlobalAveragePooling2D()
        self.head = ScaledDense(32)
        self.dropout = layers.Dropout(0.2)
        self.out = layers.Dense(num_classes)

    def call(self, x, training=False):
        for block in self.blocks:
            x = block(x, training=training)
        x = self.gap(x)
        x = self.head(x)
        x = self.dropout(x, training=training)
        return self.out(x)


inputs = keras.Input(shape=(32, 32, 3))
net = Classifier(num_classes=5)
logits = net(inputs)
wrapper = keras.Model(inputs, logits)
