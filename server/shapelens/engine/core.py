"""Core layers: Input, Dense, EinsumDense, Embedding, activations, Identity, Masking, Lambda.

Each layer is an `init` (normalise and check constructor arguments) and a `call` (shapes, params).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import known, positive_int
from .registry import register_layer
from .shapes import check_rank, need_dim, single
from .types import Result, fmt_shape


@dataclass(frozen=True)
class DenseConfig:
    units: int
    use_bias: bool


def _dense_init(name: str, a: dict[str, Any]) -> DenseConfig:
    units = positive_int(a["units"], "units", name)
    return DenseConfig(units, bool(known(a["use_bias"], "use_bias")))


def _dense_call(cfg: DenseConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, "Dense")
    check_rank(shape, "Dense", min_ndim=2)
    fan_in = need_dim(shape, -1, "Dense", "last")
    params = fan_in * cfg.units + (cfg.units if cfg.use_bias else 0)
    out = (*shape[:-1], cfg.units)
    bias = f" + {cfg.units}" if cfg.use_bias else ""
    return Result(
        outputs=out,
        params=params,
        derivation=[f"last axis: {fan_in} -> units = {cfg.units}"],
        notes=[f"params = {fan_in}*{cfg.units}{bias} = {params}  (kernel{' + bias' if bias else ''})",
               f"{fmt_shape(shape)} -> {fmt_shape(out)}"],
    )


register_layer("Dense", family="core", init=_dense_init, call=_dense_call)
