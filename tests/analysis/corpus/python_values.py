"""Values the analyser must follow: tuples, unpacking, dict configs, arithmetic, f-strings, comprehensions."""
import keras
from keras import layers

CONFIG = {
    "image_size": (96, 80),
    "channels": 3,
    "widths": [8, 16, 32],
    "kernel": 3,
    "dense": {"units": 20, "dropout": 0.3},
}

height, width = CONFIG["image_size"]
in_shape = (height // 2, width // 2 + 4, CONFIG["channels"])
widths = [w * 2 for w in CONFIG["widths"]]
kernels = {w: (CONFIG["kernel"], CONFIG["kernel"] + 2) for w in widths}
first, *rest = widths
n = len(widths)

inp = keras.Input(shape=in_shape, name="image")
x = layers.Conv2D(first, kernels[first], padding="same", name=f"stem_{first}")(inp)
for i, (w, k) in enumerate(zip(rest, [kernels[r] for r in rest])):
    x = layers.Conv2D(w, k, strides=(2, 1) if i % 2 == 0 else 2, name=f"conv_{i}_{w}")(x)
pool = min(3, max(1, n - 1))
x = layers.MaxPooling2D(pool_size=(pool, pool - 1))(x)
units = sum(widths) // len(widths) + CONFIG["dense"]["units"]
x = layers.Flatten()(x)
x = layers.Dense(units, name="fc_%d" % units)(x)
x = layers.Dropout(CONFIG["dense"]["dropout"])(x)
heads = [layers.Dense(k + 1, name=f"head{k}")(x) for k in range(1, 4)]
outputs = layers.Concatenate()(heads)
model = keras.Model(inp, outputs)

shape = tuple(s * 2 for s in (4, 5)) + (1,)
small_in = keras.Input(shape)
a, b = layers.Conv2D(2, 1)(small_in), layers.Conv2D(3, 1)(small_in)
mixed = layers.concatenate([a, b, *[layers.Conv2D(1, 1)(small_in) for _ in range(2)]])
