"""Recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D, and the Bidirectional and
TimeDistributed wrappers.

Mirrors Keras 3 (TF 2.21): `RNN.build` (the cell builds on the per-step shape, stateful layers need
a static batch size), `RNN.compute_output_shape` (output, then one shape per state when
`return_state`), the ConvLSTM cell's conv geometry, `Bidirectional`'s forward/backward copies and
`TimeDistributed`'s per-timestep child shape. Wrappers build their inner layer with `build()`, not
by calling it, so the inner layer's own input rank check (InputSpec) does not run there; the
`_raw` path below reproduces that for the layers of this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .args import (
    is_int,
    known,
    standardize_data_format,
    standardize_padding,
    standardize_tuple,
)
from .geometry import conv_axis, too_small
from .registry import Constructed, register_layer
from .registry import call as registry_call
from .shapes import check_rank, single
from .symdims import is_sym
from .types import NotKnown, Result, Shape, ShapeError, fmt_shape

SIMPLE = ("SimpleRNN", "LSTM", "GRU")
CONV = {"ConvLSTM1D": 1, "ConvLSTM2D": 2, "ConvLSTM3D": 3}
RNN_KINDS = (*SIMPLE, *CONV)


# --- configs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RNNConfig:
    kind: str  # SimpleRNN | LSTM | GRU | ConvLSTM1D | ConvLSTM2D | ConvLSTM3D
    units: Any  # units, or filters for ConvLSTM (Keras does not check filters at init)
    use_bias: bool
    return_sequences: bool
    return_state: bool
    go_backwards: bool
    stateful: bool
    reset_after: bool = True
    rank: int = 0
    kernel_size: tuple[int, ...] = ()
    strides: tuple[int, ...] = ()
    padding: str = "valid"
    data_format: str = "channels_last"
    dilation_rate: tuple[int, ...] = ()

    @property
    def gates(self) -> int:
        return {"SimpleRNN": 1, "GRU": 3}.get(self.kind, 4)

    @property
    def n_states(self) -> int:
        return 1 if self.kind in ("SimpleRNN", "GRU") else 2


def _rate(value: Any, arg: str) -> None:
    """`min(1.0, max(0.0, value))` as the cells do: anything not comparable raises a TypeError."""
    known(value, arg)
    if not isinstance(value, (int, float)):
        raise ShapeError(
            "invalid-argument",
            f"`{arg}` must be a number between 0 and 1. Received: {arg}={value!r}",
            arg=arg, at="init",
        )


def _flags(a: dict[str, Any]) -> tuple[bool, bool, bool, bool, bool]:
    """use_bias, return_sequences, return_state, go_backwards, stateful (Keras tests truthiness)."""
    f = [bool(known(a[k], k))
         for k in ("use_bias", "return_sequences", "return_state", "go_backwards", "stateful")]
    return f[0], f[1], f[2], f[3], f[4]


def _rnn_init(name: str, a: dict[str, Any]) -> RNNConfig:
    units = known(a["units"], "units")
    if not isinstance(units, (int, float)):  # bools are ints, as in Keras (True -> 1 unit)
        raise ShapeError(
            "invalid-argument",
            f"Received an invalid value for argument `units`, expected a positive integer, "
            f"got {units!r}.",
            arg="units", at="init",
        )
    if units <= 0:
        raise ShapeError(
            "invalid-argument",
            f"Received an invalid value for argument `units`, expected a positive integer, "
            f"got {units}.",
            arg="units", at="init",
        )
    if isinstance(units, float) and name != "LSTM":
        # SimpleRNN/GRU: state_size = units must be an int (LSTM's is a list, it fails at build).
        raise ShapeError(
            "invalid-argument",
            "state_size must be an integer, or a list/tuple of integers (one for each state "
            f"tensor). Received: units={units!r}",
            arg="units", at="init",
        )
    _rate(a["dropout"], "dropout")
    _rate(a["recurrent_dropout"], "recurrent_dropout")
    if name in ("LSTM", "GRU"):
        cudnn = known(a["use_cudnn"], "use_cudnn")
        if not isinstance(cudnn, (str, int)) or cudnn not in ("auto", True, False):
            raise ShapeError(
                "invalid-argument",
                "Invalid valid received for argument `use_cudnn`. Expected one of "
                f"{{'auto', True, False}}. Received: use_cudnn={cudnn}",
                arg="use_cudnn", at="init",
            )
    reset_after = bool(known(a["reset_after"], "reset_after")) if name == "GRU" else True
    return RNNConfig(name, int(units) if not isinstance(units, float) else units,
                     *_flags(a), reset_after=reset_after)


def _conv_lstm_init(name: str, a: dict[str, Any]) -> RNNConfig:
    rank = CONV[name]
    filters = known(a["filters"], "filters")
    kernel = standardize_tuple(a["kernel_size"], rank, "kernel_size")
    strides = standardize_tuple(a["strides"], rank, "strides", allow_zero=True)
    padding = standardize_padding(a["padding"])
    data_format = standardize_data_format(a["data_format"])
    dilation = standardize_tuple(a["dilation_rate"], rank, "dilation_rate")
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(
            "invalid-argument",
            "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide "
            f"`strides=1` or `dilation_rate=1`. Received: strides={strides} and "
            f"dilation_rate={dilation}",
            arg="strides", at="init",
        )
    _rate(a["dropout"], "dropout")
    _rate(a["recurrent_dropout"], "recurrent_dropout")
    return RNNConfig(
        name, filters, *_flags(a), rank=rank, kernel_size=kernel, strides=strides, padding=padding,
        data_format=data_format, dilation_rate=dilation,
    )


# --- calls -------------------------------------------------------------------------------------


def _undefined_weight(shape: Shape, weight: str, owner: str) -> ShapeError:
    return ShapeError(
        "incompatible-shape",
        f"The last axis of the input to `{owner}` must be defined to build its `{weight}` "
        f"(shapes used to initialize variables must be fully-defined). "
        f"Full input shape received: {fmt_shape(shape)}",
    )


def _stateful_check(cfg: RNNConfig, shape: Shape) -> None:
    if cfg.stateful and shape[0] is None:
        raise ShapeError(
            "incompatible-shape",
            "When using `stateful=True` in a RNN, the batch size must be static. Found dynamic "
            f"batch size: sequence.shape={fmt_shape(shape)}",
        )


def _weight_count(dims: tuple[Any, ...], owner: str, shape: Shape) -> int:
    """Keras' add_weight: every dim a non-negative int, else it cannot make the variable."""
    for d in dims:
        if not is_int(d) or d < 0:
            raise ShapeError(
                "invalid-argument",
                f"`{owner}` cannot create a weight of shape {dims}: every dimension must be a "
                f"non-negative integer. Input shape: {fmt_shape(shape)}",
                arg="units" if owner in SIMPLE else "filters",
            )
    return math.prod(dims)


