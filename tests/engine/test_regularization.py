"""Regularization layers: named cases, each checked against real Keras (TF 2.21) in the test run."""

from __future__ import annotations

from typing import Any

import pytest

from support.engine_vs_keras import assert_same

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    ("dropout", "Dropout", (0.5,), {}, (None, 3)),
    ("dropout-zero", "Dropout", (0,), {}, (None, 3)),
    ("dropout-one", "Dropout", (1,), {}, (None, None, 3)),
    ("dropout-too-high", "Dropout", (1.5,), {}, (None, 3)),
    ("dropout-negative", "Dropout", (-0.1,), {}, (None, 3)),
    ("dropout-str", "Dropout", ("0.5",), {}, (None, 3)),
    ("dropout-none", "Dropout", (None,), {}, (None, 3)),
    ("dropout-noise-shape", "Dropout", (0.5,), {"noise_shape": (None, 1)}, (None, 3)),
    ("dropout-noise-shape-str", "Dropout", (0.5,), {"noise_shape": "ab"}, (None, 3)),
    ("dropout-noise-shape-int", "Dropout", (0.5,), {"noise_shape": 3}, (None, 3)),
    ("dropout-noise-shape-zero", "Dropout", (0.5,), {"noise_shape": (None, 0)}, (None, 3)),
    ("dropout-noise-shape-float", "Dropout", (0.5,), {"noise_shape": (1.0,)}, (None, 3)),
    ("dropout-bad-seed", "Dropout", (0.5,), {"seed": "x"}, (None, 3)),
    ("dropout-rate0-bad-seed", "Dropout", (0,), {"seed": "x"}, (None, 3)),
    ("dropout-missing-rate", "Dropout", (), {}, (None, 3)),
    ("sd1", "SpatialDropout1D", (0.2,), {}, (None, 5, 3)),
    ("sd1-rank2", "SpatialDropout1D", (0.2,), {}, (None, 3)),
    ("sd1-kwarg", "SpatialDropout1D", (0.2,), {"input_shape": (5, 3)}, (None, 5, 3)),
    ("sd1-bad-rate", "SpatialDropout1D", (2,), {}, (None, 5, 3)),
    ("sd2", "SpatialDropout2D", (0.2,), {}, (None, 8, 8, 3)),
    ("sd2-cf", "SpatialDropout2D", (0.2,), {"data_format": "channels_first"}, (None, 3, 8, 8)),
    ("sd2-bad-format", "SpatialDropout2D", (0.2,), {"data_format": "nhwc"}, (None, 8, 8, 3)),
    ("sd2-rank3", "SpatialDropout2D", (0.2,), {}, (None, 8, 3)),
    ("sd3", "SpatialDropout3D", (0.2,), {}, (None, 4, 8, 8, 3)),
    ("sd3-rank4", "SpatialDropout3D", (0.2,), {}, (None, 8, 8, 3)),
    ("gaussian-noise", "GaussianNoise", (0.1,), {}, (None, 3)),
    ("gaussian-noise-high", "GaussianNoise", (1.1,), {}, (None, 3)),
    ("gaussian-dropout", "GaussianDropout", (0.3,), {}, (None, 3)),
    ("gaussian-dropout-bad", "GaussianDropout", (-1,), {}, (None, 3)),
    ("alpha-dropout", "AlphaDropout", (0.3,), {"noise_shape": "anything"}, (None, 3)),
    ("alpha-dropout-bad", "AlphaDropout", (3,), {}, (None, 3)),
    ("activity-reg", "ActivityRegularization", (0.01, 0.02), {}, (None, 3)),
    ("activity-reg-none", "ActivityRegularization", (None, None), {}, (None, 3)),
    ("activity-reg-negative", "ActivityRegularization", (-0.1,), {}, (None, 3)),
    ("activity-reg-inf", "ActivityRegularization", (), {"l2": float("inf")}, (None, 3)),
    ("activity-reg-str", "ActivityRegularization", ("a",), {}, (None, 3)),
    ("activity-reg-twice", "ActivityRegularization", (),
     {"activity_regularizer": "l2"}, (None, 3)),
]


@pytest.mark.parametrize(("case", "name", "args", "kwargs", "shape"), CASES,
                         ids=[c[0] for c in CASES])
def test_matches_keras(case: str, name: str, args: tuple[Any, ...],
                       kwargs: dict[str, Any], shape: Any) -> None:
    assert_same(name, args, kwargs, shape)
