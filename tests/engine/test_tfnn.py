"""Named cases for `tf.nn` conv/pool ops: engine == TF 2.21 (expected values traced in the test)."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine.registry import apply_op, known_ops
from shapelens.engine.types import Result, ShapeError, Tensor
from support.op_truth import truth

T = Tensor
X = T((1, 5, 5, 3))
W = T((3, 3, 3, 7))

CASES: list[tuple[str, str, list[Any], dict[str, Any]]] = [
    ("article conv2d SAME stride 2", "tf.nn.conv2d", [X, W], {"strides": [1, 2, 2, 1],
                                                            "padding": "SAME"}),
    ("article conv2d, TF1 spelling with filter=", "tf.compat.v1.nn.conv2d", [X],
     {"filter": W, "strides": [1, 2, 2, 1], "padding": "SAME"}),
    ("TF1 conv2d positional", "tf.compat.v1.nn.conv2d", [X, W, [1, 2, 2, 1], "SAME"], {}),
    ("article max_pool VALID", "tf.nn.max_pool", [X], {"ksize": [1, 2, 2, 1],
                                                       "strides": [1, 2, 2, 1],
                                                       "padding": "VALID"}),
    ("TF1 max_pool", "tf.compat.v1.nn.max_pool", [X], {"ksize": [1, 2, 2, 1],
                                                      "strides": [1, 2, 2, 1],
                                                      "padding": "VALID"}),
    ("conv2d int stride", "tf.nn.conv2d", [X, W], {"strides": 2, "padding": "VALID"}),
    ("conv2d length-2 strides", "tf.nn.conv2d", [X, W], {"strides": [2, 1], "padding": "SAME"}),
    ("conv2d bad strides length", "tf.nn.conv2d", [X, W], {"strides": [1, 2, 2],
                                                          "padding": "SAME"}),
    ("conv2d lowercase padding", "tf.nn.conv2d", [X, W], {"strides": 1, "padding": "same"}),
    ("conv2d unknown padding", "tf.nn.conv2d", [X, W], {"strides": 1, "padding": "FULL"}),
    ("conv2d explicit padding", "tf.nn.conv2d", [X, W],
     {"strides": 1, "padding": [[0, 0], [1, 1], [2, 2], [0, 0]]}),
    ("conv2d explicit padding on batch", "tf.nn.conv2d", [X, W],
     {"strides": 1, "padding": [[1, 0], [1, 1], [2, 2], [0, 0]]}),
    ("conv2d dilation 2", "tf.nn.conv2d", [X, W], {"strides": 1, "padding": "VALID",
                                                  "dilations": 2}),
    ("conv2d NCHW", "tf.nn.conv2d", [T((None, 3, 9, 8)), W],
     {"strides": 2, "padding": "SAME", "data_format": "NCHW"}),
    ("conv2d None dims", "tf.nn.conv2d", [T((None, None, 9, 3)), W],
     {"strides": 2, "padding": "VALID"}),
    ("conv2d grouped", "tf.nn.conv2d", [T((1, 5, 5, 6)), T((3, 3, 3, 8))],
     {"strides": 1, "padding": "SAME"}),
    ("conv2d channels mismatch", "tf.nn.conv2d", [T((1, 5, 5, 4)), W],
     {"strides": 1, "padding": "SAME"}),
    ("conv2d kernel too large", "tf.nn.conv2d", [T((1, 2, 5, 3)), W],
     {"strides": 1, "padding": "VALID"}),
    ("conv1d", "tf.nn.conv1d", [T((None, 10, 3)), T((3, 3, 5))], {"stride": 2,
                                                                 "padding": "VALID"}),
    ("conv1d NCW", "tf.nn.conv1d", [T((None, 3, 10)), T((3, 3, 5))],
     {"stride": 1, "padding": "SAME", "data_format": "NCW"}),
    ("conv3d", "tf.nn.conv3d", [T((2, 8, 8, 8, 1)), T((3, 3, 3, 1, 4))],
     {"strides": [1, 2, 2, 2, 1], "padding": "SAME"}),
    ("conv3d int strides", "tf.nn.conv3d", [T((2, 8, 8, 8, 1)), T((3, 3, 3, 1, 4))],
     {"strides": 2, "padding": "SAME"}),
    ("conv2d_transpose", "tf.nn.conv2d_transpose", [T((1, 3, 3, 7)), W, [1, 5, 5, 3]],
     {"strides": 2, "padding": "SAME"}),
    ("conv2d_transpose spatial output_shape", "tf.nn.conv2d_transpose",
     [T((None, 3, 3, 7)), W, [6, 6]], {"strides": 2}),
    ("conv2d_transpose channel mismatch", "tf.nn.conv2d_transpose",
     [T((1, 3, 3, 6)), W, [1, 5, 5, 3]], {"strides": 2}),
    ("conv1d_transpose", "tf.nn.conv1d_transpose", [T((2, 4, 7)), T((3, 3, 7)), [2, 8, 3]],
     {"strides": 2}),
    ("conv3d_transpose", "tf.nn.conv3d_transpose",
     [T((2, 4, 4, 4, 7)), T((3, 3, 3, 3, 7)), [2, 8, 8, 8, 3]], {"strides": 2}),
    ("depthwise_conv2d", "tf.nn.depthwise_conv2d", [X, T((3, 3, 3, 2))],
     {"strides": [1, 2, 2, 1], "padding": "SAME"}),
    ("depthwise_conv2d int strides", "tf.nn.depthwise_conv2d", [X, T((3, 3, 3, 2))],
     {"strides": 2, "padding": "SAME"}),
    ("depthwise_conv2d dilations", "tf.nn.depthwise_conv2d", [X, T((3, 3, 3, 2))],
     {"strides": [1, 1, 1, 1], "padding": "VALID", "dilations": [2, 2]}),
    ("separable_conv2d", "tf.nn.separable_conv2d", [X, T((3, 3, 3, 2)), T((1, 1, 6, 8))],
     {"strides": [1, 1, 1, 1], "padding": "VALID"}),
    ("separable_conv2d pointwise mismatch", "tf.nn.separable_conv2d",
     [X, T((3, 3, 3, 2)), T((1, 1, 5, 8))], {"strides": [1, 1, 1, 1], "padding": "VALID"}),
    ("atrous_conv2d", "tf.nn.atrous_conv2d", [T((1, 9, 9, 3)), W], {"rate": 2,
                                                                   "padding": "VALID"}),
    ("atrous_conv2d lowercase", "tf.nn.atrous_conv2d", [X, W], {"rate": 2, "padding": "same"}),
    ("max_pool1d", "tf.nn.max_pool1d", [T((None, 9, 4))], {"ksize": 3, "strides": 2,
                                                           "padding": "VALID"}),
    ("max_pool2d explicit", "tf.nn.max_pool2d", [X],
     {"ksize": 2, "strides": 2, "padding": [[0, 0], [1, 1], [1, 1], [0, 0]]}),
    ("avg_pool2d explicit rejected", "tf.nn.avg_pool2d", [X],
     {"ksize": 2, "strides": 2, "padding": [[0, 0], [1, 1], [1, 1], [0, 0]]}),
    ("avg_pool3d", "tf.nn.avg_pool3d", [T((1, 8, 7, 6, 2))], {"ksize": [2, 3, 2],
                                                              "strides": 2,
                                                              "padding": "SAME"}),
    ("max_pool by rank 5", "tf.nn.max_pool", [T((1, 8, 7, 6, 2))], {"ksize": 2, "strides": 2,
                                                                    "padding": "VALID"}),
    ("max_pool window too large", "tf.nn.max_pool2d", [X], {"ksize": 6, "strides": 1,
                                                           "padding": "VALID"}),
    ("avg_pool NCHW", "tf.nn.avg_pool", [T((1, 3, 6, 6))],
     {"ksize": 2, "strides": 2, "padding": "VALID", "data_format": "NCHW"}),
]


def run(q: str, args: list[Any], kwargs: dict[str, Any]) -> Result | ShapeError:
    try:
        r = apply_op(q, args, kwargs)
    except ShapeError as e:
        return e
    assert r is not None, f"{q} is not registered"
    return r


@pytest.mark.parametrize(("label", "q", "args", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_named_case(label: str, q: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    t = truth(q, args, kwargs)
    r = run(q, args, kwargs)
    if t.ok:
        assert isinstance(r, Result), f"{label}: engine rejected: {r}; TF gives {t.outputs}"
        assert r.unknown is None
        assert r.outputs == t.outputs
    else:
        assert isinstance(r, ShapeError), f"{label}: engine gives {r.outputs}; TF: {t.message}"
        assert r.message


def test_article_snippet_conv2d_and_max_pool() -> None:
    """`tf.nn.conv2d(input, filter, strides=[1, 2, 2, 1], padding='SAME')` then
    `tf.nn.max_pool(..., ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')`."""
    conv_args: list[Any] = [X, W]
    conv_kw = {"strides": [1, 2, 2, 1], "padding": "SAME"}
    r = run("tf.nn.conv2d", conv_args, conv_kw)
    assert isinstance(r, Result)
    assert r.outputs == truth("tf.nn.conv2d", conv_args, conv_kw).outputs
    assert r.derivation == ["H: ceil(5 / 2) = 3  (padding='SAME', stride 2)",
                            "W: ceil(5 / 2) = 3  (padding='SAME', stride 2)"]
    pool_kw = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"}
    p = run("tf.nn.max_pool", [X], pool_kw)
    assert isinstance(p, Result)
    assert p.outputs == truth("tf.nn.max_pool", [X], pool_kw).outputs
    assert all("floor((5 - 2) / 2) + 1 = 2" in ln and "padding='VALID'" in ln
               for ln in p.derivation)
    assert len(p.derivation) == 2
    # Chained: the pool on the conv's output.
    y = T(r.outputs)
    chained = run("tf.nn.max_pool", [y], pool_kw)
    assert isinstance(chained, Result)
    assert chained.outputs == truth("tf.nn.max_pool", [y], pool_kw).outputs
    assert "floor((3 - 2) / 2) + 1 = 1" in chained.derivation[0]


def test_invalid_padding_message() -> None:
    e = run("tf.nn.conv2d", [X, W], {"strides": 1, "padding": "same"})
    assert isinstance(e, ShapeError)
    assert e.code == "invalid-argument" and e.arg == "padding"
    assert "'SAME'" in e.message and "padding='same'" in e.message
    e = run("tf.nn.max_pool", [X], {"ksize": 2, "strides": 2, "padding": "FULL"})
    assert isinstance(e, ShapeError) and "padding='FULL'" in e.message


def test_valid_too_small_says_the_numbers() -> None:
    e = run("tf.nn.conv2d", [T((1, 2, 5, 3)), W], {"strides": 1, "padding": "VALID"})
    assert isinstance(e, ShapeError)
    assert e.code == "non-positive-dim"
    assert "subtracting 3 from 2" in e.message


def test_transpose_inconsistent_output_shape_warns() -> None:
    args: list[Any] = [T((1, 3, 3, 7)), W, [1, 9, 9, 3]]
    kw = {"strides": 2, "padding": "SAME"}
    r = run("tf.nn.conv2d_transpose", args, kw)
    assert isinstance(r, Result)
    assert r.outputs == truth("tf.nn.conv2d_transpose", args, kw).outputs
    assert r.warnings and "9" in r.warnings[0]


def test_unknown_argument_values_give_unknown() -> None:
    from shapelens.engine.types import Unknown

    r = run("tf.nn.conv2d", [X, W], {"strides": Unknown("a variable"), "padding": "SAME"})
    assert isinstance(r, Result) and r.unknown and "strides" in r.unknown


def test_registered_names() -> None:
    ops = set(known_ops())
    for name in ("tf.nn.conv1d", "tf.nn.conv2d", "tf.nn.conv3d", "tf.compat.v1.nn.conv2d",
                 "tf.nn.conv2d_transpose", "tf.compat.v1.nn.conv2d_transpose",
                 "tf.nn.depthwise_conv2d", "tf.nn.separable_conv2d", "tf.nn.atrous_conv2d",
                 "tf.nn.max_pool", "tf.nn.avg_pool", "tf.nn.max_pool1d", "tf.nn.max_pool2d",
                 "tf.nn.max_pool3d", "tf.nn.avg_pool1d", "tf.nn.avg_pool2d", "tf.nn.avg_pool3d",
                 "tf.compat.v1.nn.max_pool", "tf.compat.v1.nn.avg_pool"):
        assert name in ops, name


def test_conv3d_hw_dilations_follow_the_kernel_not_the_static_shape() -> None:
    """TF 2.21's Conv3D shape function swaps H/W dilations; eager execution does not."""
    import numpy as np
    import tensorflow as tf

    kw = {"strides": [1, 1, 1, 1, 1], "padding": "VALID", "dilations": [1, 1, 2, 1, 1]}
    x, w = (1, 9, 11, 13, 1), (3, 3, 3, 1, 1)
    eager = tuple(tf.nn.conv3d(np.zeros(x, "float32"), np.zeros(w, "float32"), **kw).shape)
    r = run("tf.nn.conv3d", [T(x), T(w)], kw)
    assert isinstance(r, Result)
    assert r.outputs == eager
    assert truth("tf.nn.conv3d", [T(x), T(w)], kw).outputs != eager  # the static-shape bug
    assert any("swaps the H and W dilations" in m for m in r.warnings)


def test_signatures_match_tensorflow() -> None:
    """Positional order and names of every registered tf.nn op (TF2 and compat.v1) == TF."""
    from shapelens.engine.tfnn import SIGNATURES
    from support.op_truth import positional_names

    for q, ours in SIGNATURES.items():
        assert ours == positional_names(q), q