def _simple_call(cfg: RNNConfig, shape: Shape, check_spec: bool) -> Result:
    owner = cfg.kind
    if check_spec:
        check_rank(shape, owner, ndim=3)
    # RNN.build: the cell builds on (batch, *shape[2:]) and reads its last axis.
    step = (shape[0], *shape[2:])
    fan_in = step[-1]
    if fan_in is None:
        raise _undefined_weight(shape, "kernel", owner)
    u = cfg.units
    g = cfg.gates
    kernel = _weight_count((fan_in, u * g), owner, shape)
    recurrent = _weight_count((u, u * g), owner, shape)
    bias = 0
    bias_txt = ""
    if cfg.use_bias:
        if cfg.kind == "GRU" and cfg.reset_after:
            bias, bias_txt = 2 * g * u, f" + 2*{g}*{u}"
        else:
            bias, bias_txt = g * u, (f" + {g}*{u}" if g > 1 else f" + {u}")
    _stateful_check(cfg, shape)
    params = kernel + recurrent + bias
    batch, length = shape[0], shape[1]
    out: Shape = (batch, length, u) if cfg.return_sequences else (batch, u)
    gates = f"{g}*" if g > 1 else ""
    notes = [
        f"params = {fan_in}*{gates}{u} + {u}*{gates}{u}{bias_txt} = {params}  "
        f"(kernel + recurrent_kernel{' + bias' if bias else ''})"
    ]
    if cfg.kind == "GRU" and cfg.use_bias:
        notes.append(f"reset_after={cfg.reset_after}: "
                     + ("separate input and recurrent biases" if cfg.reset_after else "one bias"))
    derivation = [f"features: {fan_in} -> units = {u}"]
    derivation.append(
        f"time axis {length if length is not None else 'None'} kept (return_sequences=True)"
        if cfg.return_sequences else "time axis dropped (return_sequences=False)"
    )
    outputs: Any = out
    if cfg.return_state:
        outputs = [out] + [(batch, u)] * cfg.n_states
        derivation.append(f"return_state=True: {cfg.n_states} state(s) of shape {(batch, u)}")
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes)


