"""The U-Net of the paper: 'valid' 3x3 convs at 572x572, skips cropped to the decoder size (388 out)."""
import keras
from keras import layers


def double_conv(x, filters):
    x = layers.Conv2D(filters, 3, activation="relu", padding="valid")(x)
    x = layers.Conv2D(filters, 3, activation="relu", padding="valid")(x)
    return x


def crop_to(skip, target):
    sh, sw = skip.shape[1], skip.shape[2]
    th, tw = target.shape[1], target.shape[2]
    dh, dw = sh - th, sw - tw
    return layers.Cropping2D(cropping=((dh // 2, dh - dh // 2), (dw // 2, dw - dw // 2)))(skip)


def build_unet(input_shape=(572, 572, 1), n_classes=2, filters=(4, 8, 16, 32, 64)):
    inputs = keras.Input(shape=input_shape)
    skips = []
    x = inputs
    for f in filters[:-1]:
        x = double_conv(x, f)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)
    x = double_conv(x, filters[-1])
    for f, skip in zip(reversed(filters[:-1]), reversed(skips)):
        x = layers.Conv2DTranspose(f, 2, strides=2)(x)
        cropped = crop_to(skip, x)
        x = layers.Concatenate(axis=-1)([cropped, x])
        x = double_conv(x, f)
    outputs = layers.Conv2D(n_classes, 1)(x)
    return keras.Model(inputs, outputs, name="unet_paper")


model = build_unet()
