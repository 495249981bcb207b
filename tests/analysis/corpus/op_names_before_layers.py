"""Ops on KerasTensors before layers of the same class name: Keras numbers both from one counter."""
import keras
from keras import layers, ops

features = keras.Input(shape=(8, 6))
doubled = features + features
merged = layers.Add()([features, doubled])
reshaped = ops.reshape(merged, (-1, 6, 8))
back = layers.Reshape((8, 6))(reshaped)
gates = ops.softmax(back, axis=-1)
scores = layers.Softmax(axis=1)(gates)
pair = ops.concatenate([scores, back], axis=-1)
joined = layers.Concatenate()([pair, features])
product = ops.multiply(joined, 0.5)
scaled = layers.Multiply()([product, joined])
head = scaled[:, -1]
attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(scaled, scaled)
dropped = layers.Dropout(0.2)(attended)
summary = layers.Dense(4)(ops.mean(dropped, axis=1) - head)
model = keras.Model(features, layers.Softmax()(summary))
