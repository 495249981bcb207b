"""The rows of the Python-semantics table (test_semantics.py): one construct each, as a model file.

A line ending in `# ?` may be `?` in ShapeLens (with a reason; the row's `unknown` says why).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

KERAS = "import keras\nfrom keras import layers\n"
TF = "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"


@dataclass(frozen=True)
class Row:
    id: str
    code: str
    unknown: str = ""  # why the lines marked `# ?` cannot be known statically

    @property
    def unknown_lines(self) -> set[int]:
        lines = self.code.splitlines()
        return {i for i, line in enumerate(lines, 1) if line.rstrip().endswith("# ?")}


def row(id: str, body: str, head: str = KERAS, unknown: str = "") -> Row:
    return Row(id, head + textwrap.dedent(body).lstrip("\n"), unknown)


#: Rows the analyser gets wrong today. test_semantics asserts that each STILL disagrees with
#: TensorFlow: when one agrees, the test says so and the row moves out of this set.
PENDING = {
    "numpy-int-dense-units",
    "numpy-int-pool-size",
    "single-output-list-symbolic",
}

ENV = "it depends on the environment the script runs in"

# fmt: off
ROWS = [
    # --- comprehension filters and filter() --------------------------------------------------
    row("comp-filter-known", """
        inp = keras.Input((12,))
        evens = [i for i in range(6) if i % 2 == 0]
        x = layers.Dense(len(evens) * 4)(inp)
    """),
    row("comp-filter-environ", """
        use_all = os.environ.get("SHAPELENS_SEMANTICS_UNSET") is None
        inp = keras.Input((32,))
        heads = [layers.Dense(8)(inp) for i in range(3) if use_all]
        x = layers.Dense(4 * len(heads))(inp)  # ?
    """, head="import os\n" + KERAS, unknown=ENV),
    row("comp-filter-param", """
        def build(flag):
            inp = keras.Input((10,))
            parts = [layers.Dense(4)(inp) for _ in range(2) if flag]
            x = layers.Concatenate()(parts + [inp])  # ?
            return keras.Model(inp, x)


        model = build(len(sys.argv) > 0)
    """, head="import sys\n" + KERAS, unknown=ENV),
    row("comp-filter-argv-dict", """
        inp = keras.Input((6,))
        heads = {f"h{i}": layers.Dense(i + 1) for i in range(3) if sys.argv}
        outs = [layer(inp) for layer in heads.values()]  # ?
        x = layers.Concatenate()(outs)  # ?
    """, head="import sys\n" + KERAS, unknown=ENV),
    row("filter-known", """
        inp = keras.Input((5,))
        x = inp
        for units in filter(None, [0, 8, 0, 4]):
            x = layers.Dense(units)(x)
    """),
    row("filter-unknown", """
        wide = "SHAPELENS_SEMANTICS_UNSET" not in os.environ
        inp = keras.Input((5,))
        sizes = list(filter(lambda s: wide or s < 10, [8, 16]))
        x = layers.Dense(sum(sizes))(inp)  # ?
    """, head="import os\n" + KERAS, unknown=ENV),
    # --- super() ----------------------------------------------------------------------------
    row("super-call-dense", """
        class Doubled(layers.Dense):
            def call(self, inputs):
                return super().call(inputs) * 2.0


        inp = keras.Input((5,))
        x = Doubled(3)(inp)
        y = layers.Dense(2)(x)
    """),
    row("super-init-kwargs", """
        class Block(layers.Layer):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(units)

            def call(self, x):
                return self.dense(x)


        inp = keras.Input((7,))
        x = Block(6, name="block")(inp)
        y = layers.Dense(1)(x)
    """),
    row("super-two-args", """
        class Block(layers.Layer):
            def __init__(self, filters):
                super(Block, self).__init__()
                self.conv = layers.Conv2D(filters, 3, padding="same")

            def call(self, x):
                return self.conv(x)


        inp = keras.Input((8, 8, 3))
        x = Block(5)(inp)
    """),
    row("super-chain", """
        class Base(layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.proj = layers.Dense(8)

            def call(self, x):
                return self.proj(x)


        class Child(Base):
            def call(self, x):
                return keras.ops.relu(super().call(x))


        inp = keras.Input((3,))
        x = Child()(inp)
        y = layers.Dense(2)(x)
    """),
    row("super-model", """
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = layers.Dense(16, activation="relu")
                self.out = layers.Dense(4)

            def call(self, x):
                return self.out(self.hidden(x))


        inp = keras.Input((9,))
        y = Net()(inp)
    """),
    # --- match ------------------------------------------------------------------------------
    row("match-literal", """
        kind = "conv"
        inp = keras.Input((16, 16, 3))
        match kind:
            case "conv":
                x = layers.Conv2D(8, 3)(inp)
            case "dense":
                x = layers.Dense(8)(inp)
        y = layers.Flatten()(x)
    """),
    row("match-default", """
        kind = "other"
        inp = keras.Input((16, 16, 3))
        match kind:
            case "conv":
                x = layers.Conv2D(8, 3)(inp)
            case _:
                x = layers.MaxPooling2D()(inp)
        y = layers.Flatten()(x)
    """),
    row("match-sequence", """
        inp = keras.Input((16, 16, 3))
        match (3, 5):
            case (kh, kw):
                x = layers.Conv2D(4, (kh, kw))(inp)
    """),
    row("match-mapping", """
        cfg = {"units": 5, "act": "relu"}
        inp = keras.Input((4,))
        match cfg:
            case {"units": n}:
                x = layers.Dense(n)(inp)
    """),
    row("match-unknown-subject", """
        inp = keras.Input((16, 16, 3))
        match os.environ.get("SHAPELENS_SEMANTICS_MODE", "small"):
            case "small":
                x = layers.Conv2D(8, 3, padding="same")(inp)  # ?
            case _:
                x = layers.Conv2D(8, 5, padding="same")(inp)  # ?
        y = layers.Flatten()(x)
    """, head="import os\n" + KERAS, unknown=ENV),
    row("match-error-in-case", """
        inp = keras.Input((16, 16, 3))
        match 2:
            case 2:
                x = layers.Conv2D(8, 20)(inp)
    """),
    row("if-unknown-condition", """
        inp = keras.Input((6,))
        if os.environ.get("SHAPELENS_SEMANTICS_WIDE"):
            x = layers.Dense(16)(inp)  # ?
        else:
            x = layers.Dense(4)(inp)
        y = layers.Dense(2)(x)
        z = layers.Concatenate()([x, inp])  # ?
    """, head="import os\n" + KERAS, unknown=ENV),
    row("if-unknown-condition-same-shape", """
        inp = keras.Input((16, 16, 3))
        if os.environ.get("SHAPELENS_SEMANTICS_RELU"):
            x = layers.Conv2D(8, 3, activation="relu")(inp)  # ?
        else:
            x = layers.Conv2D(8, 3)(inp)
        y = layers.MaxPooling2D()(x)
    """, head="import os\n" + KERAS, unknown=ENV),
    # --- walrus, unpacking ------------------------------------------------------------------
    row("walrus-if", """
        inp = keras.Input((12,))
        if (n := inp.shape[-1]) > 4:
            x = layers.Dense(n // 2)(inp)
    """),
    row("walrus-comprehension", """
        inp = keras.Input((12,))
        outs = [(last := layers.Dense(4 + i)(inp)) for i in range(2)]
        x = layers.Dense(2)(last)
    """),
    row("star-unpack", """
        first, *rest = [8, 16, 32]
        inp = keras.Input((3,))
        x = layers.Dense(first)(inp)
        y = layers.Dense(sum(rest))(x)
    """),
    row("star-in-shape", """
        image = (28, 28, 1)
        inp = keras.Input((*image[:2], 3))
        x = layers.Conv2D(4, 3)(inp)
    """),
    row("unpack-shape", """
        inp = keras.Input((6, 5, 4))
        _, h, w, c = inp.shape
        x = layers.Reshape((h * w, c))(inp)
    """),
    row("star-args-kwargs-literal", """
        args = (16, 3)
        cfg = {"strides": 2, "padding": "same"}
        inp = keras.Input((15, 15, 3))
        x = layers.Conv2D(*args, **cfg)(inp)
    """),
    # --- try, with ---------------------------------------------------------------------------
    row("try-no-raise", """
        inp = keras.Input((6,))
        try:
            x = layers.Dense(4)(inp)
        except ValueError:
            x = layers.Dense(2)(inp)
        y = layers.Dense(1)(x)
    """),
    row("try-catches-keras-error", """
        inp = keras.Input((6,))
        try:
            x = layers.Conv2D(8, 3)(inp)
        except ValueError:
            x = layers.Dense(8)(inp)
        y = layers.Dense(1)(x)
    """),
    row("try-finally", """
        inp = keras.Input((6,))
        try:
            x = layers.Dense(4)(inp)
        finally:
            y = layers.Dense(2)(inp)
        z = layers.Concatenate()([x, y])
    """),
    row("try-else", """
        try:
            units = int("16")
        except ValueError:
            units = 8
        else:
            units *= 2
        inp = keras.Input((3,))
        x = layers.Dense(units)(inp)
    """),
    row("with-name-scope", """
        inp = keras.Input((6,))
        with tf.name_scope("block"):
            x = layers.Dense(4)(inp)
    """, head=TF),
    row("with-custom-context", """
        class Timer:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False


        inp = keras.Input((6,))
        with Timer() as t:
            x = layers.Dense(3)(inp)
        y = layers.Dense(2)(x)
    """),
    row("with-contextmanager", """
        @contextlib.contextmanager
        def scope(name):
            yield name


        inp = keras.Input((6,))
        with scope("head") as name:
            x = layers.Dense(3, name=name)(inp)
    """, head="import contextlib\n" + KERAS),
    # --- global, nonlocal, closures -----------------------------------------------------------
    row("global-counter", """
        width = 8


        def widen():
            global width
            width *= 2


        widen()
        widen()
        inp = keras.Input((3,))
        x = layers.Dense(width)(inp)
    """),
    row("global-list-append", """
        taps = []


        def tap(t):
            taps.append(t)
            return t


        inp = keras.Input((8, 8, 3))
        x = tap(layers.Conv2D(4, 3)(inp))
        x = tap(layers.Conv2D(6, 3)(x))
        y = layers.Concatenate()([layers.Flatten()(t) for t in taps])
    """),
    row("nonlocal-counter", """
        def make_counter():
            n = 0

            def bump():
                nonlocal n
                n += 4
                return n

            return bump


        bump = make_counter()
        bump()
        inp = keras.Input((3,))
        x = layers.Dense(bump())(inp)
    """),
    row("closure-factory", """
        def conv_block(filters):
            def apply(t):
                return layers.Conv2D(filters, 3, padding="same")(t)

            return apply


        inp = keras.Input((8, 8, 3))
        x = conv_block(5)(inp)
        x = conv_block(7)(x)
    """),
    row("closure-late-binding", """
        makers = [lambda t: layers.Dense(n)(t) for n in (2, 4)]
        inp = keras.Input((3,))
        outs = [make(inp) for make in makers]
    """),
    # --- decorators ---------------------------------------------------------------------------
    row("decorator-wraps", """
        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)

            return wrapper


        @logged
        def block(t, units):
            return layers.Dense(units)(t)


        inp = keras.Input((3,))
        x = block(inp, 6)
    """, head="import functools\n" + KERAS),
    row("decorator-tf-function", """
        model = keras.Sequential([keras.Input((4,)), layers.Dense(2)])


        @tf.function(autograph=False)
        def predict(batch):
            return model(batch)


        out = predict(tf.zeros((3, 4)))
    """, head=TF),
    row("decorator-register-serializable", """
        @keras.saving.register_keras_serializable(package="semantics")
        class Gate(layers.Layer):
            def call(self, x):
                return x * keras.ops.sigmoid(x)


        inp = keras.Input((5,))
        x = Gate()(inp)
        y = layers.Dense(3)(x)
    """),
    row("decorator-export-builder", """
        def export(*names):
            def deco(fn):
                fn.exported_as = names
                return fn

            return deco


        @export("semantics.models.Tiny")
        def Tiny(input_shape=(16, 16, 3), filters=4):
            inp = keras.Input(input_shape)
            x = layers.Conv2D(filters, 3)(inp)
            return keras.Model(inp, x)
    """),
    row("decorator-keras-export", """
        @keras_export("keras.applications.SemanticsTinyNet")
        def SemanticsTinyNet(input_shape=(24, 24, 3), classes=5):
            inp = layers.Input(shape=input_shape)
            x = layers.Conv2D(8, 3, strides=2)(inp)
            x = layers.GlobalAveragePooling2D()(x)
            return keras.Model(inp, layers.Dense(classes)(x))
    """, head="from keras.src.api_export import keras_export\n" + KERAS),
    row("decorator-staticmethod-classmethod", """
        class Blocks:
            filters = 6

            @staticmethod
            def conv(t, f):
                return layers.Conv2D(f, 3)(t)

            @classmethod
            def default(cls, t):
                return cls.conv(t, cls.filters)


        inp = keras.Input((9, 9, 2))
        x = Blocks.conv(inp, 4)
        y = Blocks.default(x)
    """),
    row("decorator-lru-cache", """
        @functools.lru_cache(maxsize=None)
        def width(level):
            return 4 * 2**level


        inp = keras.Input((3,))
        x = layers.Dense(width(2))(inp)
        y = layers.Dense(width(2))(x)
    """, head="import functools\n" + KERAS),
    # --- functools.partial -----------------------------------------------------------------
    row("partial-sequential", """
        Conv3 = functools.partial(layers.Conv2D, kernel_size=3, padding="same")
        model = keras.Sequential([keras.Input((16, 16, 3)), Conv3(8), Conv3(16), layers.Flatten()])
    """, head="import functools\n" + KERAS),
    row("partial-functional", """
        Dense = partial(layers.Dense, activation="relu")
        inp = keras.Input((10,))
        x = Dense(8)(inp)
        y = Dense(units=2)(x)
    """, head="from functools import partial\n" + KERAS),
    # --- classes, properties, dataclasses ----------------------------------------------------
    row("class-attributes", """
        class Config:
            filters = 16
            kernel = 3


        inp = keras.Input((12, 12, 1))
        x = layers.Conv2D(Config.filters, Config.kernel)(inp)
    """),
    row("class-attribute-in-layer", """
        class Head(layers.Layer):
            units = 4

            def __init__(self):
                super().__init__()
                self.proj = layers.Dense(self.units)

            def call(self, x):
                return self.proj(x)


        inp = keras.Input((3,))
        x = Head()(inp)
    """),
    row("property", """
        class Plan:
            def __init__(self, base):
                self._base = base

            @property
            def width(self):
                return self._base * 2


        plan = Plan(5)
        inp = keras.Input((3,))
        x = layers.Dense(plan.width)(inp)
    """),
    row("property-in-layer", """
        class Widen(layers.Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor

            @property
            def units(self):
                return 3 * self.factor

            def build(self, input_shape):
                self.proj = layers.Dense(self.units)

            def call(self, x):
                return self.proj(x)


        inp = keras.Input((6,))
        x = Widen(2)(inp)
    """),
    row("dataclass", """
        @dataclass
        class Config:
            filters: int = 8
            depth: int = 2


        cfg = Config(filters=4)
        inp = keras.Input((16, 16, 3))
        x = inp
        for i in range(cfg.depth):
            x = layers.Conv2D(cfg.filters * (i + 1), 3)(x)
    """, head="from dataclasses import dataclass\n" + KERAS),
    row("dataclass-default-factory", """
        @dataclass
        class Config:
            widths: list = field(default_factory=lambda: [8, 16])


        inp = keras.Input((4,))
        x = inp
        for w in Config().widths:
            x = layers.Dense(w)(x)
    """, head="from dataclasses import dataclass, field\n" + KERAS),
    row("namedtuple", """
        Spec = collections.namedtuple("Spec", ["filters", "kernel"])
        inp = keras.Input((10, 10, 3))
        x = inp
        for spec in [Spec(4, 3), Spec(8, 5)]:
            x = layers.Conv2D(spec.filters, spec.kernel)(x)
    """, head="import collections\n" + KERAS),
    # --- iteration --------------------------------------------------------------------------
    row("enumerate", """
        inp = keras.Input((16, 16, 3))
        x = inp
        for i, f in enumerate([4, 8]):
            x = layers.Conv2D(f * (i + 1), 3)(x)
    """),
    row("zip", """
        inp = keras.Input((16, 16, 3))
        x = inp
        for f, k in zip([4, 8], [3, 5]):
            x = layers.Conv2D(f, k)(x)
    """),
    row("dict-items", """
        inp = keras.Input((3,))
        outs = {}
        for name, units in {"a": 4, "b": 8}.items():
            outs[name] = layers.Dense(units, name=name)(inp)
        x = layers.Concatenate()([outs["a"], outs["b"]])
    """),
    row("dict-keys-sorted", """
        widths = {"b": 8, "a": 2}
        inp = keras.Input((3,))
        x = inp
        for key in sorted(widths):
            x = layers.Dense(widths[key])(x)
    """),
    row("reversed-decoder", """
        inp = keras.Input((32, 32, 3))
        x = inp
        skips = []
        for f in [8, 16]:
            x = layers.Conv2D(f, 3, padding="same")(x)
            skips.append(x)
            x = layers.MaxPooling2D()(x)
        for f, skip in zip(reversed([8, 16]), reversed(skips)):
            x = layers.UpSampling2D()(x)
            x = layers.Concatenate()([x, skip])
            x = layers.Conv2D(f, 3, padding="same")(x)
    """),
    row("list-comprehension-layers", """
        convs = [layers.Conv2D(f, 3) for f in (4, 8)]
        inp = keras.Input((12, 12, 3))
        x = inp
        for conv in convs:
            x = conv(x)
    """),
    row("dict-comprehension", """
        inp = keras.Input((5,))
        heads = {k: layers.Dense(v)(inp) for k, v in [("p", 2), ("q", 3)]}
        x = layers.Concatenate()(list(heads.values()))
    """),
    row("set-comprehension", """
        inp = keras.Input((5,))
        widths = sorted({w * 2 for w in (4, 2, 4)})
        x = layers.Dense(widths[-1])(inp)
    """),
    row("generator-function", """
        def stages():
            yield 4
            yield 8


        inp = keras.Input((16, 16, 3))
        x = inp
        for f in stages():
            x = layers.Conv2D(f, 3, strides=2)(x)
    """),
    row("slice-of-layers", """
        blocks = [layers.Dense(n) for n in (2, 4, 6, 8)]
        inp = keras.Input((3,))
        x = inp
        for block in blocks[::-2]:
            x = block(x)
    """),
    # --- lambdas, defaults, forwarding -------------------------------------------------------
    row("lambda-helper", """
        act = lambda t: layers.Activation("relu")(t)  # noqa: E731
        inp = keras.Input((4,))
        x = act(layers.Dense(6)(inp))
    """),
    row("lambda-default", """
        make = lambda n, k=3: layers.Conv2D(n, k)  # noqa: E731
        inp = keras.Input((10, 10, 3))
        x = make(4)(inp)
        y = make(4, 5)(x)
    """),
    row("lambda-layer-slice", """
        inp = keras.Input((6,))
        x = layers.Lambda(lambda t: t[:, :2])(inp)
    """),
    row("default-args-evaluated-once", """
        def block(t, seen=[]):
            seen.append(1)
            return layers.Dense(4 * len(seen))(t)


        inp = keras.Input((3,))
        x = block(inp)
        y = block(x)
    """),
    row("kwonly-defaults", """
        def down(t, *, filters=8, strides=2):
            return layers.Conv2D(filters, 3, strides=strides, padding="same")(t)


        inp = keras.Input((16, 16, 3))
        x = down(inp)
        y = down(x, strides=1, filters=3)
    """),
    row("args-kwargs-forwarding", """
        def conv(t, *args, **kwargs):
            return layers.Conv2D(*args, **kwargs)(t)


        inp = keras.Input((16, 16, 3))
        x = conv(inp, 8, 3, strides=2, padding="same")
        y = conv(x, filters=4, kernel_size=1)
    """),
    # --- recursion, loops ---------------------------------------------------------------------
    row("recursion-unet", """
        def level(t, depth, filters):
            t = layers.Conv2D(filters, 3, padding="same")(t)
            if depth == 0:
                return t
            down = layers.MaxPooling2D()(t)
            inner = level(down, depth - 1, filters * 2)
            up = layers.UpSampling2D()(inner)
            return layers.Concatenate()([t, up])


        inp = keras.Input((32, 32, 3))
        out = level(inp, 2, 4)
    """),
    row("recursion-fib", """
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)


        inp = keras.Input((3,))
        x = layers.Dense(fib(6))(inp)
    """),
    row("functional-subclass-input-output", """
        class Backbone(keras.Model):
            def __init__(self, **kwargs):
                inputs = keras.Input((32, 32, 3))
                x = layers.Conv2D(4, 3)(inputs)
                super().__init__(inputs=inputs, outputs=x, **kwargs)


        model = Backbone()
        y = layers.Flatten()(model.output)
        z = layers.Conv2D(2, 1)(model.input)
    """),
    row("loop-fills-containers", """
        import os

        names, rows = set(), []
        for key in os.environ:
            names.add(key)
            rows.append(key)
        inp = keras.Input((4,))
        x = layers.Dense(len(names))(inp)  # ?
        y = layers.Dense(len(rows) + 1)(inp)  # ?
    """, unknown="filled in a loop over the environment: not known statically (not empty)"),
    row("while-halving", """
        inp = keras.Input((64, 64, 3))
        x = inp
        size = 64
        while size > 8:
            x = layers.Conv2D(4, 3, strides=2, padding="same")(x)
            size //= 2
    """),
    row("while-shape-driven", """
        inp = keras.Input((40, 40, 3))
        x = inp
        while x.shape[1] > 5:
            x = layers.MaxPooling2D()(x)
    """),
    row("while-else-break", """
        inp = keras.Input((3,))
        units = 1
        while units < 100:
            if units > 10:
                break
            units *= 3
        else:
            units = 0
        x = layers.Dense(units)(inp)
    """),
    row("for-else-break", """
        inp = keras.Input((9, 9, 3))
        for k in (7, 5, 3):
            if k <= 4:
                break
        else:
            k = 1
        x = layers.Conv2D(2, k)(inp)
    """),
    row("for-else-no-break", """
        inp = keras.Input((9, 9, 3))
        for k in (7, 5, 3):
            if k > 9:
                break
        else:
            k = 1
        x = layers.Conv2D(2, k)(inp)
    """),
    # --- small Python facts -----------------------------------------------------------------
    row("isinstance-normalise", """
        def pair(k):
            if isinstance(k, int):
                k = (k, k)
            return k


        inp = keras.Input((10, 10, 3))
        x = layers.Conv2D(4, pair(3))(inp)
        y = layers.Conv2D(4, pair((1, 5)))(x)
    """),
    row("boolop-default", """
        units = None
        inp = keras.Input((7,))
        x = layers.Dense(units or inp.shape[-1] * 2)(inp)
    """),
    row("math-ceil", """
        inp = keras.Input((10,))
        x = layers.Dense(math.ceil(10 / 3))(inp)
    """, head="import math\n" + KERAS),
    row("getattr-layer-class", """
        inp = keras.Input((10, 10, 3))
        x = getattr(layers, "Conv2D")(4, 3)(inp)
        y = getattr(layers, "GlobalAveragePooling2D")()(x)
    """),
    row("dict-get-default", """
        cfg = {"units": 6}
        inp = keras.Input((3,))
        x = layers.Dense(cfg.get("units", 16))(inp)
        y = layers.Dense(cfg.get("heads", 2))(x)
    """),
    row("tuple-generator", """
        inp = keras.Input((12, 12, 3))
        x = layers.Conv2D(4, tuple(d + 2 for d in (1, 3)))(inp)
    """),
    row("assert-shape", """
        inp = keras.Input((8, 8, 3))
        x = layers.Conv2D(4, 3, padding="same")(inp)
        assert x.shape[-1] == 4
        y = layers.Flatten()(x)
    """),
    row("shared-layer-two-inputs", """
        shared = layers.Dense(4)
        a = keras.Input((3,))
        b = keras.Input((5,))
        x = shared(a)
        y = layers.Dense(3)(b)
        z = shared(y)
    """),
    row("sequential-add-loop", """
        model = keras.Sequential()
        model.add(keras.Input((16, 16, 3)))
        for f in (4, 8):
            model.add(layers.Conv2D(f, 3))
        model.add(layers.GlobalMaxPooling2D())
    """),
    # --- Keras 3 behaviours ---------------------------------------------------------------------
    row("sequential-build", """
        model = keras.Sequential([layers.Dense(8), layers.Dense(2)])
        model.build((None, 5))
    """),
    row("sequential-add-then-build-kw", """
        model = keras.Sequential()
        model.add(layers.Conv2D(4, 3))
        model.add(layers.MaxPooling2D())
        model.build(input_shape=(None, 10, 10, 3))
    """),
    row("single-output-list-symbolic", """
        inp = keras.Input((4,))
        inner = keras.Model(inp, [layers.Dense(3)(inp)])
        outer_in = keras.Input((4,))
        y = inner(outer_in)
        z = layers.Dense(2)(y)
    """),
    row("single-output-unwrap-array", """
        inp = keras.Input((4,))
        inner = keras.Model(inp, [layers.Dense(3)(inp)])
        y = inner(np.ones((2, 4)))
        z = layers.Dense(2)(y)
    """, head="import numpy as np\n" + KERAS),
    row("single-output-array-into-attention", """
        inp = keras.Input((16, 8))
        m = keras.Model(inp, [layers.Dense(8)(inp)])
        x = m(np.zeros((2, 16, 8), dtype="float32"))
        y = layers.MultiHeadAttention(2, 8)(x, x)
    """, head="import numpy as np\n" + KERAS),
    row("functional-custom-layer-on-array", """
        class Scale(layers.Layer):
            def call(self, x):
                return x * 2.0


        inp = keras.Input((8,))
        x = Scale()(inp)
        model = keras.Model(inp, layers.Dense(2)(x))
        out = model(np.zeros((5, 8), dtype="float32"))
    """, head="import numpy as np\n" + KERAS),
    row("lambda-two-inputs", """
        def sampling(args):
            mean, log_var = args
            eps = keras.random.normal(keras.ops.shape(mean))
            return mean + keras.ops.exp(0.5 * log_var) * eps


        inp = keras.Input((10,))
        z_mean = layers.Dense(2)(inp)
        z_log_var = layers.Dense(2)(inp)
        z = layers.Lambda(sampling, output_shape=(2,))([z_mean, z_log_var])
        out = layers.Dense(10)(z)
    """),
    row("separable-conv1d-causal", """
        inp = keras.Input((20, 3))
        x = layers.Conv1D(4, 3, padding="causal")(inp)
        y = layers.SeparableConv1D(8, 3, padding="causal")(x)
    """),
    row("numpy-array-to-dense", """
        batch = np.random.normal(0, 1, (4, 8))
        y = layers.Dense(3)(batch)
    """, head="import numpy as np\n" + KERAS),
    row("numpy-int-pool-size", """
        inp = keras.Input((16, 16, 3))
        x = layers.MaxPooling2D(np.int64(2))(inp)
    """, head="import numpy as np\n" + KERAS),
    row("numpy-int-pool-tuple", """
        size = np.int64(2)
        inp = keras.Input((16, 16, 3))
        x = layers.MaxPooling2D((size, size))(inp)
        y = layers.Conv2D(np.int64(4), 3)(x)
    """, head="import numpy as np\n" + KERAS),
    row("numpy-int-dense-units", """
        inp = keras.Input((6,))
        x = layers.Dense(np.int64(4))(inp)
    """, head="import numpy as np\n" + KERAS),
    row("ops-reshape-string", """
        inp = keras.Input((16, 16, 8))
        x = layers.Dense(25)(inp)
        y = keras.ops.reshape(x, "valid")  # ?
        z = keras.ops.reshape(x, 1.5)  # ?
    """, unknown="Keras 3 builds a reshape to a non-integer shape; it fails at run time"),
    row("numpy-shape-to-input", """
        data = np.zeros((100, 28, 28, 1))
        inp = keras.Input(data.shape[1:])
        x = layers.Conv2D(4, 3)(inp)
    """, head="import numpy as np\n" + KERAS),
    row("model-with-attention-called-on-data", """
        inp = keras.Input((32, 32, 3))
        x = layers.MultiHeadAttention(2, 8)(inp, inp)
        m = keras.Model(inp, x)
        y = m(np.zeros((2, 32, 32, 3), dtype="float32"))
    """, head="import numpy as np\n" + KERAS),
]
# fmt: on
