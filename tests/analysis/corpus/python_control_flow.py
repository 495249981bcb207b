"""Control flow: if on config flags, for over zip/enumerate/dict items, a bounded while, try."""
import keras
from keras import layers

try:
    from keras.layers import GroupNormalization as Norm
except ImportError:  # older Keras
    from keras.layers import BatchNormalization as Norm

USE_BN = True
USE_SE = False
POOL = "max"
stages = {"stage1": (16, 2), "stage2": (32, 2), "stage3": (48, 1)}

inputs = keras.Input((64, 64, 3))
x = inputs
for name, (filters, stride) in stages.items():
    x = layers.Conv2D(filters, 3, strides=stride, padding="same", name=name)(x)
    if USE_BN:
        x = layers.BatchNormalization()(x)
    else:
        x = Norm(groups=4)(x)
    if USE_SE:
        se = layers.GlobalAveragePooling2D()(x)
        x = layers.Multiply()([x, layers.Reshape((1, 1, filters))(se)])

size = x.shape[1]
while size > 4:
    x = layers.MaxPooling2D(2)(x) if POOL == "max" else layers.AveragePooling2D(2)(x)
    size //= 2

for i, (f, k) in enumerate(zip([24, 12], [3, 1])):
    x = layers.Conv2D(f, k, padding="valid" if i == 0 else "same")(x)

if POOL == "max" and not USE_SE:
    x = layers.GlobalMaxPooling2D()(x)
elif POOL == "avg":
    x = layers.GlobalAveragePooling2D()(x)
else:
    x = layers.Flatten()(x)

outputs = layers.Dense(10)(x)
model = keras.Model(inputs, outputs)

count = 0
y = keras.Input((16,))
while True:
    y = layers.Dense(16 // (count + 1))(y)
    count += 1
    if count >= 3:
        break
