"""`from tensorflow.keras import layers as L` + `from keras.models import Model, Sequential`."""
from keras.models import Model, Sequential
from tensorflow.keras import layers as L

encoder = Sequential(
    [
        L.Conv2D(8, 3, strides=2, padding="same", activation="relu", input_shape=(28, 28, 1)),
        L.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
        L.Flatten(),
        L.Dense(10),
    ],
    name="encoder",
)
decoder = Sequential(name="decoder")
decoder.add(L.InputLayer(shape=(10,)))
decoder.add(L.Dense(7 * 7 * 16, activation="relu"))
decoder.add(L.Reshape((7, 7, 16)))
decoder.add(L.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu"))
decoder.add(L.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid"))

img = L.Input(shape=(28, 28, 1))
code = encoder(img)
recon = decoder(code)
autoencoder = Model(img, recon)
