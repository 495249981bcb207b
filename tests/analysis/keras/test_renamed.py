"""Keras-2 arguments and methods, and what Keras 3 only warns about, each checked against
TensorFlow 2.21: errors on TF's line with a fix that runs; warnings never errors.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import analyze
from shapelens.analysis.keras.renamed import LAYER_KEYWORDS
from support.build_errors import apply_fix, assert_no_error, assert_same_error

# --- 3. Keras-2 arguments and methods; what Keras 3 only warns about -------------------------

KERAS2_ERRORS = {
    "model_input_output": ("unknown-argument", "ValueError", """\
        from keras.layers import Input, Dense
        from keras.models import Model
        a = Input(shape=(8,))
        b = Dense(2)(a)
        model = Model(input=a, output=b)
        """),
    "optimizer_lr": ("unknown-argument", "ValueError", """\
        from keras.optimizers import Adam
        opt = Adam(lr=0.001)
        """),
    "fit_generator": ("removed-api", "AttributeError", """\
        import numpy as np
        import keras
        a = keras.Input((3,))
        model = keras.Model(a, keras.layers.Dense(1)(a))
        model.compile(optimizer='sgd', loss='mse')
        def batches():
            while True:
                yield np.ones((2, 3)), np.ones((2, 1))
        model.fit_generator(batches(), steps_per_epoch=1, epochs=1, verbose=0)
        """),
    "layer_output_shape": ("removed-api", "AttributeError", """\
        import keras
        dense = keras.layers.Dense(4)
        y = dense(keras.Input((3,)))
        print(dense.output_shape)
        """),
    "input_int_shape": ("invalid-argument", "ValueError", """\
        import keras
        inputs = keras.Input(shape=784)
        """),
}


@pytest.mark.parametrize("name", sorted(KERAS2_ERRORS))
def test_keras2_argument_or_method_is_tf_error_with_a_fix_that_runs(tmp_path: Path,
                                                                    name: str) -> None:
    code, exc, src = KERAS2_ERRORS[name]
    errors = assert_same_error(tmp_path, src, code, exc)
    fixes = (errors[0].data or {}).get("fixes")
    assert fixes
    fixed_dir = tmp_path / "fixed"
    fixed_dir.mkdir()
    assert_no_error(fixed_dir, apply_fix(textwrap.dedent(src), fixes[0]))


KERAS2_VALID = {
    "model_inputs_outputs": """\
        import keras
        a = keras.Input(shape=(8,))
        model = keras.Model(inputs=a, outputs=keras.layers.Dense(2)(a))
        print(model.output_shape)
        """,
    "optimizer_learning_rate": """\
        import keras
        opt = keras.optimizers.Adam(learning_rate=0.001)
        """,
    "layer_output_then_shape": """\
        import keras
        dense = keras.layers.Dense(4)
        y = dense(keras.Input((3,)))
        print(dense.output.shape)
        """,
    "input_tuple_shape": """\
        import keras
        inputs = keras.Input(shape=(784,))
        """,
    "embedding_input_length_warns": """\
        import keras
        from keras import layers
        model = keras.Sequential([layers.Embedding(100, 8, input_length=10), layers.Flatten()])
        """,
}


@pytest.mark.parametrize("name", sorted(KERAS2_VALID))
def test_keras2_look_alike_gets_no_error(tmp_path: Path, name: str) -> None:
    assert_no_error(tmp_path, KERAS2_VALID[name])


def test_what_keras_only_warns_about_is_a_warning_with_its_fix(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        import warnings
        import keras
        from keras import layers
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter('always')
            emb = layers.Embedding(100, 8, input_length=10)
            dense = layers.Dense(4, input_shape=(3,))
            vocab = layers.Embedding(input_dim=100, output_dim=8)  # its own argument: no warning
            opt = keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)
        """)
    ns: dict[str, Any] = {}
    exec(compile(src, "warned.py", "exec"), ns)
    keras_words = sorted(str(w.message) for w in ns["seen"])
    found = analyze(str(tmp_path / "m.py"), src).findings_for()
    assert [(f.pos.line, f.code) for f in found] == [
        (6, "keras-warning"), (7, "keras-warning"), (9, "keras-warning")]
    assert all(any(words in f.message for words in keras_words) for f in found)
    fixed = apply_fix(src, found[0].data["fixes"][0])  # type: ignore[index]
    assert "layers.Embedding(100, 8)" in fixed
    exec(compile(fixed, "fixed.py", "exec"), {})


# One Keras-1/2 layer keyword per row: (the layer call, what TF 2.21 raises there).
LAYER_KEYWORD_ROWS = {
    "output_dim": ("layers.Dense(output_dim=3)", "TypeError"),
    "nb_filter": ("layers.Conv2D(nb_filter=4, kernel_size=3)", "TypeError"),
    "init": ("layers.Dense(3, init='uniform')", "ValueError"),
    "border_mode": ("layers.Conv2D(4, 3, border_mode='same')", "ValueError"),
    "subsample": ("layers.Conv2D(4, 3, subsample=(2, 2))", "ValueError"),
    "p": ("layers.Dropout(p=0.5)", "TypeError"),
    "W_regularizer": ("layers.Dense(3, W_regularizer='l2')", "ValueError"),
    "b_regularizer": ("layers.Dense(3, b_regularizer='l2')", "ValueError"),
    "W_constraint": ("layers.Dense(3, W_constraint='non_neg')", "ValueError"),
    "b_constraint": ("layers.Dense(3, b_constraint='non_neg')", "ValueError"),
}


def test_every_layer_keyword_rename_has_a_row() -> None:
    assert set(LAYER_KEYWORD_ROWS) == {k for k, v in LAYER_KEYWORDS.items()
                                       if v is not None and k != "dim_ordering"}


@pytest.mark.parametrize("name", sorted(LAYER_KEYWORD_ROWS))
def test_keras1_layer_keyword_is_tf_error_with_a_rename_that_runs(tmp_path: Path,
                                                                  name: str) -> None:
    call, exc = LAYER_KEYWORD_ROWS[name]
    src = f"import keras\nfrom keras import layers\nlayer = {call}\n"
    errors = assert_same_error(tmp_path, src, "unknown-argument", exc)
    fixes = (errors[0].data or {}).get("fixes")
    assert fixes
    fixed_dir = tmp_path / "fixed"
    fixed_dir.mkdir()
    assert_no_error(fixed_dir, apply_fix(src, fixes[0]))
