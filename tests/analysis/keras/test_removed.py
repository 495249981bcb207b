"""Modules and names Keras 3 and TensorFlow 2 removed, each checked against TensorFlow 2.21: the
error on TF's line with its class, a fix that runs, and current look-alikes with no error.
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import analyze
from shapelens.analysis.keras.removed import (
    KERAS2_BACKEND,
    MODULES,
    NAMES,
    TF1_MODULES,
    TF1_NAMES,
    TF2_NAMES,
)
from support.build_errors import apply_fix, assert_no_error, assert_same_error, tf_and_keras
from support.truth_recorder import record

# --- 2. modules and names Keras 3 / TensorFlow 2 removed -------------------------------------

REMOVED_ERRORS = {
    "keras_layers_core": ("ModuleNotFoundError", """\
        import keras
        from keras.layers.core import Dense, Flatten
        x = keras.Input((4, 4))
        y = Dense(3)(Flatten()(x))
        """),
    "lower_case_optimizer": ("ImportError", """\
        import keras
        from keras.optimizers import adam
        opt = adam(learning_rate=0.01)
        """),
    "np_utils": ("ImportError", """\
        import numpy as np
        from keras.utils import np_utils
        y = np_utils.to_categorical(np.array([0, 1, 2]), 3)
        """),
    "keras_engine": ("ModuleNotFoundError", """\
        import keras
        from keras.engine.topology import Layer
        class Twice(Layer):
            def call(self, x):
                return x * 2
        y = Twice()(keras.Input((3,)))
        """),
    "tf_session": ("AttributeError", """\
        import tensorflow as tf
        sess = tf.Session()
        """),
    "keras_backend_int_shape": ("AttributeError", """\
        import keras
        from keras import backend as K
        x = keras.Input((4, 6))
        n = K.int_shape(x)[1]
        """),
    "keras_backend_mean_in_lambda": ("NotImplementedError", """\
        import keras
        from keras import backend as K
        from keras.layers import Lambda
        x = keras.Input((4, 6))
        y = Lambda(lambda t: K.mean(t, axis=1))(x)
        """),
    "experimental_preprocessing_attribute": ("AttributeError", """\
        import tensorflow as tf
        inputs = tf.keras.Input((32, 32, 3))
        x = tf.keras.layers.experimental.preprocessing.Rescaling(1 / 255.0)(inputs)
        """),
}


@pytest.mark.parametrize("name", sorted(REMOVED_ERRORS))
def test_removed_name_is_tf_error_with_a_fix_that_runs(tmp_path: Path, name: str) -> None:
    exc, src = REMOVED_ERRORS[name]
    errors = assert_same_error(tmp_path, src, "removed-api", exc)
    assert exc in errors[0].message
    fixes = (errors[0].data or {}).get("fixes")
    if name in ("np_utils", "experimental_preprocessing_attribute", "keras_backend_int_shape",
                "keras_backend_mean_in_lambda"):
        assert not fixes  # the names moved, not the module: no one edit repairs it
        return
    assert fixes
    fixed_dir = tmp_path / "fixed"
    fixed_dir.mkdir()
    assert_no_error(fixed_dir, apply_fix(textwrap.dedent(src), fixes[0]))


@pytest.mark.parametrize("name", ["keras_layers_core", "keras_engine"])
def test_shapes_go_on_after_a_removed_import(tmp_path: Path, name: str) -> None:
    # Our shapes on the file with the removed import equal TensorFlow's on the file its fix
    # makes (the import rewritten in place: every other line as it was).
    src = textwrap.dedent(REMOVED_ERRORS[name][1])
    path = tmp_path / "m.py"
    result = analyze(str(path), src)
    (error,) = [f for f in result.findings_for(str(path)) if f.code == "removed-api"]
    fixed = apply_fix(src, (error.data or {})["fixes"][0])
    assert len(fixed.splitlines()) == len(src.splitlines())
    path.write_text(fixed, encoding="utf-8")
    truth = record(path)
    assert truth["error"] is None and truth["sites"], truth
    want = {(s["line"], s["column"]): s["outputs"] for s in truth["sites"]}
    got = {(s.pos.line, s.pos.column): s.outputs for s in result.sites_for()}
    assert got == want


REMOVED_VALID = {
    "current_imports": """\
        import keras
        from keras.layers import Dense, concatenate, Layer
        from keras.optimizers import Adam
        from keras.utils import to_categorical
        opt = Adam(learning_rate=0.01)
        """,
    "compat_v1": """\
        import tensorflow as tf
        g = tf.compat.v1.Graph()
        w = tf.random.normal((3, 4))
        """,
    "try_import_fallback": """\
        try:
            from keras.layers.core import Dense
        except ImportError:
            from keras.layers import Dense
        try:
            from keras.optimizers import adam
        except ImportError:
            adam = None
        """,
    "version_gated_tf1": """\
        import tensorflow as tf
        if tf.__version__.startswith('1.'):
            sess = tf.Session()
        else:
            sess = None
        """,
    "feature_test": """\
        import tensorflow as tf
        Session = getattr(tf, 'Session', None)
        if hasattr(tf, 'placeholder'):
            x = tf.placeholder(tf.float32, (None, 3))
        """,
    "tf_keras_backend_keeps_keras2": """\
        import tensorflow as tf
        import keras
        from keras import backend as K
        x = keras.Input((4, 6))
        n = tf.keras.backend.int_shape(x)[1]
        K.set_image_data_format('channels_last')
        fmt = K.image_data_format()
        """,
    "tf_python_keras": """\
        import tensorflow as tf
        import keras
        Conv = keras.layers.Convolution2D
        y = Conv(4, 3)(keras.Input((8, 8, 3)))
        """,
}


@pytest.mark.parametrize("name", sorted(REMOVED_VALID))
def test_current_look_alike_gets_no_error(tmp_path: Path, name: str) -> None:
    assert_no_error(tmp_path, REMOVED_VALID[name])


def _resolve(path: str) -> Any:
    obj: Any = tf_and_keras()[0]
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def test_every_tf1_name_in_the_table_is_gone_from_tf2_and_kept_in_compat_v1() -> None:
    for name in sorted(TF1_NAMES | (TF1_MODULES - {"contrib"})):
        with pytest.raises(AttributeError):
            _resolve(name)
        _resolve(f"compat.v1.{name}")
    for old, new in TF2_NAMES.items():
        assert _resolve(f"compat.v1.{old}") is _resolve(new), old


def test_every_keras2_backend_name_is_gone_from_keras3_and_kept_in_tf_keras() -> None:
    tf, keras = tf_and_keras()
    for name, ops in KERAS2_BACKEND.items():
        assert not hasattr(keras.backend, name) and hasattr(tf.keras.backend, name), name
        assert ops is None or hasattr(keras.ops, ops), name


def test_every_removed_keras_module_and_name_is_gone_and_its_replacement_exists() -> None:
    for module, gone in MODULES.items():
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"keras.{module}")
        if gone.to is not None:
            importlib.import_module(f"keras.{gone.to}")
    for (module, name), gone in NAMES.items():
        parent = importlib.import_module(f"keras.{module}")
        assert not hasattr(parent, name), (module, name)
        if gone.to is not None:
            assert hasattr(parent, gone.to), (module, gone.to)
