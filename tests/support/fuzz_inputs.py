"""Broken and pathological model files, each built from a seed, for the fuzz tests and the long run.

Three families: mutations of the real model files (corpus + examples), pathological files (huge,
deeply nested, endless loops, unbounded recursion, huge shapes) and generated Keras programs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The real model files every mutation starts from.
SOURCE_FILES = sorted((REPO / "tests" / "analysis" / "corpus").glob("*.py")) + sorted(
    (REPO / "examples").glob("*.py")
)

_TOKEN = re.compile(r"\w+|[^\w\s]")
_BRACKETS = "()[]{}"
# Values a user (or a typo) can put where a layer argument goes.
NASTY_VALUES = [
    "0", "-1", "1", "3", "64", "10**9", "2**63", "10**30", "None", "1.5", "-2.5", "1e308",
    "float('nan')", "'same'", "'valid'", "'vaild'", "''", "(3, 3)", "(0, 0)", "[]", "()",
    "(None,)", "True", "x", "x.shape", "len(x.shape)", "[1] * 100", "'x' * 1000",
]  # fmt: skip


def real_files() -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in SOURCE_FILES]


# --- mutations of a real file: text -> text (str) or raw bytes ------------------------------------


def _truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _delete_bracket(text: str, rng: random.Random) -> str:
    spots = [i for i, c in enumerate(text) if c in _BRACKETS]
    for _ in range(rng.randint(1, 3)):
        if spots:
            i = spots.pop(rng.randrange(len(spots)))
            text = text[:i] + " " + text[i + 1 :]  # keep offsets of the other spots
    return text


def _insert_bracket(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(_BRACKETS) + text[i:]


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _swap_tokens(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    if len(toks) < 2:
        return text
    a, b = sorted(rng.sample(range(len(toks)), 2))
    ta, tb = toks[a], toks[b]
    return (text[: ta.start()] + tb.group() + text[ta.end() : tb.start()] + ta.group()
            + text[tb.end() :])


def _delete_token(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    if not toks:
        return text
    t = rng.choice(toks)
    return text[: t.start()] + text[t.end() :]


def _duplicate_token(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    if not toks:
        return text
    t = rng.choice(toks)
    return text[: t.end()] + " " + t.group() + text[t.end() :]


def _replace_number(text: str, rng: random.Random) -> str:
    nums = list(re.finditer(r"\b\d+\b", text))
    for _ in range(rng.randint(1, 4)):
        if nums:
            m = nums.pop(rng.randrange(len(nums)))
            text = text[: m.start()] + rng.choice(NASTY_VALUES) + text[m.end() :]
            nums = list(re.finditer(r"\b\d+\b", text))
    return text


def _random_bytes(text: str, rng: random.Random) -> bytes:
    raw = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(raw) + 1)
        raw[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    return bytes(raw)


def _non_utf8(text: str, rng: random.Random) -> bytes:
    # Latin-1 with characters UTF-8 cannot decode, and a stray UTF-16 byte-order mark.
    raw = text.encode("utf-8")
    i = rng.randrange(len(raw) + 1)
    junk = rng.choice([b"# caf\xe9\n", b"\xff\xfe", b"\x80\x81", b"'\xe9t\xe9'"])
    return raw[:i] + junk + raw[i:]


def _bom(text: str, rng: random.Random) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def _crlf(text: str, rng: random.Random) -> str:
    return text.replace("\n", rng.choice(["\r\n", "\r"]))


def _tabs(text: str, rng: random.Random) -> str:
    # All indentation as tabs, or tabs mixed with spaces on some lines (TabError in Python).
    if rng.random() < 0.5:
        return re.sub(r"(?m)^( {4})+", lambda m: "\t" * (len(m.group()) // 4), text)
    lines = text.split("\n")
    for i in rng.sample(range(len(lines)), min(3, len(lines))):
        lines[i] = re.sub(r"^ {4}", "\t", lines[i])
    return "\n".join(lines)


def _null_byte(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + "\x00" + text[i:]


def _shuffle_lines(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def _reindent(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["    " + lines[i], lines[i].lstrip(), " " + lines[i]])
    return "\n".join(lines)


def _splice(text: str, rng: random.Random) -> str:
    _, other = rng.choice(real_files())
    return text[: rng.randrange(len(text) + 1)] + other[rng.randrange(len(other) + 1) :]


def _unicode(text: str, rng: random.Random) -> str:
    i = rng.randrange(len(text) + 1)
    junk = rng.choice(["é", "ß", "日本", "\u200b", "\U0001f600", "\u202e", "\ufeff", "Ω"])
    return text[:i] + junk + text[i:]


MUTATIONS: dict[str, Callable[[str, random.Random], str | bytes]] = {
    "truncate": _truncate,
    "delete_bracket": _delete_bracket,
    "insert_bracket": _insert_bracket,
    "swap_tokens": _swap_tokens,
    "delete_token": _delete_token,
    "duplicate_token": _duplicate_token,
    "replace_number": _replace_number,
    "random_bytes": _random_bytes,
    "non_utf8": _non_utf8,
    "bom": _bom,
    "crlf": _crlf,
    "tabs": _tabs,
    "null_byte": _null_byte,
    "shuffle_lines": _shuffle_lines,
    "reindent": _reindent,
    "splice": _splice,
    "unicode": _unicode,
}


def mutated(seed: int) -> tuple[str, str | bytes]:
    """One real file with one to three mutations: (description, content)."""
    rng = random.Random(seed)
    name, text = rng.choice(real_files())
    content: str | bytes = text
    applied = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(sorted(MUTATIONS))
        applied.append(kind)
        if isinstance(content, bytes):  # byte-level damage is the last step
            break
        content = MUTATIONS[kind](content, rng)
    return f"{name}+{'+'.join(applied)}", content


# --- pathological files ---------------------------------------------------------------------------

MODEL_HEAD = """\
import keras
from keras import layers

