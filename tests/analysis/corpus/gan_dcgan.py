"""DCGAN: Conv2DTranspose generator, strided-conv discriminator, combined model."""
import keras
from keras import layers

latent_dim = 64


def build_generator(latent_dim):
    noise = keras.Input(shape=(latent_dim,), name="noise")
    x = layers.Dense(7 * 7 * 32)(noise)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Reshape((7, 7, 32))(x)
    x = layers.Conv2DTranspose(32, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2DTranspose(16, kernel_size=4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    img = layers.Conv2D(1, kernel_size=7, padding="same", activation="sigmoid")(x)
    return keras.Model(noise, img, name="generator")


def build_discriminator(img_shape=(28, 28, 1)):
    return keras.Sequential(
        [
            keras.Input(shape=img_shape),
            layers.Conv2D(16, kernel_size=4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(32, kernel_size=4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1),
        ],
        name="discriminator",
    )


generator = build_generator(latent_dim)
discriminator = build_discriminator()
discriminator.compile(optimizer=keras.optimizers.Adam(2e-4), loss="binary_crossentropy")
discriminator.trainable = False

z = keras.Input(shape=(latent_dim,))
fake = generator(z)
validity = discriminator(fake)
combined = keras.Model(z, validity, name="gan")
combined.compile(optimizer=keras.optimizers.Adam(2e-4), loss="binary_crossentropy")
