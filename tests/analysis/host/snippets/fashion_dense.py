# Fashion-MNIST with a validation split cut from the training data, channels added with numpy.
import numpy as np
import tensorflow as tf

fashion_mnist = tf.keras.datasets.fashion_mnist
(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images = train_images / 255.0
test_images = test_images / 255.0
x_valid, x_train = train_images[:5000], train_images[5000:]
y_valid, y_train = train_labels[:5000], train_labels[5000:]
n_valid = len(x_valid)
x_train_c = np.expand_dims(x_train, -1)
x_valid_c = x_valid[..., np.newaxis]
x_flat = x_train.reshape(len(x_train), -1)
class_names = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
               "Bag", "Ankle boot"]

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=x_train.shape[1:]),
    tf.keras.layers.Dense(128, activation="relu"),
    tf.keras.layers.Dense(len(class_names)),
])
conv = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=x_train_c.shape[1:]),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
])
dense = tf.keras.layers.Dense(10)
logits = dense(x_flat[:32])
