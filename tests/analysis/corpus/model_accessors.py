"""Models read back through their layers: Sequential.build(input_shape), get_layer(name).output,
model.layers[i].output, feature extractors cut from a trained base, and a model's .input/.output.
"""
import keras
from keras import layers


def make_backbone():
    inputs = keras.Input(shape=(64, 64, 3), name="image")
    x = layers.Conv2D(16, 3, padding="same", activation="relu", name="block1_conv")(inputs)
    x = layers.MaxPooling2D(name="block1_pool")(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", name="block2_conv")(x)
    x = layers.MaxPooling2D(name="block2_pool")(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", name="block3_conv")(x)
    x = layers.MaxPooling2D(name="block3_pool")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    outputs = layers.Dense(10, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name="backbone")


base = make_backbone()
base.trainable = False

# A feature extractor at one block, then a new head on it.
extractor = keras.Model(inputs=base.input, outputs=base.get_layer("block3_pool").output)
feats = layers.Flatten()(extractor.output)
head = layers.Dense(5)(feats)
transfer = keras.Model(extractor.input, head)

# Several taps, by name and by position.
tap_names = ["block1_pool", "block2_pool", "block3_pool"]
taps = [base.get_layer(name).output for name in tap_names]
multi = keras.Model(base.inputs, taps)
pooled = [layers.GlobalMaxPooling2D()(t) for t in multi.outputs]
merged = layers.Concatenate()(pooled)

penultimate = base.layers[-2].output
embedder = keras.Model(base.inputs[0], penultimate)
emb = layers.Dense(8)(embedder.output)

# The extractor used as a layer on a new input.
new_in = keras.Input(shape=(64, 64, 3))
y = extractor(new_in)
y = layers.Conv2D(8, 1)(y)
width = base.get_layer("block2_conv").output.shape[-1]
y = layers.Dense(width)(layers.Flatten()(y))

# Sequential built from an input shape, then used.
seq = keras.Sequential(
    [
        layers.Dense(32, activation="relu"),
        layers.Dropout(0.1),
        layers.Dense(4),
    ]
)
seq.build((None, 20))
seq.summary()
seq_in = keras.Input(shape=(20,))
seq_out = seq(seq_in)
last = seq.layers[-1].output
hidden = keras.Model(seq.inputs, seq.layers[0].output)
hid = layers.Dense(3)(hidden.output)

seq2 = keras.Sequential()
seq2.add(layers.Conv1D(8, 3, activation="relu"))
seq2.add(layers.GlobalAveragePooling1D())
seq2.build(input_shape=(None, 50, 2))
z = seq2(keras.Input(shape=(50, 2)))
z = layers.Dense(2)(z)


# Valid look-alike: get_layer by index, and an output reused after a get_layer on a nested model.
def build_stacked():
    inner = make_backbone()
    outer_in = keras.Input(shape=(64, 64, 3))
    feat = inner(outer_in)
    outer = keras.Model(outer_in, layers.Dense(2)(feat))
    nested = outer.get_layer(index=1)
    mid = keras.Model(nested.input, nested.get_layer("block2_pool").output)
    return layers.Conv2D(4, 3)(mid.output)


stacked = build_stacked()


# A subclassed model built from a shape, then summarised and called.
class TwoLayer(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(3)

    def call(self, x):
        return self.out(self.hidden(x))


sub = TwoLayer()
sub.build((None, 12))
sub.summary()
sub_out = sub(keras.Input(shape=(12,)))

# Valid look-alike: a layer shared by two inputs; `.output` is its first call's (Keras 3).
left = keras.Input(shape=(6,))
right = keras.Input(shape=(6,))
shared = layers.Dense(4, name="shared")
l_out = shared(left)
r_out = shared(right)
first_only = keras.Model(left, shared.output)
both = layers.Add()([first_only(right), r_out])
solo_in = keras.Input(shape=(6,))
entry = keras.Model(solo_in, layers.Dense(1)(solo_in))
print(entry.get_layer(index=0).output.shape, first_only.layers[1].input.shape)


# A custom layer's output tapped by name.
class Doubler(layers.Layer):
    def call(self, x):
        return x * 2.0


feat_in = keras.Input(shape=(8,))
doubled = Doubler(name="doubler")(layers.Dense(8)(feat_in))
tapper = keras.Model(feat_in, layers.Dense(1)(doubled))
tap = keras.Model(tapper.input, tapper.get_layer("doubler").output)
tapped = layers.Dense(3)(tap.output)
