"""Normalization layers: hypothesis-drawn arguments and input shapes, each checked against Keras."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from support.engine_vs_keras import assert_same
from support.keras_truth import FAMILY_COUNTS

DIM = st.one_of(st.none(), st.integers(0, 6))


def shapes(min_rank: int = 0, max_rank: int = 5) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(DIM, min_size=min_rank, max_size=max_rank).map(tuple)


AXIS = st.one_of(st.integers(-5, 5), st.lists(st.integers(-4, 4), max_size=3),
                 st.sampled_from([1.5, "1", "a", True, None]))
BOOL = st.booleans()


@st.composite
def norm_case(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    name = draw(st.sampled_from(["BatchNormalization", "LayerNormalization",
                                 "GroupNormalization", "UnitNormalization", "RMSNormalization"]))
    kwargs: dict[str, Any] = {}
    if draw(BOOL):
        kwargs["axis"] = draw(AXIS)
    if name in ("BatchNormalization", "LayerNormalization", "GroupNormalization"):
        if draw(BOOL):
            kwargs["center"] = draw(BOOL)
        if draw(BOOL):
            kwargs["scale"] = draw(BOOL)
    if name == "BatchNormalization" and draw(BOOL):
        kwargs["renorm"] = True
        if draw(BOOL):
            kwargs["renorm_clipping"] = draw(st.sampled_from(
                [{"rmax": 3.0, "rmin": 1.0}, {"rmax": 1, "rmin": 2}, {"dmax": -1}, {"x": 1}]))
    if name == "LayerNormalization" and draw(BOOL):
        kwargs["rms_scaling"] = draw(BOOL)
    if name == "GroupNormalization":
        kwargs["groups"] = draw(st.sampled_from([-1, 0, 1, 2, 3, 4, 32, 2.0, True]))
    return name, (), kwargs, draw(shapes(0, 4))


@settings(max_examples=260, deadline=None, derandomize=True)
@given(norm_case())
def test_normalization_property(case: tuple[str, tuple[Any, ...], dict[str, Any], Any]) -> None:
    FAMILY_COUNTS["normalization"] += 1
    assert_same(*case)
