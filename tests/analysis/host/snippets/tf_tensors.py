# Eager TF tensors are concrete data too: created, sliced, reshaped and fed to layers.
import keras
import numpy as np
import tensorflow as tf

zeros = tf.zeros((2, 5))
ones = tf.ones([3, 4], dtype=tf.int32)
const = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
ints = tf.constant([1, 2, 3])
filled = tf.constant(0.5, shape=(2, 3))
weights = tf.Variable(tf.random.normal((3, 3)))
unif = tf.random.uniform((4, 10), minval=0, maxval=1)
normal = tf.random.normal([8, 16], mean=0.0, stddev=0.1)
from_np = tf.convert_to_tensor(np.ones((6, 2), dtype="float32"))
kzeros = keras.ops.zeros((2, 3))
kones = keras.ops.ones((4,))
head = unif[:-1]
col = unif[:, 0]
plus = unif + np.ones((10,), dtype="float32")
scaled = normal * 2.0
as_np = normal.numpy()
rows = as_np.shape[0]
flat = tf.reshape(normal, (-1, 4))
dense = keras.layers.Dense(5)
out = dense(unif)
out2 = dense(tf.zeros((1, 10)))
conv = keras.layers.Conv1D(4, 3)(tf.random.normal((2, 12, 6)))
