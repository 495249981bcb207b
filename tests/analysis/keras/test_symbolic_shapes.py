"""Symbolic shapes equal TensorFlow at every size: a model written with `Input((None, None, 3))`
shows `ceil(H/2)`-style formulas, and each formula, with sizes substituted, is the shape TF builds
when the same file is written with those sizes (several per case, the smallest that build too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import Options, analyze

pytest.importorskip("tensorflow")
from support.symbolic_forms import substituted, unet
from support.truth_recorder import record

HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers, ops\n\n"

# Each case: source with {H} {W} ... where the Input leaves a size open, and the sizes TF builds
# it at (each dict one build; the smallest admissible size is among them).
CASES: dict[str, tuple[str, list[dict[str, int]]]] = {
    "conv_pool_stack": (
        """
inputs = keras.Input(({H}, {W}, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Conv2D(8, 3, strides=2, padding="same")(x)
x = layers.Conv2D(8, 5, strides=3)(x)
x = layers.Conv2D(8, 3, dilation_rate=2, padding="valid")(x)
x = layers.MaxPooling2D()(x)
x = layers.AveragePooling2D(3, strides=2, padding="same")(x)
x = layers.ZeroPadding2D(((1, 2), (0, 3)))(x)
x = layers.UpSampling2D((2, 3))(x)
x = layers.Conv2DTranspose(8, 3, strides=2)(x)
x = layers.Conv2DTranspose(8, 4, strides=2, padding="same")(x)
x = layers.Cropping2D(((1, 0), (2, 3)))(x)
x = layers.DepthwiseConv2D(3, strides=2)(x)
x = layers.SeparableConv2D(4, 3, padding="same", strides=2)(x)
y = layers.Flatten()(x)
model = keras.Model(inputs, [x, y])
""",
        [{"H": 45, "W": 45}, {"H": 64, "W": 91}, {"H": 97, "W": 50}, {"H": 128, "W": 128}],
    ),
    "sequence": (
        """
tokens = keras.Input(({T},), dtype="int32")
x = layers.Embedding(1000, 16)(tokens)
x = layers.Conv1D(8, 5, strides=2)(x)
x = layers.Conv1D(8, 3, padding="causal", dilation_rate=2)(x)
x = layers.MaxPooling1D(3)(x)
x = layers.LSTM(6, return_sequences=True)(x)
x = layers.Bidirectional(layers.GRU(4, return_sequences=True))(x)
x = layers.UpSampling1D(3)(x)
x = layers.ZeroPadding1D((2, 1))(x)
x = layers.Cropping1D((1, 4))(x)
y = layers.GlobalMaxPooling1D()(x)
model = keras.Model(tokens, [x, y])
""",
        [{"T": 23}, {"T": 24}, {"T": 100}, {"T": 257}],
    ),
    "named_by_variable": (
        """
seq_len = {seq_len}
inputs = keras.Input(shape=(seq_len, 12))
x = layers.Conv1D(4, 4, strides=2, padding="same")(inputs)
x = layers.AveragePooling1D(2)(x)
model = keras.Model(inputs, x)
""",
        [{"seq_len": 4}, {"seq_len": 7}, {"seq_len": 30}],
    ),
    "volumes": (
        """
inputs = keras.Input(({D}, {H}, {W}, 1))
x = layers.Conv3D(4, 3, strides=(1, 2, 2))(inputs)
x = layers.MaxPooling3D((1, 2, 2))(x)
x = layers.UpSampling3D(2)(x)
model = keras.Model(inputs, x)
""",
        [{"D": 3, "H": 8, "W": 8}, {"D": 9, "H": 21, "W": 34}],
    ),
    "ops_and_slices": (
        """
inputs = keras.Input(({H}, {W}, 4))
x = inputs[:, 1:-1, ::2]
y = layers.Conv2D(4, 3)(inputs)
z = ops.concatenate([y, y], axis=-1)
w = x + 1.0
p = ops.transpose(y, (0, 2, 1, 3))
q = ops.pad(y, ((0, 0), (1, 2), (3, 4), (0, 0)))
model = keras.Model(inputs, [x, z, w, p, q])
""",
        [{"H": 5, "W": 5}, {"H": 17, "W": 40}],
    ),
    "same_unet": (
        unet("same", "{H}, {W}"),
        [{"H": 16, "W": 16}, {"H": 64, "W": 48}, {"H": 96, "W": 160}],
    ),
}


def written(tmp_path: Path, name: str, source: str, sizes: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}_{'_'.join(map(str, sizes.values())) or 'open'}.py"
    path.write_text(HEADER + source.format(**sizes))
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_formula_is_the_shape_tensorflow_builds_at_those_sizes(
    tmp_path: Path, name: str
) -> None:
    source, builds = CASES[name]
    open_path = written(tmp_path, name, source, {k: None for k in builds[0]})
    sites = {(s.pos.line, s.pos.column): s
             for s in analyze(str(open_path), options=Options(strict=True)).sites_for()}
    with_forms = [s for s in sites.values() if any(f is not None for f in s.symbolic)]
    assert len(with_forms) >= 3, f"too few symbolic sites: {sorted(sites)}"
    for sizes in builds:
        truth = record(written(tmp_path, name, source, sizes))
        assert truth.get("error") is None, (sizes, truth["error"])
        for t in truth["sites"]:
            site = sites[(t["line"], t["column"])]
            forms = [f for e in site.evaluations
                     for f in [e.symbolic, *e.symbolic_more] if f is not None]
            open_dims = any((isinstance(d, list) and None in d[1:]) or d is None
                            for e in site.evaluations for d in [e.outputs])
            if not forms:
                # A site with no open size keeps Keras' own shape (an Input's batch axis only).
                assert not open_dims or site.op in ("block",), (t, site.outputs)
                continue
            ours = {repr(substituted(f, sizes)) for f in forms}
            assert ours == {repr(o) for o in t["outputs"]}, (name, sizes, t["line"], forms)


def test_an_open_size_is_named_after_its_axis_or_the_variable_written_there(
    tmp_path: Path,
) -> None:
    for name, expect in (("conv_pool_stack", ["H", "W"]), ("sequence", ["T"]),
                         ("named_by_variable", ["seq_len"]), ("volumes", ["D", "H", "W"])):
        source, builds = CASES[name]
        path = written(tmp_path, name, source, {k: None for k in builds[0]})
        first = next(s for s in analyze(str(path)).sites_for() if s.op == "Input")
        assert [d for d in first.symbolic[0] if isinstance(d, str)] == expect


def test_the_keras_shape_is_unchanged_where_a_size_is_open(tmp_path: Path) -> None:
    source, builds = CASES["conv_pool_stack"]
    path = written(tmp_path, "conv_pool_stack", source, {k: None for k in builds[0]})
    conv = next(s for s in analyze(str(path)).sites_for() if s.op == "Conv2D")
    assert conv.outputs == [[None, None, None, 8]]
    assert conv.symbolic == [[None, "H - 2", "W - 2", 8]]
