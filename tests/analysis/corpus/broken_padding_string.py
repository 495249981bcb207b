"""BROKEN: a typo in the padding string ('vaild') inside a Sequential model."""
from keras import Input, Sequential, layers

model = Sequential(
    [
        Input((28, 28, 1)),
        layers.Conv2D(8, 3, padding="same"),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, padding="vaild"),
        layers.Flatten(),
        layers.Dense(10),
    ]
)
