"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization, RMSNormalization. The output shape is always the input shape; what matters is
which axes Keras accepts and how many weights it creates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import known
from .core import weight_size
from .registry import register_layer
from .shapes import single
from .types import Dim, Result, Shape, ShapeError, fmt_shape


def axis_dim(shape: Shape, axis: Any, owner: str) -> Dim:
    """`input_shape[axis]` as Python evaluates it: an int (or bool) inside the rank."""
    if not isinstance(axis, int) or not -len(shape) <= axis < len(shape):
        raise ShapeError(
            "invalid-argument",
            f"`axis`={axis!r} of `{owner}` is not an axis of the input {fmt_shape(shape)} "
            f"(rank {len(shape)})",
            arg="axis",
        )
    return shape[axis]


def _axes_in_bounds(shape: Shape, axes: list[Any], owner: str, shown: Any) -> None:
    """Keras' compute_output_shape check: `axis >= rank or axis < -rank` is out of bounds."""
    n = len(shape)
    for a in axes:
        if not isinstance(a, (int, float)):
            raise ShapeError(
                "invalid-argument", f"`axis` entries of `{owner}` must be integers. "
                f"Received: axis={shown!r}", arg="axis")
        if a >= n or a < -n:
            raise ShapeError(
                "invalid-argument",
                f"Axis {shown} is out of bounds for input shape {fmt_shape(shape)}.", arg="axis")


def _float(value: Any, arg: str) -> float:
    """Python's `float(value)` at init (numbers and numeric strings)."""
    known(value, arg)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ShapeError(
            "invalid-argument", f"`{arg}` must be a number. Received: {arg}={value!r}",
            arg=arg, at="init") from None


# --- BatchNormalization --------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchNormConfig:
    axis: int
    center: bool
    scale: bool
    renorm: bool


def _batch_norm_init(_name: str, a: dict[str, Any]) -> BatchNormConfig:
    axis = known(a["axis"], "axis")
    try:
        iaxis = int(axis)
    except (TypeError, ValueError):
        raise ShapeError(
            "invalid-argument", f"`axis` must be an integer. Received: axis={axis!r}",
            arg="axis", at="init") from None
    _float(a["momentum"], "momentum")
    _float(a["epsilon"], "epsilon")
    renorm = bool(known(a["renorm"], "renorm"))
    if renorm:
        clip = known(a["renorm_clipping"], "renorm_clipping") or {}
        if not isinstance(clip, dict):
            raise ShapeError("invalid-argument", "`renorm_clipping` must be a dict",
                             arg="renorm_clipping", at="init")
        keys = ["rmax", "rmin", "dmax"]
        if set(clip) - set(keys):
            raise ShapeError(
                "invalid-argument",
                f"Received invalid keys for `renorm_clipping` argument: {clip}. "
                f"Supported values: {keys}.", arg="renorm_clipping", at="init")
        rmax, rmin, dmax = clip.get("rmax"), clip.get("rmin"), clip.get("dmax")
        if rmax is not None and rmin is not None and rmax < rmin:
            raise ShapeError(
                "invalid-argument", "rmax should be greater than rmin in the `renorm_clipping` "
                f"argument. Received: rmax={rmax}, rmin={rmin}.", arg="renorm_clipping",
                at="init")
        if dmax is not None and dmax < 0:
            raise ShapeError(
                "invalid-argument", "dmax should be non-negative in the `renorm_clipping` "
                f"argument. Received: dmax={dmax}.", arg="renorm_clipping", at="init")
    return BatchNormConfig(iaxis, bool(known(a["center"], "center")),
                           bool(known(a["scale"], "scale")), renorm)


def _batch_norm_call(cfg: BatchNormConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "BatchNormalization")
    dim = axis_dim(shape, cfg.axis, "BatchNormalization")
    names = ([*(["gamma"] if cfg.scale else []), *(["beta"] if cfg.center else []),
              "moving_mean", "moving_variance",
              *(["moving_stddev", "renorm_mean", "renorm_stddev"] if cfg.renorm else [])])
    size = weight_size((dim,), "BatchNormalization", names[0])
    params = size * len(names)
    return Result(
        outputs=shape, params=params,
        notes=[f"params = {len(names)}*{size} = {params}  ({' + '.join(names)}; moving "
               "statistics are non-trainable)", f"{fmt_shape(shape)} -> same shape"])


