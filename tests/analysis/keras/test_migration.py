"""Keras 3 build errors (issue 11, part 4): a tf op on a KerasTensor, each checked against
TensorFlow 2.21 (our error on the line TF raises at, with its class; look-alikes TF builds get none;
every quick fix's edited text runs under TF).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from shapelens.analysis import analyze
from shapelens.analysis.keras.migration import EQUIVALENTS
from support.build_errors import apply_fix, assert_no_error, assert_same_error, tf_and_keras

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
    tf, keras = tf_and_keras()
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
