"""Reshaping layers, property cases: hypothesis draws a layer, valid and invalid arguments and input
shapes (None dims, ranks 1-5); the engine must accept/reject exactly as Keras (TF 2.21) does, at the
same stage, with equal output shapes and parameter counts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shapelens.engine import ShapeError, call, construct
from support.keras_truth import FAMILY_COUNTS, layer_truth

N = None
FORMATS = st.sampled_from([None, "channels_last", "channels_first", "Channels_First", "nhwc"])
DIM = st.sampled_from([3, 1, 2, 4, 5, 6, 7, 8, 2, 3, 4, 6, None, None, 0])


def shape_of(draw: Any, rank: int) -> tuple[Any, ...]:
    batch = draw(st.sampled_from([None, None, 2]))
    return (batch, *(draw(DIM) for _ in range(rank - 1)))


def ranks(draw: Any, expected: int) -> int:
    return draw(st.sampled_from([expected] * 6 + [max(1, expected - 1), expected + 1]))


def int_or_pair(draw: Any, lo: int, hi: int) -> Any:
    return draw(
        st.one_of(
            st.integers(lo, hi),
            st.tuples(st.integers(lo, hi), st.integers(lo, hi)),
            st.sampled_from([(1, 2, 3), (1.5, 1), "ab", 1.5, (1,), True]),
        )
    )


def nd_pairs(draw: Any, n: int, lo: int, hi: int) -> Any:
    """Cropping2D/3D, ZeroPadding2D/3D: an int, n ints, n pairs, or something malformed."""
    kind = draw(st.sampled_from(["int", "ints", "pairs", "pairs", "bad"]))
    if kind == "int":
        return draw(st.integers(lo, hi))
    if kind == "ints":
        return tuple(draw(st.integers(max(lo, 0), hi)) for _ in range(n))
    if kind == "pairs":
        return tuple(
            (draw(st.integers(lo, hi)), draw(st.integers(lo, hi))) if draw(st.booleans())
            else draw(st.integers(max(lo, 0), hi))
            for _ in range(n)
        )
    return draw(
        st.sampled_from([
            tuple(range(n + 1)), (1,) * (n - 1), 1.5, None, "ab"[:n] if n == 2 else "abc",
            tuple((1.5, 1) for _ in range(n)), tuple((1, 2, 3) for _ in range(n)),
        ])
    )


NAMES = [
    "Flatten", "Reshape", "Permute", "RepeatVector",
    "Cropping1D", "Cropping2D", "Cropping3D",
    "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    "UpSampling1D", "UpSampling2D", "UpSampling3D",
]


@st.composite
def reshape_cases(draw: Any, name: str) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    kwargs: dict[str, Any] = {}
    args: tuple[Any, ...] = ()
    if name == "Flatten":
        kwargs["data_format"] = draw(FORMATS)
        shape = shape_of(draw, draw(st.integers(1, 5)))
    elif name == "Reshape":
        shape = shape_of(draw, draw(st.integers(1, 5)))
        size = 1
        for d in shape[1:]:
            size *= d if d is not None else 1
        if draw(st.booleans()):
            # A target built from the input's size, maybe with one -1: mostly valid.
            dims = [size]
            if size > 1 and size % 2 == 0 and draw(st.booleans()):
                dims = [2, size // 2]
            if draw(st.booleans()):
                dims[draw(st.integers(0, len(dims) - 1))] = -1
            target: Any = tuple(dims)
        else:
            target = tuple(draw(st.lists(
                st.sampled_from([-2, -1, -1, 0, 1, 2, 3, 4, 6, None, 2.0]), min_size=0,
                max_size=4)))
        if draw(st.integers(0, 9)) == 5:
            target = draw(st.sampled_from([5, list(target), None]))
        args = (target,)
    elif name == "Permute":
        k = draw(st.integers(0, 4))
        dims = list(draw(st.permutations(list(range(1, k + 1)))))
        if k and draw(st.integers(0, 4)) == 2:
            dims[draw(st.integers(0, k - 1))] = draw(st.sampled_from([0, k + 1, 1, -1, 1.0]))
        args = (tuple(dims),)
        shape = shape_of(draw, ranks(draw, k + 1))
    elif name == "RepeatVector":
        args = (draw(st.sampled_from([1, 2, 3, 5, 0, -1, 2.0, True])),)
        shape = shape_of(draw, ranks(draw, 2))
    elif name == "Cropping1D":
        if draw(st.integers(0, 5)):
            args = (int_or_pair(draw, -1, 4),)
        shape = shape_of(draw, ranks(draw, 3))
    elif name in ("Cropping2D", "Cropping3D"):
        n = int(name[-2])
        if draw(st.integers(0, 5)):
            kwargs["cropping"] = nd_pairs(draw, n, -1, 4)
        kwargs["data_format"] = draw(FORMATS)
        shape = shape_of(draw, ranks(draw, n + 2))
    elif name == "ZeroPadding1D":
        if draw(st.integers(0, 5)):
            args = (int_or_pair(draw, -1, 3),)
        kwargs["data_format"] = draw(FORMATS)
        shape = shape_of(draw, ranks(draw, 3))
    elif name in ("ZeroPadding2D", "ZeroPadding3D"):
        n = int(name[-2])
        if draw(st.integers(0, 5)):
            kwargs["padding"] = nd_pairs(draw, n, -3, 3)
        kwargs["data_format"] = draw(FORMATS)
        shape = shape_of(draw, ranks(draw, n + 2))
    elif name == "UpSampling1D":
        args = (draw(st.sampled_from([1, 2, 3, 0, -1, True, 2.0, (2,)])),)
        shape = shape_of(draw, ranks(draw, 3))
    else:
        n = int(name[-2])
        size = draw(st.one_of(
            st.sampled_from([1, 2, 3, 2, 0, -1]),
            st.tuples(*[st.sampled_from([1, 2, 3, 2, 0])] * n),
            st.sampled_from([(1.5,) * n, (2,) * (n + 1), True, "ab", None]),
        ))
        kwargs["size"] = size
        kwargs["data_format"] = draw(FORMATS)
        if n == 2:
            kwargs["interpolation"] = draw(
                st.sampled_from(["nearest", "bilinear", "BICUBIC", "foo", 3])
            )
        shape = shape_of(draw, ranks(draw, n + 2))
    return name, args, kwargs, shape


@pytest.mark.parametrize("layer", NAMES)
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_reshaping_matches_keras(layer: str, data: st.DataObject) -> None:
    FAMILY_COUNTS["reshaping"] += 1
    name, args, kwargs, shape = data.draw(reshape_cases(layer))
    truth = layer_truth(name, args, kwargs, shape)
    where = f"{name}{args}{kwargs} on {shape}"
    try:
        layer = construct(name, list(args), kwargs)
        assert layer is not None and layer.unknown is None
        stage, got = "ok", call(layer, shape)
    except ShapeError as e:
        stage, got = e.at, e
    event(f"{name}: {'ok' if truth.ok else truth.stage}")
    if truth.ok:
        assert stage == "ok", f"{where}: Keras accepts -> {truth.outputs}, we reject: {got!r}"
        assert got.outputs == truth.outputs, f"{where}: {got.outputs} != Keras {truth.outputs}"
        assert got.params == truth.params
    else:
        assert stage != "ok", f"{where}: Keras rejects ({truth.message[:300]}), we say {got}"
        assert stage == truth.stage, f"{where}: stage {stage} != Keras {truth.stage}: {got!r}"
