# The U-Net of the paper (Ronneberger et al., 2015): unpadded ('valid') 3x3 convolutions on a
# 572x572 tile, so every level loses 4 pixels; the encoder features are cropped to the decoder's
# size before each concatenation. Output: (None, 388, 388, 2).
from keras.layers import Conv2D, Cropping2D, Input, MaxPooling2D, UpSampling2D, concatenate
from keras.models import Model


def unet_valid(input_size=(572, 572, 1), n_classes=2):
    inputs = Input(input_size)
    conv1 = Conv2D(64, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(inputs)    # 570
    conv1 = Conv2D(64, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(conv1)     # 568
    pool1 = MaxPooling2D(pool_size=(2, 2))(conv1)                                                         # 284
    conv2 = Conv2D(128, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(pool1)    # 282
    conv2 = Conv2D(128, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(conv2)    # 280
    pool2 = MaxPooling2D(pool_size=(2, 2))(conv2)                                                         # 140
    conv3 = Conv2D(256, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(pool2)    # 138
    conv3 = Conv2D(256, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(conv3)    # 136
    pool3 = MaxPooling2D(pool_size=(2, 2))(conv3)                                                         # 68
    conv4 = Conv2D(512, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(pool3)    # 66
    conv4 = Conv2D(512, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(conv4)    # 64
    pool4 = MaxPooling2D(pool_size=(2, 2))(conv4)                                                         # 32
    conv5 = Conv2D(1024, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(pool4)   # 30
    conv5 = Conv2D(1024, 3, activation='relu', padding='valid', kernel_initializer='he_normal')(conv5)   # 28

    up6 = Conv2D(512, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(conv5))           # 56
    crop4 = Cropping2D(cropping=((4, 4), (4, 4)))(conv4)                                                  # 64 -> 56
    merge6 = concatenate([crop4, up6], axis=3)
    conv6 = Conv2D(512, 3, activation='relu', padding='valid')(merge6)                                   # 54
    conv6 = Conv2D(512, 3, activation='relu', padding='valid')(conv6)                                    # 52

    up7 = Conv2D(256, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(conv6))           # 104
    crop3 = Cropping2D(cropping=((16, 16), (16, 16)))(conv3)                                              # 136 -> 104
    merge7 = concatenate([crop3, up7], axis=3)
    conv7 = Conv2D(256, 3, activation='relu', padding='valid')(merge7)                                   # 102
    conv7 = Conv2D(256, 3, activation='relu', padding='valid')(conv7)                                    # 100

    up8 = Conv2D(128, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(conv7))           # 200
    crop2 = Cropping2D(cropping=((40, 40), (40, 40)))(conv2)                                              # 280 -> 200
    merge8 = concatenate([crop2, up8], axis=3)
    conv8 = Conv2D(128, 3, activation='relu', padding='valid')(merge8)                                   # 198
    conv8 = Conv2D(128, 3, activation='relu', padding='valid')(conv8)                                    # 196

    up9 = Conv2D(64, 2, activation='relu', padding='same')(UpSampling2D(size=(2, 2))(conv8))            # 392
    crop1 = Cropping2D(cropping=((88, 88), (88, 88)))(conv1)                                              # 568 -> 392
    merge9 = concatenate([crop1, up9], axis=3)
    conv9 = Conv2D(64, 3, activation='relu', padding='valid')(merge9)                                    # 390
    conv9 = Conv2D(64, 3, activation='relu', padding='valid')(conv9)                                     # 388
    conv10 = Conv2D(n_classes, 1, activation='softmax')(conv9)                                            # 388

    return Model(inputs=inputs, outputs=conv10)
