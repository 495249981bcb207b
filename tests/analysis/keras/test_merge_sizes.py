"""Branches that meet with open sizes: what we claim for each input size is what TensorFlow does.

A 'valid' U-Net at `Input((None, None, 1))` is an error on its concatenation (every size fails at
run time); a 'same' one a warning naming the sizes that work. TF calls the model at each size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shapelens.analysis import analyze

tf = pytest.importorskip("tensorflow")
from support.symbolic_forms import merge_works_at, unet  # noqa: E402

IMPORTS = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def unet_at_open_sizes(padding: str) -> tuple[str, int]:
    """The U-Net's source and the line of its concatenation."""
    source = IMPORTS + unet(padding, "None, None")
    return source, 1 + next(i for i, line in enumerate(source.splitlines())
                            if "layers.concatenate" in line)


ADD_AFTER_POOL = """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input((None, 8))
a = layers.Conv1D(8, 3, padding="same")(inputs)
b = layers.UpSampling1D(3)(layers.MaxPooling1D(3)(a))
c = layers.Add()([a, b])
model = keras.Model(inputs, c)
"""


def findings(tmp_path: Path, source: str) -> tuple[list[Any], Any]:
    path = tmp_path / "model.py"
    path.write_text(source)
    namespace: dict[str, Any] = {}
    exec(compile(source, str(path), "exec"), namespace)  # TF builds the model at open sizes
    return analyze(str(path)).findings_for(), namespace["model"]


def runs(model: Any, shape: tuple[int, ...]) -> bool:
    try:
        model(np.zeros(shape, dtype="float32"))
    except (tf.errors.OpError, ValueError):  # TF fails at run time, each op its own way
        return False
    return True


def test_a_valid_unet_with_no_crops_fails_at_every_size(tmp_path: Path) -> None:
    source, line = unet_at_open_sizes("valid")
    found, model = findings(tmp_path, source)
    errors = [f for f in found if f.severity == "error"]
    assert [(f.code, f.pos.line) for f in errors] == [("mismatch-every-size", line)]
    assert "differ for every input size H" in errors[0].message
    for size in [*range(1, 12), *range(60, 160, 3)]:
        assert not merge_works_at(errors[0].data["symbolic"], {"H": size, "W": size})
        assert not runs(model, (1, size, size, 1)), size


def test_a_same_unet_works_only_where_the_warning_says(tmp_path: Path) -> None:
    source, line = unet_at_open_sizes("same")
    found, model = findings(tmp_path, source)
    warnings = [f for f in found if f.code == "size-condition"]
    assert warnings and all(f.severity == "warning" and f.pos.line == line for f in warnings)
    assert not [f for f in found if f.severity == "error"]
    assert any("H ≡ 0 (mod 16)" in f.message for f in warnings)
    verdicts = {}
    for h in range(1, 70):
        w = 16 if h % 3 else 32
        claim = all(merge_works_at(f.data["symbolic"], {"H": h, "W": w}) for f in warnings)
        assert claim == runs(model, (1, h, w, 1)), (h, w)
        verdicts[h] = claim
    assert [h for h, ok in verdicts.items() if ok] == [16, 32, 48, 64]


def test_an_elementwise_merge_broadcasts_a_size_of_one(tmp_path: Path) -> None:
    found, model = findings(tmp_path, ADD_AFTER_POOL)
    (warning,) = [f for f in found if f.code == "size-condition"]
    assert "T ≡ 0 (mod 3)" in warning.message
    for t in range(1, 40):
        claim = merge_works_at(warning.data["symbolic"], {"T": t})
        assert claim == runs(model, (1, t, 8)), t


OP_MERGES = {
    "ops.concatenate of a 'valid' and a 'same' conv": (
        "a = layers.Conv2D(4, 3)(inputs)\nb = layers.Conv2D(4, 3, padding='same')(inputs)\n"
        "out = ops.concatenate([a, b], axis=-1)\n"),
    "an operator broadcasting a size of 1": (
        "a = layers.Conv2D(4, 3)(inputs)\nb = layers.Conv2D(4, 3, padding='same')(inputs)\n"
        "out = a + b\n"),
    "ops.add after a pool and an upsampling": (
        "u = layers.UpSampling2D()(layers.MaxPooling2D()(inputs))\n"
        "out = ops.add(u, inputs)\n"),
}


@pytest.mark.parametrize("name", sorted(OP_MERGES))
def test_functions_and_operators_are_checked_like_merge_layers(tmp_path: Path, name: str) -> None:
    source = ("import tensorflow as tf\nfrom tensorflow import keras\n"
              "from tensorflow.keras import layers, ops\n\n"
              "inputs = keras.Input((None, None, 3))\n" + OP_MERGES[name]
              + "model = keras.Model(inputs, out)\n")
    found, model = findings(tmp_path, source)
    (finding,) = [f for f in found if f.code in ("mismatch-every-size", "size-condition")]
    for h in range(1, 12):
        claim = merge_works_at(finding.data["symbolic"], {"H": h, "W": h})
        assert claim == runs(model, (1, h, h, 3)), (h, finding.message)
    assert (finding.code == "mismatch-every-size") == (name.startswith("ops.concatenate"))
