"""Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
AlphaDropout, ActivityRegularization. All return their input shape and have no weights; what
Keras checks is the rate (at construction) and, for the spatial dropouts, the input rank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .args import known, standardize_data_format
from .core import passthrough
from .registry import register_layer
from .shapes import check_rank, single
from .types import Result, ShapeError, fmt_shape


def check_rate(value: Any, arg: str = "rate") -> None:
    """`if not 0 <= rate <= 1: raise` (a non-number fails the comparison at init too)."""
    known(value, arg)
    ok = isinstance(value, (int, float)) and 0 <= value <= 1
    if not ok:
        raise ShapeError(
            "invalid-argument",
            f"Invalid value received for argument `{arg}`. Expected a float value between 0 "
            f"and 1. Received: {arg}={value!r}", arg=arg, at="init")


def check_seed(value: Any, active: bool) -> None:
    """`SeedGenerator(seed)` (built only when the rate is > 0): the seed must be an int."""
    known(value, "seed")
    if active and value is not None and not isinstance(value, int):
        raise ShapeError(
            "invalid-argument", f"Argument `seed` must be an integer. Received: seed={value!r}",
            arg="seed", at="init")


def _noise_shape(value: Any) -> None:
    known(value, "noise_shape")
    if value is None:
        return
    if not isinstance(value, (list, tuple)):
        raise ShapeError(
            "invalid-argument",
            "Invalid value received for argument `noise_shape`. Expected a tuple or list of "
            f"integers. Received: noise_shape={value!r}", arg="noise_shape", at="init")
    for i, d in enumerate(value):
        if d is None:
            continue
        if not isinstance(d, int):
            raise ShapeError(
                "invalid-argument",
                "Invalid value received for argument `noise_shape`. Expected all elements to "
                f"be integers or None. Received element at index {i}: {d!r} "
                f"(type: {type(d).__name__})", arg="noise_shape", at="init")
        if d <= 0:
            raise ShapeError(
                "invalid-argument",
                "Invalid value received for argument `noise_shape`. Expected all dimensions to "
                f"be positive integers or None. Received negative or zero value at index {i}: "
                f"{d}", arg="noise_shape", at="init")


def _dropout_init(_name: str, a: dict[str, Any]) -> None:
    check_rate(a["rate"])
    _noise_shape(a["noise_shape"])
    check_seed(a["seed"], a["rate"] > 0)


def _rate_seed_init(_name: str, a: dict[str, Any]) -> None:
    check_rate(a["rate"])
    check_seed(a["seed"], a["rate"] > 0)


def _gaussian_noise_init(_name: str, a: dict[str, Any]) -> None:
    check_rate(a["stddev"], "stddev")
    check_seed(a["seed"], a["stddev"] > 0)


def _penalty(value: Any, arg: str) -> None:
    """Keras' `validate_float_arg` for L1L2 (None counts as 0)."""
    known(value, arg)
    if value is None:
        return
    if (
        not isinstance(value, (int, float))
        or math.isinf(value) or math.isnan(value) or value < 0
    ):
        raise ShapeError(
            "invalid-argument",
            f"Invalid value for argument {arg}: expected a non-negative float.Received: "
            f"{arg}={value!r}", arg=arg, at="init")


def _activity_init(_name: str, a: dict[str, Any]) -> None:
    if "activity_regularizer" in a:
        raise ShapeError(
            "unknown-argument",
            "ActivityRegularization() got multiple values for keyword argument "
            "'activity_regularizer'", arg="activity_regularizer", at="init")
    _penalty(a["l1"], "l1")
    _penalty(a["l2"], "l2")


def _spatial_init(rank: int) -> Any:
    def init(_name: str, a: dict[str, Any]) -> str:
        check_rate(a["rate"])
        check_seed(a["seed"], a["rate"] > 0)
        return standardize_data_format(a["data_format"]) if rank > 1 else "channels_last"

    return init


def _spatial_call(rank: int) -> Any:
    owner = f"SpatialDropout{rank}D"

    def call(data_format: str, inputs: Any, _kw: Mapping[str, Any]) -> Result:
        shape = single(inputs, owner)
        check_rank(shape, owner, ndim=rank + 2)
        return Result(outputs=shape, params=0,
                      notes=[f"drops whole feature maps ({data_format})",
                             f"{fmt_shape(shape)} -> same shape"])

    return call


register_layer("Dropout", family="regularization", init=_dropout_init,
               call=passthrough("Dropout"))
register_layer("AlphaDropout", family="regularization", init=_rate_seed_init,
               call=passthrough("AlphaDropout"))
register_layer("GaussianDropout", family="regularization", init=_rate_seed_init,
               call=passthrough("GaussianDropout"))
register_layer("GaussianNoise", family="regularization", init=_gaussian_noise_init,
               call=passthrough("GaussianNoise"))
register_layer("ActivityRegularization", family="regularization", init=_activity_init,
               call=passthrough("ActivityRegularization"))
for _rank in (1, 2, 3):
    register_layer(f"SpatialDropout{_rank}D", family="regularization", init=_spatial_init(_rank),
                   call=_spatial_call(_rank))
