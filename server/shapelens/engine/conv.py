"""Convolution layers: Conv1D/2D/3D, Conv*DTranspose, SeparableConv1D/2D, DepthwiseConv1D/2D.

Mirrors Keras 3.15 (`keras/src/layers/convolutional/base_*.py`): what the constructor rejects
(`at='init'`), what `build` + `compute_output_shape` reject (`at='call'`), output shapes and
`count_params()`. The per-axis arithmetic lives in `geometry.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import prod
from typing import Any

from .args import is_int, known, standardize_data_format, standardize_tuple
from .geometry import conv_axis, conv_transpose_axis, effective_kernel
from .registry import register_layer
from .shapes import check_rank, single
from .symdims import is_sym
from .types import NotKnown, Result, Shape, ShapeError, fmt_shape

# kind: 'conv' (Conv*D), 'transpose' (Conv*DTranspose), 'depthwise', 'separable'
_LAYERS: dict[str, tuple[str, int]] = {
    "Conv1D": ("conv", 1),
    "Conv2D": ("conv", 2),
    "Conv3D": ("conv", 3),
    "Conv1DTranspose": ("transpose", 1),
    "Conv2DTranspose": ("transpose", 2),
    "Conv3DTranspose": ("transpose", 3),
    "DepthwiseConv1D": ("depthwise", 1),
    "DepthwiseConv2D": ("depthwise", 2),
    "SeparableConv1D": ("separable", 1),
    "SeparableConv2D": ("separable", 2),
}


@dataclass(frozen=True)
class ConvConfig:
    name: str
    kind: str
    rank: int
    filters: int | None  # None: Keras accepts it at init and fails when building the kernel
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    padding: Any  # 'valid' | 'same' | 'causal', or a list/tuple Keras lets through __init__
    data_format: str
    dilation_rate: tuple[int, ...]
    groups: int = 1
    output_padding: tuple[int, ...] | None = None
    depth_multiplier: int | None = None
    use_bias: bool = True
    # Set when `use_bias` is not known statically: shapes still are, the parameter count is not.
    bias_unknown: str | None = None


def _tuple(value: Any, n: int, arg: str, allow_zero: bool = False) -> tuple[int, ...]:
    """`standardize_tuple`, where (as in Keras, `isinstance(True, int)`) a bool counts as 0/1."""
    if isinstance(value, bool):
        value = int(value)
    elif isinstance(value, (list, tuple)):
        value = type(value)(int(v) if isinstance(v, bool) else v for v in value)
    return standardize_tuple(value, n, arg, allow_zero)


def _padding(value: Any, allow_causal: bool) -> Any:
    """Keras' `standardize_padding`: lists/tuples pass through, strings are lower-cased."""
    known(value, "padding")
    if isinstance(value, (list, tuple)):
        return value
    allowed = ["same", "valid", "causal"] if allow_causal else ["same", "valid"]
    if not isinstance(value, str) or value.lower() not in allowed:
        hint = ""
        if isinstance(value, str) and value.lower() == "causal":
            hint = " (`padding='causal'` is only supported by Conv1D)"
        raise ShapeError(
            "invalid-argument",
            f"The `padding` argument must be one of {', '.join(repr(a) for a in allowed)}"
            f"{hint}. Received: padding={value!r}",
            arg="padding", at="init",
        )
    return value.lower()


def _count(value: Any, arg: str, owner: str, rule: str) -> int | None:
    """`filters` / `depth_multiplier`: None passes __init__ in Keras; otherwise a positive int."""
    known(value, arg)
    if value is None:
        return None
    # Keras checks `isinstance(value, int)`, which a bool passes (True is 1 filter).
    if not isinstance(value, int) or value <= 0:
        raise ShapeError(
            "invalid-argument",
            f"Invalid value for argument `{arg}` of {owner}: {rule}. Received: {arg}={value!r}",
            arg=arg, at="init",
        )
    return int(value)


def _check_strides_dilation(name: str, strides: tuple[int, ...], dil: tuple[int, ...]) -> None:
    if max(strides) > 1 and max(dil) > 1:
        raise ShapeError(
            "invalid-argument",
            f"`strides > 1` is not supported together with `dilation_rate > 1` in {name}. "
            f"Received: strides={strides}, dilation_rate={dil}",
            arg="dilation_rate", at="init",
        )


