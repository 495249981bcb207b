"""`from keras.layers import *` with a VGG16-style builder (pure star import, block loop)."""
from keras.layers import *
from keras.models import *


def VGG(input_shape=(64, 64, 3), blocks=((2, 8), (2, 16), (3, 32), (3, 32)), classes=4):
    img_input = Input(shape=input_shape)
    x = img_input
    for b, (n_convs, filters) in enumerate(blocks, start=1):
        for c in range(n_convs):
            x = Conv2D(filters, (3, 3), activation="relu", padding="same",
                       name=f"block{b}_conv{c + 1}")(x)
        x = MaxPooling2D((2, 2), strides=(2, 2), name=f"block{b}_pool")(x)
    x = Flatten(name="flatten")(x)
    x = Dense(64, activation="relu", name="fc1")(x)
    x = Dense(64, activation="relu", name="fc2")(x)
    x = Dense(classes, activation="softmax", name="predictions")(x)
    return Model(img_input, x, name="vgg16_small")


model = VGG()
