"""Merging layers, property cases: hypothesis draws a layer (or its functional form), valid and
invalid arguments, and lists of input shapes (ranks 1-5, None dims, broadcastable 1s, mismatches,
different ranks and batch sizes); the engine must accept/reject exactly as Keras (TF 2.21) does, at
the same stage, with equal output shapes and parameter counts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shapelens.engine import ShapeError, Tensor, call, construct
from support.keras_truth import FAMILY_COUNTS, Truth, layer_truth

NAMES = ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]
FUNCTIONS = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Average": "average",
    "Maximum": "maximum", "Minimum": "minimum", "Concatenate": "concatenate", "Dot": "dot",
}
DIM = st.sampled_from([3, 4, 2, 5, 8, 1, 1, None, None, 6, 0])


@st.composite
def input_lists(draw: Any, name: str) -> list[tuple[Any, ...]]:
    """A base shape and copies of it, each maybe mutated: a dim changed, None, 1, rank changed."""
    rank = draw(st.integers(1, 5) if draw(st.integers(0, 5)) == 0 else st.integers(2, 5))
    base = [draw(DIM) for _ in range(rank - 1)]
    typical = 2 if name in ("Dot", "Subtract") else draw(st.integers(2, 3))
    count = draw(st.sampled_from([typical] * 8 + [1, 3, 0]))
    shapes = []
    for _ in range(count):
        dims = list(base)
        for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
            op = draw(st.sampled_from(["change", "none", "one", "drop", "add"]))
            if op == "drop" and dims:
                dims.pop(0)
            elif op == "add" and len(dims) < 4:
                dims.insert(0, draw(DIM))
            elif dims:
                i = draw(st.integers(0, len(dims) - 1))
                dims[i] = {"change": draw(DIM), "none": None, "one": 1}.get(op, dims[i])
        batch = draw(st.sampled_from([None, None, None, 2, 3]))
        shapes.append((batch, *dims))
    return shapes


@st.composite
def merge_cases(draw: Any, name: str) -> tuple[str, tuple[Any, ...], dict[str, Any], Any]:
    shapes: Any = draw(input_lists(name))
    if draw(st.integers(0, 30)) == 15 and shapes:
        shapes = shapes[0]  # a single tensor instead of a list
    kwargs: dict[str, Any] = {}
    if name == "Concatenate":
        if draw(st.integers(0, 5)):
            kwargs["axis"] = draw(st.one_of(
                st.integers(-6, 5), st.sampled_from([-1, -1, 1, "a", 1.0, True]),
            ))
    elif name == "Dot":
        kwargs["axes"] = draw(st.one_of(
            st.integers(-3, 4),
            st.tuples(st.integers(-4, 4), st.integers(-4, 4)),
            st.sampled_from([-1, 1, 2, [1, 2, 3], "x", (1.0, 2), None, (True, 1)]),
        ))
        if isinstance(shapes, list) and len(shapes) == 2 and draw(st.booleans()):
            # Axes whose sizes agree: mostly valid contractions.
            s1, s2 = shapes
            pairs = [
                (i, j) for i in range(1, len(s1)) for j in range(1, len(s2)) if s1[i] == s2[j]
            ]
            if pairs:
                i, j = draw(st.sampled_from(pairs))
                kwargs["axes"] = i if i == j else (i, j - len(s2) if draw(st.booleans()) else j)
        if draw(st.booleans()):
            kwargs["normalize"] = True
    elif draw(st.integers(0, 30)) == 15:
        kwargs["axis"] = 1  # not an argument of the element-wise merges
    return name, (), kwargs, shapes


def function_truth(fn: str, shapes: list[Any], kwargs: dict[str, Any]) -> Truth:
    import keras

    xs = [keras.Input(batch_shape=s) for s in shapes]
    try:
        y = getattr(keras.layers, fn)(xs, **kwargs)
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}")
    return Truth(True, outputs=tuple(y.shape), params=0)


@pytest.mark.parametrize("layer", NAMES)
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_merging_matches_keras(layer: str, data: st.DataObject) -> None:
    FAMILY_COUNTS["merging"] += 1
    name, args, kwargs, shapes = data.draw(merge_cases(layer))
    # Functional forms only with the keywords they name themselves: the signature table does not
    # yet let them forward the rest (`normalize`, `name`) to the class; see test_merging.py.
    own = {"Concatenate": {"axis"}, "Dot": {"axes"}}.get(name, set())
    functional = (
        isinstance(shapes, list) and set(kwargs) <= own and data.draw(st.integers(0, 4)) == 2
    )
    if functional:
        # keras.layers.add([x, y], **kw): construction and call in one go, errors from either.
        fn = FUNCTIONS[name]
        truth = function_truth(fn, shapes, kwargs)
        where = f"keras.layers.{fn}({shapes}, **{kwargs})"
        try:
            built = construct(fn, [[Tensor(s) for s in shapes]], kwargs)
            assert built is not None and built.unknown is None
            stage, got = "ok", call(built, None)
        except ShapeError as e:
            stage, got = "call", e
    else:
        truth = layer_truth(name, args, kwargs, shapes)
        where = f"{name}{args}{kwargs} on {shapes}"
        try:
            built = construct(name, list(args), kwargs)
            assert built is not None and built.unknown is None
            stage, got = "ok", call(built, shapes)
        except ShapeError as e:
            stage, got = e.at, e
    event(f"{name}{' (function)' if functional else ''}: {'ok' if truth.ok else truth.stage}")
    if truth.ok:
        assert stage == "ok", f"{where}: Keras accepts -> {truth.outputs}, we reject: {got!r}"
        assert got.outputs == truth.outputs, f"{where}: {got.outputs} != Keras {truth.outputs}"
        assert got.params == truth.params
    else:
        assert stage != "ok", f"{where}: Keras rejects ({truth.message[:300]}), we say {got}"
        assert stage == truth.stage, f"{where}: stage {stage} != Keras {truth.stage}: {got!r}"
