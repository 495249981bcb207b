"""A segmentation model on a keras.applications backbone, by its public names: the encoder's
skips read with get_layer(...).output, as feature-extractor code does."""
import tensorflow as tf
from tensorflow.keras.applications import VGG16
from tensorflow.keras.layers import Concatenate, Conv2D, Conv2DTranspose, Input


def decoder_block(x, skip, filters):
    x = Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
    x = Concatenate()([x, skip])
    return Conv2D(filters, 3, padding="same", activation="relu")(x)


inputs = Input((96, 96, 3))
encoder = VGG16(include_top=False, weights=None, input_tensor=inputs)
s1 = encoder.get_layer("block1_conv2").output
s2 = encoder.get_layer("block2_conv2").output
s3 = encoder.get_layer("block3_conv3").output
bridge = encoder.get_layer("block4_conv3").output
d3 = decoder_block(bridge, s3, 64)
d2 = decoder_block(d3, s2, 32)
d1 = decoder_block(d2, s1, 16)
outputs = Conv2D(1, 1, activation="sigmoid")(d1)
model = tf.keras.Model(inputs, outputs)

# The attribute spelling, and a backbone with its own input.
backbone = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False,
                                             weights=None, alpha=0.35)
features = backbone.output
pooled = tf.keras.layers.GlobalAveragePooling2D()(features)
head = tf.keras.Model(backbone.input, tf.keras.layers.Dense(5)(pooled))
