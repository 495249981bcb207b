"""Property test: the pooling engine agrees with real Keras on drawn layers, arguments and inputs.

Draws Max/AveragePooling1D/2D/3D and GlobalMax/GlobalAveragePooling1D/2D/3D (and aliases), valid
and invalid arguments (pools larger than the input, zero or negative strides, upper-case and
misspelled padding, which pooling layers only reject when called), None batch/spatial dims,
channels_first, keepdims, and wrong input ranks. Asserts: accepted iff Keras accepts; the same
stage when rejected; equal output shape and parameter count when accepted.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shapelens.engine import ShapeError, call, construct
from shapelens.engine.codes import CODES
from support.keras_truth import FAMILY_COUNTS, layer_truth

POOLS: dict[str, int] = {
    "MaxPooling1D": 1, "MaxPooling2D": 2, "MaxPooling3D": 3,
    "AveragePooling1D": 1, "AveragePooling2D": 2, "AveragePooling3D": 3,
    "MaxPool2D": 2, "AvgPool1D": 1,
}
GLOBALS: dict[str, int] = {
    "GlobalMaxPooling1D": 1, "GlobalMaxPooling2D": 2, "GlobalMaxPooling3D": 3,
    "GlobalAveragePooling1D": 1, "GlobalAveragePooling2D": 2, "GlobalAveragePooling3D": 3,
    "GlobalAvgPool2D": 2, "GlobalMaxPool1D": 1,
}
ADAPTIVE: dict[str, int] = {
    "AdaptiveMaxPooling1D": 1, "AdaptiveMaxPooling2D": 2, "AdaptiveMaxPooling3D": 3,
    "AdaptiveAveragePooling1D": 1, "AdaptiveAveragePooling2D": 2, "AdaptiveAveragePooling3D": 3,
}
GOOD_PADDINGS = ["valid", "same"]
BAD_PADDINGS = ["SAME", "Valid", "VALID", "vaild", "causal", "full"]
FORMATS = [None, "channels_last", "channels_first", "CHANNELS_FIRST"]


def _per_axis(draw: Any, rank: int, lo: int, hi: int, bad: list[Any], wild: bool) -> Any:
    choice = draw(st.integers(0, 9))
    if wild and choice <= 2 and bad:
        return draw(st.sampled_from(bad))
    if choice <= 5:
        return draw(st.integers(lo, hi))
    return tuple(draw(st.integers(lo, hi)) for _ in range(rank))


@st.composite
def pooling_case(draw: Any) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    group = draw(st.sampled_from([POOLS, POOLS, POOLS, GLOBALS, ADAPTIVE]))
    is_global = group is GLOBALS
    name = draw(st.sampled_from(sorted(group)))
    rank = group[name]
    wild = draw(st.integers(0, 2)) == 0
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    if group is ADAPTIVE:
        args.append(_per_axis(draw, rank, 0, 8, [-1, 2.5, (2,) * (rank + 1), "3"], wild))
    elif is_global:
        if draw(st.booleans()):
            kwargs["keepdims"] = draw(st.sampled_from([True, False, 1, 0]))
    else:
        needs_pool = name.startswith(("AveragePooling3D",))
        if needs_pool or draw(st.booleans()):
            pool = _per_axis(draw, rank, 1, 4, [0, -1, (2,) * (rank + 1)], wild)
            if draw(st.booleans()):
                args.append(pool)
            else:
                kwargs["pool_size"] = pool
        if draw(st.booleans()):
            kwargs["strides"] = draw(st.one_of(
                st.none(), st.just(_per_axis(draw, rank, 1, 3, [0, -1, (0,) * rank], wild))
            ))
        if draw(st.booleans()):
            pads = GOOD_PADDINGS + BAD_PADDINGS if wild else GOOD_PADDINGS
            kwargs["padding"] = draw(st.sampled_from(pads))
    if draw(st.booleans()):
        kwargs["data_format"] = draw(st.sampled_from(FORMATS))

    ndim = rank + 2
    if wild:
        ndim += draw(st.sampled_from([0, 0, 0, -1, 1]))
    batch = draw(st.sampled_from([None, None, 1, 3]))
    spatial = [
        draw(st.one_of(st.integers(1, 12), st.sampled_from([None, 0, 1, 2])))
        if wild else draw(st.one_of(st.integers(3, 30), st.sampled_from([None, 571, 572])))
        for _ in range(max(ndim - 2, 0))
    ]
    channels = draw(st.one_of(st.integers(1, 8), st.none()))
    first = str(kwargs.get("data_format") or "").lower() == "channels_first"
    shape = (batch, channels, *spatial) if first else (batch, *spatial, channels)
    return name, tuple(args), kwargs, shape


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pooling_case())
def test_pooling_engine_agrees_with_keras(
    case: tuple[str, tuple[Any, ...], dict[str, Any], Any],
) -> None:
    name, args, kwargs, shape = case
    FAMILY_COUNTS["pooling"] += 1
    truth = layer_truth(name, args, kwargs, shape)
    event(f"{name}: ok" if truth.ok else f"rejected at {truth.stage}")
    err: ShapeError | None = None
    result = None
    try:
        layer = construct(name, args, kwargs)
        assert layer is not None
        result = call(layer, shape)
    except ShapeError as e:
        err = e
    where = f"{name}{args}{kwargs} on {shape}\nkeras: {truth}\nengine: {err!r}"
    if truth.ok:
        assert err is None, where
        assert result is not None and result.unknown is None, where
        assert result.outputs == truth.outputs, where
        assert result.params == truth.params, where
        assert result.derivation, where
        default_strides = kwargs.get("strides") is None
        if default_strides and name in POOLS:
            assert any(n.startswith("strides=None -> pool_size") for n in result.notes), where
    else:
        assert err is not None, where
        assert err.at == truth.stage, where
        assert err.code in CODES, where
