"""BROKEN: the paper's 'valid' U-Net at 572x572 without cropping the skips.

The first decoder concatenate joins a (None, 64, 64, 64) skip with a (None, 56, 56, 64) upsampling:
Concatenate requires matching spatial dims.
"""
from keras.layers import Conv2D, Input, MaxPooling2D, UpSampling2D, concatenate
from keras.models import Model

inputs = Input((572, 572, 1))
c1 = Conv2D(8, 3, activation="relu")(inputs)
c1 = Conv2D(8, 3, activation="relu")(c1)
p1 = MaxPooling2D(2)(c1)
c2 = Conv2D(16, 3, activation="relu")(p1)
c2 = Conv2D(16, 3, activation="relu")(c2)
p2 = MaxPooling2D(2)(c2)
c3 = Conv2D(32, 3, activation="relu")(p2)
c3 = Conv2D(32, 3, activation="relu")(c3)
p3 = MaxPooling2D(2)(c3)
c4 = Conv2D(64, 3, activation="relu")(p3)
c4 = Conv2D(64, 3, activation="relu")(c4)
p4 = MaxPooling2D(2)(c4)
c5 = Conv2D(128, 3, activation="relu")(p4)
c5 = Conv2D(128, 3, activation="relu")(c5)

u6 = Conv2D(64, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(c5))
m6 = concatenate([c4, u6], axis=3)
c6 = Conv2D(64, 3, activation="relu")(m6)
c6 = Conv2D(64, 3, activation="relu")(c6)
outputs = Conv2D(2, 1)(c6)
model = Model(inputs=inputs, outputs=outputs)
