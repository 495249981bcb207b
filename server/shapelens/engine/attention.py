"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention.

Mirrors Keras 3 (TF 2.21). The engine call receives the inputs as a list: `[query, value]` or
`[query, value, key]` (for MultiHeadAttention, `key=` is a call argument in Keras; the analyser
puts it third). MultiHeadAttention's parameters are those of the EinsumDense projections its
`build` creates; their weight shapes are derived with Keras' own einsum analysis
(`einsum_dense._analyze_split_string`), reproduced privately here as `_einsum_weights`.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .args import is_int, known
from .registry import register_layer
from .shapes import shapes_of
from .symdims import same
from .types import NotKnown, Result, Shape, ShapeError, fmt_shape

_MHA_CALL_KWARGS = {
    "query_mask", "value_mask", "key_mask", "attention_mask", "return_attention_scores",
    "training", "use_causal_mask",
}
_ATTENTION_CALL_KWARGS = {"mask", "training", "return_attention_scores", "use_causal_mask"}


def _inputs(owner: str, inputs: Any) -> list[Shape]:
    if not isinstance(inputs, list):
        raise ShapeError(
            "incompatible-shape",
            f"{owner} layer must be called on a list of inputs, namely [query, value] or "
            f"[query, value, key]. Received: inputs={fmt_shape(inputs)}.",
        )
    shapes = shapes_of(inputs)
    if len(shapes) < 2 or len(shapes) > 3:
        raise ShapeError(
            "incompatible-shape",
            f"{owner} layer accepts inputs list of length 2 or 3, namely [query, value] or "
            f"[query, value, key]. Received length: {len(shapes)}.",
        )
    for s in shapes:
        if s is None:
            raise NotKnown("the rank of an input is not known")
    return [tuple(s) for s in shapes if s is not None]


def _check_call_kwargs(owner: str, kw: Mapping[str, Any], allowed: set[str]) -> None:
    for key in kw:
        if key not in allowed:
            raise ShapeError(
                "unknown-argument",
                f"{owner}.call() got an unexpected keyword argument '{key}'",
                arg=key,
            )


def _weight(dims: list[Any], owner: str, what: str) -> int:
    """add_weight: every dim must be a defined, non-negative integer."""
    for d in dims:
        if d is None:
            raise ShapeError(
                "incompatible-shape",
                f"`{owner}` cannot build its `{what}` of shape {tuple(dims)}: shapes used to "
                "initialize variables must be fully-defined (no `None` dimensions); the "
                "input's last axis must be known.",
            )
        if (not is_int(d) and not isinstance(d, bool)) or d < 0:
            raise ShapeError(
                "invalid-argument",
                f"`{owner}` cannot build its `{what}` of shape {tuple(dims)}: every dimension "
                "must be a non-negative integer.",
            )
    return math.prod(int(d) for d in dims)


# --- MultiHeadAttention ------------------------------------------------------------------------


@dataclass(frozen=True)
class MHAConfig:
    num_heads: int
    key_dim: int
    value_dim: int
    use_bias: bool
    use_gate: bool
    output_shape: tuple[Any, ...] | None
    attention_axes: Any  # None, a tuple (ints from the user), or whatever Keras kept
    dropout: Any


def _pos_int(value: Any, arg: str, none_ok: bool = False) -> Any:
    known(value, arg)
    if none_ok and value is None:
        return None
    if not isinstance(value, int) or value <= 0:  # bools pass, as in Keras
        extra = " or `None`" if none_ok else ""
        raise ShapeError(
            "invalid-argument",
            f"Received an invalid value for argument `{arg}`, expected a positive integer"
            f"{extra}. Received: {arg}={value!r}",
            arg=arg, at="init",
        )
    return int(value)


def _mha_init(name: str, a: dict[str, Any]) -> MHAConfig:
    heads = _pos_int(a["num_heads"], "num_heads")
    key_dim = _pos_int(a["key_dim"], "key_dim")
    value_dim = _pos_int(a["value_dim"], "value_dim", none_ok=True)
    out = known(a["output_shape"], "output_shape")
    output_shape: tuple[Any, ...] | None = None
    if out:
        if isinstance(out, int):
            output_shape = (out,)
        elif isinstance(out, (list, tuple, str, dict, set)):
            output_shape = tuple(out)
        else:
            raise ShapeError(
                "invalid-argument",
                f"Invalid `output_shape`: {out!r}. When specified, the `output_shape` should be "
                "of type tuple, list, or int.",
                arg="output_shape", at="init",
            )
    axes = known(a["attention_axes"], "attention_axes")
    if isinstance(axes, int):
        axes = (axes,)
    elif axes and not isinstance(axes, (list, tuple)):
        raise ShapeError(
            "invalid-argument",
            f"`attention_axes` must be an int, list, or tuple. Received: attention_axes={axes!r}",
            arg="attention_axes", at="init",
        )
    window = known(a["sliding_window"], "sliding_window")
    if window is not None and (not isinstance(window, int) or window <= 0):
        raise ShapeError(
            "invalid-argument",
            "`sliding_window` must be `None` or a positive integer. "
            f"Received: sliding_window={window!r}",
            arg="sliding_window", at="init",
        )
    dropout = known(a["dropout"], "dropout")
    if known(a["flash_attention"], "flash_attention"):
        if not isinstance(dropout, (int, float)):
            raise ShapeError("invalid-argument", f"`dropout` must be a number. Received: "
                             f"dropout={dropout!r}", arg="dropout", at="init")
        if dropout > 0.0:
            raise ShapeError(
                "invalid-argument",
                "Dropout is not supported when flash attention is enabled. Please set dropout "
                "to 0.0 to use flash attention.",
                arg="dropout", at="init",
            )
    return MHAConfig(
        heads, key_dim, value_dim if value_dim else key_dim,
        bool(known(a["use_bias"], "use_bias")), bool(known(a["use_gate"], "use_gate")),
        output_shape, axes, dropout,
    )


