"""tf.nn.space_to_depth / depth_to_space against TensorFlow on concrete tensors."""

from __future__ import annotations

import pytest

from shapelens.engine import ShapeError, Tensor, apply_op

CASES = [
    ("space_to_depth", (2, 8, 8, 3), 2, "NHWC"),
    ("space_to_depth", (1, 9, 6, 4), 3, "NHWC"),
    ("space_to_depth", (2, 7, 8, 3), 2, "NHWC"),
    ("depth_to_space", (2, 4, 4, 12), 2, "NHWC"),
    ("depth_to_space", (2, 4, 4, 10), 2, "NHWC"),
    ("space_to_depth", (2, 8, 8, 3), 1, "NHWC"),
]


@pytest.mark.parametrize(("fn", "shape", "block", "fmt"), CASES)
def test_matches_tensorflow(fn: str, shape: tuple[int, ...], block: int, fmt: str) -> None:
    import tensorflow as tf

    try:
        truth = tuple(getattr(tf.nn, fn)(tf.zeros(shape), block, data_format=fmt).shape)
    except Exception:  # TF rejects it: so must we
        truth = None
    try:
        result = apply_op(f"tf.nn.{fn}", [Tensor(shape), block], {"data_format": fmt})
        assert result is not None
        got = result.outputs
    except ShapeError:
        got = None
    assert got == truth
