"""U-Net with 'same' padding at 256x256 (zhixuhao style, reduced filters)."""
from keras.layers import (
    Conv2D,
    Dropout,
    Input,
    MaxPooling2D,
    UpSampling2D,
    concatenate,
)
from keras.models import Model
from keras.optimizers import Adam


def unet(pretrained_weights=None, input_size=(256, 256, 1), base=8):
    inputs = Input(input_size)
    conv1 = Conv2D(base, 3, activation="relu", padding="same", kernel_initializer="he_normal")(inputs)
    conv1 = Conv2D(base, 3, activation="relu", padding="same", kernel_initializer="he_normal")(conv1)
    pool1 = MaxPooling2D(pool_size=(2, 2))(conv1)
    conv2 = Conv2D(base * 2, 3, activation="relu", padding="same")(pool1)
    conv2 = Conv2D(base * 2, 3, activation="relu", padding="same")(conv2)
    pool2 = MaxPooling2D(pool_size=(2, 2))(conv2)
    conv3 = Conv2D(base * 4, 3, activation="relu", padding="same")(pool2)
    conv3 = Conv2D(base * 4, 3, activation="relu", padding="same")(conv3)
    pool3 = MaxPooling2D(pool_size=(2, 2))(conv3)
    conv4 = Conv2D(base * 8, 3, activation="relu", padding="same")(pool3)
    conv4 = Conv2D(base * 8, 3, activation="relu", padding="same")(conv4)
    drop4 = Dropout(0.5)(conv4)
    pool4 = MaxPooling2D(pool_size=(2, 2))(drop4)

    conv5 = Conv2D(base * 16, 3, activation="relu", padding="same")(pool4)
    conv5 = Conv2D(base * 16, 3, activation="relu", padding="same")(conv5)
    drop5 = Dropout(0.5)(conv5)

    up6 = Conv2D(base * 8, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(drop5))
    merge6 = concatenate([drop4, up6], axis=3)
    conv6 = Conv2D(base * 8, 3, activation="relu", padding="same")(merge6)
    conv6 = Conv2D(base * 8, 3, activation="relu", padding="same")(conv6)

    up7 = Conv2D(base * 4, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv6))
    merge7 = concatenate([conv3, up7], axis=3)
    conv7 = Conv2D(base * 4, 3, activation="relu", padding="same")(merge7)
    conv7 = Conv2D(base * 4, 3, activation="relu", padding="same")(conv7)

    up8 = Conv2D(base * 2, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv7))
    merge8 = concatenate([conv2, up8], axis=3)
    conv8 = Conv2D(base * 2, 3, activation="relu", padding="same")(merge8)
    conv8 = Conv2D(base * 2, 3, activation="relu", padding="same")(conv8)

    up9 = Conv2D(base, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv8))
    merge9 = concatenate([conv1, up9], axis=3)
    conv9 = Conv2D(base, 3, activation="relu", padding="same")(merge9)
    conv9 = Conv2D(base, 3, activation="relu", padding="same")(conv9)
    conv9 = Conv2D(2, 3, activation="relu", padding="same")(conv9)
    conv10 = Conv2D(1, 1, activation="sigmoid")(conv9)

    model = Model(inputs=inputs, outputs=conv10)
    model.compile(optimizer=Adam(learning_rate=1e-4), loss="binary_crossentropy", metrics=["accuracy"])
    if pretrained_weights:
        model.load_weights(pretrained_weights)
    return model
