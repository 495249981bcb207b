"""Property test: the conv engine agrees with real Keras on drawn layers, arguments and inputs.

Draws every conv layer (all ranks, transposed, separable, depthwise), valid and invalid arguments
(kernels larger than the input, bad or upper-case padding strings, zero strides, groups that do not
divide, output_padding >= strides, ...), and input shapes with None batch/spatial/channel dims and
wrong ranks. Asserts: accepted iff Keras accepts; the same stage when rejected; equal output shape
and parameter count when accepted.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shapelens.engine import ShapeError, call, construct
from shapelens.engine.codes import CODES
from support.keras_truth import FAMILY_COUNTS, layer_truth

LAYERS: dict[str, tuple[str, int]] = {
    "Conv1D": ("conv", 1),
    "Conv2D": ("conv", 2),
    "Conv3D": ("conv", 3),
    "Convolution2D": ("conv", 2),
    "Conv1DTranspose": ("transpose", 1),
    "Conv2DTranspose": ("transpose", 2),
    "Conv3DTranspose": ("transpose", 3),
    "DepthwiseConv1D": ("depthwise", 1),
    "DepthwiseConv2D": ("depthwise", 2),
    "SeparableConv1D": ("separable", 1),
    "SeparableConv2D": ("separable", 2),
}

GOOD_PADDINGS = ["valid", "same", "valid", "same", "VALID", "Same"]
BAD_PADDINGS = ["causal", "SAME", "CAUSAL", "vaild", "full", "causal"]


def _per_axis(draw: Any, rank: int, lo: int, hi: int, bad: list[Any], wild: bool) -> Any:
    """An int, a tuple of `rank` ints, or (when `wild`, sometimes) an invalid value from `bad`."""
    choice = draw(st.integers(0, 9))
    if wild and choice <= 2 and bad:
        return draw(st.sampled_from(bad))
    if choice <= 5:
        return draw(st.integers(lo, hi))
    return tuple(draw(st.integers(lo, hi)) for _ in range(rank))


@st.composite
def conv_case(draw: Any) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    name = draw(st.sampled_from(sorted(LAYERS)))
    kind, rank = LAYERS[name]
    # About a third of the cases may hold invalid arguments or inputs; the rest are plausible
    # layers (which Keras may still reject, e.g. a kernel larger than the input).
    wild = draw(st.integers(0, 2)) == 0
    kwargs: dict[str, Any] = {}
    args: list[Any] = []
    if wild:
        filters = draw(st.one_of(st.integers(1, 8), st.sampled_from([0, -1, None, 6, 12])))
    else:
        filters = draw(st.integers(1, 12))
    kernel = _per_axis(draw, rank, 1, 4, [0, (3,) * (rank + 1), -1], wild)
    if kind != "depthwise":
        args.append(filters)
    if draw(st.booleans()):
        args.append(kernel)
    else:
        kwargs["kernel_size"] = kernel
    dilate = draw(st.integers(0, 3)) == 0
    if draw(st.booleans()) and (wild or not dilate):
        kwargs["strides"] = _per_axis(draw, rank, 1, 3, [0, -1], wild)
    if draw(st.booleans()):
        pads = GOOD_PADDINGS + BAD_PADDINGS if wild else GOOD_PADDINGS
        if kind == "conv" and rank == 1:
            pads = [*pads, "causal", "CAUSAL"]
        kwargs["padding"] = draw(st.sampled_from(pads))
    if dilate:
        kwargs["dilation_rate"] = _per_axis(draw, rank, 1, 3, [0], wild)
    if kind == "conv" and draw(st.integers(0, 2)) == 0:
        kwargs["groups"] = draw(st.integers(0, 4) if wild else st.sampled_from([1, 2, 3]))
        if not wild and filters % kwargs["groups"]:
            args[0] = filters * kwargs["groups"]
    if kind == "transpose" and draw(st.booleans()):
        kwargs["output_padding"] = _per_axis(draw, rank, 0, 2, [-1, None], wild)
    if kind in ("depthwise", "separable") and draw(st.booleans()):
        kwargs["depth_multiplier"] = draw(st.integers(0 if wild else 1, 3))
    if draw(st.booleans()):
        kwargs["data_format"] = draw(
            st.sampled_from([None, "channels_last", "channels_first", "CHANNELS_FIRST"])
        )
    if draw(st.integers(0, 3)) == 0:
        kwargs["use_bias"] = False

    ndim = rank + 2
    if wild:
        ndim += draw(st.sampled_from([0, 0, 0, -1, 1]))
    batch = draw(st.sampled_from([None, None, 1, 2]))
    spatial = [
        draw(st.one_of(st.integers(1, 16), st.sampled_from([None, 0, 2, 3, 20])))
        if wild else draw(st.one_of(st.integers(4, 24), st.sampled_from([None, 5])))
        for _ in range(ndim - 2)
    ]
    if wild:
        channels = draw(st.one_of(st.integers(1, 6), st.sampled_from([None, 4, 8])))
    else:
        channels = draw(st.sampled_from([1, 2, 3, 4, 6, 12]))
    first = str(kwargs.get("data_format") or "").lower() == "channels_first"
    shape = (batch, channels, *spatial) if first else (batch, *spatial, channels)
    return name, tuple(args), kwargs, shape


@settings(
    max_examples=500,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(conv_case())
def test_conv_engine_agrees_with_keras(
    case: tuple[str, tuple[Any, ...], dict[str, Any], Any],
) -> None:
    name, args, kwargs, shape = case
    FAMILY_COUNTS["conv"] += 1
    truth = layer_truth(name, args, kwargs, shape)
    err: ShapeError | None = None
    result = None
    try:
        layer = construct(name, args, kwargs)
        assert layer is not None
        result = call(layer, shape)
    except ShapeError as e:
        err = e
    event(f"{name}: ok" if truth.ok else f"rejected at {truth.stage}")
    where = f"{name}{args}{kwargs} on {shape}\nkeras: {truth}\nengine: {err!r}"
    if truth.ok:
        assert err is None, where
        assert result is not None and result.unknown is None, where
        assert result.outputs == truth.outputs, where
        assert result.params == truth.params, where
        assert result.derivation, where
    else:
        assert err is not None, where
        assert err.at == truth.stage, where
        assert err.code in CODES, where
