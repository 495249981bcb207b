"""Core layers: hypothesis-drawn arguments and input shapes, each checked against Keras."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from support.engine_vs_keras import FN, assert_same
from support.keras_truth import FAMILY_COUNTS

DIM = st.one_of(st.none(), st.integers(0, 6))


def shapes(min_rank: int = 0, max_rank: int = 5) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(DIM, min_size=min_rank, max_size=max_rank).map(tuple)


NUM = st.one_of(st.floats(-1, 2, allow_nan=False), st.sampled_from([None, 0, "a", True]))
EQUATIONS = ["ab,bc->ac", "abc,cd->abd", "abc,cde->abde", "...b,bc->...c", "ab...,bc->ac...",
             "ab,bcd->acd", "abc,cd->ad", "ab,bc->ad", "abc", "abc,cd->abcd", "ab,b->a"]


@st.composite
def core_case(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    name = draw(st.sampled_from([
        "Input", "InputLayer", "Dense", "EinsumDense", "Embedding", "Activation", "ReLU",
        "LeakyReLU", "PReLU", "ELU", "Softmax", "Identity", "Masking", "Lambda"]))
    shape = draw(shapes(0, 4))
    kwargs: dict[str, Any] = {}
    args: tuple[Any, ...] = ()
    if name in ("Input", "InputLayer"):
        which = draw(st.sampled_from(["shape", "batch_shape", "both", "none"]))
        if which in ("shape", "both"):
            key = "input_shape" if name == "InputLayer" and draw(st.booleans()) else "shape"
            kwargs[key] = draw(st.one_of(shapes(0, 3), st.sampled_from([3, (2.0,), (-1,)])))
        if which in ("batch_shape", "both"):
            key = ("batch_input_shape" if name == "InputLayer" and draw(st.booleans())
                   else "batch_shape")
            kwargs[key] = draw(shapes(0, 3))
        if draw(st.booleans()):
            kwargs["batch_size"] = draw(st.sampled_from([None, 4, 2.0, -1]))
        if draw(st.booleans()):
            kwargs["dtype"] = draw(st.sampled_from(["float32", "int", "foo", "int8"]))
    elif name == "Dense":
        args = (draw(st.one_of(st.integers(-1, 6), st.sampled_from([2.0, True]))),)
        if draw(st.booleans()):
            kwargs["use_bias"] = draw(st.booleans())
        if draw(st.booleans()):
            kwargs["activation"] = draw(st.sampled_from(["relu", "gelu", "foo", None]))
        if draw(st.booleans()):
            kwargs["lora_rank"] = draw(st.sampled_from([None, 0, 1, 3]))
    elif name == "EinsumDense":
        out = draw(st.one_of(st.integers(0, 5), shapes(0, 3)))
        args = (draw(st.sampled_from(EQUATIONS)), out)
        if draw(st.booleans()):
            kwargs["bias_axes"] = draw(st.sampled_from(["c", "d", "bd", "x", "e", "ac"]))
        if draw(st.booleans()):
            kwargs["lora_rank"] = draw(st.sampled_from([None, 1, 2]))
    elif name == "Embedding":
        args = (draw(st.one_of(st.integers(-1, 20), st.just(2.0))),
                draw(st.one_of(st.integers(0, 6), st.just(True))))
        if draw(st.booleans()):
            kwargs["input_length"] = draw(st.integers(1, 9))
        if draw(st.booleans()):
            kwargs["lora_rank"] = draw(st.sampled_from([None, 2]))
    elif name == "Activation":
        args = (draw(st.sampled_from(["relu", "softmax", "swish", "hard_swish", "foo", None])),)
    elif name == "ReLU":
        for arg in ("max_value", "negative_slope", "threshold"):
            if draw(st.booleans()):
                kwargs[arg] = draw(NUM)
    elif name == "LeakyReLU":
        if draw(st.booleans()):
            kwargs[draw(st.sampled_from(["alpha", "negative_slope"]))] = draw(NUM)
    elif name == "PReLU":
        if draw(st.booleans()):
            kwargs["shared_axes"] = draw(st.one_of(
                st.integers(-2, 4), st.lists(st.integers(-3, 4), max_size=3), st.just(None)))
    elif name in ("ELU", "Softmax", "Masking"):
        if draw(st.booleans()):
            kwargs[{"ELU": "alpha", "Softmax": "axis", "Masking": "mask_value"}[name]] = draw(NUM)
    elif name == "Lambda":
        args = (FN,)
        kwargs["output_shape"] = draw(st.one_of(
            shapes(0, 3), st.lists(shapes(1, 2), min_size=1, max_size=2).map(tuple),
            st.sampled_from([[3], 7, (-1,)])))
    return name, args, kwargs, shape


@settings(max_examples=280, deadline=None, derandomize=True)
@given(core_case())
def test_core_property(case: tuple[str, tuple[Any, ...], dict[str, Any], Any]) -> None:
    FAMILY_COUNTS["core"] += 1
    assert_same(*case)