inp = keras.Input((32, 32, 3))
first = layers.Conv2D(8, 3, name="first")(inp)
"""


def nesting(kind: str, n: int) -> str:
    """One statement nested `n` deep in the way `kind` names."""
    return {
        "binop": "x = " + " + ".join(["1"] * n),
        "unary": "x = " + "-" * n + "1",
        "not": "x = " + "not " * n + "True",
        "parens": "x = " + "(" * n + "1" + ")" * n,
        "attr": "x = first" + ".shape" * n,
        "call": "x = layers.Flatten()" + "(first)" * n,
        "subscript": "x = first" + "[0]" * n,
        "ifexp": "x = " + "1 if first else " * n + "2",
        "lambda": "x = " + "lambda: " * n + "1",
        "compare": "x = " + " < ".join(["1"] * n),
        "list": "x = " + "[" * n + "]" * n,
        "blocks": "".join(" " * i + "if True:\n" for i in range(n)) + " " * n + "pass",
        "value": f"x = []\nfor _ in range({n}):\n    x = [x]\ny = str(x) + repr(x)\nz = x == x",
        "functions": "".join(
            "    " * i + f"def f{i}(t):\n" for i in range(min(n, 99))
        ) + "    " * min(n, 99) + "return layers.Flatten()(t)",
    }[kind]


NESTINGS = ["binop", "unary", "not", "parens", "attr", "call", "subscript", "ifexp", "lambda",
            "compare", "list", "blocks", "value", "functions"]  # fmt: skip

ENDLESS = {
    "while_true": "while True:\n    pass",
    "while_counter": "n = 0\nwhile n >= 0:\n    n += 1",
    "for_count": "import itertools\nfor i in itertools.count():\n    pass",
    "nested_loops": "for i in range(10000):\n    for j in range(10000):\n        k = i * j",
    "nested_layer_loops": "for i in range(10000):\n    for j in range(10000):\n"
    "        k = layers.Dense(2)(inp)",
    "linear_recursion": "def f(t):\n    return f(t)\n\ny = f(first)",
    "exponential_recursion": (
        "def f(t, n=0):\n    f(t, n + 1)\n    f(t, n + 1)\n    return f(t, n + 1)\n\ny = f(first)"
    ),
    "mutual_recursion": "def a(t):\n    return b(t)\n\ndef b(t):\n    return a(t)\n\ny = a(first)",
    "recursive_layer": (
        "class L(layers.Layer):\n    def call(self, t):\n        return self(t)\n\ny = L()(first)"
    ),
    "recursive_lambda": "f = lambda t: f(t)\ny = f(first)",
    "recursive_class": "class C:\n    def __init__(self):\n        self.c = C()\n\nc = C()",
    # An entry function (defined, never called: the analyser calls it) that recurses 2**60 times.
    "deep_entry": (
        "def grow(n):\n    grow(n + 1)\n    return grow(n + 1)\n\n"
        "def build(n=0):\n    return grow(n)"
    ),
}

HUGE_SHAPES = [
    "y = layers.Conv2D(10**9, 10**6)(keras.Input((10**18, 10**18, 3)))",
    "y = layers.Dense(10**15)(keras.Input((2**200,)))",
    "y = layers.Reshape((10**9, -1))(keras.Input((10**12, 7)))",
    "y = layers.Flatten()(keras.Input((1,) * 1000))",
    "y = layers.Dense(4)(keras.Input((0, 0, 0)))",
    "y = layers.Dense(4)(keras.Input((-5, 3)))",
    "y = layers.Embedding(10**12, 10**12)(keras.Input((10**6,)))",
    "y = layers.Conv2D(8, 3)(keras.Input((2.5, 3.5, 1)))",
    "y = layers.Dense(10**100)(layers.Dense(10**100)(keras.Input((10**100,))))",
    "y = keras.ops.reshape(first, (10**30, -1))",
    "y = layers.MaxPooling2D(10**9)(first)",
    "y = layers.Conv2D(8, 3, dilation_rate=10**9)(first)",
    "y = layers.Concatenate()([keras.Input((2**62, 3)), keras.Input((2**62, 3))])",
    "y = keras.Input((10**5,) * 8)",
]

PATHOLOGICAL_KINDS = ["huge_file", "nesting", "endless", "huge_shape"]


def huge_file(lines: int, rng: random.Random) -> str:
    """A real model file repeated (module-level statements and definitions) to `lines` lines."""
    _, text = rng.choice(real_files())
    body = text if text.endswith("\n") else text + "\n"
    reps = max(1, lines // max(1, body.count("\n")))
    return (body * reps)[: 60 * lines]


def pathological(seed: int, big: int = 50_000, deep: int = 10_000) -> tuple[str, str]:
    """(description, text) of one pathological file; the earlier `first` site is always there."""
    rng = random.Random(seed)
    kind = PATHOLOGICAL_KINDS[seed % len(PATHOLOGICAL_KINDS)]
    if kind == "huge_file":
        return f"huge_file:{big}", huge_file(big, rng)
    if kind == "nesting":
        how = rng.choice(NESTINGS)
        return f"nesting:{how}:{deep}", MODEL_HEAD + nesting(how, deep) + "\n"
    if kind == "endless":
        how = rng.choice(sorted(ENDLESS))
        return f"endless:{how}", MODEL_HEAD + ENDLESS[how] + "\n"
    line = rng.choice(HUGE_SHAPES)
    return f"huge_shape:{HUGE_SHAPES.index(line)}", MODEL_HEAD + line + "\n"


# --- generated Keras programs -------------------------------------------------------------------

_LAYERS = [
    "Conv2D({v}, {v}, strides={v}, padding={v})", "Conv2D({v}, 3, padding='same')", "Dense({v})",
    "MaxPooling2D({v})", "Flatten()", "Reshape({v})", "Conv1D({v}, {v})", "LSTM({v})",
    "BatchNormalization(axis={v})", "Dropout({v})", "GlobalAveragePooling2D()",
    "UpSampling2D({v})", "Conv2DTranspose({v}, {v}, strides={v})", "Embedding({v}, {v})",
    "Permute({v})", "Cropping2D({v})", "ZeroPadding2D({v})", "DepthwiseConv2D({v})",
    "MultiHeadAttention({v}, {v})", "Activation({v})", "RepeatVector({v})", "Lambda(lambda t: t)",
]  # fmt: skip
_STATEMENTS = [
    "x = layers.{layer}(x)",
    "y = layers.{layer}(x)",
    "x = layers.Add()([x, y])",
    "x = layers.Concatenate(axis={v})([x, y])",
    "x = layers.MultiHeadAttention(2, 8)(x, y)",
    "for i in range({v}):\n    x = layers.{layer}(x)",
    "if {v}:\n    x = layers.{layer}(x)\nelse:\n    y = layers.{layer}(x)",
    "def block(t, f={v}):\n    return layers.{layer}(t)\nx = block(x)",
    "x = x + y",
    "x = x * {v}",
    "x = keras.ops.reshape(x, {v})",
    "n = x.shape[{v}]",
    "x = x[{v}]",
    "x, y = y, x",
    "model = keras.Model(inp, x)",
    "model = keras.Sequential([layers.{layer}, layers.{layer}])\nx = model(x)",
    "class M(keras.Model):\n    def call(self, t):\n        return layers.{layer}(t)\nx = M()(x)",
    "x = tf.nn.relu(x)",
    "x = tf.reshape(x, {v})",
    "while {v}:\n    x = layers.{layer}(x)\n    break",
    "x = [layers.{layer}(x) for _ in range({v})][{v}]",
    "x = {v}",
    "del x\nx = y",
]  # fmt: skip
_SHAPES = ["(32, 32, 3)", "(None, 3)", "(8,)", "(0,)", "(28, 28)", "(10**9, 10**9, 1)",
           "(4, 4, 4, 4, 4)", "()", "(None, None, 3)", "(-1, 3)"]  # fmt: skip


def _fill(template: str, rng: random.Random) -> str:
    while "{layer}" in template or "{v}" in template:
        template = template.replace("{layer}", rng.choice(_LAYERS), 1)
        template = template.replace("{v}", rng.choice(NASTY_VALUES), 1)
    return template


def generated(seed: int, max_statements: int = 25) -> tuple[str, str]:
    """(description, text) of a random Keras program: layers, control flow, helpers, models."""
    return f"generated:{seed}", program(random.Random(seed), max_statements)


def program(rng: random.Random, max_statements: int = 25) -> str:
    """A random Keras program drawn from `rng` (hypothesis passes its own Random)."""
    return "\n".join(_program_lines(rng, max_statements, _STATEMENTS, _SHAPES)) + "\n"


def _program_lines(
    rng: random.Random,
    max_statements: int,
    statements: list[str],
    shapes: list[str],
    fill: Callable[[str, random.Random], str] = _fill,
    extra_head: str = "",
) -> list[str]:
    head = rng.choice(["import keras\nfrom keras import layers\nimport tensorflow as tf\n",
                       "import tensorflow as tf\nfrom tensorflow import keras\n"
                       "from tensorflow.keras import layers\n"])
    lines = [head + extra_head, f"inp = keras.Input({rng.choice(shapes)})", "x = inp", "y = inp"]
    for _ in range(rng.randint(1, max_statements)):
        lines.append(fill(rng.choice(statements), rng))
    return lines


# --- generated programs TensorFlow can run (the no-false-error property) -------------------------

#: Argument values for programs TensorFlow often builds, cheaply (no 10**9 sizes): valid ones
#: eight times as likely as the ones Keras rejects.
TAME_VALUES = ["1", "2", "3", "8", "16", "'same'", "'valid'", "(2, 2)", "(3, 3)"] * 8 + [
    "-1",
    "0", "None", "1.5", "'vaild'", "(0, 0)", "[]", "()", "(None,)", "True", "x", "x.shape",
    "len(x.shape)", "[1] * 100", "flag", "np.int64(2)",
]  # fmt: skip
TAME_SHAPES = ["(32, 32, 3)", "(None, None, 3)", "(16, 16, 8)", "(16, 8)", "(8,)", "(28, 28)",
               "(None, 3)", "(4, 4, 4, 4, 4)", "(0,)", "()"]  # fmt: skip
#: The constructs that gave false errors on real code: numpy data fed to layers, comprehension
#: filters and filter() on a condition known only at run time (`flag`), Lambda with two inputs
#: and an output_shape, numpy integers as layer arguments, functools.partial layer factories,
#: `match`, `super().call`, a one-output Functional called on an array.
HOST_STATEMENTS = [
    "a = np.random.normal(0, 1, (4, 8))\nx = layers.Dense({v})(a)",
    "a = np.zeros((2,) + tuple(x.shape[1:]), dtype='float32')\nx = layers.{layer}(a)",
    "parts = [x for _ in range(3) if flag]\nx = layers.Dense(8 * len(parts) + 1)(x)",
    "widths = [8 for _ in range(2) if flag]\nx = layers.Dense(sum(widths))(x)",
    "keep = list(filter(lambda w: flag, [4, 8]))\nx = layers.Dense(len(keep) + 1)(x)",
    "x = layers.Lambda(lambda ab: ab[0] * ab[1], output_shape=tuple(x.shape[1:]))([x, x])",
    "x = layers.MaxPooling2D((np.int64({v}), np.int64({v})))(x)",
    "x = layers.Dense(np.int64(4) * 2)(x)",
    "Conv = functools.partial(layers.Conv2D, kernel_size=3, padding='same')\nx = Conv({v})(x)",
    "match {v}:\n    case 1:\n        x = layers.{layer}(x)\n"
    "    case _:\n        y = layers.{layer}(x)",
    "class D(layers.Dense):\n    def call(self, t):\n        return super().call(t)\nx = D({v})(x)",
    "m = keras.Model(inp, [x])\nx = m(np.zeros((2,) + tuple(inp.shape[1:]), dtype='float32'))",
]  # fmt: skip
# tf.* functions refuse Keras 3's symbolic tensors: those statements would only end programs.
_RUNNABLE = [s for s in _STATEMENTS if "tf." not in s] + HOST_STATEMENTS
HOST_HEAD = "import functools\nimport sys\nimport numpy as np\nflag = len(sys.argv) > 0\n"


def _fill_tame(template: str, rng: random.Random) -> str:
    while "{layer}" in template or "{v}" in template:
        template = template.replace("{layer}", rng.choice(_LAYERS), 1)
        template = template.replace("{v}", rng.choice(TAME_VALUES), 1)
    return template


def runnable_program(rng: random.Random, max_statements: int = 6) -> str:
    """A random Keras program with tame values and the host-data constructs, cheap to run in TF."""
    lines = _program_lines(rng, max_statements, _RUNNABLE, TAME_SHAPES, _fill_tame, HOST_HEAD)
    return "\n".join(lines) + "\n"


FAMILIES = ["mutated", "pathological", "generated"]


def fuzz_file(index: int, big: int = 50_000, deep: int = 10_000) -> tuple[str, str | bytes]:
    """File number `index` of the fuzz run: the families in turn, each from its own seed."""
    family = FAMILIES[index % len(FAMILIES)]
    seed = index // len(FAMILIES)
    if family == "mutated":
        return mutated(seed)
    if family == "pathological":
        return pathological(seed, big, deep)
    return generated(seed)


def as_text(content: str | bytes) -> str:
    """What the CLI reads from such a file (utf-8-sig, undecodable bytes replaced)."""
    if isinstance(content, str):
        return content
    return content.decode("utf-8-sig", errors="replace")


def write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8", errors="surrogatepass"))
