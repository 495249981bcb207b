"""Merging layers, named cases: every expected value is what Keras (TF 2.21) says in this run."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine import ShapeError, Tensor, call, construct
from support.keras_truth import Truth, layer_truth


def engine_outcome(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> Any:
    """('ok', Result) | ('init'|'call', ShapeError)."""
    try:
        layer = construct(name, list(args), kwargs)
    except ShapeError as e:
        return e.at, e
    assert layer is not None, f"{name} is not registered"
    assert layer.unknown is None, layer.unknown
    try:
        return "ok", call(layer, shapes)
    except ShapeError as e:
        return e.at, e


def compare(where: str, truth: Truth, stage: str, got: Any) -> None:
    if truth.ok:
        assert stage == "ok", f"{where}: Keras accepts -> {truth.outputs}, we reject: {got!r}"
        assert got.outputs == truth.outputs, f"{where}: {got.outputs} != Keras {truth.outputs}"
        assert got.params == truth.params
    else:
        assert stage != "ok", f"{where}: Keras rejects ({truth.message[:200]}), we say {got}"
        assert stage == truth.stage, f"{where}: stage {stage} != Keras {truth.stage}: {got!r}"
        assert got.message


def assert_same(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> tuple[Truth, Any]:
    truth = layer_truth(name, tuple(args), kwargs, shapes)
    stage, got = engine_outcome(name, args, kwargs, shapes)
    compare(f"{name}{tuple(args)}{kwargs} on {shapes}", truth, stage, got)
    return truth, got


def function_truth(fn: str, shapes: list[Any], kwargs: dict[str, Any]) -> Truth:
    """`keras.layers.<fn>(inputs, **kwargs)`: construction and call happen in one go."""
    import keras

    xs = [keras.Input(batch_shape=s) for s in shapes]
    try:
        y = getattr(keras.layers, fn)(xs, **kwargs)
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}")
    return Truth(True, outputs=tuple(y.shape), params=0)


def function_outcome(fn: str, shapes: list[Any], kwargs: dict[str, Any]) -> Any:
    """The analyser's path for `keras.layers.add([x, y])`: construct with the tensors, then call."""
    tensors = [Tensor(s) for s in shapes]
    try:
        layer = construct(fn, [tensors], kwargs)
        assert layer is not None and layer.unknown is None
        return "ok", call(layer, None)
    except ShapeError as e:
        return "call", e  # the functional form raises both kinds from the one call


N = None

