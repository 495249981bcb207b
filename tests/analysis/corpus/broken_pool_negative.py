"""BROKEN: six 2x2 'valid' poolings shrink a 48x48 map to 1x1, then to nothing."""
from keras import layers
from keras.models import Sequential

model = Sequential()
model.add(layers.Input(shape=(48, 48, 1)))
for filters in (8, 16, 32, 64, 128, 256):
    model.add(layers.Conv2D(filters, 3, padding="same", activation="relu"))
    model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Flatten())
model.add(layers.Dense(7, activation="softmax"))
