"""Checks users ask for beyond Keras' own errors: warnings where Keras builds but the code lies.

Each test builds the same snippet in Keras to show that Keras accepts it (no error) and that the
shapes the analyser reports are the ones Keras reports.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from shapelens.analysis import analyze


def run_keras(src: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "snippet"}
    exec(compile(src, "snippet.py", "exec"), namespace)
    return namespace


def test_compute_output_shape_that_disagrees_with_call(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        import keras
        from keras import layers, ops
        class Twice(layers.Layer):
            def call(self, x):
                return ops.concatenate([x, x], axis=-1)
            def compute_output_shape(self, input_shape):
                return input_shape
        x = keras.Input((4, 3))
        y = Twice()(x)
        z = layers.Dense(2)(y)
        """)
    ns = run_keras(src)
    a = analyze(str(tmp_path / "m.py"), src)
    sites = {s.pos.line: s.outputs for s in a.sites_for()}
    assert sites[9] == [list(ns["y"].shape)] and sites[10] == [list(ns["z"].shape)]
    warnings = [f for f in a.findings_for() if f.severity == "warning"]
    assert [f.code for f in warnings] == ["compute-output-shape-mismatch"]
    assert warnings[0].pos.line == 9 and "[None, 4, 6]" in warnings[0].message
    assert not [f for f in a.findings_for() if f.severity == "error"]


def test_lambda_output_shape_that_disagrees_with_its_function(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        import keras
        from keras import layers
        x = keras.Input((8, 3))
        y = layers.Lambda(lambda t: t[:, :4, :], output_shape=(8, 3))(x)
        """)
    ns = run_keras(src)
    a = analyze(str(tmp_path / "m.py"), src)
    sites = {s.pos.line: s.outputs for s in a.sites_for()}
    assert sites[4] == [list(ns["y"].shape)]
    codes = [f.code for f in a.findings_for()]
    assert codes == ["lambda-shape-mismatch"]


def test_dimension_of_size_zero_is_a_warning(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        import keras
        from keras import layers
        x = keras.Input((4, 4, 3))
        y = layers.ZeroPadding2D(padding=-2)(x)
        """)
    ns = run_keras(src)
    a = analyze(str(tmp_path / "m.py"), src)
    sites = {s.pos.line: s.outputs for s in a.sites_for()}
    assert sites[4] == [list(ns["y"].shape)]
    assert [f.code for f in a.findings_for()] == ["zero-size-dim"]


def test_model_whose_output_is_not_connected_to_its_inputs(tmp_path: Path) -> None:
    src = textwrap.dedent("""\
        import keras
        from keras import layers
        a = keras.Input((4,))
        b = keras.Input((4,))
        m = keras.Model(a, layers.Add()([layers.Dense(4)(a), b]))
        """)
    try:
        run_keras(src)
        raised = None
    except ValueError as e:
        raised = str(e)
    assert raised is not None and "not connected" in raised
    a = analyze(str(tmp_path / "m.py"), src)
    errors = [f for f in a.findings_for() if f.severity == "error"]
    assert [(f.code, f.pos.line) for f in errors] == [("model-wiring", 5)]
