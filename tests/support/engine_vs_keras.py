"""The engine's answer for a layer call, side by side with real Keras' (shared by engine tests)."""

from __future__ import annotations

import warnings
from typing import Any

from shapelens.engine import ShapeError, call, construct
from support.keras_truth import Truth, layer_truth


def engine(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Any:
    """(Truth-shaped outcome, the ShapeError or None, the Result or None) from the engine."""
    try:
        layer = construct(name, args, kwargs)
    except ShapeError as e:
        return Truth(False, stage=e.at, message=e.message), e, None
    assert layer is not None, f"{name} is not registered"
    try:
        result = call(layer, shape)
    except ShapeError as e:
        return Truth(False, stage=e.at, message=e.message), e, None
    assert result.unknown is None, result.unknown
    return Truth(True, outputs=result.outputs, params=result.params), None, result


def assert_same(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Truth:
    """Keras and the engine agree: accepted or not, at which stage, outputs and parameters."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        truth = layer_truth(name, args, kwargs, shape)
    got, err, _ = engine(name, args, kwargs, shape)
    assert got.ok == truth.ok, f"keras: {truth}\nengine: {got} {err!r}"
    if truth.ok:
        assert got.outputs == truth.outputs, f"keras: {truth}\nengine: {got}"
        assert got.params == truth.params, f"keras: {truth}\nengine: {got}"
    else:
        assert got.stage == truth.stage, f"keras: {truth.message}\nengine: {err!r}"
        assert err.code
    return truth
