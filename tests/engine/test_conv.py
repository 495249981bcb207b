"""Convolution layers: named cases, each checked against real Keras (TF 2.21) in the test run."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import Unknown, call, construct
from support.engine_vs_keras import compare
from support.keras_truth import layer_truth


def assert_same(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Any:
    truth, err, result = compare(name, args, kwargs, shape)
    if truth.ok:
        assert len(result.derivation) >= 1
    return truth, err, result


S = (None, 32, 32, 3)
CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    # --- Conv1D/2D/3D ---
    ("conv2d-valid", "Conv2D", (64, 3), {}, (1, 572, 572, 1)),
    ("conv2d-same", "Conv2D", (64, 3), {"padding": "same"}, (1, 572, 572, 1)),
    ("conv2d-same-upper", "Conv2D", (8, 3), {"padding": "SAME"}, S),
    ("conv2d-valid-mixed-case", "Conv2D", (8, 3), {"padding": "Valid"}, S),
    ("conv2d-stride2-same-odd", "Conv2D", (8, 3), {"strides": 2, "padding": "same"},
     (None, 33, 33, 3)),
    ("conv2d-stride3-valid", "Conv2D", (8, (3, 5)), {"strides": (3, 2)}, (None, 31, 29, 3)),
    ("conv2d-dilation", "Conv2D", (8, 3), {"dilation_rate": 2}, S),
    ("conv2d-dilation-same", "Conv2D", (8, 3), {"dilation_rate": (2, 3), "padding": "same"}, S),
    ("conv2d-groups", "Conv2D", (8, 3), {"groups": 4}, (None, 16, 16, 12)),
    ("conv2d-no-bias", "Conv2D", (8, 3), {"use_bias": False}, S),
    ("conv2d-channels-first", "Conv2D", (8, 3), {"data_format": "channels_first"},
     (None, 3, 32, 30)),
    ("conv2d-channels-first-upper", "Conv2D", (8, 3), {"data_format": "CHANNELS_FIRST"},
     (2, 3, 9, 9)),
    ("conv2d-none-spatial", "Conv2D", (8, 3), {}, (None, None, 32, 3)),
    ("conv2d-none-spatial-same", "Conv2D", (8, 3), {"padding": "same", "strides": 2},
     (None, None, None, 3)),
    ("conv2d-zero-spatial-same", "Conv2D", (8, 3), {"padding": "same"}, (None, 0, 5, 3)),
    ("conv2d-kernel-equals-input", "Conv2D", (8, 5), {}, (None, 5, 5, 3)),
    ("conv2d-positional-all", "Conv2D", (8, 3, 1, "same", "channels_last", 1, 2), {},
     (None, 8, 8, 4)),
    ("convolution2d-alias", "Convolution2D", (8, 3), {}, S),
    ("conv1d-valid", "Conv1D", (16, 5), {}, (None, 100, 8)),
    ("conv1d-causal", "Conv1D", (16, 5), {"padding": "causal"}, (None, 100, 8)),
    ("conv1d-causal-dilated", "Conv1D", (16, 3), {"padding": "causal", "dilation_rate": 4},
     (None, 100, 8)),
    ("conv1d-causal-upper", "Conv1D", (16, 3), {"padding": "CAUSAL", "strides": 3}, (None, 100, 8)),
    ("conv1d-channels-first", "Conv1D", (16, 3), {"data_format": "channels_first"}, (None, 8, 50)),
    ("conv1d-groups", "Conv1D", (6, 3), {"groups": 3}, (None, 10, 9)),
    ("conv3d-valid", "Conv3D", (4, 3), {}, (None, 10, 12, 14, 2)),
    ("conv3d-same-stride", "Conv3D", (4, (1, 2, 3)), {"padding": "same", "strides": (1, 2, 3)},
     (None, 10, 11, 13, 2)),
    ("conv3d-channels-first-none", "Conv3D", (4, 2), {"data_format": "channels_first"},
     (None, 2, None, 9, 9)),
    # --- transposed ---
    ("conv2dT-valid", "Conv2DTranspose", (8, 3), {}, S),
    ("conv2dT-valid-stride", "Conv2DTranspose", (8, 3), {"strides": 2}, S),
    ("conv2dT-valid-stride-bigger-than-kernel", "Conv2DTranspose", (8, 2), {"strides": 3}, S),
    ("conv2dT-same-stride", "Conv2DTranspose", (8, 3), {"strides": 2, "padding": "same"}, S),
    ("conv2dT-output-padding", "Conv2DTranspose", (8, 3),
     {"strides": 2, "output_padding": 1}, S),
    ("conv2dT-same-output-padding", "Conv2DTranspose", (8, 4),
     {"strides": (2, 3), "padding": "same", "output_padding": (1, 2)}, S),
    ("conv2dT-output-padding-zero", "Conv2DTranspose", (8, 3),
     {"padding": "same", "output_padding": 0}, (None, 7, 7, 3)),
    ("conv2dT-dilation", "Conv2DTranspose", (8, 3), {"dilation_rate": 2}, S),
    ("conv2dT-channels-first", "Conv2DTranspose", (8, 3),
     {"strides": 2, "data_format": "channels_first"}, (None, 3, 16, 10)),
    ("conv2dT-none-spatial", "Conv2DTranspose", (8, 3), {"strides": 2}, (None, None, 7, 3)),
    ("conv2dT-zero-input", "Conv2DTranspose", (8, 3), {"output_padding": 0}, (None, 0, 4, 3)),
    ("conv2dT-zero-input-same", "Conv2DTranspose", (8, 2), {"strides": 2, "padding": "same"},
     (None, 0, 4, 3)),
    ("conv1dT-negative-output", "Conv1DTranspose", (8, 1), {"strides": 3, "output_padding": 0},
     (None, 0, 3)),
    ("conv1dT-same-negative-output", "Conv1DTranspose", (8, 2),
     {"strides": 2, "padding": "same", "output_padding": 0}, (None, 0, 3)),
    ("kernel-bool", "Conv2D", (8, True), {}, S),
    ("kernel-false", "Conv2D", (8, (3, False)), {}, S),
    ("conv1dT", "Conv1DTranspose", (8, 5), {"strides": 4, "padding": "same"}, (None, 25, 3)),
    ("conv3dT", "Conv3DTranspose", (2, 3), {"strides": (1, 2, 2), "output_padding": (0, 1, 0)},
     (None, 4, 5, 6, 3)),
    ("conv2dT-list-padding-none-dims", "Conv2DTranspose", (8, 3), {"padding": [1, 1]},
     (None, None, None, 3)),
    # --- separable / depthwise ---
    ("separable2d", "SeparableConv2D", (16, 3), {}, S),
    ("separable2d-multiplier", "SeparableConv2D", (16, 3),
     {"depth_multiplier": 3, "padding": "same"}, S),
    ("separable2d-stride-and-dilation", "SeparableConv2D", (16, 3),
     {"strides": 2, "dilation_rate": 2}, S),
    ("separable1d", "SeparableConv1D", (16, 3), {"data_format": "channels_first"}, (None, 4, 20)),
    ("depthwise2d", "DepthwiseConv2D", (3,), {}, S),
    ("depthwise2d-multiplier", "DepthwiseConv2D", (3,), {"depth_multiplier": 4, "strides": 2}, S),
    ("depthwise2d-stride-and-dilation", "DepthwiseConv2D", (3,),
     {"strides": 2, "dilation_rate": 2}, S),
    ("depthwise1d", "DepthwiseConv1D", (3,), {"padding": "same", "use_bias": False},
     (None, 10, 5)),
    # --- rejected at init ---
    ("bad-padding-typo", "Conv2D", (8, 3), {"padding": "vaild"}, S),
    ("bad-padding-int", "Conv2D", (8, 3), {"padding": 3}, S),
    ("causal-on-conv2d", "Conv2D", (8, 3), {"padding": "causal"}, S),
    ("causal-on-conv1dT", "Conv1DTranspose", (8, 3), {"padding": "causal"}, (None, 10, 3)),
    ("causal-on-separable1d", "SeparableConv1D", (8, 3), {"padding": "causal"}, (None, 10, 3)),
    ("filters-zero", "Conv2D", (0, 3), {}, S),
    ("filters-negative", "Conv2DTranspose", (-2, 3), {}, S),
    ("kernel-zero", "Conv2D", (8, 0), {}, S),
    ("kernel-wrong-length", "Conv2D", (8, (3, 3, 3)), {}, S),
    ("strides-zero", "Conv1D", (8, 3), {"strides": 0}, (None, 10, 3)),
    ("strides-and-dilation", "Conv2D", (8, 3), {"strides": 2, "dilation_rate": 2}, S),
    ("strides-and-dilation-T", "Conv2DTranspose", (8, 3), {"strides": 2, "dilation_rate": 2}, S),
    ("groups-zero", "Conv2D", (8, 3), {"groups": 0}, S),
    ("filters-not-divisible-by-groups", "Conv2D", (8, 3), {"groups": 3}, (None, 8, 8, 3)),
    ("output-padding-equals-stride", "Conv2DTranspose", (8, 3),
     {"strides": 2, "output_padding": 2}, S),
    ("output-padding-without-stride", "Conv1DTranspose", (8, 3), {"output_padding": 1},
     (None, 10, 3)),
    ("output-padding-negative", "Conv1DTranspose", (8, 3), {"output_padding": -1},
     (None, 10, 3)),
    ("groups-on-transpose", "Conv2DTranspose", (8, 3), {"groups": 2}, S),
    ("depth-multiplier-zero", "DepthwiseConv2D", (3,), {"depth_multiplier": 0}, S),
    ("separable-filters-zero", "SeparableConv2D", (0, 3), {}, S),
    ("bad-data-format", "Conv2D", (8, 3), {"data_format": "channels_middle"}, S),
    # --- rejected at call ---
    ("kernel-larger-than-input", "Conv2D", (8, 5), {}, (None, 3, 8, 3)),
    ("dilated-kernel-larger-than-input", "Conv1D", (8, 3), {"dilation_rate": 5}, (None, 10, 3)),
    ("depthwise-too-small", "DepthwiseConv2D", (4,), {}, (None, 3, 3, 3)),
    ("separable-too-small", "SeparableConv1D", (4, 7), {}, (None, 6, 3)),
    ("channels-not-divisible-by-groups", "Conv2D", (8, 3), {"groups": 2}, (None, 8, 8, 3)),
    ("channels-none", "Conv2D", (8, 3), {}, (None, 8, 8, None)),
    ("channels-none-first", "Conv2D", (8, 3), {"data_format": "channels_first"},
     (None, None, 8, 8)),
    ("channels-none-transpose", "Conv2DTranspose", (8, 3), {}, (None, 8, 8, None)),
    ("channels-none-depthwise", "DepthwiseConv2D", (3,), {}, (None, 8, 8, None)),
    ("channels-none-separable", "SeparableConv2D", (8, 3), {}, (None, 8, 8, None)),
    ("rank-too-low", "Conv2D", (8, 3), {}, (None, 8, 8)),
    ("rank-too-high", "Conv2D", (8, 3), {}, (None, 8, 8, 8, 3)),
    ("rank-too-high-transpose", "Conv1DTranspose", (8, 3), {}, (None, 8, 8, 3)),
    ("rank-too-high-depthwise", "DepthwiseConv1D", (3,), {}, (None, 8, 8, 3)),
    ("filters-none", "Conv2D", (None, 3), {}, S),
    ("filters-none-transpose", "Conv2DTranspose", (None, 3), {}, S),
    ("list-padding", "Conv2D", (8, 3), {"padding": [(1, 1), (1, 1)]}, S),
    ("list-padding-transpose", "Conv2DTranspose", (8, 3), {"padding": [1, 1]}, S),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shape"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_conv_matches_keras(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any
) -> None:
    assert_same(name, args, kwargs, shape)


def test_too_small_message_in_users_terms() -> None:
    truth, err, _ = assert_same("Conv2D", (8, 5), {}, (None, 3, 8, 3))
    assert not truth.ok
    assert err.code == "non-positive-dim"
    assert "kernel 5 is larger than the input 3 with padding='valid'" in err.message


def test_bad_padding_names_the_argument() -> None:
    truth, err, _ = assert_same("Conv2D", (8, 3), {"padding": "vaild"}, S)
    assert truth.stage == "init" and err.arg == "padding" and "'vaild'" in err.message


def test_causal_derivation_mentions_left_pad() -> None:
    _, _, result = assert_same("Conv1D", (4, 3), {"padding": "causal", "dilation_rate": 2},
                               (None, 20, 2))
    assert "padding='causal'" in result.derivation[0]
    assert "(3-1)*2 = 4" in result.derivation[0]


def test_transposed_derivation_shows_output_padding() -> None:
    _, _, result = assert_same("Conv2DTranspose", (8, 3), {"strides": 2, "output_padding": 1}, S)
    assert "(32 - 1)*2 + 3 + 1 = 66" in result.derivation[0]


def test_params_note_has_formula() -> None:
    _, _, result = assert_same("Conv2D", (64, 3), {}, (1, 572, 572, 1))
    assert any("params = 3*3*1*64 + 64 = 640" in n for n in result.notes)


def test_zero_size_output_warns() -> None:
    _, _, result = assert_same("Conv2D", (8, 3), {"padding": "same"}, (None, 0, 5, 3))
    assert result.warnings


def test_unknown_use_bias_keeps_shape_drops_params() -> None:
    with_bias = layer_truth("Conv2D", (8, 3), {"use_bias": True}, S)
    without = layer_truth("Conv2D", (8, 3), {"use_bias": False}, S)
    assert with_bias.outputs == without.outputs
    layer = construct("Conv2D", (8, 3), {"use_bias": Unknown("read from a config file")})
    assert layer is not None
    result = call(layer, S)
    assert result.outputs == with_bias.outputs
    assert result.params is None
    assert any("use_bias" in n for n in result.notes)


def test_unknown_filters_gives_unknown_result() -> None:
    layer = construct("Conv2D", (Unknown("a variable"), 3), {})
    assert layer is not None
    result = call(layer, S)
    assert result.outputs is None and result.unknown and "filters" in result.unknown
