"""Pooling layers: named cases, each checked against real Keras (TF 2.21) in the test run."""

from __future__ import annotations

from typing import Any

import pytest

from support.engine_vs_keras import compare

assert_same = compare


S = (None, 32, 32, 3)
CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    ("max2d-default", "MaxPooling2D", (), {}, S),
    ("max2d-odd-valid-floors", "MaxPooling2D", (2,), {}, (None, 571, 571, 1)),
    ("max2d-odd-same-ceils", "MaxPooling2D", (2,), {"padding": "same"}, (None, 571, 571, 1)),
    ("max2d-pool3", "MaxPooling2D", ((3, 3),), {}, (1, 572, 572, 64)),
    ("max2d-strides", "MaxPooling2D", (3,), {"strides": 1}, S),
    ("max2d-strides-tuple", "MaxPooling2D", ((3, 2),), {"strides": (2, 1)}, S),
    ("max2d-channels-first", "MaxPooling2D", (2,), {"data_format": "channels_first"},
     (None, 3, 9, 7)),
    ("max2d-none-spatial", "MaxPooling2D", (2,), {}, (None, None, 9, 3)),
    ("max2d-zero-spatial-same", "MaxPooling2D", (3,), {"padding": "same"}, (None, 0, 8, 2)),
    ("max2d-pool-equals-input", "MaxPooling2D", (4,), {}, (None, 4, 4, 2)),
    ("maxpool2d-alias", "MaxPool2D", (), {}, S),
    ("max1d", "MaxPooling1D", (), {}, (None, 11, 4)),
    ("max1d-same-stride", "MaxPooling1D", (4,), {"strides": 3, "padding": "same"}, (None, 11, 4)),
    ("max3d", "MaxPooling3D", (), {}, (None, 5, 6, 7, 2)),
    ("max3d-channels-first", "MaxPooling3D", ((1, 2, 3),), {"data_format": "channels_first"},
     (None, 2, 5, 6, 7)),
    ("avg1d-channels-first", "AveragePooling1D", (3,), {"data_format": "channels_first"},
     (None, 4, 10)),
    ("avg2d-same", "AveragePooling2D", (3,), {"padding": "same", "strides": 2}, S),
    ("avg3d", "AveragePooling3D", (2,), {"strides": (1, 2, 3)}, (None, 5, 6, 7, 2)),
    ("avgpool-alias", "AvgPool1D", (), {}, (None, 10, 3)),
    ("pool-size-bool", "MaxPooling1D", (True,), {}, (None, 10, 3)),
    # rejected at init
    ("pool-size-zero", "MaxPooling2D", (0,), {}, S),
    ("pool-size-wrong-length", "MaxPooling2D", ((2, 2, 2),), {}, S),
    ("strides-negative", "AveragePooling2D", (2,), {"strides": -1}, S),
    ("avg3d-missing-pool-size", "AveragePooling3D", (), {}, (None, 4, 4, 4, 3)),
    ("bad-data-format", "MaxPooling2D", (), {"data_format": "nhwc"}, S),
    # rejected at call
    ("padding-upper-case", "MaxPooling2D", (), {"padding": "SAME"}, S),
    ("padding-typo", "MaxPooling2D", (), {"padding": "vaild"}, S),
    ("padding-int", "AveragePooling1D", (), {"padding": 5}, (None, 10, 3)),
    ("padding-causal", "MaxPooling1D", (), {"padding": "causal"}, (None, 10, 3)),
    ("strides-zero", "MaxPooling2D", (), {"strides": 0}, S),
    ("strides-zero-same", "MaxPooling2D", (), {"strides": 0, "padding": "same"}, (None, 1, 1, 2)),
    ("strides-zero-none-dims", "MaxPooling2D", (), {"strides": 0}, (None, None, None, 2)),
    ("pool-larger-than-input", "MaxPooling2D", (3,), {}, (None, 2, 8, 2)),
    ("rank-too-low", "MaxPooling2D", (), {}, (None, 8, 8)),
    ("rank-too-high", "MaxPooling2D", (), {}, (None, 8, 8, 2, 2)),
    # global pooling
    ("gap2d", "GlobalAveragePooling2D", (), {}, S),
    ("gap2d-keepdims", "GlobalAveragePooling2D", (), {"keepdims": True}, S),
    ("gap2d-channels-first-keepdims", "GlobalAveragePooling2D", (),
     {"keepdims": True, "data_format": "channels_first"}, (None, 3, 8, 8)),
    ("gmp1d", "GlobalMaxPooling1D", (), {}, (None, None, 5)),
    ("gmp1d-channels-first", "GlobalMaxPooling1D", ("channels_first",), {}, (None, 5, 7)),
    ("gmp3d", "GlobalMaxPooling3D", (), {"keepdims": True}, (None, 2, 3, 4, None)),
    ("gap3d", "GlobalAveragePooling3D", (), {}, (None, 2, 3, 4, 6)),
    ("gap-alias", "GlobalAvgPool2D", (), {}, S),
    ("gap2d-keepdims-int", "GlobalAveragePooling2D", (), {"keepdims": 1}, S),
    ("gap2d-rank-too-low", "GlobalAveragePooling2D", (), {}, (None, 8, 8)),
    ("gmp1d-rank-too-high", "GlobalMaxPooling1D", (), {}, (None, 8, 8, 3)),
    # adaptive pooling (Keras 3.15)
    ("adaptive-avg2d", "AdaptiveAveragePooling2D", (4,), {}, S),
    ("adaptive-max2d-tuple", "AdaptiveMaxPooling2D", ((3, 5),), {}, (None, 7, None, 2)),
    ("adaptive-avg1d-channels-first", "AdaptiveAveragePooling1D", (6,),
     {"data_format": "channels_first"}, (2, 3, 10)),
    ("adaptive-max3d", "AdaptiveMaxPooling3D", ([1, 2, 3],), {}, (None, 4, 4, 4, 2)),
    ("adaptive-larger-than-input", "AdaptiveAveragePooling2D", (40,), {}, S),
    ("adaptive-zero", "AdaptiveAveragePooling2D", (0,), {}, S),
    ("adaptive-negative", "AdaptiveMaxPooling1D", (-2,), {}, (None, 8, 3)),
    ("adaptive-wrong-rank-input", "AdaptiveAveragePooling2D", (4,), {}, (None, 8, 3)),
    ("adaptive-tuple-wrong-length", "AdaptiveAveragePooling2D", ((4, 4, 4),), {}, S),
    ("adaptive1d-tuple-wrong-length", "AdaptiveMaxPooling1D", ((4, 4),), {}, (None, 8, 3)),
    ("adaptive-float", "AdaptiveMaxPooling1D", (2.5,), {}, (None, 8, 3)),
    ("adaptive-upper-data-format", "AdaptiveAveragePooling2D", (4,),
     {"data_format": "CHANNELS_FIRST"}, S),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shape"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_pooling_matches_keras(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any
) -> None:
    assert_same(name, args, kwargs, shape)


def test_strides_none_note() -> None:
    _, _, result = assert_same("MaxPooling2D", (), {}, S)
    assert "strides=None -> pool_size (2, 2)" in result.notes


def test_explicit_strides_no_note() -> None:
    _, _, result = assert_same("MaxPooling2D", (), {"strides": 2}, S)
    assert not any(n.startswith("strides=None") for n in result.notes)


def test_upper_case_padding_explained() -> None:
    truth, err, _ = assert_same("MaxPooling2D", (), {"padding": "SAME"}, S)
    assert truth.stage == "call" and err.arg == "padding"
    assert "'same'" in err.message and "'SAME'" in err.message


def test_too_small_message_in_users_terms() -> None:
    _, err, _ = assert_same("MaxPooling2D", (3,), {}, (None, 2, 8, 2))
    assert err.code == "non-positive-dim"
    assert "pool_size 3 is larger than the input 2 with padding='valid'" in err.message


def test_zero_size_output_warns() -> None:
    _, _, result = assert_same("MaxPooling2D", (3,), {"padding": "same"}, (None, 0, 8, 2))
    assert result.warnings