register_layer("BatchNormalization", family="normalization", init=_batch_norm_init,
               call=_batch_norm_call)


# --- LayerNormalization / RMSNormalization -------------------------------------------------------


@dataclass(frozen=True)
class LayerNormConfig:
    axis: Any  # int, or list
    gamma: bool
    beta: bool


def _layer_norm_init(_name: str, a: dict[str, Any]) -> LayerNormConfig:
    axis = known(a["axis"], "axis")
    if isinstance(axis, (list, tuple)):
        axis = list(axis)
    elif not isinstance(axis, int):
        raise ShapeError(
            "invalid-argument",
            f"Expected an int or a list/tuple of ints for the argument 'axis', but received: "
            f"{axis!r}", arg="axis", at="init")
    rms = bool(known(a.get("rms_scaling", False), "rms_scaling"))
    scale = bool(known(a["scale"], "scale"))
    center = bool(known(a["center"], "center"))
    return LayerNormConfig(axis, scale or rms, center and not rms)


def _axes_shape(shape: Shape, axis: Any, owner: str) -> tuple[list[Any], tuple[Dim, ...]]:
    """Keras' `build`: sorted axes and the weight shape `input_shape[a]` for each."""
    if isinstance(axis, list):
        try:
            axes = sorted(axis)
        except TypeError:
            raise ShapeError("invalid-argument", f"`axis` of `{owner}` mixes types: {axis!r}",
                             arg="axis") from None
    else:
        axes = [axis]
    return axes, tuple(axis_dim(shape, a, owner) for a in axes)


def _layer_norm_call(cfg: LayerNormConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "LayerNormalization")
    axes, wshape = _axes_shape(shape, cfg.axis, "LayerNormalization")
    names = [*(["gamma"] if cfg.gamma else []), *(["beta"] if cfg.beta else [])]
    size = weight_size(wshape, "LayerNormalization", names[0]) if names else 0
    params = size * len(names)
    _axes_in_bounds(shape, axes, "LayerNormalization", cfg.axis)
    return Result(outputs=shape, params=params,
                  notes=[f"weight shape {wshape} over axes {axes}: params = {params}",
                         f"{fmt_shape(shape)} -> same shape"])


register_layer("LayerNormalization", family="normalization", init=_layer_norm_init,
               call=_layer_norm_call)


def _rms_init(_name: str, a: dict[str, Any]) -> Any:
    return known(a["axis"], "axis")


def _rms_call(axis: Any, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "RMSNormalization")
    lst = list(axis) if isinstance(axis, (list, tuple)) else axis
    axes, wshape = _axes_shape(shape, lst, "RMSNormalization")
    params = weight_size(wshape, "RMSNormalization", "scale")
    _axes_in_bounds(shape, axes, "RMSNormalization", axis)
    return Result(outputs=shape, params=params,
                  notes=[f"scale shape {wshape}: params = {params}",
                         f"{fmt_shape(shape)} -> same shape"])


register_layer("RMSNormalization", family="normalization", init=_rms_init, call=_rms_call)


# --- GroupNormalization --------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupNormConfig:
    groups: int
    axis: Any
    center: bool
    scale: bool


def _group_norm_init(_name: str, a: dict[str, Any]) -> GroupNormConfig:
    groups = known(a["groups"], "groups")
    if not isinstance(groups, int) or (groups <= 0 and groups != -1):
        raise ShapeError(
            "invalid-argument",
            "Received an invalid value for argument `groups`, expected a positive integer (or "
            f"`-1` for instance normalization). Received: groups={groups}",
            arg="groups", at="init")
    return GroupNormConfig(int(groups), known(a["axis"], "axis"),
                           bool(known(a["center"], "center")), bool(known(a["scale"], "scale")))


