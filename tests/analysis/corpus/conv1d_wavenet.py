"""WaveNet-like 1D stack: causal dilated Conv1D, gated activations, residual and skip connections."""
import keras
from keras import layers


def residual_block(x, filters, dilation_rate, kernel_size=2):
    tanh_out = layers.Conv1D(filters, kernel_size, dilation_rate=dilation_rate,
                             padding="causal", activation="tanh")(x)
    sigm_out = layers.Conv1D(filters, kernel_size, dilation_rate=dilation_rate,
                             padding="causal", activation="sigmoid")(x)
    gated = layers.Multiply()([tanh_out, sigm_out])
    skip = layers.Conv1D(filters, 1)(gated)
    res = layers.Add()([x, skip])
    return res, skip


def wavenet(timesteps=1000, channels=1, filters=16, n_blocks=2, n_layers=5):
    inp = keras.Input(shape=(timesteps, channels))
    x = layers.Conv1D(filters, 2, padding="causal")(inp)
    skips = []
    for _ in range(n_blocks):
        for i in range(n_layers):
            x, skip = residual_block(x, filters, 2**i)
            skips.append(skip)
    out = layers.Add()(skips)
    out = layers.Activation("relu")(out)
    out = layers.Conv1D(filters, 1, activation="relu")(out)
    out = layers.Conv1D(256, 1, activation="softmax")(out)
    return keras.Model(inp, out)


model = wavenet()

# A plain 1D classifier: valid convs, strides, pooling.
seq_in = keras.Input(shape=(128, 12))
h = layers.Conv1D(32, 7, strides=2, activation="relu")(seq_in)
h = layers.MaxPooling1D(3)(h)
h = layers.Conv1D(64, 5, dilation_rate=2, padding="same")(h)
h = layers.AveragePooling1D(2, padding="same")(h)
h = layers.SeparableConv1D(32, 3)(h)
h = layers.UpSampling1D(2)(h)
h = layers.Cropping1D((1, 2))(h)
h = layers.ZeroPadding1D(3)(h)
h = layers.GlobalAveragePooling1D()(h)
classifier = keras.Model(seq_in, layers.Dense(4)(h))
