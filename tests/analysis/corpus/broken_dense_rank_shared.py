"""BROKEN: a shared Dense head built on a (None, 64) vector is reused on a 4D feature map."""
import keras
from keras import layers

head = layers.Dense(10, activation="softmax")

img = keras.Input((16, 16, 3))
feat = layers.Conv2D(64, 3, padding="same")(img)
vec = layers.GlobalAveragePooling2D()(feat)
out_a = head(vec)

feat_b = layers.Conv2D(32, 3, strides=2)(img)
out_b = head(feat_b)
model = keras.Model(img, [out_a, out_b])
