"""3D CNN for volumes: Conv3D, pooling 3D, a small 3D U-Net decoder with UpSampling3D."""
import keras
from keras import layers

inputs = keras.Input((32, 64, 64, 1))
x = layers.Conv3D(filters=8, kernel_size=3, activation="relu")(inputs)
x = layers.MaxPool3D(pool_size=2)(x)
x = layers.BatchNormalization()(x)
x = layers.Conv3D(filters=16, kernel_size=(1, 3, 3), strides=(1, 2, 2), padding="same")(x)
x = layers.AveragePooling3D(pool_size=(2, 2, 2), strides=(1, 2, 2))(x)
x = layers.Conv3D(filters=16, kernel_size=3, dilation_rate=2)(x)
x = layers.GlobalAveragePooling3D()(x)
outputs = layers.Dense(units=1, activation="sigmoid")(x)
classifier = keras.Model(inputs, outputs, name="3dcnn")

vol = keras.Input((16, 32, 32, 2))
e1 = layers.Conv3D(8, 3, padding="same", activation="relu")(vol)
p1 = layers.MaxPooling3D(2)(e1)
e2 = layers.Conv3D(16, 3, padding="same", activation="relu")(p1)
p2 = layers.MaxPooling3D((2, 2, 2))(e2)
b = layers.Conv3D(32, 3, padding="same")(p2)
u2 = layers.UpSampling3D(2)(b)
d2 = layers.Conv3D(16, 3, padding="same")(layers.concatenate([u2, e2]))
u1 = layers.Conv3DTranspose(8, 2, strides=2)(d2)
d1 = layers.Conv3D(8, 3, padding="same")(layers.concatenate([u1, e1], axis=-1))
d1 = layers.ZeroPadding3D(((1, 1), (0, 0), (2, 2)))(d1)
d1 = layers.Cropping3D(((1, 1), (0, 0), (2, 2)))(d1)
seg = layers.Conv3D(3, 1, activation="softmax")(d1)
unet3d = keras.Model(vol, seg)