def _init(name: str, a: dict[str, Any]) -> ConvConfig:
    kind, rank = _LAYERS[name]
    kernel = _tuple(a["kernel_size"], rank, "kernel_size")
    strides = _tuple(a["strides"], rank, "strides")
    dil = _tuple(a["dilation_rate"], rank, "dilation_rate")
    padding = _padding(a["padding"], allow_causal=(kind == "conv" and rank == 1))
    output_padding = None
    if kind == "transpose":
        op = known(a["output_padding"], "output_padding")
        if op is not None:
            output_padding = _tuple(op, rank, "output_padding", allow_zero=True)
    data_format = standardize_data_format(a["data_format"])
    bias_unknown = None
    use_bias = True
    try:
        use_bias = bool(known(a["use_bias"], "use_bias"))
    except NotKnown as e:
        bias_unknown = e.reason
    strictly = "expected a strictly positive integer"
    filters: int | None = None
    depth_multiplier: int | None = None
    groups = 1
    if kind == "separable":
        depth_multiplier = _count(a["depth_multiplier"], "depth_multiplier", name, strictly)
    if kind == "depthwise":
        depth_multiplier = _count(a["depth_multiplier"], "depth_multiplier", name, strictly)
    else:
        filters = _count(a["filters"], "filters", name, strictly)
    if kind == "conv":
        g = known(a["groups"], "groups")
        if not is_int(g) or g <= 0:
            raise ShapeError(
                "invalid-argument",
                f"The number of groups must be a positive integer. Received: groups={g!r}",
                arg="groups", at="init",
            )
        groups = int(g)
        if filters is not None and filters % groups != 0:
            raise ShapeError(
                "invalid-argument",
                f"`filters` must be evenly divisible by `groups`: {filters} filters cannot be "
                f"split into {groups} groups. Received: groups={groups}, filters={filters}",
                arg="groups", at="init",
            )
    if kind == "transpose" and output_padding is not None:
        for i, (op_i, s) in enumerate(zip(output_padding, strides, strict=True)):
            if op_i >= s:
                raise ShapeError(
                    "invalid-argument",
                    f"`output_padding` must be strictly less than `strides` on every axis; on "
                    f"axis {i} output_padding {op_i} >= stride {s}. "
                    f"Received: output_padding={output_padding}, strides={strides}",
                    arg="output_padding", at="init",
                )
    if kind in ("conv", "transpose"):
        _check_strides_dilation(name, strides, dil)
    return ConvConfig(
        name, kind, rank, filters, kernel, strides, padding, data_format, dil, groups,
        output_padding, depth_multiplier, use_bias, bias_unknown,
    )


def _channel(cfg: ConvConfig, shape: Shape) -> tuple[int, int | None]:
    axis = len(shape) - 1 if cfg.data_format == "channels_last" else 1
    return axis, shape[axis]


def _need_channels(cfg: ConvConfig, shape: Shape, channels: int | None) -> int:
    if channels is None:
        where = "last" if cfg.data_format == "channels_last" else "second (channels_first)"
        raise ShapeError(
            "incompatible-shape",
            f"The channels dimension (the {where} axis) of the inputs to `{cfg.name}` must be "
            f"defined to build its kernel. Found None. Full input shape received: "
            f"{fmt_shape(shape)}",
        )
    return channels


def _check_exact_rank(cfg: ConvConfig, shape: Shape) -> None:
    if len(shape) != cfg.rank + 2:
        raise ShapeError(
            "invalid-input-rank",
            f"`{cfg.name}` expects inputs of rank {cfg.rank + 2} (batch, {cfg.rank} spatial "
            f"axes, channels); found rank {len(shape)}. Full shape received: {fmt_shape(shape)}",
        )


def _bad_list_padding(cfg: ConvConfig) -> ShapeError:
    return ShapeError(
        "invalid-argument",
        f"`{cfg.name}` does not take explicit paddings: `padding` must be 'valid' or 'same'"
        f"{' or causal' if cfg.kind == 'conv' and cfg.rank == 1 else ''}. "
        f"Received: padding={cfg.padding!r}",
        arg="padding",
    )


def _spatial_axes(cfg: ConvConfig, shape: Shape) -> list[int]:
    n = len(shape) - 2
    return list(range(1, n + 1)) if cfg.data_format == "channels_last" else list(range(2, n + 2))


