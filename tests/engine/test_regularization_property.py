"""Regularization layers: hypothesis-drawn arguments and shapes, each checked against Keras."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from support.engine_vs_keras import assert_same
from support.keras_truth import FAMILY_COUNTS

DIM = st.one_of(st.none(), st.integers(0, 6))


def shapes(min_rank: int = 0, max_rank: int = 5) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(DIM, min_size=min_rank, max_size=max_rank).map(tuple)


RATE = st.one_of(st.floats(-0.5, 1.5, allow_nan=False), st.sampled_from([0, 1, True, "0.5", None]))
SEED = st.sampled_from([None, 1, "x", 1.5])


@st.composite
def reg_case(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    name = draw(st.sampled_from(["Dropout", "SpatialDropout1D", "SpatialDropout2D",
                                 "SpatialDropout3D", "GaussianNoise", "GaussianDropout",
                                 "AlphaDropout", "ActivityRegularization"]))
    kwargs: dict[str, Any] = {}
    if name == "ActivityRegularization":
        for arg in ("l1", "l2"):
            if draw(st.booleans()):
                kwargs[arg] = draw(st.one_of(
                    st.floats(-1, 1, allow_nan=False),
                    st.sampled_from([None, "a", float("inf"), float("nan"), 0])))
        return name, (), kwargs, draw(shapes(0, 4))
    args = (draw(RATE),)
    if draw(st.booleans()):
        kwargs["seed"] = draw(SEED)
    if name in ("Dropout", "AlphaDropout") and draw(st.booleans()):
        kwargs["noise_shape"] = draw(st.one_of(
            shapes(0, 3), st.sampled_from(["ab", 3, (1.0,), (None, -1)])))
    if name in ("SpatialDropout2D", "SpatialDropout3D") and draw(st.booleans()):
        kwargs["data_format"] = draw(st.sampled_from(
            ["channels_first", "channels_last", "CHANNELS_LAST", "nhwc", None]))
    return name, args, kwargs, draw(shapes(0, 6))


@settings(max_examples=260, deadline=None, derandomize=True)
@given(reg_case())
def test_regularization_property(case: tuple[str, tuple[Any, ...], dict[str, Any], Any]) -> None:
    FAMILY_COUNTS["regularization"] += 1
    assert_same(*case)
