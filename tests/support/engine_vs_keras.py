"""The engine's answer for a layer call, side by side with real Keras' (shared by engine tests)."""

from __future__ import annotations

import warnings
from typing import Any

from shapelens.engine import ShapeError, Unknown, call, construct
from support.keras_truth import Truth, layer_truth

FN = Unknown("a lambda")  # what the analyser hands the engine for a function argument


def _keras_args(values: Any) -> Any:
    """The engine's stand-in for a function becomes a real function for Keras."""
    if values is FN:
        return lambda x: x
    if isinstance(values, tuple):
        return tuple(_keras_args(v) for v in values)
    if isinstance(values, dict):
        return {k: _keras_args(v) for k, v in values.items()}
    return values


def input_truth(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Truth:
    """`keras.Input(...)` / `keras.layers.InputLayer(...)`: the tensor's shape, no call."""
    import keras

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name == "Input":
                shape = keras.Input(*args, **kwargs).shape
            else:
                shape = keras.layers.InputLayer(*args, **kwargs).output.shape
    except Exception as e:
        return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
    return Truth(True, outputs=tuple(shape), params=0)


def truth_of(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Truth:
    """What Keras does (Input/InputLayer built directly; function stand-ins made real)."""
    if name in ("Input", "InputLayer"):
        return input_truth(name, args, kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return layer_truth(name, _keras_args(args), _keras_args(kwargs), shape)


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
    return compare(name, args, kwargs, shape)[0]


def compare(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Any) -> Any:
    """`assert_same`, returning (Keras' truth, the engine's ShapeError or None, its Result)."""
    truth = truth_of(name, args, kwargs, shape)
    got, err, result = engine(name, args, kwargs, shape)
    assert got.ok == truth.ok, f"keras: {truth}\nengine: {got} {err!r}"
    if truth.ok:
        assert got.outputs == truth.outputs, f"keras: {truth}\nengine: {got}"
        assert got.params == truth.params, f"keras: {truth}\nengine: {got}"
    else:
        assert got.stage == truth.stage, f"keras: {truth.message}\nengine: {err!r}"
        assert err.code
    return truth, err, result
