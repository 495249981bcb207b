"""Core layers (Input, Dense, EinsumDense, Embedding, activations, Masking, Lambda): named cases,
each checked against real Keras (TF 2.21) in the test run."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import Unknown, call, construct
from support.engine_vs_keras import FN, assert_same

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    # --- Input / InputLayer ---
    ("input-shape", "Input", (), {"shape": (3,)}, None),
    ("input-shape-positional", "Input", ((28, 28, 1),), {}, None),
    ("input-shape-list-none", "Input", (), {"shape": [3, None]}, None),
    ("input-batch-size", "Input", (), {"shape": (3,), "batch_size": 4}, None),
    ("input-batch-shape", "Input", (), {"batch_shape": (2, 3)}, None),
    ("input-scalar-shape", "Input", (), {"shape": ()}, None),
    ("input-bool-dim", "Input", (), {"shape": (True,)}, None),
    ("input-int-shape", "Input", (), {"shape": 3}, None),
    ("input-missing", "Input", (), {}, None),
    ("input-both", "Input", (), {"shape": (3,), "batch_shape": (2, 3)}, None),
    ("input-batch-size-and-shape", "Input", (), {"batch_size": 2, "batch_shape": (2, 3)}, None),
    ("input-float-dim", "Input", (), {"shape": (3.0,)}, None),
    ("input-negative-dim", "Input", (), {"shape": (-1,)}, None),
    ("input-float-batch", "Input", (), {"shape": (3,), "batch_size": 2.0}, None),
    ("input-bad-dtype", "Input", (), {"shape": (3,), "dtype": "foo"}, None),
    ("input-int-dtype", "Input", (), {"shape": (3,), "dtype": "int"}, None),
    ("input-sparse-ragged", "Input", (), {"shape": (3,), "sparse": True, "ragged": True}, None),
    ("input-slash-name", "Input", (), {"shape": (3,), "name": "a/b"}, None),
    ("input-batch-input-shape", "Input", (), {"batch_input_shape": (2, 3)}, None),
    ("inputlayer-shape", "InputLayer", (), {"shape": (3,)}, None),
    ("inputlayer-input-shape", "InputLayer", (), {"input_shape": (3, 4)}, None),
    ("inputlayer-input-shape-wins", "InputLayer", (), {"input_shape": (3,), "shape": (4,)}, None),
    ("inputlayer-batch-input-shape", "InputLayer", (), {"batch_input_shape": (2, 3)}, None),
    ("inputlayer-batch-input-and-shape", "InputLayer", (),
     {"batch_input_shape": (2, 3), "shape": (3,)}, None),
    ("inputlayer-missing", "InputLayer", (), {}, None),
    # --- Dense ---
    ("dense", "Dense", (4,), {}, (None, 7)),
    ("dense-3d", "Dense", (4,), {"use_bias": False}, (None, 5, 7)),
    ("dense-rank1", "Dense", (4,), {}, (7,)),
    ("dense-none-last", "Dense", (4,), {}, (None, None)),
    ("dense-zero-units", "Dense", (0,), {}, (None, 7)),
    ("dense-bad-activation", "Dense", (4,), {"activation": "foo"}, (None, 7)),
    ("dense-activation", "Dense", (4,), {"activation": "swish"}, (None, 7)),
    ("dense-lora", "Dense", (4,), {"lora_rank": 2}, (None, 7)),
    ("dense-lora-constraint", "Dense", (4,), {"lora_rank": 2, "kernel_constraint": "non_neg"},
     (None, 7)),
    ("dense-input-shape-kwarg", "Dense", (4,), {"input_shape": (7,)}, (None, 7)),
    ("dense-unknown-kwarg", "Dense", (4,), {"foo": 1}, (None, 7)),
    # --- EinsumDense ---
    ("einsum-basic", "EinsumDense", ("ab,bc->ac", 4), {}, (None, 3)),
    ("einsum-bias", "EinsumDense", ("ab,bc->ac", 4), {"bias_axes": "c"}, (None, 3)),
    ("einsum-3d", "EinsumDense", ("abc,cd->abd", (5, 4)), {"bias_axes": "d"}, (None, 5, 3)),
    ("einsum-none-out", "EinsumDense", ("abc,cd->abd", (None, 4)), {"bias_axes": "d"},
     (None, 5, 3)),
    ("einsum-none-bias", "EinsumDense", ("abc,cd->abd", (None, 4)), {"bias_axes": "bd"},
     (None, 5, 3)),
    ("einsum-mismatch", "EinsumDense", ("abc,cd->abd", (6, 4)), {}, (None, 5, 3)),
    ("einsum-left-ellipsis", "EinsumDense", ("...b,bc->...c", 4), {"bias_axes": "c"},
     (None, 5, 3)),
    ("einsum-right-ellipsis", "EinsumDense", ("ab...,bc->ac...", 4), {"bias_axes": "c"},
     (None, 3, 7)),
    ("einsum-extra-rank", "EinsumDense", ("ab,bc->ac", 4), {}, (None, 3, 5)),
    ("einsum-none-kernel", "EinsumDense", ("ab,bc->ac", 4), {}, (None, None)),
    ("einsum-two-out", "EinsumDense", ("ab,bcd->acd", (4, 2)), {"bias_axes": "d"}, (None, 3)),
    ("einsum-out-not-found", "EinsumDense", ("ab,bc->ad", 4), {}, (None, 3)),
    ("einsum-weight-not-found", "EinsumDense", ("ab,bce->ac", 4), {}, (None, 3)),
    ("einsum-bad-bias", "EinsumDense", ("ab,bc->ac", 4), {"bias_axes": "x"}, (None, 3)),
    ("einsum-bad-equation", "EinsumDense", ("abc", 4), {}, (None, 3)),
    ("einsum-list-out", "EinsumDense", ("ab,bc->ac", [4]), {}, (None, 3)),
    ("einsum-rank-short", "EinsumDense", ("abc,cd->abd", (5, 4)), {}, (None, 3)),
    ("einsum-lora", "EinsumDense", ("ab,bc->ac", 4), {"lora_rank": 2}, (None, 3)),
    ("einsum-lora-3d", "EinsumDense", ("abc,cde->abde", (None, 4, 2)),
     {"lora_rank": 2, "bias_axes": "e"}, (None, 5, 3)),
    ("einsum-bad-activation", "EinsumDense", ("ab,bc->ac", 4), {"activation": "nope"}, (None, 3)),
    ("einsum-negative-out", "EinsumDense", ("ab,bc->ac", -4), {}, (None, 3)),
    # --- Embedding ---
    ("embedding", "Embedding", (10, 4), {}, (None, 7)),
    ("embedding-input-length", "Embedding", (10, 4), {"input_length": 7}, (None, 7)),
    ("embedding-lora", "Embedding", (10, 4), {"lora_rank": 2}, (None, 7)),
    ("embedding-zero-input-dim", "Embedding", (0, 4), {}, (None, 7)),
    ("embedding-bool-output-dim", "Embedding", (10, True), {}, (None, 7)),
    ("embedding-float-dim", "Embedding", (10, 4.0), {}, (None, 7)),
    ("embedding-scalar-input", "Embedding", (10, 4), {}, ()),
    ("embedding-none-dims", "Embedding", (10, 4), {}, (None, None, None)),
    # --- activations ---
    ("activation-relu", "Activation", ("relu",), {}, (None, 3)),
    ("activation-none", "Activation", (None,), {}, (None, 3)),
    ("activation-unknown", "Activation", ("foo",), {}, (None, 3)),
    ("relu", "ReLU", (), {"max_value": 6.0}, (None, 3, None)),
    ("relu-negative-max", "ReLU", (), {"max_value": -1}, (None, 3)),
    ("relu-none-threshold", "ReLU", (), {"threshold": None}, (None, 3)),
    ("relu-negative-slope", "ReLU", (), {"negative_slope": -0.5}, (None, 3)),
    ("leaky-relu-alpha", "LeakyReLU", (), {"alpha": 0.1}, (None, 3)),
    ("leaky-relu-negative-alpha", "LeakyReLU", (), {"alpha": -0.1}, (None, 3)),
    ("leaky-relu-none", "LeakyReLU", (), {"negative_slope": None}, (None, 3)),
    ("elu", "ELU", (0.5,), {}, (None, 3)),
    ("softmax-any-axis", "Softmax", (), {"axis": 5}, (None, 3)),
    ("identity", "Identity", (), {}, (2, 3, 4)),
    ("masking", "Masking", (), {"mask_value": -1.0}, (None, None, 3)),
    ("prelu", "PReLU", (), {}, (None, 7, 3)),
    ("prelu-shared", "PReLU", (), {"shared_axes": [1]}, (None, 7, 3)),
    ("prelu-shared-int", "PReLU", (), {"shared_axes": 1}, (None, 7, 3)),
    ("prelu-shared-none-dim", "PReLU", (), {"shared_axes": [1]}, (None, None, 3)),
    ("prelu-none-dim", "PReLU", (), {}, (None, None, 3)),
    ("prelu-shared-zero", "PReLU", (), {"shared_axes": [0]}, (None, 7, 3)),
    ("prelu-shared-negative", "PReLU", (), {"shared_axes": [-1]}, (None, 7, 3)),
    ("prelu-shared-out-of-range", "PReLU", (), {"shared_axes": [3]}, (None, 7, 3)),
    ("prelu-rank1", "PReLU", (), {}, (None,)),
    # --- Lambda ---
    ("lambda-tuple-output", "Lambda", (FN,), {"output_shape": (7,)}, (None, 3)),
    ("lambda-list-output", "Lambda", (FN,), {"output_shape": [7]}, (None, 3)),
    ("lambda-none-in-output", "Lambda", (FN,), {"output_shape": (7, None)}, (4, 3)),
    ("lambda-nested-output", "Lambda", (FN,), {"output_shape": ((7,), (2,))}, (4, 3)),
    ("lambda-int-output", "Lambda", (FN,), {"output_shape": 7}, (4, 3)),
    ("lambda-empty-output", "Lambda", (FN,), {"output_shape": ()}, (4, 3)),
    ("lambda-not-callable", "Lambda", (None,), {}, (4, 3)),
]


@pytest.mark.parametrize(("case", "name", "args", "kwargs", "shape"), CASES,
                         ids=[c[0] for c in CASES])
def test_core_matches_keras(case: str, name: str, args: tuple[Any, ...],
                            kwargs: dict[str, Any], shape: Any) -> None:
    assert_same(name, args, kwargs, shape)


def test_lambda_without_output_shape_is_unknown() -> None:
    layer = construct("Lambda", (FN,), {})
    assert layer is not None
    result = call(layer, (None, 3))
    assert result.outputs is None and result.unknown and "output_shape" in result.unknown


def test_input_tensor_is_unknown() -> None:
    layer = construct("Input", (), {"tensor": Unknown("a tensor")})
    assert layer is not None and layer.unknown


def test_dense_derivation_and_notes() -> None:
    layer = construct("Dense", (4,), {})
    assert layer is not None
    result = call(layer, (None, 7))
    assert result.derivation == ["last axis: 7 -> units = 4"]
    assert any("params = 7*4 + 4 = 32" in n for n in result.notes)
