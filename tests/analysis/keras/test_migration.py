"""Keras 3 / TF 2 build errors (issue 11, part 4), each checked against TensorFlow 2.21: the file
is run under TF (the truth recorder) and our error must be on the line TF raises at, with its class.

Look-alikes that TF builds get no error from us; every quick fix's edited text runs under TF.
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shapelens.analysis import analyze
from shapelens.analysis.keras.migration import EQUIVALENTS
from shapelens.analysis.keras.removed import (
    KERAS2_BACKEND,
    MODULES,
    NAMES,
    TF1_MODULES,
    TF1_NAMES,
    TF2_NAMES,
)
from shapelens.analysis.keras.renamed import LAYER_KEYWORDS
from support.truth_recorder import record


def _tf() -> tuple[Any, Any]:
    """TensorFlow and Keras, imported when a test runs: importing TF at collection would add
    gast's node classes to `ast`'s, which test_architecture enumerates."""
    return importlib.import_module("tensorflow"), importlib.import_module("keras")


def apply_fix(src: str, fix: dict[str, Any]) -> str:
    """The text after a fix's edits (1-based lines, 1-based UTF-8 byte columns), last edit first."""
    lines = src.splitlines(keepends=True)
    for e in sorted(fix["edits"], key=lambda e: e["range"], reverse=True):
        line, col, end_line, end_col = e["range"]
        while len(lines) < end_line:
            lines.append("")
        head = lines[line - 1].encode()[: col - 1].decode()
        tail = lines[end_line - 1].encode()[end_col - 1 :].decode()
        lines[line - 1 : end_line] = [head + e["text"] + tail]
    return "".join(lines)


def check(tmp_path: Path, src: str) -> tuple[dict[str, Any], list[Any]]:
    """TF's result on the file and our errors on it."""
    path = tmp_path / "model.py"
    text = textwrap.dedent(src)
    path.write_text(text, encoding="utf-8")
    truth = record(path)
    errors = [f for f in analyze(str(path), text).findings_for(str(path))
              if f.severity == "error"]
    return truth, errors


def assert_same_error(tmp_path: Path, src: str, code: str, exc: str) -> list[Any]:
    truth, errors = check(tmp_path, src)
    assert truth["error"] is not None, "TensorFlow builds this file"
    assert truth["error"]["message"].startswith(exc + ":"), truth["error"]
    assert [(f.pos.line, f.code) for f in errors] == [(truth["error"]["line"], code)]
    return errors


def assert_no_error(tmp_path: Path, src: str) -> None:
    truth, errors = check(tmp_path, src)
    assert truth["error"] is None, truth["error"]
    assert [(f.pos.line, f.message) for f in errors] == []


# --- 1. a tf op on a KerasTensor ------------------------------------------------------------

TF_OP_ERRORS = {
    "reshape_on_input": """\
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        inputs = keras.Input(shape=(28, 28))
        x = tf.reshape(inputs, (-1, 784))
        outputs = layers.Dense(10, activation='softmax')(x)
        model = keras.Model(inputs, outputs)
        """,
    "concat_in_a_builder": """\
        import tensorflow as tf
        from tensorflow.keras.layers import Input, Dense, Conv2D
        from tensorflow.keras.models import Model

        def build_model():
            inp = Input((32, 32, 3))
            a = Conv2D(8, 3, padding='same')(inp)
            b = Conv2D(8, 5, padding='same')(inp)
            x = tf.concat([a, b], axis=-1)
            return Model(inp, Dense(2)(x))

        model = build_model()
        """,
    "relu_after_a_layer": """\
        import tensorflow as tf
        import keras

        x_in = keras.Input((16,))
        h = keras.layers.Dense(32)(x_in)
        h = tf.nn.relu(h)
        model = keras.Model(x_in, keras.layers.Dense(1)(h))
        """,
    "shape_of_input": """\
        import tensorflow as tf
        import keras

        x = keras.Input((10, 4))
        batch = tf.shape(x)[0]
        """,
    "no_ops_equivalent": """\
        import tensorflow as tf
        import keras

        x = keras.Input((8, 8, 3))
        y = tf.nn.conv2d(x, tf.ones((3, 3, 3, 4)), 1, 'SAME')
        """,
}


