"""Custom layers that consume or pass on a mask after Embedding(mask_zero=True): supports_masking,
compute_mask, call(self, x, mask=None), masked pooling and masked attention scores.
"""
import keras
import tensorflow as tf
from keras import layers, ops


class MaskedMean(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return ops.mean(inputs, axis=1)
        weights = ops.expand_dims(ops.cast(mask, inputs.dtype), -1)
        total = ops.sum(inputs * weights, axis=1)
        return total / ops.maximum(ops.sum(weights, axis=1), 1.0)

    def compute_mask(self, inputs, mask=None):
        return None


class ScaleKeepMask(layers.Layer):
    def __init__(self, factor, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.supports_masking = True

    def call(self, x):
        return x * self.factor


class AttentionPool(layers.Layer):
    def build(self, input_shape):
        self.score = layers.Dense(1)

    def call(self, x, mask=None):
        logits = self.score(x)
        if mask is not None:
            logits += (1.0 - tf.cast(mask[:, :, None], logits.dtype)) * -1e9
        alpha = tf.nn.softmax(logits, axis=1)
        return tf.reduce_sum(alpha * x, axis=1)

    def compute_mask(self, x, mask=None):
        return None


class DropMaskedSteps(layers.Layer):
    def call(self, x, mask=None):
        return x

    def compute_mask(self, x, mask=None):
        return mask


class DropLastStep(layers.Layer):
    def call(self, x, mask=None):
        return x[:, :-1]

    def compute_mask(self, x, mask=None):
        if mask is None:
            return None
        return mask[:, :-1]


class CountSteps(layers.Layer):
    def call(self, x, mask=None):
        if mask is not None:
            return tf.reduce_sum(tf.cast(mask, "float32"), axis=1, keepdims=True)
        return tf.reduce_sum(tf.ones_like(x[..., :2]), axis=1)


tokens = keras.Input(shape=(30,), dtype="int32")
emb = layers.Embedding(5000, 64, mask_zero=True)(tokens)
scaled = ScaleKeepMask(2.0)(emb)
kept = DropMaskedSteps()(scaled)
seq = layers.LSTM(32, return_sequences=True)(kept)
mean_vec = MaskedMean()(seq)
att_vec = AttentionPool()(seq)
both = layers.Concatenate()([mean_vec, att_vec])
out = layers.Dense(1, activation="sigmoid")(both)
model = keras.Model(tokens, out)

# Valid look-alike: the same layers with no mask upstream (mask is None in call).
plain = keras.Input(shape=(30, 16))
plain_mean = MaskedMean()(plain)
plain_att = AttentionPool()(plain)
masked_again = layers.Masking(mask_value=0.0)(plain)
gru_vec = layers.GRU(8)(DropMaskedSteps()(masked_again))

short = DropLastStep()(emb)
n_steps = CountSteps()(short)
n_plain = CountSteps()(layers.Dense(4)(plain))
