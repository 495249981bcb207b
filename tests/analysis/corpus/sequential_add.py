"""VGG-like Sequential built with .add(), input_shape= on the first layer; a nested Sequential."""
from keras.layers import (
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Flatten,
    GlobalMaxPooling2D,
    MaxPooling2D,
)
from keras.models import Sequential

model = Sequential()
model.add(Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=(64, 64, 3)))
model.add(Conv2D(16, (3, 3), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.25))

for filters in (32, 64):
    model.add(Conv2D(filters, (3, 3), padding="same", activation="relu"))
    model.add(BatchNormalization())
    model.add(Conv2D(filters, (3, 3), activation="relu"))
    model.add(MaxPooling2D(pool_size=(2, 2)))

model.add(Flatten())
model.add(Dense(128, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")

# A small feature extractor reused inside another Sequential.
features = Sequential([Conv2D(8, 3, strides=2, activation="relu"), GlobalMaxPooling2D()])
classifier = Sequential()
classifier.add(Conv2D(4, 1, input_shape=(32, 32, 3)))
classifier.add(features)
classifier.add(Dense(3))
