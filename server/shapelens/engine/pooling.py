"""Pooling layers: Max/AveragePooling1D/2D/3D and GlobalMax/GlobalAveragePooling1D/2D/3D.

Mirrors Keras 3.15 (`keras/src/layers/pooling/base_pooling.py`, `base_global_pooling.py`,
`ops/operation_utils.py::compute_pooling_output_shape`). Unlike the conv layers, pooling layers
keep `padding` as written: any value passes `__init__`, and the call accepts exactly 'valid' or
'same' (so 'SAME' fails when the layer is called). `strides` may be 0 at construction
(`allow_zero=True`), which then fails at call with a division by zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import known, standardize_data_format, standardize_tuple
from .geometry import pool_axis
from .registry import register_layer
from .shapes import check_rank, single
from .symdims import is_sym
from .types import Result, Shape, ShapeError, fmt_shape

_POOLS: dict[str, tuple[str, int]] = {
    "MaxPooling1D": ("max", 1),
    "MaxPooling2D": ("max", 2),
    "MaxPooling3D": ("max", 3),
    "AveragePooling1D": ("average", 1),
    "AveragePooling2D": ("average", 2),
    "AveragePooling3D": ("average", 3),
}
_GLOBALS: dict[str, tuple[str, int]] = {
    "GlobalMaxPooling1D": ("max", 1),
    "GlobalMaxPooling2D": ("max", 2),
    "GlobalMaxPooling3D": ("max", 3),
    "GlobalAveragePooling1D": ("average", 1),
    "GlobalAveragePooling2D": ("average", 2),
    "GlobalAveragePooling3D": ("average", 3),
}


def _tuple(value: Any, n: int, arg: str, allow_zero: bool = False) -> tuple[int, ...]:
    """`standardize_tuple`, where (as in Keras, `isinstance(True, int)`) a bool counts as 0/1."""
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, (list, tuple)):
        value = type(value)(int(v) if isinstance(v, bool) else v for v in value)
    return standardize_tuple(value, n, arg, allow_zero)


@dataclass(frozen=True)
class PoolConfig:
    name: str
    rank: int
    pool_size: tuple[int, ...]
    strides: tuple[int, ...]
    strides_from_pool: bool
    padding: Any  # as written; checked at call
    data_format: str


def _pool_init(name: str, a: dict[str, Any]) -> PoolConfig:
    _, rank = _POOLS[name]
    pool_size = _tuple(a["pool_size"], rank, "pool_size")
    raw_strides = known(a["strides"], "strides")
    from_pool = raw_strides is None
    strides = _tuple(a["pool_size"] if from_pool else raw_strides, rank, "strides",
                     allow_zero=True)
    padding = known(a["padding"], "padding")
    data_format = standardize_data_format(a["data_format"])
    return PoolConfig(name, rank, pool_size, strides, from_pool, padding, data_format)


def _spatial_axes(shape: Shape, data_format: str) -> list[int]:
    n = len(shape) - 2
    return list(range(1, n + 1)) if data_format == "channels_last" else list(range(2, n + 2))


def _pool_call(cfg: PoolConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, cfg.name)
    check_rank(shape, cfg.name, ndim=cfg.rank + 2)
    if 0 in cfg.strides:
        raise ShapeError(
            "invalid-argument",
            f"`strides` must be positive: `{cfg.name}` divides by the stride, and stride 0 "
            f"fails when the layer is called. Received: strides={cfg.strides}",
            arg="strides",
        )
    if cfg.padding not in ("valid", "same") or not isinstance(cfg.padding, str):
        hint = ""
        if isinstance(cfg.padding, str) and cfg.padding.lower() in ("valid", "same"):
            hint = (f" (pooling layers do not lower-case `padding`; write "
                    f"'{cfg.padding.lower()}')")
        raise ShapeError(
            "invalid-argument",
            f"The `padding` argument of `{cfg.name}` must be exactly 'valid' or 'same'{hint}. "
            f"Received: padding={cfg.padding!r}",
            arg="padding",
        )
    padding: str = cfg.padding
    lines: list[str] = []
    out: list[int | None] = list(shape)
    for i, axis in enumerate(_spatial_axes(shape, cfg.data_format)):
        size = shape[axis]
        p, s = cfg.pool_size[i], cfg.strides[i]
        dim, line = pool_axis(size, p, s, padding)
        # An open size: the sizes that make it <= 0 cannot run at all (not an error here).
        if padding == "valid" and size is not None and dim is not None and not is_sym(dim) \
                and dim <= 0:
            raise ShapeError(
                "non-positive-dim",
                f"Computed output size would be zero or negative on axis {axis}: pool_size {p} "
                f"is larger than the input {size} with padding='valid'. Received: input shape "
                f"{fmt_shape(shape)}, pool_size={cfg.pool_size}, strides={cfg.strides}",
            )
        out[axis] = dim
        lines.append(f"axis {axis}: {line}")
    ch_axis = len(shape) - 1 if cfg.data_format == "channels_last" else 1
    lines.append(f"axis {ch_axis}: channels {shape[ch_axis]} (unchanged)")
    result_shape = tuple(out)
    notes = []
    if cfg.strides_from_pool:
        notes.append(f"strides=None -> pool_size {cfg.pool_size}")
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(result_shape)}")
    warnings = [
        f"axis {i} of the output has size 0: Keras accepts this, but the tensor is empty"
        for i in range(len(result_shape))
        if not is_sym(result_shape[i]) and result_shape[i] == 0
    ]
    return Result(outputs=result_shape, params=0, derivation=lines, notes=notes,
                  warnings=warnings)


@dataclass(frozen=True)
class GlobalConfig:
    name: str
    rank: int
    data_format: str
    keepdims: bool


def _global_init(name: str, a: dict[str, Any]) -> GlobalConfig:
    _, rank = _GLOBALS[name]
    data_format = standardize_data_format(a["data_format"])
    keepdims = bool(known(a["keepdims"], "keepdims"))
    return GlobalConfig(name, rank, data_format, keepdims)


def _global_call(cfg: GlobalConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, cfg.name)
    check_rank(shape, cfg.name, ndim=cfg.rank + 2)
    axes = _spatial_axes(shape, cfg.data_format)
    ch_axis = len(shape) - 1 if cfg.data_format == "channels_last" else 1
    if cfg.keepdims:
        out = tuple(1 if i in axes else d for i, d in enumerate(shape))
        how = "kept as 1 (keepdims=True)"
    else:
        out = (shape[0], shape[ch_axis])
        how = "removed"
    kind = "max" if "Max" in cfg.name else "mean"
    names = ", ".join(str(a) for a in axes)
    lines = [f"axes {names}: {kind} over {fmt_shape(tuple(shape[a] for a in axes))}, {how}",
             f"axis {ch_axis}: channels {shape[ch_axis]} (unchanged)"]
    return Result(outputs=out, params=0, derivation=lines,
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(out)}"])


_ADAPTIVE: dict[str, tuple[str, int]] = {
    "AdaptiveMaxPooling1D": ("max", 1),
    "AdaptiveMaxPooling2D": ("max", 2),
    "AdaptiveMaxPooling3D": ("max", 3),
    "AdaptiveAveragePooling1D": ("average", 1),
    "AdaptiveAveragePooling2D": ("average", 2),
    "AdaptiveAveragePooling3D": ("average", 3),
}


@dataclass(frozen=True)
class AdaptiveConfig:
    name: str
    rank: int
    output_size: tuple[Any, ...]
    data_format: str


def _adaptive_init(name: str, a: dict[str, Any]) -> AdaptiveConfig:
    """Keras 3.15's adaptive pooling: `output_size` is only checked for type and length, and
    `data_format` is NOT lower-cased (unlike every other layer)."""
    _, rank = _ADAPTIVE[name]
    size = known(a["output_size"], "output_size")
    if isinstance(size, int):  # as in Keras, a bool counts as an int here
        out: tuple[Any, ...] = (size,) * rank
    elif isinstance(size, (list, tuple)) and len(size) == rank:
        out = tuple(size)
    else:
        raise ShapeError(
            "invalid-argument",
            f"`output_size` of `{name}` must be an integer or a tuple of {rank} integers. "
            f"Received: output_size={size!r}",
            arg="output_size", at="init",
        )
    fmt = known(a["data_format"], "data_format") or "channels_last"
    if fmt not in ("channels_first", "channels_last"):
        raise ShapeError(
            "invalid-argument",
            f"`data_format` of `{name}` must be exactly 'channels_first' or 'channels_last' "
            f"(adaptive pooling does not lower-case it). Received: data_format={fmt!r}",
            arg="data_format", at="init",
        )
    return AdaptiveConfig(name, rank, out, fmt)


def _adaptive_call(cfg: AdaptiveConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    # No InputSpec: Keras computes (batch, *output_size, channels) whatever the input rank.
    shape = single(inputs, cfg.name)
    for d in cfg.output_size:
        if not (isinstance(d, int) and d >= 0):
            raise ShapeError(
                "invalid-argument",
                f"Every entry of `output_size` must be a non-negative integer for `{cfg.name}` "
                f"to make its output. Received: output_size={cfg.output_size}",
                arg="output_size",
            )
    sizes = tuple(int(d) for d in cfg.output_size)
    if cfg.data_format == "channels_last":
        out = (shape[0], *sizes, shape[-1])
    else:
        out = (shape[0], shape[1], *sizes)
    lines = [f"spatial axes: output_size = {sizes} (adaptive pooling ignores the input size)"]
    warnings = [f"`output_size` {sizes} has a 0: Keras accepts this, but the tensor is empty"
                ] if 0 in sizes else []
    return Result(outputs=out, params=0, derivation=lines, warnings=warnings,
                  notes=[f"{fmt_shape(shape)} -> {fmt_shape(out)}"])


for _name in _POOLS:
    register_layer(_name, family="pooling", init=_pool_init, call=_pool_call)
for _name in _GLOBALS:
    register_layer(_name, family="pooling", init=_global_init, call=_global_call)
for _name in _ADAPTIVE:
    register_layer(_name, family="pooling", init=_adaptive_init, call=_adaptive_call)
