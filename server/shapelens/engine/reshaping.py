"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, Cropping1D/2D/3D,
ZeroPadding1D/2D/3D, UpSampling1D/2D/3D.

Each layer mirrors Keras 3 (TF 2.21): `init` is the constructor's checks, `call` is the InputSpec
check plus `compute_output_shape` (what a symbolic call runs), and the final shape goes through the
same dimension check a KerasTensor makes (no negative or non-integer dims). None of these layers
has weights: params are always 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import known, standardize_data_format
from .registry import register_layer
from .shapes import check_rank, single
from .symdims import is_sym
from .types import Dim, Result, Shape, ShapeError, fmt_shape

# --- helpers (Keras-exact variants of the shared normalisers) -------------------------------------


def _fmt_value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def keras_tuple(value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[Any, ...]:
    """`keras.src.utils.argument_validation.standardize_tuple`, quirks included.

    Unlike the shared `args.standardize_tuple`, Keras accepts bools (they are ints) and any element
    `int()` accepts (floats, digit strings); the values are kept as given.
    """
    known(value, name)
    msg = (
        f"The `{name}` argument must be a tuple of {n} integers. "
        f"Received {name}={_fmt_value(value)}"
    )
    if isinstance(value, int):
        values: tuple[Any, ...] = (value,) * n
    else:
        if not isinstance(value, (tuple, list, str, dict, set, frozenset, range)):
            raise ShapeError("invalid-argument", msg, arg=name, at="init")
        values = tuple(value)
        if len(values) != n:
            raise ShapeError("invalid-argument", msg, arg=name, at="init")
        for v in values:
            try:
                int(v)
            except (ValueError, TypeError, OverflowError):
                raise ShapeError(
                    "invalid-argument",
                    f"{msg} including element {_fmt_value(v)} of type {type(v).__name__}",
                    arg=name, at="init",
                ) from None
    for v in values:
        if not isinstance(v, (int, float)):
            raise ShapeError(
                "invalid-argument",
                f"The `{name}` argument must be a tuple of {n} integers. Received {name}="
                f"{_fmt_value(value)}: {v!r} cannot be compared with 0",
                arg=name, at="init",
            )
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        req = ">= 0" if allow_zero else "> 0"
        raise ShapeError(
            "invalid-argument",
            f"{msg}, including values {bad} that do not satisfy `value {req}`",
            arg=name, at="init",
        )
    return values


def finalize(shape: tuple[Any, ...], owner: str) -> tuple[Shape, list[str]]:
    """The dim check a KerasTensor makes on an output shape: ints >= 0 or None (bools -> int).

    Returns the shape and warnings for dims of size 0 (Keras lets them through).
    """
    out: list[Dim] = []
    warnings: list[str] = []
    for i, d in enumerate(shape):
        if d is None:
            out.append(None)
            continue
        if isinstance(d, (str, float)):
            raise ShapeError(
                "invalid-argument",
                f"{owner}: output axis {i} would be {d!r}, not an integer; the arguments must be "
                f"integers. Output shape: {_fmt_raw(shape)}",
            )
        if is_sym(d):  # a size an Input left open stays its formula (its sizes <= 0 cannot run)
            out.append(d)
            continue
        d = int(d)
        if d < 0:
            raise ShapeError(
                "non-positive-dim",
                f"{owner}: output axis {i} would be {d}; negative dimensions are not allowed. "
                f"Output shape: {_fmt_raw(shape)}",
            )
        if d == 0:
            warnings.append(f"{owner}: output axis {i} has size 0")
        out.append(d)
    return tuple(out), warnings


def _fmt_raw(shape: tuple[Any, ...]) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _result(shape_in: Shape, raw: tuple[Any, ...], owner: str, derivation: list[str],
            notes: list[str] | None = None) -> Result:
    out, warnings = finalize(raw, owner)
    return Result(
        outputs=out,
        params=0,
        derivation=derivation,
        notes=[*(notes or []), f"{fmt_shape(shape_in)} -> {fmt_shape(out)}", "params = 0"],
        warnings=warnings,
    )


def _spatial_axes(data_format: str, n: int) -> list[int]:
    """Indices of the n spatial axes in a batched shape."""
    return list(range(2, 2 + n)) if data_format == "channels_first" else list(range(1, 1 + n))


def _ordinal(i: int) -> str:
    return ("1st", "2nd", "3rd")[i]


def _pairs(value: Any, n: int, arg: str, owner: str, negative_int_ok: bool) -> tuple[Any, ...]:
    """Cropping2D/3D and ZeroPadding2D/3D: int, n ints, or n pairs -> n pairs."""
    known(value, arg)
    if isinstance(value, int):
        if value < 0 and not negative_int_ok:
            raise ShapeError(
                "invalid-argument", f"`{arg}` cannot be negative. Received: {arg}={value}.",
                arg=arg, at="init",
            )
        return tuple((value, value) for _ in range(n))
    if isinstance(value, (tuple, list, str, dict, set, frozenset, range)):
        if len(value) != n:
            what = "two elements" if n == 2 else f"{n} elements"
            raise ShapeError(
                "invalid-argument",
                f"`{arg}` of `{owner}` should have {what}. Received: {arg}={_fmt_value(value)}.",
                arg=arg, at="init",
            )
        items = list(value)
        return tuple(
            keras_tuple(items[i], 2, f"{_ordinal(i)} entry of {arg}", allow_zero=True)
            for i in range(n)
        )
    raise ShapeError(
        "invalid-argument",
        f"`{arg}` of `{owner}` should be an int, a tuple of {n} ints, or a tuple of {n} tuples "
        f"of 2 ints. Received: {arg}={_fmt_value(value)}.",
        arg=arg, at="init",
    )


def _strict_int(value: Any, arg: str, owner: str) -> int:
    """RepeatVector(n) / UpSampling1D(size): an int (not a bool), > 0."""
    known(value, arg)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ShapeError(
            "invalid-argument",
            f"`{owner}` expects an integer value for `{arg}`, got {type(value).__name__}. "
            f"Received: {arg}={_fmt_value(value)}",
            arg=arg, at="init",
        )
    if value <= 0:
        raise ShapeError(
            "invalid-argument",
            f"Argument `{arg}` of `{owner}` should be a positive integer. Received: {arg}={value}",
            arg=arg, at="init",
        )
    return value


# --- Flatten -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlattenConfig:
    data_format: str


def _flatten_init(name: str, a: dict[str, Any]) -> FlattenConfig:
    return FlattenConfig(standardize_data_format(a["data_format"]))


def _flatten_call(cfg: FlattenConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Flatten")
    check_rank(shape, "Flatten", min_ndim=1)
    rest = shape[1:]
    if not rest:
        flat: Dim = 1
        line = "no non-batch axes -> 1"
    elif any(d is None for d in rest):
        flat = None
        line = f"product of {fmt_shape(rest)} -> None (an axis is None)"
    else:
        flat = math.prod(d for d in rest if d is not None)
        line = " * ".join(str(d) for d in rest) + f" = {flat}"
    return _result(shape, (shape[0], flat), "Flatten", [f"axis 1: {line}"])


register_layer("Flatten", family="reshaping", init=_flatten_init, call=_flatten_call)


# --- Reshape -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReshapeConfig:
    target_shape: tuple[Any, ...]


def _reshape_init(name: str, a: dict[str, Any]) -> ReshapeConfig:
    value = known(a["target_shape"], "target_shape")
    if not isinstance(value, (tuple, list, str, dict, set, frozenset, range)):
        raise ShapeError(
            "invalid-argument",
            f"`target_shape` of `Reshape` must be a tuple of integers. "
            f"Received: target_shape={_fmt_value(value)}",
            arg="target_shape", at="init",
        )
    target = tuple(value)
    neg_one = 0
    for d in target:
        if not isinstance(d, int):
            continue
        if d < -1:
            raise ShapeError(
                "invalid-argument",
                "Each dimension in `target_shape` must be a non-negative integer, or `-1` for a "
                f"single unknown dimension. Received: target_shape={target}.",
                arg="target_shape", at="init",
            )
        if d == -1:
            neg_one += 1
    if neg_one > 1:
        raise ShapeError(
            "invalid-argument",
            "There must be at most one unknown dimension (-1) in `target_shape`. "
            f"Received: target_shape={target}.",
            arg="target_shape", at="init",
        )
    return ReshapeConfig(target)


def _reshape_call(cfg: ReshapeConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Reshape")
    if not shape:
        raise ShapeError(
            "invalid-input-rank",
            "Reshape: the input has no batch axis. Full shape received: ()",
        )
    rest = shape[1:]
    target: tuple[Any, ...] = tuple(d if isinstance(d, int) else None for d in cfg.target_shape)
    tstr = fmt_shape(tuple(None if d is None else int(d) for d in target))
    if None in rest or None in target:
        out = tuple(None if d == -1 else d for d in target)
        why = "an input axis is None" if None in rest else "`target_shape` has a non-integer"
        deriv = [f"target_shape {tstr}: -1 -> None ({why})"] if -1 in target else []
        return _result(shape, (shape[0], *out), "Reshape", deriv)
    size = math.prod(d for d in rest if d is not None)
    size_line = (" * ".join(str(d) for d in rest) + f" = {size}") if rest else "1"
    if target.count(-1) == 0:
        tsize = math.prod(target)
        if size != tsize:
            raise ShapeError(
                "incompatible-shape",
                f"Reshape: the total size must be unchanged: the input {fmt_shape(shape)} has "
                f"{size} elements per sample but target_shape {tstr} has {tsize}. "
                f"Received: input_shape={fmt_shape(shape)}, target_shape={tstr}",
            )
        return _result(shape, (shape[0], *target), "Reshape",
                       [f"elements per sample: {size_line} = target size {tsize}"])
    known_size = math.prod(d for d in target if d != -1)
    if known_size == 0 or size % known_size != 0:
        raise ShapeError(
            "incompatible-shape",
            f"Reshape: the input {fmt_shape(shape)} has {size} elements per sample, which the "
            f"other dims of target_shape {tstr} (product {known_size}) do not divide. "
            f"Received: input_shape={fmt_shape(shape)}, target_shape={tstr}",
        )
    idx = target.index(-1)
    out_l = list(target)
    out_l[idx] = size // known_size
    return _result(shape, (shape[0], *out_l), "Reshape",
                   [f"-1 at target axis {idx}: ({size_line}) / {known_size} = {out_l[idx]}"])


register_layer("Reshape", family="reshaping", init=_reshape_init, call=_reshape_call)


# --- Permute -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PermuteConfig:
    dims: tuple[Any, ...]


def _permute_init(name: str, a: dict[str, Any]) -> PermuteConfig:
    value = known(a["dims"], "dims")
    if not isinstance(value, (tuple, list, str, dict, set, frozenset, range)):
        raise ShapeError(
            "invalid-argument",
            f"`dims` of `Permute` must be a tuple of integers. Received: dims={_fmt_value(value)}",
            arg="dims", at="init",
        )
    dims = tuple(value)
    ok = all(isinstance(d, (int, float)) for d in dims) and sorted(dims) == list(
        range(1, len(dims) + 1)
    )
    if not ok:
        raise ShapeError(
            "invalid-argument",
            "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
            f"must be consecutive and start from 1. Received dims={_fmt_value(value)}",
            arg="dims", at="init",
        )
    return PermuteConfig(dims)


def _permute_call(cfg: PermuteConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Permute")
    check_rank(shape, "Permute", ndim=len(cfg.dims) + 1)
    out: list[Dim] = [shape[0]]
    deriv = []
    for i, d in enumerate(cfg.dims, start=1):
        if isinstance(d, float):
            raise ShapeError(
                "invalid-argument",
                f"Permute: `dims` must hold integers, not {d!r}. Received dims={cfg.dims}",
                arg="dims",
            )
        out.append(shape[int(d)])
        deriv.append(f"axis {i} <- input axis {int(d)} ({shape[int(d)]})")
    return _result(shape, tuple(out), "Permute", deriv)


register_layer("Permute", family="reshaping", init=_permute_init, call=_permute_call)


# --- RepeatVector ------------------------------------------------------------------------------


def _repeat_init(name: str, a: dict[str, Any]) -> int:
    return _strict_int(a["n"], "n", "RepeatVector")


def _repeat_call(n: int, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "RepeatVector")
    check_rank(shape, "RepeatVector", ndim=2)
    return _result(shape, (shape[0], n, shape[1]), "RepeatVector", [f"new axis 1: n = {n}"])


register_layer("RepeatVector", family="reshaping", init=_repeat_init, call=_repeat_call)


# --- Cropping1D/2D/3D --------------------------------------------------------------------------


@dataclass(frozen=True)
class CroppingConfig:
    rank: int
    cropping: tuple[tuple[Any, Any], ...]
    data_format: str


def _cropping1d_init(name: str, a: dict[str, Any]) -> CroppingConfig:
    c = keras_tuple(a["cropping"], 2, "cropping", allow_zero=True)
    return CroppingConfig(1, ((c[0], c[1]),), "channels_last")


def _cropping_nd_init(n: int) -> Any:
    def init(name: str, a: dict[str, Any]) -> CroppingConfig:
        data_format = standardize_data_format(a["data_format"])
        pairs = _pairs(a["cropping"], n, "cropping", name, negative_int_ok=False)
        return CroppingConfig(n, tuple((p[0], p[1]) for p in pairs), data_format)

    return init


def _cropping_call(cfg: CroppingConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    owner = f"Cropping{cfg.rank}D"
    shape = single(inputs, owner)
    check_rank(shape, owner, ndim=cfg.rank + 2)
    axes = _spatial_axes(cfg.data_format, cfg.rank)
    out: list[Any] = list(shape)
    deriv = []
    for (lo, hi), ax in zip(cfg.cropping, axes, strict=True):
        d = shape[ax]
        if d is None:
            deriv.append(f"axis {ax}: None stays None (cropping {lo}+{hi})")
            continue
        new = d - lo - hi
        if not is_sym(new) and new <= 0:  # an open size: the too-small ones cannot run
            raise ShapeError(
                "non-positive-dim",
                f"{owner}: cropping {lo}+{hi} on axis {ax} must be smaller than the input size "
                f"{d} (it would leave {new}). Received: input_shape={fmt_shape(shape)}, "
                f"cropping={cfg.cropping if cfg.rank > 1 else cfg.cropping[0]}",
                arg="cropping",
            )
        out[ax] = new
        deriv.append(f"axis {ax}: {d} - {lo} - {hi} = {new}")
    return _result(shape, tuple(out), owner, deriv)


register_layer("Cropping1D", family="reshaping", init=_cropping1d_init, call=_cropping_call)
register_layer("Cropping2D", family="reshaping", init=_cropping_nd_init(2), call=_cropping_call)
register_layer("Cropping3D", family="reshaping", init=_cropping_nd_init(3), call=_cropping_call)


# --- ZeroPadding1D/2D/3D -----------------------------------------------------------------------


@dataclass(frozen=True)
class PaddingConfig:
    rank: int
    padding: tuple[tuple[Any, Any], ...]
    data_format: str


def _zeropad1d_init(name: str, a: dict[str, Any]) -> PaddingConfig:
    data_format = standardize_data_format(a["data_format"])
    p = keras_tuple(a["padding"], 2, "padding", allow_zero=True)
    return PaddingConfig(1, ((p[0], p[1]),), data_format)


def _zeropad_nd_init(n: int) -> Any:
    def init(name: str, a: dict[str, Any]) -> PaddingConfig:
        data_format = standardize_data_format(a["data_format"])
        pairs = _pairs(a["padding"], n, "padding", name, negative_int_ok=True)
        return PaddingConfig(n, tuple((p[0], p[1]) for p in pairs), data_format)

    return init


def _zeropad_call(cfg: PaddingConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    owner = f"ZeroPadding{cfg.rank}D"
    shape = single(inputs, owner)
    check_rank(shape, owner, ndim=cfg.rank + 2)
    axes = _spatial_axes(cfg.data_format, cfg.rank)
    out: list[Any] = list(shape)
    deriv = []
    for (lo, hi), ax in zip(cfg.padding, axes, strict=True):
        d = shape[ax]
        if d is None:
            deriv.append(f"axis {ax}: None stays None (padding {lo}+{hi})")
            continue
        out[ax] = d + (lo + hi)
        deriv.append(f"axis {ax}: {d} + {lo} + {hi} = {out[ax]}")
    return _result(shape, tuple(out), owner, deriv)


register_layer("ZeroPadding1D", family="reshaping", init=_zeropad1d_init, call=_zeropad_call)
register_layer("ZeroPadding2D", family="reshaping", init=_zeropad_nd_init(2), call=_zeropad_call)
register_layer("ZeroPadding3D", family="reshaping", init=_zeropad_nd_init(3), call=_zeropad_call)


# --- UpSampling1D/2D/3D ------------------------------------------------------------------------


@dataclass(frozen=True)
class UpSamplingConfig:
    rank: int
    size: tuple[Any, ...]
    data_format: str
    interpolation: str = "nearest"


def _upsampling1d_init(name: str, a: dict[str, Any]) -> UpSamplingConfig:
    return UpSamplingConfig(1, (_strict_int(a["size"], "size", "UpSampling1D"),), "channels_last")


def _upsampling2d_init(name: str, a: dict[str, Any]) -> UpSamplingConfig:
    data_format = standardize_data_format(a["data_format"])
    size = keras_tuple(a["size"], 2, "size")
    interpolation = known(a["interpolation"], "interpolation")
    if not isinstance(interpolation, str):
        raise ShapeError(
            "invalid-argument",
            "`interpolation` of `UpSampling2D` must be a string such as 'nearest' or 'bilinear'. "
            f"Received: interpolation={interpolation!r}",
            arg="interpolation", at="init",
        )
    # Keras does not check the name itself until the layer runs on data.
    return UpSamplingConfig(2, size, data_format, interpolation.lower())


def _upsampling3d_init(name: str, a: dict[str, Any]) -> UpSamplingConfig:
    data_format = standardize_data_format(a["data_format"])
    return UpSamplingConfig(3, keras_tuple(a["size"], 3, "size"), data_format)


def _upsampling_call(cfg: UpSamplingConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    owner = f"UpSampling{cfg.rank}D"
    shape = single(inputs, owner)
    check_rank(shape, owner, ndim=cfg.rank + 2)
    axes = _spatial_axes(cfg.data_format, cfg.rank)
    out: list[Any] = list(shape)
    deriv = []
    for s, ax in zip(cfg.size, axes, strict=True):
        d = shape[ax]
        if d is None:
            deriv.append(f"axis {ax}: None stays None (size {s})")
            continue
        out[ax] = int(s) * d if isinstance(s, bool) else s * d  # True is 1, also for a formula
        deriv.append(f"axis {ax}: {d} * {s} = {out[ax]}")
    notes = [f"interpolation={cfg.interpolation!r}"] if cfg.rank == 2 else []
    return _result(shape, tuple(out), owner, deriv, notes)


register_layer("UpSampling1D", family="reshaping", init=_upsampling1d_init, call=_upsampling_call)
register_layer("UpSampling2D", family="reshaping", init=_upsampling2d_init, call=_upsampling_call)
register_layer("UpSampling3D", family="reshaping", init=_upsampling3d_init, call=_upsampling_call)
