# IMDB sentiment: ragged sequences padded with pad_sequences, then an Embedding model.
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.preprocessing import sequence

max_features = 20000
maxlen = 200
(x_train, y_train), (x_val, y_val) = keras.datasets.imdb.load_data(num_words=max_features)
n_train = len(x_train)
n_val = len(x_val)
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(max_features, 128)(inputs)
x = layers.Bidirectional(layers.LSTM(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
seq_model = keras.Sequential([
    layers.Embedding(max_features, 16, input_shape=x_train.shape[1:]),
    layers.GlobalAveragePooling1D(),
    layers.Dense(1),
])
scores = model(x_val[:3])
