"""Helpers over input shapes that every family needs: one input, rank checks (Keras' InputSpec).

Rank errors are worded as Keras' `assert_input_compatibility` words them.
"""

from __future__ import annotations

from typing import Any

from .types import MaybeShape, NotKnown, Shape, ShapeError, fmt_shape


def single(inputs: Any, owner: str) -> Shape:
    """The one input shape of a single-input layer; NotKnown when its rank is unknown."""
    if isinstance(inputs, list):
        if len(inputs) != 1:
            raise ShapeError(
                "incompatible-shape",
                f"Layer '{owner}' expects 1 input(s), but it received {len(inputs)} input tensors.",
            )
        inputs = inputs[0]
    if inputs is None:
        raise NotKnown("the input's rank is not known")
    shape: Shape = tuple(inputs)
    return shape


def check_rank(
    shape: Shape, owner: str, ndim: int | None = None, min_ndim: int | None = None,
    max_ndim: int | None = None,
) -> None:
    n = len(shape)
    if ndim is not None and n != ndim:
        raise ShapeError(
            "invalid-input-rank",
            f"Input 0 of layer \"{owner}\" is incompatible with the layer: expected ndim={ndim}, "
            f"found ndim={n}. Full shape received: {fmt_shape(shape)}",
        )
    if min_ndim is not None and n < min_ndim:
        raise ShapeError(
            "invalid-input-rank",
            f"Input 0 of layer \"{owner}\" is incompatible with the layer: expected "
            f"min_ndim={min_ndim}, found ndim={n}. Full shape received: {fmt_shape(shape)}",
        )
    if max_ndim is not None and n > max_ndim:
        raise ShapeError(
            "invalid-input-rank",
            f"Input 0 of layer \"{owner}\" is incompatible with the layer: expected "
            f"max_ndim={max_ndim}, found ndim={n}. Full shape received: {fmt_shape(shape)}",
        )


def need_dim(shape: Shape, axis: int, owner: str, what: str) -> int:
    """A dim Keras needs defined to build weights (e.g. the channels axis)."""
    d = shape[axis]
    if d is None:
        raise ShapeError(
            "incompatible-shape",
            f"The {what} dimension of the inputs to `{owner}` should be defined. "
            f"Found None. Full input shape received: {fmt_shape(shape)}",
        )
    return d


def shapes_of(inputs: Any) -> list[MaybeShape]:
    """A list-of-inputs layer's input shapes (merging, attention)."""
    if not isinstance(inputs, list):
        return [inputs]
    return list(inputs)