def _forward_spatial(cfg: ConvConfig, shape: Shape) -> tuple[list[int | None], list[str]]:
    """Keras' compute_conv_output_shape over the spatial axes (rank already checked)."""
    if not isinstance(cfg.padding, str):
        raise _bad_list_padding(cfg)
    dims: list[int | None] = []
    lines: list[str] = []
    for i, axis in enumerate(_spatial_axes(cfg, shape)):
        size = shape[axis]
        k, s, d = cfg.kernel_size[i], cfg.strides[i], cfg.dilation_rate[i]
        out, line = conv_axis(size, k, s, cfg.padding, d)
        if cfg.padding == "valid" and size is not None and out is not None and not is_sym(out) \
                and out <= 0:  # an open size: the sizes that make it <= 0 cannot run at all
            keff = effective_kernel(k, d)
            ktext = f"kernel {k}" if d == 1 else f"dilated kernel {keff} (kernel {k}, dilation {d})"
            raise ShapeError(
                "non-positive-dim",
                f"Computed output size would be zero or negative on axis {axis}: {ktext} is "
                f"larger than the input {size} with padding='valid'. "
                f"Received: input shape {fmt_shape(shape)}, kernel_size={cfg.kernel_size}, "
                f"strides={cfg.strides}, dilation_rate={cfg.dilation_rate}",
            )
        dims.append(out)
        lines.append(f"axis {axis}: {line}")
    return dims, lines


def _assemble(cfg: ConvConfig, shape: Shape, spatial: list[int | None], ch: int | None) -> Shape:
    if cfg.data_format == "channels_last":
        return (shape[0], *spatial, ch)
    return (shape[0], ch, *spatial)


def _kernel_text(kernel: tuple[int, ...]) -> str:
    return "*".join(str(k) for k in kernel)


def _zero_warnings(out: Shape) -> list[str]:
    bad = [i for i, d in enumerate(out) if d is not None and not is_sym(d) and d <= 0]
    if not bad:
        return []
    return [f"axis {i} of the output has size {out[i]}: Keras accepts this, but the tensor is empty"
            for i in bad]


def _call(cfg: ConvConfig, inputs: Any, _kw: Mapping[str, Any]) -> Result:
    shape = single(inputs, cfg.name)
    check_rank(shape, cfg.name, min_ndim=cfg.rank + 2)
    axis, channels = _channel(cfg, shape)
    kernel = _kernel_text(cfg.kernel_size)
    notes: list[str] = []
    if cfg.kind == "conv":
        cin = _need_channels(cfg, shape, channels)
        if cin % cfg.groups != 0:
            raise ShapeError(
                "incompatible-shape",
                f"The number of input channels must be evenly divisible by `groups`: {cin} "
                f"channels cannot be split into {cfg.groups} groups. Received: "
                f"groups={cfg.groups}, input shape {fmt_shape(shape)}",
                arg="groups",
            )
        _check_exact_rank(cfg, shape)
        spatial, lines = _forward_spatial(cfg, shape)
        filters = _need_filters(cfg)
        per = cin // cfg.groups
        params = prod(cfg.kernel_size) * per * filters + (filters if cfg.use_bias else 0)
        grp = f" (= {cin}/{cfg.groups} per group)" if cfg.groups > 1 else ""
        notes.append(
            f"params = {kernel}*{per}*{filters}{f' + {filters}' if cfg.use_bias else ''} = "
            f"{params}  (kernel {kernel} x {per} input channels{grp} x {filters} filters"
            f"{' + bias' if cfg.use_bias else ''})"
        )
        cout: int = filters
        lines.append(f"axis {axis}: filters = {filters}")
    elif cfg.kind == "depthwise":
        cin = _need_channels(cfg, shape, channels)
        dm = _need_multiplier(cfg)
        _check_exact_rank(cfg, shape)
        spatial, lines = _forward_spatial(cfg, shape)
        cout = cin * dm
        params = prod(cfg.kernel_size) * cin * dm + (cout if cfg.use_bias else 0)
        notes.append(
            f"params = {kernel}*{cin}*{dm}{f' + {cout}' if cfg.use_bias else ''} = {params}  "
            f"(depthwise kernel {kernel} x {cin} channels x depth_multiplier {dm}"
            f"{' + bias' if cfg.use_bias else ''})"
        )
        lines.append(f"axis {axis}: channels * depth_multiplier = {cin}*{dm} = {cout}")
    elif cfg.kind == "separable":
        cin = _need_channels(cfg, shape, channels)
        dm = _need_multiplier(cfg)
        _check_exact_rank(cfg, shape)
        spatial, lines = _forward_spatial(cfg, shape)
        filters = _need_filters(cfg)
        dw = prod(cfg.kernel_size) * cin * dm
        pw = cin * dm * filters
        params = dw + pw + (filters if cfg.use_bias else 0)
        notes.append(
            f"params = {kernel}*{cin}*{dm} + {cin}*{dm}*{filters}"
            f"{f' + {filters}' if cfg.use_bias else ''} = {params}  (depthwise kernel + "
            f"pointwise 1x1 kernel{' + bias' if cfg.use_bias else ''})"
        )
        cout = filters
        lines.append(f"axis {axis}: filters = {filters}")
    else:
        return _call_transpose(cfg, shape, axis, channels)
    out = _assemble(cfg, shape, spatial, cout)
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(out)}")
    return _finish(cfg, Result(outputs=out, params=params, derivation=lines, notes=notes,
                               warnings=_zero_warnings(out)))


