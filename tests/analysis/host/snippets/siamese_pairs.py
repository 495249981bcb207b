# A siamese network fed numpy pairs of images: `pairs[:-1]`, `pairs[:, 0]`, ...
import keras
import numpy as np
from keras import layers

pairs = np.zeros((200, 2, 28, 28, 1), dtype="float32")
labels = np.zeros((200,), dtype="float32")
train_pairs, val_pairs = pairs[:-40], pairs[-40:]
train_labels = labels[:-40]
left = train_pairs[:, 0]
right = train_pairs[:, 1]
first_pair = pairs[0]
pixel = pairs[0, 1, 5, 5, 0]
last_rows = pairs[-1, :, 10:20, ::2]

inp = keras.Input((28, 28, 1))
x = layers.Conv2D(8, 3, activation="relu")(inp)
x = layers.GlobalAveragePooling2D()(x)
embedding = keras.Model(inp, layers.Dense(16)(x))
input_1 = keras.Input((28, 28, 1))
input_2 = keras.Input((28, 28, 1))
tower_1 = embedding(input_1)
tower_2 = embedding(input_2)
merged = layers.Subtract()([tower_1, tower_2])
out = layers.Dense(1, activation="sigmoid")(merged)
siamese = keras.Model(inputs=[input_1, input_2], outputs=out)
pred = siamese([left[:4], right[:4]])
emb = embedding(val_pairs[:, 1])
