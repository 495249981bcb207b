"""Functions: defaults, keyword args, *args/**kwargs, closures, a recursive builder bounded by depth."""
import keras
from keras import layers


def conv(x, filters, kernel_size=3, *, strides=1, **kwargs):
    return layers.Conv2D(filters, kernel_size, strides=strides, **kwargs)(x)


def apply_all(x, *fns):
    for fn in fns:
        x = fn(x)
    return x


def make_block(filters, **conv_kwargs):
    def block(x):
        x = conv(x, filters, **conv_kwargs)
        return layers.Activation("relu")(x)

    return block


def pyramid(x, depth, filters=4):
    """Recursive U-shaped builder: conv, recurse on the pooled map, upsample and merge."""
    x = conv(x, filters, padding="same")
    if depth == 0:
        return x
    down = layers.MaxPooling2D(2)(x)
    inner = pyramid(down, depth - 1, filters * 2)
    up = layers.UpSampling2D(2)(inner)
    return layers.Concatenate()([x, up])


def build(input_shape=(64, 64, 3), depth=3, **head_kwargs):
    inp = keras.Input(input_shape)
    x = apply_all(inp, make_block(8, padding="same"), make_block(8, strides=2, padding="same"),
                  lambda t: conv(t, 16, 1))
    x = pyramid(x, depth)
    return keras.Model(inp, head(x, **head_kwargs))


def head(x, classes=3, activation="softmax"):
    x = layers.GlobalAveragePooling2D()(x)
    return layers.Dense(classes, activation=activation)(x)


model = build(classes=5)
other = build(input_shape=(32, 48, 1), depth=1)
