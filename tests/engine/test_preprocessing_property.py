"""Shape-changing preprocessing layers: hypothesis-drawn cases, each checked against Keras."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from support.engine_vs_keras import assert_same
from support.keras_truth import FAMILY_COUNTS

DIM = st.one_of(st.none(), st.integers(0, 6))


def shapes(min_rank: int = 0, max_rank: int = 5) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(DIM, min_size=min_rank, max_size=max_rank).map(tuple)


SIZE = st.one_of(st.integers(-2, 9), st.sampled_from([None, 2.0, "4", True]))
FORMAT = st.sampled_from(["channels_first", "channels_last", "Channels_First", "nhwc", None])


@st.composite
def pre_case(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    name = draw(st.sampled_from(["Resizing", "CenterCrop", "RandomCrop", "Rescaling",
                                 "CategoryEncoding"]))
    kwargs: dict[str, Any] = {}
    if name == "Rescaling":
        return name, (draw(st.sampled_from([1 / 255, 2, [1, 2, 3]])),), kwargs, draw(shapes())
    if name == "CategoryEncoding":
        if draw(st.booleans()):
            kwargs["num_tokens"] = draw(st.one_of(st.integers(-1, 9),
                                                  st.sampled_from([None, 2.5, "a", True])))
        if draw(st.booleans()):
            kwargs["output_mode"] = draw(st.sampled_from(
                ["one_hot", "multi_hot", "count", "binary", "tf_idf", "foo"]))
        return name, (), kwargs, draw(shapes(0, 4))
    if draw(st.booleans()):
        kwargs["data_format"] = draw(FORMAT)
    if name == "RandomCrop" and draw(st.booleans()):
        kwargs["seed"] = draw(st.sampled_from([None, 3, 1.5]))
    if name == "Resizing" and draw(st.booleans()):
        kwargs["crop_to_aspect_ratio"] = draw(st.booleans())
    return name, (draw(SIZE), draw(SIZE)), kwargs, draw(shapes(0, 6))


@settings(max_examples=260, deadline=None, derandomize=True)
@given(pre_case())
def test_preprocessing_property(case: tuple[str, tuple[Any, ...], dict[str, Any], Any]) -> None:
    FAMILY_COUNTS["preprocessing"] += 1
    assert_same(*case)
