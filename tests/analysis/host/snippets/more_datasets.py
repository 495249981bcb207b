# CIFAR-100 and Reuters as the textbooks load them: labels one-hot, texts vectorised.
import keras
import numpy as np
from keras.datasets import cifar100, reuters
from keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode="fine")
y_train = to_categorical(y_train, 100)
guess = to_categorical(y_test)  # unknown
(train_data, train_labels), (test_data, test_labels) = reuters.load_data(num_words=10000)


def vectorize_sequences(sequences, dimension=10000):
    results = np.zeros((len(sequences), dimension))
    return results


x_reuters = vectorize_sequences(train_data)
one_hot_train = to_categorical(train_labels, 46)
model = keras.Sequential([
    keras.layers.Dense(64, activation="relu", input_shape=(x_reuters.shape[1],)),
    keras.layers.Dense(46, activation="softmax"),
])
conv = keras.Sequential([
    keras.layers.Conv2D(16, 3, input_shape=x_train.shape[1:]),
    keras.layers.GlobalMaxPooling2D(),
    keras.layers.Dense(y_train.shape[-1]),
])
