"""ResNet-50-style network: bottleneck blocks from helpers, projection shortcuts with strides."""
import keras
from keras import layers


def conv_bn_relu(x, filters, kernel_size, strides=1, activation=True):
    x = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5)(x)
    if activation:
        x = layers.Activation("relu")(x)
    return x


def bottleneck(x, filters, stride=1, conv_shortcut=True, name=None):
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = conv_bn_relu(x, filters, 1, strides=stride)
    x = conv_bn_relu(x, filters, 3)
    x = conv_bn_relu(x, 4 * filters, 1, activation=False)
    x = layers.Add(name=name + "_add")([shortcut, x])
    x = layers.Activation("relu", name=name + "_out")(x)
    return x


def stack(x, filters, blocks, stride1=2, name=None):
    x = bottleneck(x, filters, stride=stride1, name=name + "_block1")
    for i in range(2, blocks + 1):
        x = bottleneck(x, filters, conv_shortcut=False, name=name + "_block" + str(i))
    return x


def resnet(input_shape=(224, 224, 3), classes=10):
    img_input = layers.Input(shape=input_shape)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)))(img_input)
    x = layers.Conv2D(16, 7, strides=2, use_bias=True)(x)
    x = layers.BatchNormalization(axis=3, epsilon=1.001e-5)(x)
    x = layers.Activation("relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)))(x)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = stack(x, 8, 3, stride1=1, name="conv2")
    x = stack(x, 16, 4, name="conv3")
    x = stack(x, 32, 2, name="conv4")
    x = stack(x, 64, 2, name="conv5")
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return keras.Model(img_input, x, name="resnet_small")


model = resnet()
