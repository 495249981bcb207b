"""Reshaping layers, named cases: every expected value is what Keras (TF 2.21) says in this run."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import ShapeError, call, construct
from support.keras_truth import Truth, layer_truth


def engine_outcome(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> Any:
    """('ok', Result) | ('init'|'call', ShapeError)."""
    try:
        layer = construct(name, list(args), kwargs)
    except ShapeError as e:
        return e.at, e
    assert layer is not None, f"{name} is not registered"
    assert layer.unknown is None, layer.unknown
    try:
        return "ok", call(layer, shapes)
    except ShapeError as e:
        return e.at, e


def assert_same(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> tuple[Truth, Any]:
    truth = layer_truth(name, tuple(args), kwargs, shapes)
    stage, got = engine_outcome(name, args, kwargs, shapes)
    where = f"{name}{tuple(args)}{kwargs} on {shapes}"
    if truth.ok:
        assert stage == "ok", f"{where}: Keras accepts -> {truth.outputs}, we reject: {got!r}"
        assert got.outputs == truth.outputs, f"{where}: {got.outputs} != Keras {truth.outputs}"
        assert got.params == truth.params
    else:
        assert stage != "ok", f"{where}: Keras rejects ({truth.message[:200]}), we say {got}"
        assert stage == truth.stage, f"{where}: stage {stage} != Keras {truth.stage}: {got!r}"
        assert got.message
    return truth, got


N = None

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    # Flatten
    ("flatten-3d", "Flatten", (), {}, (N, 10, 64)),
    ("flatten-4d", "Flatten", (), {}, (8, 4, 4, 3)),
    ("flatten-batch-only", "Flatten", (), {}, (N,)),
    ("flatten-none-dim", "Flatten", (), {}, (N, 3, N)),
    ("flatten-channels-first", "Flatten", (), {"data_format": "channels_first"}, (N, 3, 4, 5)),
    ("flatten-upper-format", "Flatten", (), {"data_format": "Channels_Last"}, (N, 3, 4)),
    ("flatten-bad-format", "Flatten", (), {"data_format": "nhwc"}, (N, 3, 4)),
    ("flatten-zero-dim", "Flatten", (), {}, (N, 0, 4)),
    # Reshape
    ("reshape-basic", "Reshape", ((3, 4),), {}, (N, 12)),
    ("reshape-minus-one", "Reshape", ((-1, 2, 2),), {}, (N, 12)),
    ("reshape-minus-one-none-input", "Reshape", ((-1, 2),), {}, (N, N, 4)),
    ("reshape-none-target", "Reshape", ((None, 3),), {}, (N, 6)),
    ("reshape-float-target", "Reshape", ((2.0, 3),), {}, (N, 6)),
    ("reshape-bool-target", "Reshape", ((True, -1),), {}, (N, 6)),
    ("reshape-size-mismatch", "Reshape", ((5,),), {}, (N, 6)),
    ("reshape-not-divisible", "Reshape", ((4, -1),), {}, (N, 6)),
    ("reshape-zero-target", "Reshape", ((0,),), {}, (N, 0)),
    ("reshape-minus-one-with-zero", "Reshape", ((-1, 0),), {}, (N, 0)),
    ("reshape-two-minus-ones", "Reshape", ((-1, -1),), {}, (N, 6)),
    ("reshape-negative", "Reshape", ((-2, 3),), {}, (N, 6)),
    ("reshape-not-iterable", "Reshape", (5,), {}, (N, 5)),
    ("reshape-batch-only", "Reshape", ((-1,),), {}, (N,)),
    ("reshape-list-target", "Reshape", ([2, 3, 2],), {}, (4, 3, 4)),
    ("reshape-missing-arg", "Reshape", (), {}, (N, 5)),
    # Permute
    ("permute-basic", "Permute", ((2, 1),), {}, (N, 10, 64)),
    ("permute-3", "Permute", ((3, 1, 2),), {}, (N, 2, N, 4)),
    ("permute-wrong-rank", "Permute", ((2, 1),), {}, (N, 3, 4, 5)),
    ("permute-duplicate", "Permute", ((2, 2),), {}, (N, 3, 4)),
    ("permute-zero-based", "Permute", ((0, 1),), {}, (N, 3, 4)),
    ("permute-int", "Permute", (2,), {}, (N, 3, 4)),
    ("permute-empty", "Permute", ((),), {}, (N,)),
    ("permute-floats", "Permute", ((2.0, 1.0),), {}, (N, 3, 4)),
    # RepeatVector
    ("repeat-basic", "RepeatVector", (3,), {}, (N, 32)),
    ("repeat-wrong-rank", "RepeatVector", (3,), {}, (N, 3, 4)),
    ("repeat-zero", "RepeatVector", (0,), {}, (N, 3)),
    ("repeat-float", "RepeatVector", (2.0,), {}, (N, 3)),
    ("repeat-bool", "RepeatVector", (True,), {}, (N, 3)),
    # Cropping1D
    ("crop1d-default", "Cropping1D", (), {}, (N, 6, 2)),
    ("crop1d-int", "Cropping1D", (2,), {}, (N, 6, 2)),
    ("crop1d-tuple", "Cropping1D", ((1, 3),), {}, (N, 6, 2)),
    ("crop1d-none-length", "Cropping1D", ((1, 3),), {}, (N, N, 2)),
    ("crop1d-leaves-zero", "Cropping1D", (3,), {}, (N, 6, 2)),
    ("crop1d-leaves-negative", "Cropping1D", (3,), {}, (N, 5, 2)),
    ("crop1d-negative", "Cropping1D", (-1,), {}, (N, 6, 2)),
    ("crop1d-three", "Cropping1D", ((1, 2, 3),), {}, (N, 6, 2)),
    ("crop1d-wrong-rank", "Cropping1D", (1,), {}, (N, 6, 2, 2)),
    ("crop1d-float-entry", "Cropping1D", ((1.5, 1),), {}, (N, 6, 2)),
    ("crop1d-inf-entry", "Cropping1D", ((float("inf"), 1),), {}, (N, 6, 2)),
    ("crop1d-str-entry", "Cropping1D", (("1", 1),), {}, (N, 6, 2)),
    # Cropping2D
    ("crop2d-default", "Cropping2D", (), {}, (N, 6, 6, 2)),
    ("crop2d-int", "Cropping2D", (1,), {}, (N, 6, 7, 2)),
    ("crop2d-symmetric", "Cropping2D", ((1, 2),), {}, (N, 6, 6, 2)),
    ("crop2d-pairs", "Cropping2D", (((1, 0), (2, 3)),), {}, (N, 6, 6, 2)),
    ("crop2d-channels-first", "Cropping2D", (((1, 0), (2, 3)), "channels_first"), {},
     (N, 2, 6, 7)),
    ("crop2d-leaves-zero", "Cropping2D", (3,), {}, (N, 6, 6, 2)),
    ("crop2d-none", "Cropping2D", (3,), {}, (N, N, N, 2)),
    ("crop2d-negative", "Cropping2D", (-3,), {}, (N, 6, 6, 2)),
    ("crop2d-three", "Cropping2D", (((1, 2), (3, 4), (5, 6)),), {}, (N, 6, 6, 2)),
    ("crop2d-string", "Cropping2D", ("ab",), {}, (N, 6, 6, 2)),
    ("crop2d-float", "Cropping2D", (1.5,), {}, (N, 6, 6, 2)),
    ("crop2d-negative-entry", "Cropping2D", (((1, -1), (0, 0)),), {}, (N, 6, 6, 2)),
    ("crop2d-wrong-rank", "Cropping2D", (1,), {}, (N, 6, 6)),
    # Cropping3D
    ("crop3d-default", "Cropping3D", (), {}, (N, 6, 6, 6, 2)),
    ("crop3d-three-ints", "Cropping3D", ((1, 2, 3),), {}, (N, 7, 7, 7, 2)),
    ("crop3d-leaves-zero", "Cropping3D", ((1, 2, 3),), {}, (N, 7, 7, 6, 2)),
    ("crop3d-channels-first", "Cropping3D", (((0, 1), (2, 0), (1, 1)),),
     {"data_format": "channels_first"}, (N, 3, 5, N, 4)),
    ("crop3d-two", "Cropping3D", ((1, 2),), {}, (N, 6, 6, 6, 2)),
    ("crop3d-bad-format", "Cropping3D", (1,), {"data_format": "ncdhw"}, (N, 6, 6, 6, 2)),
    # ZeroPadding
    ("pad1d-default", "ZeroPadding1D", (), {}, (N, 6, 2)),
    ("pad1d-tuple", "ZeroPadding1D", ((0, 3),), {}, (N, N, 2)),
    ("pad1d-channels-first", "ZeroPadding1D", (2,), {"data_format": "channels_first"},
     (N, 6, 2)),
    ("pad1d-negative", "ZeroPadding1D", (-1,), {}, (N, 6, 2)),
    ("pad2d-default", "ZeroPadding2D", (), {}, (N, 6, 6, 2)),
    ("pad2d-pairs", "ZeroPadding2D", (((1, 0), (2, 3)),), {}, (N, 6, 6, 2)),
    ("pad2d-negative-int", "ZeroPadding2D", (-1,), {}, (N, 6, 6, 2)),
    ("pad2d-negative-to-zero", "ZeroPadding2D", (-1,), {}, (N, 2, 6, 2)),
    ("pad2d-negative-below-zero", "ZeroPadding2D", (-2,), {}, (N, 3, 6, 2)),
    ("pad2d-negative-entry", "ZeroPadding2D", (((1, -1), (0, 0)),), {}, (N, 6, 6, 2)),
    ("pad2d-three", "ZeroPadding2D", ((1, 2, 3),), {}, (N, 6, 6, 2)),
    ("pad2d-channels-first", "ZeroPadding2D", ((1, 2),), {"data_format": "channels_first"},
     (N, 3, 6, N)),
    ("pad3d-default", "ZeroPadding3D", (), {}, (N, 6, 6, 6, 2)),
    ("pad3d-negative", "ZeroPadding3D", (-1,), {}, (N, 6, 6, 6, 2)),
    ("pad3d-float", "ZeroPadding3D", (1.5,), {}, (N, 6, 6, 6, 2)),
    ("pad3d-float-entries", "ZeroPadding3D", (((1.5, 1), 1, 1),), {}, (N, 6, 6, 6, 2)),
    ("pad3d-float-entries-none", "ZeroPadding3D", (((1.5, 1), 1, 1),), {}, (N, N, 6, 6, 2)),
    ("pad3d-wrong-rank", "ZeroPadding3D", (1,), {}, (N, 6, 6, 2)),
    # UpSampling
    ("up1d-default", "UpSampling1D", (), {}, (N, 6, 2)),
    ("up1d-size", "UpSampling1D", (3,), {}, (N, N, 2)),
    ("up1d-zero", "UpSampling1D", (0,), {}, (N, 6, 2)),
    ("up1d-bool", "UpSampling1D", (True,), {}, (N, 6, 2)),
    ("up1d-tuple", "UpSampling1D", ((2,),), {}, (N, 6, 2)),
    ("up2d-default", "UpSampling2D", (), {}, (N, 3, 4, 2)),
    ("up2d-size", "UpSampling2D", ((2, 3),), {"data_format": "channels_first"}, (N, 2, 3, 4)),
    ("up2d-bilinear", "UpSampling2D", (), {"interpolation": "bilinear"}, (N, N, 3, 3)),
    ("up2d-unknown-interp", "UpSampling2D", (), {"interpolation": "foo"}, (N, 3, 3, 3)),
    ("up2d-interp-int", "UpSampling2D", (), {"interpolation": 3}, (N, 3, 3, 3)),
    ("up2d-zero", "UpSampling2D", ((0, 2),), {}, (N, 3, 3, 3)),
    ("up2d-bool", "UpSampling2D", (True,), {}, (N, 3, 3, 3)),
    ("up2d-float", "UpSampling2D", ((1.5, 2),), {}, (N, 3, 3, 3)),
    ("up2d-float-none", "UpSampling2D", ((1.5, 2),), {}, (N, N, 3, 3)),
    ("up2d-nan", "UpSampling2D", ((float("nan"), 2),), {}, (N, 3, 3, 3)),
    ("up2d-wrong-rank", "UpSampling2D", (), {}, (N, 3, 3)),
    ("up3d-default", "UpSampling3D", (), {}, (N, 2, 3, 4, 5)),
    ("up3d-size", "UpSampling3D", ((1, 2, 3),), {"data_format": "channels_first"},
     (N, 2, 3, N, 5)),
    ("up3d-two", "UpSampling3D", ((1, 2),), {}, (N, 2, 3, 4, 5)),
    # Scalars (no batch axis)
    ("flatten-scalar", "Flatten", (), {}, ()),
    ("reshape-scalar", "Reshape", ((1,),), {}, ()),
    ("permute-scalar", "Permute", ((),), {}, ()),
    # Keyword checking by the base Layer
    ("unknown-kwarg", "Flatten", (), {"foo": 1}, (N, 3)),
    ("base-kwarg", "Flatten", (), {"name": "f"}, (N, 3)),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shapes"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_matches_keras(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> None:
    assert_same(name, args, kwargs, shapes)


def test_cropping_message_in_user_terms() -> None:
    truth, err = assert_same("Cropping2D", (((2, 2), (0, 0)),), {}, (None, 4, 9, 3))
    assert not truth.ok
    assert err.code == "non-positive-dim"
    assert "2+2" in err.message and "4" in err.message


def test_reshape_message_has_sizes() -> None:
    truth, err = assert_same("Reshape", ((5, 5),), {}, (None, 4, 6))
    assert not truth.ok
    assert "24" in err.message and "25" in err.message


def test_derivation_lines() -> None:
    _, r = assert_same("UpSampling2D", ((2, 3),), {}, (None, 4, 5, 8))
    assert r.outputs == (None, 8, 15, 8)
    assert r.derivation == ["axis 1: 4 * 2 = 8", "axis 2: 5 * 3 = 15"]
    _, r = assert_same("ZeroPadding2D", (), {}, (None, 0, 5, 8))
    assert r.warnings == []
    _, r = assert_same("Flatten", (), {}, (None, 2, 0))
    assert r.warnings and "size 0" in r.warnings[0]


def test_unknown_values_give_unknown_results() -> None:
    from shapelens.engine import Unknown

    layer = construct("Reshape", [(Unknown("a variable"), 4)], {})
    assert layer is not None and layer.unknown and "target_shape" in layer.unknown
    layer = construct("UpSampling2D", [], {"size": Unknown("a variable")})
    assert layer is not None and layer.unknown
    layer = construct("Flatten", [], {})
    assert layer is not None
    assert call(layer, None).unknown