def _finish(cfg: ConvConfig, result: Result) -> Result:
    """Drop the parameter count (not the shape) when `use_bias` is not known statically."""
    if cfg.bias_unknown is not None:
        result.params = None
        result.notes = [n for n in result.notes if not n.startswith("params = ")]
        result.notes.insert(0, f"params unknown: {cfg.bias_unknown}")
    return result


def _need_filters(cfg: ConvConfig) -> int:
    if cfg.filters is None:
        raise ShapeError(
            "invalid-argument",
            f"`{cfg.name}` cannot build its kernel with filters=None: the kernel shape must be "
            "fully defined. Received: filters=None",
            arg="filters",
        )
    return cfg.filters


def _need_multiplier(cfg: ConvConfig) -> int:
    if cfg.depth_multiplier is None:
        raise ShapeError(
            "invalid-argument",
            f"`{cfg.name}` cannot build its kernel with depth_multiplier=None. "
            "Received: depth_multiplier=None",
            arg="depth_multiplier",
        )
    return cfg.depth_multiplier


def _call_transpose(cfg: ConvConfig, shape: Shape, axis: int, channels: int | None) -> Result:
    # Keras builds the kernel first (channels and filters must be known), then computes shapes.
    cin = _need_channels(cfg, shape, channels)
    filters = _need_filters(cfg)
    if len(shape) != cfg.rank + 2:
        _check_exact_rank(cfg, shape)
    spatial: list[int | None] = []
    lines: list[str] = []
    for i, ax in enumerate(_spatial_axes(cfg, shape)):
        size = shape[ax]
        if size is None:
            spatial.append(None)
        elif not isinstance(cfg.padding, str):
            raise _bad_list_padding(cfg)
        op = None if cfg.output_padding is None else cfg.output_padding[i]
        pad = cfg.padding if isinstance(cfg.padding, str) else "valid"
        dim, line = conv_transpose_axis(
            size, cfg.kernel_size[i], cfg.strides[i], pad, op, cfg.dilation_rate[i]
        )
        if dim is not None and not is_sym(dim) and dim < 0:
            raise ShapeError(
                "non-positive-dim",
                f"The output would have a negative size on axis {ax}: {line}. Keras cannot "
                f"make a tensor of that shape. Received: input shape {fmt_shape(shape)}",
            )
        if size is not None:
            spatial.append(dim)
        lines.append(f"axis {ax}: {line}")
    kernel = _kernel_text(cfg.kernel_size)
    params = prod(cfg.kernel_size) * filters * cin + (filters if cfg.use_bias else 0)
    notes = [
        f"params = {kernel}*{filters}*{cin}{f' + {filters}' if cfg.use_bias else ''} = {params}"
        f"  (kernel {kernel} x {filters} filters x {cin} input channels"
        f"{' + bias' if cfg.use_bias else ''})"
    ]
    if cfg.output_padding is None:
        notes.append("output_padding=None: Keras infers it (valid: max(kernel, stride) - kernel; "
                     "same: size * stride)")
    lines.append(f"axis {axis}: filters = {filters}")
    out = _assemble(cfg, shape, spatial, filters)
    notes.append(f"{fmt_shape(shape)} -> {fmt_shape(out)}")
    return _finish(cfg, Result(outputs=out, params=params, derivation=lines, notes=notes,
                               warnings=_zero_warnings(out)))


for _name in _LAYERS:
    register_layer(_name, family="conv", init=_init, call=_call)
