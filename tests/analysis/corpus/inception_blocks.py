"""Inception-v3-style: conv2d_bn helper (as in keras.applications) and concatenated branches."""
from keras import layers
from keras.models import Model

channel_axis = 3


def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    if name is not None:
        bn_name = name + "_bn"
        conv_name = name + "_conv"
    else:
        bn_name = None
        conv_name = None
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding,
                      use_bias=False, name=conv_name)(x)
    x = layers.BatchNormalization(axis=channel_axis, scale=False, name=bn_name)(x)
    x = layers.Activation("relu", name=name)(x)
    return x


def inception_v3_small(input_shape=(149, 149, 3), classes=4):
    img_input = layers.Input(shape=input_shape)
    x = conv2d_bn(img_input, 8, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 8, 3, 3, padding="valid")
    x = conv2d_bn(x, 16, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 20, 1, 1, padding="valid")
    x = conv2d_bn(x, 48, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    # mixed 0: 35 x 35 x 64 (halved filters)
    branch1x1 = conv2d_bn(x, 16, 1, 1)
    branch5x5 = conv2d_bn(x, 12, 1, 1)
    branch5x5 = conv2d_bn(branch5x5, 16, 5, 5)
    branch3x3dbl = conv2d_bn(x, 16, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 24, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 24, 3, 3)
    branch_pool = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    branch_pool = conv2d_bn(branch_pool, 8, 1, 1)
    x = layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool],
                           axis=channel_axis, name="mixed0")

    # mixed 3: reduction
    branch3x3 = conv2d_bn(x, 96, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = conv2d_bn(x, 16, 1, 1)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 24, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 24, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=channel_axis,
                           name="mixed3")

    # mixed 4: factorized 7x7
    for i in range(2):
        branch1x1 = conv2d_bn(x, 48, 1, 1)
        branch7x7 = conv2d_bn(x, 32, 1, 1)
        branch7x7 = conv2d_bn(branch7x7, 32, 1, 7)
        branch7x7 = conv2d_bn(branch7x7, 48, 7, 1)
        branch_pool = layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
        branch_pool = conv2d_bn(branch_pool, 48, 1, 1)
        x = layers.concatenate([branch1x1, branch7x7, branch_pool], axis=channel_axis,
                               name="mixed" + str(4 + i))
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = layers.Dense(classes, activation="softmax", name="predictions")(x)
    return Model(img_input, x, name="inception_v3_small")


model = inception_v3_small()
