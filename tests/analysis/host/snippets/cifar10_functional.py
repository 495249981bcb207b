# CIFAR-10 with the functional API: `Input(shape=x_train.shape[1:])`.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0
y_train_1h = keras.utils.to_categorical(y_train, 10)
y_test_1h = keras.utils.to_categorical(y_test, num_classes=10)
labels = y_train.ravel()
mean_image = np.mean(x_train[:1000], axis=0)
channel_mean = x_train[:1000].mean(axis=(0, 1, 2), keepdims=True)
centered = x_test[:500] - channel_mean

inputs = keras.Input(shape=x_train.shape[1:])
x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(64, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(y_train_1h.shape[1], activation="softmax")(x)
model = keras.Model(inputs, outputs)
batch = x_test[:8]
probs = model(batch)
top = np.argmax(probs, axis=-1)