def _conv_axis(
    n: int, k: int, s: int, d: int, padding: str, axis: int, shape: Shape, cfg: RNNConfig
) -> tuple[int, str]:
    """One spatial axis of Keras' `compute_conv_output_shape`, via `geometry.conv_axis`."""
    if s == 0:
        # numpy divides by zero and int(inf) / int(nan) fails in Keras.
        raise ShapeError(
            "invalid-argument",
            f"`strides` of 0 on spatial axis {axis} makes the output size infinite. "
            f"Received: strides={cfg.strides}",
            arg="strides",
        )
    out, line = conv_axis(n, k, s, padding, d)
    assert out is not None
    if padding == "valid" and too_small(n, out):
        raise ShapeError(
            "non-positive-dim",
            "Computed output size would be zero or negative: kernel "
            f"{k} (dilation {d}) is larger than the input {n} with padding='valid' on "
            f"spatial axis {axis}. Received: inputs shape={fmt_shape(shape)}, "
            f"kernel_size={cfg.kernel_size}, strides={cfg.strides}, "
            f"dilation_rate={cfg.dilation_rate}",
        )
    return out, line


def _conv_lstm_call(cfg: RNNConfig, shape: Shape, check_spec: bool) -> Result:
    owner = cfg.kind
    if check_spec:
        check_rank(shape, owner, ndim=cfg.rank + 3)
    step = (shape[0], *shape[2:])
    first = cfg.data_format == "channels_first"
    spatial = step[2:] if first else step[1:-1]
    if None in spatial:
        raise ShapeError(
            "incompatible-shape",
            "ConvLSTM layers only support static input shapes for the spatial dimension. "
            f"Received invalid input shape: input_shape={fmt_shape(step)}",
        )
    channels = step[1] if first else step[-1]
    if channels is None:
        raise ShapeError(
            "incompatible-shape",
            "The channel dimension of the inputs (last axis) should be defined. Found None. "
            f"Full input shape received: input_shape={fmt_shape(step)}",
        )
    f = cfg.units
    if isinstance(f, bool):
        f = int(f)
    if not is_int(f) and not isinstance(f, float):
        raise ShapeError(
            "invalid-argument",
            f"`filters` must be an integer. Received: filters={f!r}", arg="filters",
        )
    kprod = math.prod(cfg.kernel_size)
    kernel = _weight_count((*cfg.kernel_size, channels, f * 4), owner, shape)
    recurrent = _weight_count((*cfg.kernel_size, f, f * 4), owner, shape)
    bias = 4 * f if cfg.use_bias else 0
    _stateful_check(cfg, shape)
    # ConvLSTMCell.compute_output_shape -> compute_conv_output_shape on the step shape.
    if len(cfg.kernel_size) + 2 != len(step):
        raise ShapeError(
            "invalid-input-rank",
            f"Kernel shape must have the same length as input, but received kernel of shape "
            f"{(*cfg.kernel_size, channels, f)} and input of shape {fmt_shape(step)}.",
        )
    dims: list[int] = []
    derivation: list[str] = []
    for i, n in enumerate(spatial):
        assert n is not None
        o, line = _conv_axis(n, cfg.kernel_size[i], cfg.strides[i], cfg.dilation_rate[i],
                             cfg.padding, i, shape, cfg)
        dims.append(o)
        derivation.append(line)
    state: Shape = (f, *dims) if first else (*dims, f)
    batch = shape[0]
    out: Shape = (batch, shape[1], *state) if cfg.return_sequences else (batch, *state)
    params = kernel + recurrent + bias
    notes = [
        f"params = {kprod}*{channels}*4*{f} + {kprod}*{f}*4*{f}"
        f"{f' + 4*{f}' if bias else ''} = {params}  "
        f"(kernel + recurrent_kernel{' + bias' if bias else ''})"
    ]
    warnings = [f"output spatial axis {i} has size 0" for i, d in enumerate(dims)
                if not is_sym(d) and d == 0]
    outputs: Any = out
    if cfg.return_state:
        outputs = [out, (batch, *state), (batch, *state)]
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes,
                  warnings=warnings)


