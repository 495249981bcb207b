# tf.data pipelines: element shapes through from_tensor_slices, shuffle, batch and map.
import numpy as np
import tensorflow as tf

features = np.zeros((1000, 32), dtype="float32")
targets = np.zeros((1000,), dtype="int64")
images = np.zeros((100, 28, 28), dtype="uint8")
ds = tf.data.Dataset.from_tensor_slices((features, targets))
train_ds = ds.shuffle(1000).batch(64)
exact_ds = ds.batch(10, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
img_ds = tf.data.Dataset.from_tensor_slices(images).map(lambda x: tf.cast(x, tf.float32) / 255.0)
img_batches = img_ds.batch(8, drop_remainder=True)
dict_ds = tf.data.Dataset.from_tensor_slices({"a": features, "b": targets}).batch(4)
single = tf.data.Dataset.from_tensors(features)

model = tf.keras.Sequential([
    tf.keras.layers.Input(shape=features.shape[1:]),
    tf.keras.layers.Dense(16, activation="relu"),
    tf.keras.layers.Dense(10),
])