def _group_norm_call(cfg: GroupNormConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "GroupNormalization")
    dim = axis_dim(shape, cfg.axis, "GroupNormalization")
    if dim is None:
        raise ShapeError(
            "incompatible-shape",
            f"Axis {cfg.axis} of input tensor should have a defined dimension but the layer "
            f"received an input with shape {fmt_shape(shape)}.", arg="axis")
    groups = dim if cfg.groups == -1 else cfg.groups
    if dim < groups:
        raise ShapeError(
            "incompatible-shape",
            f"Number of groups ({groups}) cannot be more than the number of channels ({dim}).",
            arg="groups")
    if dim % groups != 0:
        raise ShapeError(
            "incompatible-shape",
            f"Number of groups ({groups}) must be a multiple of the number of channels ({dim}).",
            arg="groups")
    n = int(cfg.scale) + int(cfg.center)
    params = n * dim
    return Result(outputs=shape, params=params,
                  notes=[f"{groups} groups of {dim // groups} channels",
                         f"params = {n}*{dim} = {params}", f"{fmt_shape(shape)} -> same shape"])


register_layer("GroupNormalization", family="normalization", init=_group_norm_init,
               call=_group_norm_call)


# --- UnitNormalization ---------------------------------------------------------------------------


def _unit_norm_init(_name: str, a: dict[str, Any]) -> Any:
    axis = known(a["axis"], "axis")
    if isinstance(axis, (list, tuple)):
        return list(axis)
    if isinstance(axis, int):
        return axis
    raise ShapeError(
        "invalid-argument",
        "Invalid value for `axis` argument: expected an int or a list/tuple of ints. "
        f"Received: axis={axis!r}", arg="axis", at="init")


def _unit_norm_call(axis: Any, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "UnitNormalization")
    axes = [axis] if isinstance(axis, int) else axis
    _axes_in_bounds(shape, axes, "UnitNormalization", axis)
    return Result(outputs=shape, params=0, notes=[f"{fmt_shape(shape)} -> same shape"])


register_layer("UnitNormalization", family="normalization", init=_unit_norm_init,
               call=_unit_norm_call)


# --- Normalization (the preprocessing layer: a fixed or adapted mean and variance) -----------


@dataclass(frozen=True)
class NormalizationConfig:
    axis: tuple[Any, ...]
    given: bool  # mean and variance passed: no weights


def _normalization_init(_name: str, a: dict[str, Any]) -> NormalizationConfig:
    axis = known(a["axis"], "axis")
    axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    mean, variance = a["mean"], a["variance"]
    if (mean is None) != (variance is None):
        raise ShapeError(
            "invalid-argument",
            "When setting values directly, both `mean` and `variance` must be set. "
            f"Received: mean={mean} and variance={variance}",
            arg="mean", at="init",
        )
    return NormalizationConfig(axis, mean is not None)


def _normalization_call(cfg: NormalizationConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Normalization")
    ndim = len(shape)
    if any(not isinstance(a, int) or a < -ndim or a >= ndim for a in cfg.axis):
        raise ShapeError(
            "invalid-input-rank",
            "All `axis` values must be in the range [-ndim, ndim). "
            f"Received inputs with ndim={ndim}, while axis={cfg.axis}",
        )
    keep = sorted(a % ndim for a in cfg.axis)
    if any(shape[d] is None for d in keep):
        raise ShapeError(
            "incompatible-shape",
            "All `axis` values to be kept must have a known shape. "
            f"Received axis={cfg.axis}, inputs.shape={fmt_shape(shape)}",
        )
    size = 1
    for d in keep:
        size *= int(shape[d] or 0)
    params = 0 if cfg.given else 2 * size + 1
    note = ("params = 0 (mean and variance given)" if cfg.given
            else f"params = 2*{size} + 1 = {params}  (mean, variance, count)")
    return Result(outputs=shape, params=params, derivation=["shape kept"], notes=[note])


register_layer("Normalization", family="normalization", init=_normalization_init,
               call=_normalization_call)