def _proj_equation(free: int, bound: int, out: int) -> tuple[str, str, str, str]:
    """Keras' `_build_proj_equation`: (input spec, kernel spec, output spec, bias axes)."""
    letters = string.ascii_lowercase
    inp = kernel = output = bias = ""
    for i in range(free):
        inp += letters[i]
        output += letters[i]
    for i in range(bound):
        c = letters[free + i]
        inp += c
        kernel += c
    for i in range(out):
        c = letters[free + bound + i]
        kernel += c
        output += c
        bias += c
    return inp, kernel, output, bias


def _partial_output(rank: int, last: list[Any]) -> list[Any]:
    """Keras' `_get_output_shape`."""
    return [None] * (rank - len(last)) + list(last)


def _einsum_weights(
    spec: tuple[str, str, str, str], use_bias: bool, input_shape: Shape, partial: list[Any],
) -> tuple[list[Any], list[Any] | None, tuple[Any, ...]]:
    """Keras' `_analyze_split_string` for an equation without ellipsis: kernel shape, bias shape
    and the full output shape of an EinsumDense built on `input_shape`."""
    inp, weight, out_spec, bias_axes = spec
    output = [input_shape[0], *partial]
    in_map = {d: i for i, d in enumerate(inp)}
    out_map = {d: i for i, d in enumerate(out_spec)}
    for d in inp:
        if d in out_map:
            o = output[out_map[d]]
            if o is not None and o != input_shape[in_map[d]]:
                raise ShapeError(
                    "incompatible-shape",
                    f"Input shape and output shape do not match at shared dimension '{d}'. "
                    f"Input shape is {input_shape[in_map[d]]}, and output shape is {o}.",
                )
    kernel = [output[out_map[d]] if d in out_map else input_shape[in_map[d]] for d in weight]
    bias = None
    if use_bias:
        idx = {c: output[i] for i, c in enumerate(out_spec)}
        first = min(out_spec.find(c) for c in bias_axes)
        bias = [idx[c] if c in bias_axes else 1 for c in out_spec[first:]]
    return kernel, bias, tuple(output)


def _mha_call(cfg: MHAConfig, inputs: Any, kw: Mapping[str, Any]) -> Result:
    owner = "MultiHeadAttention"
    _check_call_kwargs(owner, kw, _MHA_CALL_KWARGS)
    shapes = _inputs(owner, inputs)
    query, value = shapes[0], shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    if value[1:-1] != key[1:-1]:
        raise ShapeError(
            "shape-mismatch",
            "All dimensions of `value` and `key`, except the last one, must be equal. "
            f"Received: value_shape={fmt_shape(value)} and key_shape={fmt_shape(key)}",
        )
    h, kd, vd = cfg.num_heads, cfg.key_dim, cfg.value_dim
    params = 0
    notes: list[str] = []

    def dense(name: str, shape: Shape, free: int, bound: int, last: list[Any]) -> tuple[Any, ...]:
        nonlocal params
        spec = _proj_equation(free, bound, len(last))
        partial = _partial_output(len(spec[2]) - 1, last)
        kernel, bias, full = _einsum_weights(spec, cfg.use_bias, shape, partial)
        n = _weight(kernel, owner, f"{name}/kernel")
        b = _weight(bias, owner, f"{name}/bias") if bias is not None else 0
        params += n + b
        bias_txt = f" + bias {tuple(bias)}" if bias is not None else ""
        notes.append(f"{name}: kernel {tuple(kernel)}{bias_txt} = {n + b}")
        return full

    q_proj = dense("query", query, len(query) - 1, 1, [h, kd])
    dense("key", key, len(key) - 1, 1, [h, kd])
    if cfg.use_gate:
        dense("gate", query, len(query) - 1, 1, [h, vd])
    dense("value", value, len(value) - 1, 1, [h, vd])
    _check_attention_axes(cfg, len(value) + 1)
    _check_rate(cfg.dropout)
    out_last = list(cfg.output_shape) if cfg.output_shape else [query[-1]]
    o_in = (*q_proj[:-1], vd)
    dense("attention_output", o_in, len(query) - 1, 2, out_last)
    out: Shape = (*query[:-1], *cfg.output_shape) if cfg.output_shape else query
    derivation = [
        f"output = query shape {fmt_shape(query)}"
        + (f" with last axis -> output_shape {cfg.output_shape}" if cfg.output_shape else ""),
    ]
    outputs: Any = out
    warnings: list[str] = []
    if kw.get("return_attention_scores"):
        if len(query) < 2:
            raise ShapeError(
                "invalid-input-rank",
                "`return_attention_scores=True` needs a query with a sequence axis. "
                f"Received: query shape {fmt_shape(query)}",
            )
        length = query[1]
        scores = (query[0], h, length, length)
        outputs = [out, scores]
        derivation.append(f"scores: (batch, num_heads={h}, {length}, {length})  "
                          "(Keras' symbolic shape uses the query length for both axes)")
        if (len(key) > 1 and not same(key[1], length)) or cfg.attention_axes is not None:
            warnings.append(
                "Keras reports the attention scores as (batch, num_heads, Tq, Tq) when building "
                f"the model; at run time they are (batch, num_heads, {length}, {key[1]}) "
                "(key length; other axes with `attention_axes`)."
            )
    notes.insert(0, f"params = {params}  (query, key, value{', gate' if cfg.use_gate else ''} "
                    "and output projections)")
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes,
                  warnings=warnings)