def _rnn_raw(cfg: RNNConfig, shape: Shape, check_spec: bool) -> Result:
    if cfg.kind in CONV:
        return _conv_lstm_call(cfg, shape, check_spec)
    return _simple_call(cfg, shape, check_spec)


def _rnn_call(cfg: RNNConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    return _rnn_raw(cfg, single(inputs, cfg.kind), check_spec=True)


# --- wrappers ----------------------------------------------------------------------------------


def _call_raw(layer: Constructed, shape: Shape) -> Result:
    """Keras' `inner.build(shape)` + `inner.compute_output_shape(shape)`: no InputSpec check for
    this module's layers; other families go through the registry (their rank checks included)."""
    if layer.unknown is not None:
        raise NotKnown(layer.unknown)
    if layer.spec.family == "recurrent":
        cfg = layer.config
        if isinstance(cfg, RNNConfig):
            return _rnn_raw(cfg, shape, check_spec=False)
        if isinstance(cfg, BidiConfig):
            return _bidi_raw(cfg, shape, check_spec=False)
        if isinstance(cfg, TDConfig):
            return _td_raw(cfg, shape)
    res = registry_call(layer, shape)
    if res.unknown is not None:
        raise NotKnown(res.unknown)
    return res


@dataclass(frozen=True)
class BidiConfig:
    forward: RNNConfig
    backward: RNNConfig
    merge_mode: str | None


def _rnn_of(value: Any, arg: str, owner: str) -> RNNConfig:
    known(value, arg)
    if not isinstance(value, Constructed):
        raise ShapeError(
            "invalid-argument",
            f"Please initialize `{owner}` layer with a `keras.layers.Layer` instance. "
            f"Received: {arg}={value!r}",
            arg=arg, at="init",
        )
    if value.unknown is not None:
        raise NotKnown(value.unknown)
    if not isinstance(value.config, RNNConfig):
        raise ShapeError(
            "invalid-argument",
            f"`{owner}` needs a recurrent layer (SimpleRNN, LSTM, GRU, ConvLSTM*) with a "
            f"`go_backwards` argument. Received: {arg}={value.spec.name}",
            arg=arg, at="init",
        )
    return value.config


def _bidi_init(name: str, a: dict[str, Any]) -> BidiConfig:
    layer = known(a["layer"], "layer")
    if not isinstance(layer, Constructed):
        raise ShapeError(
            "invalid-argument",
            "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
            f"Received: {layer!r}",
            arg="layer", at="init",
        )
    back_arg = known(a["backward_layer"], "backward_layer")
    if back_arg is not None and not isinstance(back_arg, Constructed):
        raise ShapeError(
            "invalid-argument",
            f"`backward_layer` need to be a `keras.layers.Layer` instance. Received: {back_arg!r}",
            arg="backward_layer", at="init",
        )
    merge_mode = known(a["merge_mode"], "merge_mode")
    if merge_mode not in ["sum", "mul", "ave", "concat", None]:
        raise ShapeError(
            "invalid-argument",
            f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
            '{"sum", "mul", "ave", "concat", None}',
            arg="merge_mode", at="init",
        )
    forward = _rnn_of(layer, "layer", name)
    if back_arg is None:
        backward = replace(forward, go_backwards=True)
    else:
        backward = _rnn_of(back_arg, "backward_layer", name)
    if forward.go_backwards == backward.go_backwards:
        raise ShapeError(
            "invalid-argument",
            "Forward layer and backward layer should have different `go_backwards` value. "
            f"Received: forward_layer.go_backwards {forward.go_backwards}, "
            f"backward_layer.go_backwards={backward.go_backwards}",
            arg="backward_layer" if back_arg is not None else "layer", at="init",
        )
    for attr in ("stateful", "return_sequences", "return_state"):
        fv, bv = getattr(forward, attr), getattr(backward, attr)
        if fv != bv:
            raise ShapeError(
                "invalid-argument",
                "Forward layer and backward layer are expected to have the same value for "
                f'attribute "{attr}", got "{fv}" for forward layer and "{bv}" for backward layer',
                arg="backward_layer", at="init",
            )
    return BidiConfig(forward, backward, merge_mode)


def _bidi_raw(cfg: BidiConfig, shape: Shape, check_spec: bool) -> Result:
    if check_spec:
        check_rank(shape, "Bidirectional", ndim=cfg.forward.rank + 3)
    fwd = _rnn_raw(cfg.forward, shape, check_spec=False)
    bwd = _rnn_raw(cfg.backward, shape, check_spec=False)
    if cfg.forward.return_state:
        out, states = fwd.outputs[0], list(fwd.outputs[1:])
    else:
        out, states = fwd.outputs, []
    derivation = [f"forward: {line}" for line in fwd.derivation]
    outputs: Any
    if cfg.merge_mode == "concat":
        last = out[-1]
        out = (*out[:-1], None if last is None else last * 2)
        derivation.append(f"merge_mode='concat': last axis {last} * 2 = {out[-1]}")
        outputs = out
    elif cfg.merge_mode is None:
        outputs = [out, out]
        derivation.append("merge_mode=None: forward and backward outputs as a list")
    else:
        outputs = out
        derivation.append(f"merge_mode={cfg.merge_mode!r}: same shape as one direction")
    if cfg.forward.return_state:
        head = outputs if cfg.merge_mode is None else [outputs]
        outputs = [*head, *states, *states]
    params = (fwd.params or 0) + (bwd.params or 0)
    notes = [f"params = forward {fwd.params} + backward {bwd.params} = {params}"]
    return Result(outputs=outputs, params=params, derivation=derivation, notes=notes,
                  warnings=fwd.warnings)


def _bidi_call(cfg: BidiConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    return _bidi_raw(cfg, single(inputs, "Bidirectional"), check_spec=True)


@dataclass(frozen=True)
class TDConfig:
    layer: Constructed


def _td_init(name: str, a: dict[str, Any]) -> TDConfig:
    layer = known(a["layer"], "layer")
    if not isinstance(layer, Constructed):
        raise ShapeError(
            "invalid-argument",
            "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance. "
            f"Received: {layer!r}",
            arg="layer", at="init",
        )
    if layer.unknown is not None:
        raise NotKnown(layer.unknown)
    return TDConfig(layer)


def _td_raw(cfg: TDConfig, shape: Shape) -> Result:
    if len(shape) < 3:
        raise ShapeError(
            "invalid-input-rank",
            "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
            f"dimensions, received: {fmt_shape(shape)}",
        )
    child: Shape = (shape[0], *shape[2:])
    inner = _call_raw(cfg.layer, child)
    co = inner.outputs
    if not isinstance(co, tuple):
        raise ShapeError(
            "incompatible-shape",
            f"`TimeDistributed` needs its inner `{cfg.layer.spec.name}` to return one tensor; "
            f"it returns {len(co) if isinstance(co, list) else 'several'} (e.g. return_state).",
        )
    out: Shape = (co[0], shape[1], *co[1:])
    derivation = [f"per timestep: {fmt_shape(child)} -> {fmt_shape(co)}",
                  *inner.derivation,
                  f"time axis {shape[1]} re-inserted: {fmt_shape(out)}"]
    return Result(outputs=out, params=inner.params, derivation=derivation,
                  notes=[f"params = inner {cfg.layer.spec.name} params = {inner.params}",
                         *inner.notes],
                  warnings=inner.warnings)


def _td_call(cfg: TDConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    return _td_raw(cfg, single(inputs, "TimeDistributed"))


register_layer(*SIMPLE, family="recurrent", init=_rnn_init, call=_rnn_call)
register_layer(*CONV, family="recurrent", init=_conv_lstm_init, call=_rnn_call)
register_layer("Bidirectional", family="recurrent", init=_bidi_init, call=_bidi_call)
register_layer("TimeDistributed", family="recurrent", init=_td_init, call=_td_call)
