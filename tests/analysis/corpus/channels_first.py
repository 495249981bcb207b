"""channels_first CNN (symbolic only: TF on CPU cannot run NCHW convs, but shapes are inferred)."""
import keras
from keras import layers

fmt = "channels_first"
inp = keras.Input(shape=(3, 64, 48))
x = layers.Conv2D(16, 3, padding="same", data_format=fmt)(inp)
x = layers.BatchNormalization(axis=1)(x)
x = layers.MaxPooling2D(2, data_format=fmt)(x)
x = layers.Conv2D(32, (3, 5), strides=(1, 2), data_format=fmt)(x)
x = layers.ZeroPadding2D(((1, 0), (2, 3)), data_format=fmt)(x)
x = layers.UpSampling2D((2, 1), data_format=fmt)(x)
x = layers.Cropping2D(((2, 2), (1, 1)), data_format=fmt)(x)
x = layers.Conv2DTranspose(8, 3, strides=2, data_format=fmt)(x)
x = layers.AveragePooling2D((3, 3), strides=2, padding="same", data_format=fmt)(x)
x = layers.SeparableConv2D(12, 3, data_format=fmt)(x)
x = layers.DepthwiseConv2D(3, depth_multiplier=2, data_format=fmt)(x)
y = layers.GlobalAveragePooling2D(data_format=fmt)(x)
model = keras.Model(inp, layers.Dense(2)(y))

seq = keras.Input(shape=(6, 100))
s = layers.Conv1D(8, 5, data_format=fmt)(seq)
s = layers.MaxPooling1D(2, data_format=fmt)(s)
s = layers.GlobalMaxPooling1D(data_format=fmt)(s)

vol = keras.Input(shape=(2, 8, 16, 16))
v = layers.Conv3D(4, 3, padding="same", data_format=fmt)(vol)
v = layers.MaxPooling3D(2, data_format=fmt)(v)
v = layers.UpSampling3D((1, 2, 2), data_format=fmt)(v)
v = layers.Flatten(data_format=fmt)(v)