@pytest.mark.parametrize("name", sorted(TF_OP_ERRORS))
def test_tf_op_on_keras_tensor_is_tf_error(tmp_path: Path, name: str) -> None:
    errors = assert_same_error(tmp_path, TF_OP_ERRORS[name], "keras-tensor-in-tf-op",
                               "ValueError")
    with_fix = name not in ("shape_of_input", "no_ops_equivalent")
    assert bool((errors[0].data or {}).get("fixes")) == with_fix
    if not with_fix:
        assert "Lambda" in errors[0].message


def test_no_shape_is_claimed_on_the_line_that_raises(tmp_path: Path) -> None:
    src = TF_OP_ERRORS["reshape_on_input"]
    a = analyze(str(tmp_path / "m.py"), textwrap.dedent(src))
    sites = {s.pos.line: s.outputs for s in a.sites_for()}
    assert sites[6] == [] and sites[7] == [None]


TF_OP_VALID = {
    "tf_op_inside_layer_call": """\
        import tensorflow as tf
        import keras

        class Flat(keras.layers.Layer):
            def call(self, x):
                return tf.nn.relu(tf.reshape(x, (-1, 784)))

        inputs = keras.Input((28, 28))
        model = keras.Model(inputs, Flat()(inputs))
        """,
    "keras_ops_on_keras_tensor": """\
        import keras
        from keras import ops

        inputs = keras.Input((28, 28))
        x = ops.reshape(inputs, (-1, 784))
        x = keras.ops.concatenate([x, x], axis=-1)
        y = inputs * 2
        """,
    "tf_op_inside_lambda": """\
        import tensorflow as tf
        import keras
        from keras.layers import Lambda

        inputs = keras.Input((28, 28))
        x = Lambda(lambda t: tf.reshape(t, (-1, 784)))(inputs)
        """,
    "tf_ops_on_eager_and_numpy": """\
        import numpy as np
        import tensorflow as tf

        a = tf.reshape(np.ones((4, 6)), (2, 12))
        b = tf.nn.relu(tf.range(6))
        c = tf.concat([tf.ones((2, 3)), tf.zeros((2, 3))], axis=0)
        """,
    "tf_function_defined": """\
        import tensorflow as tf
        import keras

        @tf.function
        def flatten(t):
            return tf.reshape(t, (-1, 784))

        inputs = keras.Input((28, 28))
        y = flatten(tf.ones((2, 28, 28)))
        """,
}


@pytest.mark.parametrize("name", sorted(TF_OP_VALID))
def test_valid_look_alike_gets_no_error(tmp_path: Path, name: str) -> None:
    assert_no_error(tmp_path, TF_OP_VALID[name])


def test_a_keras_tensor_on_some_paths_only_is_no_error(tmp_path: Path) -> None:
    assert_no_error(tmp_path, """\
        import os
        import numpy as np
        import tensorflow as tf
        import keras

        symbolic = os.environ.get('SHAPELENS_NEVER_SET') == '1'
        x = keras.Input((4, 6)) if symbolic else np.ones((2, 4, 6))
        y = tf.reshape(x, (-1, 24))
        """)


# Example arguments per row: `x` a (batch, 4, 6) float tensor, `i` (batch, 4) ints, `b` (batch, 4,
# 6) booleans, `s` (batch, 1, 6), `m` (batch, 8, 8, 3) images.
INPUTS = {"x": ((4, 6), "float32"), "i": ((4,), "int32"), "b": ((4, 6), "bool"),
          "s": ((1, 6), "float32"), "m": ((8, 8, 3), "float32")}
