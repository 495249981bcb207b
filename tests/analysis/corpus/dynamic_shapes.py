"""Custom layers that read shapes at run time: tf.shape(x) and keras.ops.shape(x) unpacked,
indexed and multiplied, then used in reshapes; static dims where Keras knows them, None where not.
"""
import keras
import tensorflow as tf
from keras import layers, ops


class Patches(layers.Layer):
    def __init__(self, patch_size, **kwargs):
        super().__init__(**kwargs)
        self.patch_size = patch_size

    def call(self, images):
        input_shape = ops.shape(images)
        batch_size = input_shape[0]
        height, width, channels = input_shape[1], input_shape[2], input_shape[3]
        num_patches_h = height // self.patch_size
        num_patches_w = width // self.patch_size
        patches = keras.ops.image.extract_patches(images, size=self.patch_size)
        return ops.reshape(
            patches,
            (batch_size, num_patches_h * num_patches_w, self.patch_size**2 * channels),
        )


class ConvPatches(layers.Layer):
    def __init__(self, patch_size, dim, **kwargs):
        super().__init__(**kwargs)
        self.proj = layers.Conv2D(dim, patch_size, strides=patch_size)

    def call(self, x):
        x = self.proj(x)
        batch_size = tf.shape(x)[0]
        return tf.reshape(x, [batch_size, -1, x.shape[-1]])


class SplitHeads(layers.Layer):
    def __init__(self, num_heads, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads

    def call(self, x):
        b, t = tf.shape(x)[0], tf.shape(x)[1]
        c = x.shape[-1]
        x = tf.reshape(x, [b, t, self.num_heads, c // self.num_heads])
        return tf.transpose(x, [0, 2, 1, 3])


class MergeHeads(layers.Layer):
    def call(self, x):
        shape = ops.shape(x)
        batch, heads, steps, depth = shape[0], shape[1], shape[2], shape[3]
        x = ops.transpose(x, (0, 2, 1, 3))
        return ops.reshape(x, (batch, steps, heads * depth))


class FlattenSpatial(layers.Layer):
    def call(self, x):
        b, h, w, c = tf.unstack(tf.shape(x))
        flat = tf.reshape(x, [b, h * w, c])
        return flat


class GlobalContext(layers.Layer):
    def call(self, x):
        dims = tf.shape(x)
        n = dims[1] * dims[2]
        weights = tf.reshape(tf.reduce_mean(x, axis=-1), (-1, n, 1))
        values = tf.reshape(x, (dims[0], n, x.shape[-1]))
        return tf.reduce_sum(weights * values, axis=1)


images = keras.Input(shape=(32, 32, 3))
tokens = Patches(8)(images)
conv_tokens = ConvPatches(4, 16)(images)
tokens = layers.Dense(48)(tokens)
heads = SplitHeads(4)(tokens)
merged = MergeHeads()(heads)
summary = layers.GlobalAveragePooling1D()(merged)

feature_map = layers.Conv2D(16, 3, padding="same")(images)
flat = FlattenSpatial()(feature_map)
ctx = GlobalContext()(feature_map)

# Valid look-alike: the same layers on inputs whose sizes are not fixed (None stays None).
any_size = keras.Input(shape=(None, None, 8))
any_flat = FlattenSpatial()(any_size)
any_ctx = GlobalContext()(any_size)
seq = keras.Input(shape=(None, 24))
seq_heads = SplitHeads(3)(seq)
seq_back = MergeHeads()(seq_heads)