def _check_attention_axes(cfg: MHAConfig, rank: int) -> None:
    """Keras' `_build_attention(rank)`: axes normalised against the projected rank, then
    `np.delete(range(rank), axes + (rank - 1,))`, which fails on an out-of-range axis."""
    axes = cfg.attention_axes
    if axes is None:
        return
    if not isinstance(axes, (list, tuple)):
        raise ShapeError(
            "invalid-argument",
            f"`attention_axes` must be an int, list, or tuple. Received: attention_axes={axes!r}",
            arg="attention_axes",
        )
    for ax in axes:
        if not isinstance(ax, int):
            raise ShapeError(
                "invalid-argument",
                f"`attention_axes` must hold integers. Received: attention_axes={axes!r}",
                arg="attention_axes",
            )
        norm = ax if ax >= 0 else (rank - 1) + ax
        if not -rank <= norm < rank:
            raise ShapeError(
                "invalid-argument",
                f"`attention_axes` entry {ax} is out of range for inputs of rank {rank - 1} "
                f"(projected rank {rank}). Received: attention_axes={tuple(axes)}",
                arg="attention_axes",
            )


def _check_rate(rate: Any) -> None:
    """Keras' Dropout(rate) built inside `_build_attention`."""
    if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ShapeError(
            "invalid-argument",
            "Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
            f"Received: rate={rate!r}",
            arg="dropout",
        )


# --- Attention, AdditiveAttention -------------------------------------------------------------


@dataclass(frozen=True)
class AttentionConfig:
    name: str
    use_scale: bool
    score_mode: str


def _attention_init(name: str, a: dict[str, Any]) -> AttentionConfig:
    dropout = known(a["dropout"], "dropout")
    if not isinstance(dropout, (int, float)):
        raise ShapeError(
            "invalid-argument",
            f"`dropout` must be a number. Received: dropout={dropout!r}",
            arg="dropout", at="init",
        )
    score_mode = known(a.get("score_mode", "dot"), "score_mode")
    if score_mode not in ["dot", "concat"]:
        raise ShapeError(
            "invalid-argument",
            "Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. "
            f"Received: score_mode={score_mode}",
            arg="score_mode", at="init",
        )
    return AttentionConfig(name, bool(known(a["use_scale"], "use_scale")), str(score_mode))


def _attention_call(cfg: AttentionConfig, inputs: Any, kw: Mapping[str, Any]) -> Result:
    owner = cfg.name
    _check_call_kwargs(owner, kw, _ATTENTION_CALL_KWARGS)
    shapes = _inputs(owner, inputs)
    query, value = shapes[0], shapes[1]
    key = shapes[2] if len(shapes) > 2 else value
    params = 0
    notes: list[str] = []
    if cfg.name == "AdditiveAttention":
        if cfg.use_scale:
            params = _weight([query[-1]], owner, "scale")
            notes.append(f"params = {params}  (scale of shape ({query[-1]},), the query's last "
                         "axis)")
    else:
        params = int(cfg.use_scale) + int(cfg.score_mode == "concat")
        notes.append(f"params = {params}  (scalar scale if use_scale, scalar "
                     "concat_score_weight if score_mode='concat')")
    out: Shape = (*query[:-1], value[-1])
    derivation = [f"output = query {fmt_shape(query)} with last axis -> value's {value[-1]}"]
    outputs: Any = out
    if kw.get("return_attention_scores"):
        if len(key) < 2:
            raise ShapeError(
                "invalid-input-rank",
                "`return_attention_scores=True` needs a key with a sequence axis. "
                f"Received: key shape {fmt_shape(key)}",
            )
        scores = (*query[:-1], key[-2])
        outputs = [out, scores]
        derivation.append(f"scores = (*query[:-1], key length {key[-2]})")
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes)


register_layer("MultiHeadAttention", family="attention", init=_mha_init, call=_mha_call,
               inputs="list")
register_layer("Attention", "AdditiveAttention", family="attention", init=_attention_init,
               call=_attention_call, inputs="list")