CASES: list[tuple[str, str, tuple[Any, ...], dict[str, Any], Any]] = [
    # Add and friends: Keras' Merge base
    ("add-same", "Add", (), {}, [(N, 3), (N, 3)]),
    ("add-three", "Add", (), {}, [(N, 4, 3), (N, 4, 3), (N, 4, 3)]),
    ("add-one", "Add", (), {}, [(N, 3)]),
    ("add-empty", "Add", (), {}, []),
    ("add-single-tensor", "Add", (), {}, (N, 3)),
    ("add-mismatch", "Add", (), {}, [(N, 3), (N, 4)]),
    ("add-broadcast-1", "Add", (), {}, [(N, 1, 3), (N, 5, 1)]),
    ("add-rank-diff", "Add", (), {}, [(N, 3), (N, 4, 3)]),
    ("add-rank-diff-mismatch", "Add", (), {}, [(N, 3), (N, 3, 4)]),
    ("add-batch-only", "Add", (), {}, [(N,), (N, 3)]),
    ("add-batch-mismatch", "Add", (), {}, [(2, 3), (4, 3)]),
    ("add-batch-known", "Add", (), {}, [(2, 3), (N, 3)]),
    ("add-none-dims", "Add", (), {}, [(N, N, 3), (N, 5, N)]),
    ("add-none-vs-1", "Add", (), {}, [(N, 1, 3), (N, N, 3)]),
    ("add-unet-mismatch", "Add", (), {}, [(N, 568, 568, 64), (N, 560, 560, 64)]),
    ("sub-two", "Subtract", (), {}, [(N, 3), (N, 3)]),
    ("sub-three", "Subtract", (), {}, [(N, 3), (N, 3), (N, 3)]),
    ("sub-one", "Subtract", (), {}, [(N, 3)]),
    ("sub-three-mismatch", "Subtract", (), {}, [(N, 3), (N, 4), (N, 3)]),
    ("mul-broadcast", "Multiply", (), {}, [(N, 2, 1, 4), (N, 3, 1)]),
    ("avg", "Average", (), {}, [(N, 8), (N, 8)]),
    ("max-mismatch", "Maximum", (), {}, [(N, 8, 2), (N, 8, 3)]),
    ("min-5d", "Minimum", (), {}, [(N, 2, 3, 4, 5), (N, 1, 3, 1, 5)]),
    ("add-kwarg", "Add", (), {"axis": 1}, [(N, 3), (N, 3)]),
    # Concatenate
    ("concat-last", "Concatenate", (), {}, [(N, 3, 4), (N, 3, 5)]),
    ("concat-axis1", "Concatenate", (), {"axis": 1}, [(N, 3, 4), (N, 5, 4)]),
    ("concat-axis1-mismatch", "Concatenate", (), {"axis": 1}, [(N, 3, 4), (N, 3, 5)]),
    ("concat-unet", "Concatenate", (), {"axis": -1}, [(N, 568, 568, 64), (N, 560, 560, 64)]),
    ("concat-unet-ok", "Concatenate", (), {}, [(N, 560, 560, 64), (N, 560, 560, 128)]),
    ("concat-none-axis", "Concatenate", (), {}, [(N, 3, N), (N, 3, 5)]),
    ("concat-none-other", "Concatenate", (), {}, [(N, N, 4), (N, 3, 5)]),
    ("concat-three", "Concatenate", (-2,), {}, [(N, 1, 4), (N, 2, 4), (N, 3, 4)]),
    ("concat-axis0", "Concatenate", (0,), {}, [(2, 3), (5, 3)]),
    ("concat-axis0-none", "Concatenate", (0,), {}, [(N, 3), (N, 3)]),
    ("concat-batch-mismatch", "Concatenate", (), {}, [(2, 3), (4, 3)]),
    ("concat-one", "Concatenate", (), {}, [(N, 3)]),
    ("concat-empty", "Concatenate", (), {}, []),
    ("concat-single-tensor", "Concatenate", (), {}, (N, 3)),
    ("concat-axis-too-big", "Concatenate", (5,), {}, [(N, 3), (N, 3)]),
    ("concat-axis-too-big-one", "Concatenate", (5,), {}, [(N, 3)]),
    ("concat-axis-too-small", "Concatenate", (-4,), {}, [(N, 3), (N, 3)]),
    ("concat-rank-diff", "Concatenate", (), {}, [(N, 3), (N, 3, 4)]),
    ("concat-rank-diff-axis2", "Concatenate", (2,), {}, [(N, 3), (N, 3, 4)]),
    ("concat-rank-diff-axis2-none", "Concatenate", (2,), {}, [(N, 3, N), (N, 3)]),
    ("concat-axis-str", "Concatenate", ("a",), {}, [(N, 3), (N, 3)]),
    ("concat-axis-float", "Concatenate", (1.0,), {}, [(N, 3), (N, 3)]),
    ("concat-axis-float-one", "Concatenate", (5.0,), {}, [(N, 3)]),
    ("concat-axis-bool", "Concatenate", (True,), {}, [(N, 3, 2), (N, 4, 2)]),
    ("concat-5d", "Concatenate", (1,), {}, [(N, 2, 3, 4, 5), (N, 7, 3, 4, 5)]),
    ("concat-5d-two-axes", "Concatenate", (1,), {}, [(N, 2, 3, 4, 5), (N, 7, 3, 9, 6)]),
    # Dot
    ("dot-2d", "Dot", (1,), {}, [(N, 3), (N, 3)]),
    ("dot-3d", "Dot", ((1, 2),), {}, [(N, 3, 4), (N, 5, 3)]),
    ("dot-neg", "Dot", (-1,), {}, [(N, 3, 4), (N, 5, 4)]),
    ("dot-neg-tuple", "Dot", ((-1, -3),), {}, [(N, 3, 4), (N, 4, 5)]),
    ("dot-axes0", "Dot", (0,), {}, [(N, 3), (N, 3)]),
    ("dot-mismatch", "Dot", (1,), {}, [(N, 3), (N, 4)]),
    ("dot-none-vs-int", "Dot", (1,), {}, [(N, N), (N, 3)]),
    ("dot-none-vs-none", "Dot", (1,), {}, [(N, N, 2), (N, N, 4)]),
    ("dot-rank1", "Dot", (-1,), {}, [(N,), (N,)]),
    ("dot-axis-out-of-range", "Dot", (5,), {}, [(N, 3), (N, 3)]),
    ("dot-tuple-out-of-range", "Dot", ((1, -4),), {}, [(N, 3), (N, 3)]),
    ("dot-three-inputs", "Dot", (1,), {}, [(N, 3), (N, 3), (N, 3)]),
    ("dot-one-input", "Dot", (1,), {}, [(N, 3)]),
    ("dot-single-tensor", "Dot", (1,), {}, (N, 3)),
    ("dot-bool-axes", "Dot", ((True, 2),), {}, [(N, 3, 4), (N, 5, 3)]),
    ("dot-three-axes", "Dot", ([1, 2, 3],), {}, [(N, 3, 4), (N, 5, 3)]),
    ("dot-str-axes", "Dot", ("x",), {}, [(N, 3, 4), (N, 5, 3)]),
    ("dot-float-axes", "Dot", ((1.0, 2),), {}, [(N, 3, 4), (N, 5, 3)]),
    ("dot-normalize", "Dot", (2,), {"normalize": True}, [(N, 3, 4), (N, 5, 4)]),
    ("dot-missing-axes", "Dot", (), {}, [(N, 3), (N, 3)]),
    ("dot-batch-differs", "Dot", (1,), {}, [(2, 3), (4, 3)]),
    ("dot-5d", "Dot", ((4, 1),), {}, [(N, 2, 3, 4, 5), (N, 5, 6)]),
    # Scalars (no batch axis): Keras fails while computing the shape
    ("add-scalars", "Add", (), {}, [(), ()]),
    ("add-scalar-and-vector", "Add", (), {}, [(), (N, 3)]),
    ("concat-scalar", "Concatenate", (), {}, [()]),
    ("dot-scalars", "Dot", (1,), {}, [(), ()]),
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "shapes"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_matches_keras(name: str, args: Any, kwargs: dict[str, Any], shapes: Any) -> None:
    assert_same(name, args, kwargs, shapes)


FUNCTION_CASES: list[tuple[str, list[Any], dict[str, Any]]] = [
    ("concatenate", [(N, 3, 4), (N, 3, 5)], {}),
    ("concatenate", [(N, 3, 4), (N, 5, 4)], {"axis": 1}),
    ("concatenate", [(N, 3, 4), (N, 3, 5)], {"axis": 1}),
    ("add", [(N, 3), (N, 3)], {}),
    ("add", [(N, 3), (N, 4)], {}),
    ("subtract", [(N, 3), (N, 3)], {}),
    ("subtract", [(N, 3), (N, 3), (N, 3)], {}),
    ("multiply", [(N, 2, 1), (N, 1, 5)], {}),
    ("average", [(N, 8), (N, 8), (N, 8)], {}),
    ("maximum", [(N, 8), (N, 8)], {}),
    ("minimum", [(N, 8), (4, 8)], {}),
    ("dot", [(N, 3, 4), (N, 5, 4)], {}),
    ("dot", [(N, 3, 4), (N, 5, 3)], {"axes": (1, 2)}),
    ("dot", [(N, 3, 4), (N, 5, 3)], {"axes": 1}),
    ("dot", [(N, 3, 4), (N, 5, 3)], {"axes": "x"}),
    ("dot", [(N, 3, 4), (N, 5, 4)], {"normalize": True, "name": "d"}),
    ("add", [(N, 3), (N, 3)], {"foo": 1}),
    ("add", [(N, 3), (N, 3)], {"name": "a", "dtype": "float32"}),
    ("concatenate", [(N, 3), (N, 3)], {"axis": 1, "bar": 2}),
    ("maximum", [(N, 3), (N, 3)], {"axis": 1}),
]


@pytest.mark.parametrize(("fn", "shapes", "kwargs"), FUNCTION_CASES)
def test_functional_forms(fn: str, shapes: list[Any], kwargs: dict[str, Any]) -> None:
    truth = function_truth(fn, shapes, kwargs)
    stage, got = function_outcome(fn, shapes, kwargs)
    compare(f"keras.layers.{fn}({shapes}, **{kwargs})", truth, stage, got)


def test_functional_form_with_call_inputs() -> None:
    # The analyser may also construct with an unknown `inputs` and pass the shapes at the call.
    layer = construct("concatenate", [], {"inputs": [Tensor((N, 2)), Tensor((N, 3))], "axis": 1})
    assert layer is not None
    assert call(layer, [(N, 2), (N, 4)]).outputs == (N, 6)
    assert call(layer, None).outputs == (N, 5)


def test_concatenate_message_in_user_terms() -> None:
    truth, err = assert_same(
        "Concatenate", (), {"axis": -1}, [(N, 568, 568, 64), (N, 560, 560, 64)]
    )
    assert not truth.ok
    assert err.code == "shape-mismatch"
    assert err.message.startswith(
        "Concatenate: (None, 568, 568, 64) and (None, 560, 560, 64) differ on axes 1-2"
    )


def test_add_message_in_user_terms() -> None:
    truth, err = assert_same("Add", (), {}, [(N, 568, 568, 64), (N, 560, 560, 64)])
    assert not truth.ok
    assert err.code == "shape-mismatch"
    assert "(None, 568, 568, 64) and (None, 560, 560, 64) differ on axes 1-2" in err.message


def test_dot_message_in_user_terms() -> None:
    truth, err = assert_same("Dot", (2,), {}, [(N, 3, 4), (N, 3, 5)])
    assert not truth.ok
    assert err.code == "shape-mismatch"
    assert "is 4" in err.message and "is 5" in err.message


def test_concat_derivation() -> None:
    _, r = assert_same("Concatenate", (), {}, [(N, 8, 2), (N, 8, 3), (N, 8, 5)])
    assert r.derivation == ["axis -1: 2 + 3 + 5 = 10"]
    assert r.params == 0


def test_unknown_values_give_unknown_results() -> None:
    from shapelens.engine import Unknown

    layer = construct("Concatenate", [], {"axis": Unknown("a variable")})
    assert layer is not None and layer.unknown and "axis" in layer.unknown
    assert call(layer, [(N, 2), (N, 3)]).unknown
    layer = construct("Add", [], {})
    assert layer is not None
    assert call(layer, [(N, 2), None]).unknown
    layer = construct("dot", [Unknown("a list")], {"axes": 1})
    assert layer is not None and layer.unknown is None
    assert call(layer, None).unknown
    assert call(layer, [(N, 3), (N, 3)]).outputs == (N, 1)
    assert call(layer, [Tensor((N, 3)), Tensor((N, 3))]).outputs == (N, 1)