EXAMPLES = {
    "tf.reshape": "x, (-1, 24)", "tf.concat": "[x, x], axis=-1", "tf.stack": "[x, x], axis=1",
    "tf.unstack": "x, axis=1", "tf.expand_dims": "x, 1", "tf.squeeze": "s, axis=1",
    "tf.transpose": "x, perm=[0, 2, 1]", "tf.matmul": "x, tf.ones((6, 3))",
    "tf.linalg.matmul": "x, tf.ones((6, 3))", "tf.tile": "x, [1, 2, 1]",
    "tf.broadcast_to": "x, (2, 4, 6)", "tf.einsum": "'bij->bji', x",
    "tf.where": "x > 0, x, 0.0", "tf.gather": "x, [0, 2], axis=1", "tf.one_hot": "i, 3",
    "tf.zeros_like": "x", "tf.ones_like": "x", "tf.cast": "x, 'int32'",
    "tf.clip_by_value": "x, 0.0, 1.0", "tf.argmax": "x, axis=1", "tf.argmin": "x, 1",
    "tf.math.argmax": "x, -1", "tf.cumsum": "x, axis=1", "tf.sort": "x, axis=-1",
    "tf.math.top_k": "x, 2", "tf.nn.top_k": "x, k=2", "tf.image.resize": "m, (4, 4)",
    "tf.nn.leaky_relu": "x, alpha=0.1", "tf.nn.softmax": "x, axis=1",
    "tf.nn.log_softmax": "x, axis=-1",
}
REDUCE = "x, axis=1, keepdims=True"
BINARY = "x, 2.0"


def example(name: str) -> str:
    if name in EXAMPLES:
        return EXAMPLES[name]
    last = name.rsplit(".", 1)[-1]
    if last.startswith("reduce_"):
        return REDUCE if "any" not in last and "all" not in last else "b, axis=1"
    if last in ("add", "subtract", "multiply", "divide", "maximum", "minimum", "pow"):
        return BINARY
    return "x"


@pytest.mark.parametrize("name", sorted(EQUIVALENTS))
def test_each_keras_ops_fix_runs_and_agrees_with_tf(tmp_path: Path, name: str) -> None:
    """The row's tf op raises on a KerasTensor; our fix's text builds, with the shape the tf op
    gives on an eager tensor of the same shape."""
    src = textwrap.dedent(f"""\
        import tensorflow as tf
        import keras
        x = keras.Input((4, 6))
        i = keras.Input((4,), dtype='int32')
        b = keras.Input((4, 6), dtype='bool')
        s = keras.Input((1, 6))
        m = keras.Input((8, 8, 3))
        y = {name}({example(name)})
        """)
    findings = analyze(str(tmp_path / "m.py"), src).findings_for()
    assert [(f.pos.line, f.code) for f in findings] == [(8, "keras-tensor-in-tf-op")]
    fixes = (findings[0].data or {}).get("fixes")
    assert fixes, findings[0].message
    fixed = apply_fix(src, fixes[0])
    assert "keras.ops." in fixed.splitlines()[7]
    got: dict[str, Any] = {}
    exec(compile(fixed, "fixed.py", "exec"), got)
    tf, keras = _tf()
    eager: dict[str, Any] = {"tf": tf, **{
        k: tf.cast(np.random.rand(2, *shape) * 3, dtype) for k, (shape, dtype) in INPUTS.items()}}
    want = eval(f"{name}({example(name)})", eager)
    symbolic = {k: keras.Input(shape, dtype=dtype) for k, (shape, dtype) in INPUTS.items()}
    with pytest.raises(ValueError, match="KerasTensor cannot be used"):
        eval(f"{name}({example(name)})", {"tf": tf, **symbolic})

    def shapes(v: Any) -> Any:
        if isinstance(v, (list, tuple)) and not hasattr(v, "shape"):
            return [shapes(t) for t in v]
        return tuple(None if d is None else int(d) for d in v.shape)

    def batchless(s: Any) -> Any:
        return [batchless(t) for t in s] if isinstance(s, list) else s[1:]

    assert batchless(shapes(got["y"])) == batchless(shapes(want))


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


def test_shapes_go_on_after_a_removed_import(tmp_path: Path) -> None:
    src = textwrap.dedent(REMOVED_ERRORS["keras_layers_core"][1])
    sites = {(s.pos.line, s.op): s.outputs
             for s in analyze(str(tmp_path / "m.py"), src).sites_for()}
    assert sites[(4, "Dense")] == [[None, 3]]
    src = textwrap.dedent(REMOVED_ERRORS["keras_engine"][1])
    sites = {(s.pos.line, s.op): s.outputs
             for s in analyze(str(tmp_path / "m.py"), src).sites_for()}
    assert sites[(6, "Twice")] == [[None, 3]]


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
    obj: Any = _tf()[0]
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
    tf, keras = _tf()
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
