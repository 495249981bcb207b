"""keras.ops.nn functions that change shape: conv, depthwise/separable conv, conv_transpose, pools,
one_hot/multi_hot, moments, depth_to_space/space_to_depth, the losses, psnr and attention, with
the per-axis formulas of `geometry` (the ones the Conv and Pooling layers use).
"""

from __future__ import annotations

from typing import Any

from .args import is_int, known
from .geometry import conv_axis, conv_transpose_axis, pool_axis, too_small
from .opargs import canon_axis, dstr, keras_op, outcome, reduce_shape, shape_of
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _format(value: Any) -> str:
    fmt = known(value, "data_format")
    if fmt is None:
        return "channels_last"
    if fmt not in ("channels_last", "channels_first"):
        raise ShapeError("invalid-argument", "The `data_format` argument must be one of "
                         f"{{'channels_first', 'channels_last'}}. Received: data_format={fmt}",
                         arg="data_format")
    return str(fmt)


def _per_axis(value: Any, n: int, arg: str) -> list[int]:
    """An int for every spatial axis, or one per axis (Keras broadcasts a length-1 list too)."""
    v = known(value, arg)
    if is_int(v):
        return [v] * n
    if isinstance(v, (list, tuple)) and all(is_int(e) for e in v) and len(v) in (1, n):
        return list(v) * n if len(v) == 1 else list(v)
    raise ShapeError("invalid-argument", f"`{arg}` must be an int or a list of {n} ints. "
                     f"Received: {arg}={v!r}", arg=arg)


def _padding(value: Any, allowed: tuple[str, ...]) -> str:
    pad = known(value, "padding")
    if not isinstance(pad, str) or pad.lower() not in allowed:
        raise ShapeError("invalid-argument", f"`padding` must be one of {allowed}. Received: "
                         f"padding={pad!r}", arg="padding")
    return pad.lower()


def _spatial(x: Shape, fmt: str) -> tuple[list[Dim], list[int]]:
    axes = list(range(1, len(x) - 1)) if fmt == "channels_last" else list(range(2, len(x)))
    return [x[i] for i in axes], axes


def _channels(x: Shape, fmt: str) -> Dim:
    return x[-1] if fmt == "channels_last" else x[1]


def _check_in_channels(x: Shape, k_in: Dim, fmt: str) -> None:
    c = _channels(x, fmt)
    if c is not None and k_in is not None and c != k_in:
        raise ShapeError("shape-mismatch", "The number of input channels must match the kernel's "
                         f"input channels. Received: input channels={c}, kernel input "
                         f"channels={k_in}, data_format='{fmt}'.", arg="kernel")


def _assemble(x: Shape, fmt: str, spatial: list[Dim], channels: Dim) -> Shape:
    if fmt == "channels_last":
        return (x[0], *spatial, channels)
    return (x[0], channels, *spatial)


def conv_shape(x: Shape, kernel: Shape, filters: Dim, a: dict[str, Any]) -> Result:
    """Keras' compute_conv_output_shape: one `geometry.conv_axis` per spatial axis."""
    fmt = _format(a["data_format"])
    if len(kernel) != len(x):
        raise ShapeError("incompatible-shape", "Kernel shape must have the same length as input, "
                         f"but received kernel of shape {fmt_shape(kernel)} and input of shape "
                         f"{fmt_shape(x)}.", arg="kernel")
    _check_in_channels(x, kernel[-2], fmt)
    sizes, _ = _spatial(x, fmt)
    n = len(sizes)
    strides = _per_axis(a["strides"], n, "strides")
    dil = _per_axis(a["dilation_rate"], n, "dilation_rate")
    pad = _padding(a["padding"], ("valid", "same", "causal"))
    out: list[Dim] = []
    lines: list[str] = []
    for size, k, s, d in zip(sizes, kernel[:-2], strides, dil, strict=True):
        if k is None:
            raise NotKnown("the kernel's spatial size is not known")
        o, line = conv_axis(size, k, s, "valid" if pad == "valid" else "same", d)
        if pad == "valid" and too_small(size, o):
            raise ShapeError("non-positive-dim", "Computed output size would be zero or negative. "
                             f"Received inputs shape={fmt_shape(x)}, kernel shape="
                             f"{fmt_shape(kernel)}, padding='valid'.")
        out.append(o)
        lines.append(line)
    return outcome(x, _assemble(x, fmt, out, filters), *lines)


@keras_op("conv")
def _conv(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x, k = shape_of(a["inputs"], "inputs"), shape_of(a["kernel"], "kernel")
    return conv_shape(x, k, k[-1] if k else None, a)


@keras_op("depthwise_conv")
def _depthwise(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x, k = shape_of(a["inputs"], "inputs"), shape_of(a["kernel"], "kernel")
    if len(k) < 2:
        raise ShapeError("incompatible-shape", f"Kernel of shape {fmt_shape(k)} has no channel "
                         "axes.", arg="kernel")
    filters = None if k[-1] is None or k[-2] is None else k[-1] * k[-2]
    return conv_shape(x, k, filters, a)


@keras_op("separable_conv")
def _separable(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    dk = shape_of(a["depthwise_kernel"], "depthwise_kernel")
    pk = shape_of(a["pointwise_kernel"], "pointwise_kernel")
    if len(dk) < 2 or not pk:
        raise ShapeError("incompatible-shape", "separable_conv kernels need channel axes.")
    filters = None if dk[-1] is None or dk[-2] is None else dk[-1] * dk[-2]
    first = conv_shape(x, dk, filters, a)
    fmt = _format(a["data_format"])
    out = list(first.outputs)
    out[-1 if fmt == "channels_last" else 1] = pk[-1]
    return outcome(x, tuple(out), *first.derivation, f"pointwise: {dstr(pk[-1])} channels")


@keras_op("conv_transpose")
def _conv_transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x, k = shape_of(a["inputs"], "inputs"), shape_of(a["kernel"], "kernel")
    fmt = _format(a["data_format"])
    if len(k) < 2:
        raise ShapeError("incompatible-shape", f"Kernel of shape {fmt_shape(k)} has no channel "
                         "axes.", arg="kernel")
    _check_in_channels(x, k[-1], fmt)
    sizes, _ = _spatial(x, fmt)
    n = len(sizes)
    if len(k) - 2 != n:
        raise NotKnown("the kernel's rank does not match the input's")
    strides = _per_axis(a["strides"], n, "strides")
    dil = _per_axis(a["dilation_rate"], n, "dilation_rate")
    op = known(a["output_padding"], "output_padding")
    ops_: list[int | None] = [None] * n
    if op is not None:
        ops_ = list(_per_axis(op, n, "output_padding"))
    pad = _padding(a["padding"], ("valid", "same"))
    out: list[Dim] = []
    lines: list[str] = []
    for size, kk, s, o_p, d in zip(sizes, k[:-2], strides, ops_, dil, strict=True):
        if kk is None:
            raise NotKnown("the kernel's spatial size is not known")
        o, line = conv_transpose_axis(size, kk, s, pad, o_p, d)
        out.append(o)
        lines.append(line)
    return outcome(x, _assemble(x, fmt, out, k[-2]), *lines)


@keras_op("max_pool", "average_pool")
def _pool(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    fmt = _format(a["data_format"])
    sizes, _ = _spatial(x, fmt)
    n = len(sizes)
    pool = _per_axis(a["pool_size"], n, "pool_size")
    strides = pool if known(a["strides"], "strides") is None else _per_axis(a["strides"], n,
                                                                            "strides")
    pad = _padding(a["padding"], ("valid", "same"))
    out: list[Dim] = []
    lines: list[str] = []
    for size, p, s in zip(sizes, pool, strides, strict=True):
        o, line = pool_axis(size, p, s, pad)
        if pad == "valid" and too_small(size, o):
            raise ShapeError("non-positive-dim", "Computed output size would be zero or negative. "
                             f"Received: inputs.shape={fmt_shape(x)}, pool_size={pool}, "
                             f"strides={strides}, padding='valid'.")
        out.append(o)
        lines.append(line)
    return outcome(x, _assemble(x, fmt, out, _channels(x, fmt)), *lines)


@keras_op("one_hot", "multi_hot")
def _one_hot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if "x" in a else "inputs"
    x = shape_of(a[xname], xname)
    classes = known(a["num_classes"], "num_classes")
    if classes is None:
        raise ShapeError("missing-argument", "Argument `num_classes` must be specified.",
                         arg="num_classes")
    axis = known(a["axis"], "axis")
    out = list(x)
    if axis == -1:
        out.append(classes)
    elif is_int(axis) and 0 <= axis < len(x):
        out.insert(axis, classes)
    else:
        raise ShapeError("invalid-argument", f"axis must be -1 or between [0, {len(x)}), but "
                         f"received {axis}.", arg="axis")
    if owner.endswith("multi_hot"):
        # One multi-hot row per sample: Keras folds the second axis away.
        out = [out[-1]] if len(out) == 2 else [out[0], *out[2:]]
    return outcome(x, tuple(out), f"a class axis of {classes}")


@keras_op("moments")
def _moments(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    out = reduce_shape(x, known(a["axes"], "axes"), bool(known(a["keepdims"], "keepdims")))
    return outcome(x, [out, out], "mean and variance over `axes`")


@keras_op("depth_to_space", "space_to_depth")
def _depth_space(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    b = known(a["block_size"], "block_size")
    fmt = _format(a["data_format"])
    if len(x) != 4:
        raise ShapeError("invalid-input-rank", f"`{owner.rsplit('.', 1)[-1]}` requires a 4D input "
                         f"tensor. Received: x.shape={fmt_shape(x)}")
    if not is_int(b):
        raise NotKnown("`block_size` is not an integer")
    if b < 2:
        raise ShapeError("invalid-argument", f"`block_size` must be at least 2. Received: "
                         f"block_size={b}", arg="block_size")
    n, h, w, c = x if fmt == "channels_last" else (x[0], x[2], x[3], x[1])
    if owner.endswith("depth_to_space"):
        if c is not None and c % (b * b):
            raise ShapeError("incompatible-shape", f"Number of channels {c} must be divisible by "
                             f"block_size ** 2 = {b * b}.", arg="block_size")
        hh = None if h is None else h * b
        ww = None if w is None else w * b
        cc = None if c is None else c // (b * b)
    else:
        for d, what in ((h, "height"), (w, "width")):
            if d is not None and d % b:
                raise ShapeError("incompatible-shape", f"The {what} {d} must be divisible by "
                                 f"block_size {b}.", arg="block_size")
        hh = None if h is None else h // b
        ww = None if w is None else w // b
        cc = None if c is None else c * b * b
    out = (n, hh, ww, cc) if fmt == "channels_last" else (n, cc, hh, ww)
    return outcome(x, out, f"block_size {b}")


def _same_shape(t: Shape, o: Shape) -> None:
    if t != o:
        raise ShapeError("shape-mismatch", "Arguments `target` and `output` must have the same "
                         f"shape. Received: target.shape={fmt_shape(t)}, "
                         f"output.shape={fmt_shape(o)}", arg="target")


@keras_op("binary_crossentropy")
def _bce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, o = shape_of(a["target"], "target"), shape_of(a["output"], "output")
    _same_shape(t, o)
    return outcome(o, o, "element-wise loss")


@keras_op("categorical_crossentropy")
def _cce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, o = shape_of(a["target"], "target"), shape_of(a["output"], "output")
    _same_shape(t, o)
    if not t:
        raise ShapeError("invalid-input-rank", "Arguments `target` and `output` must be at least "
                         "rank 1.", arg="target")
    return outcome(o, o[:-1], "the class axis summed")


@keras_op("sparse_categorical_crossentropy")
def _scce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, o = shape_of(a["target"], "target"), shape_of(a["output"], "output")
    if not o:
        raise ShapeError("invalid-input-rank", "Argument `output` must be at least rank 1.",
                         arg="output")
    ax = canon_axis(known(a["axis"], "axis"), len(o))
    if len(t) == len(o) and t[-1] == 1:
        t = t[:-1]
    rest = (*o[:ax], *o[ax + 1:])
    if t != rest:
        raise ShapeError("shape-mismatch", "Arguments `target` and `output` must have the same "
                         f"shape up until the last dimension: target.shape={fmt_shape(t)}, "
                         f"output.shape={fmt_shape(o)}", arg="target")
    return outcome(o, o[:-1], "one loss per sample")


@keras_op("psnr")
def _psnr(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = shape_of(a["x1"], "x1"), shape_of(a["x2"], "x2")
    if len(s1) != len(s2):
        raise ShapeError("invalid-input-rank", "Inputs must have the same rank", arg="x2")
    return outcome(s1, (), "a scalar")


@keras_op("polar")
def _polar(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s = shape_of(a["abs_"], "abs_")
    shape_of(a["angle"], "angle")
    return outcome(s, s, "the magnitudes' shape")


@keras_op("adaptive_average_pool", "adaptive_max_pool")
def _adaptive(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    size = known(a["output_size"], "output_size")
    if not isinstance(size, (list, tuple)):
        # Keras takes len(output_size) on a KerasTensor, which an int does not have.
        raise ShapeError("invalid-argument", "On a symbolic tensor Keras needs `output_size` as a "
                         f"tuple. Received: output_size={size!r}", arg="output_size")
    size = tuple(size)
    if _format(a["data_format"]) == "channels_last":
        # Keras keeps every axis before the last len(output_size) ones, as written.
        out = (*x[: len(x) - len(size)], *size, x[-1])
    else:
        out = (x[0], x[1], *size)
    return outcome(x, out, f"spatial axes -> {size}")


@keras_op("dot_product_attention")
def _attention(owner: str, mode: str, a: dict[str, Any]) -> Result:
    q = shape_of(a["query"], "query")
    shape_of(a["key"], "key")
    shape_of(a["value"], "value")
    # Keras states the query's shape for the output (the value's depth is not consulted).
    return outcome(q, q, "the query's shape")


def _same_first(n1: str, s1: Shape, n2: str, s2: Shape) -> None:
    if s1[:1] != s2[:1]:
        raise ShapeError("shape-mismatch", f"Arguments `{n1}` and `{n2}` must have the same first "
                         f"dimension. Received shapes: `{fmt_shape(s1)}` and `{fmt_shape(s2)}`.",
                         arg=n1)


@keras_op("ctc_loss")
def _ctc_loss(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, o = shape_of(a["target"], "target"), shape_of(a["output"], "output")
    tl = shape_of(a["target_length"], "target_length")
    ol = shape_of(a["output_length"], "output_length")
    _same_first("target", t, "output", o)
    _same_first("target_length", tl, "target", t)
    _same_first("output_length", ol, "output", o)
    return outcome(o, t[:1], "one loss per sample")


@keras_op("ctc_decode")
def _ctc_decode(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    shape_of(a["sequence_lengths"], "sequence_lengths")
    if len(x) < 2:
        raise NotKnown("ctc_decode needs (batch, time, classes) inputs")
    paths = 1 if known(a["strategy"], "strategy") == "greedy" else known(a["top_paths"], "p")
    return outcome(x, [(paths, x[0], x[1]), (x[0], paths)], f"{paths} path(s) per sample")


def _two(value: Any, arg: str) -> tuple[int, int]:
    v = known(value, arg)
    if is_int(v):
        return v, v
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(is_int(e) for e in v):
        return v[0], v[1]
    raise NotKnown(f"`{arg}` is not an int or a pair of ints")


@keras_op("unfold")
def _unfold(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if len(x) != 4:
        raise ShapeError("invalid-input-rank", "unfold takes (N, C, H, W) inputs. Received: "
                         f"x.shape={fmt_shape(x)}", arg="x")
    n, c, h, w = x
    (kh, kw), (dh, dw) = _two(a["kernel_size"], "kernel_size"), _two(a["dilation"], "dilation")
    (ph, pw), (sh, sw) = _two(a["padding"], "padding"), _two(a["stride"], "stride")
    if c is None or h is None or w is None:
        raise NotKnown("Keras' unfold arithmetic fails on a None channel or spatial dim")
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    return outcome(x, (n, c * kh * kw, oh * ow), f"{oh} x {ow} blocks of {c}*{kh}*{kw}")


@keras_op("fold")
def _fold(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if len(x) != 3:
        raise ShapeError("invalid-input-rank", "fold takes (N, C*kH*kW, L) inputs. Received: "
                         f"x.shape={fmt_shape(x)}", arg="x")
    kh, kw = _two(a["kernel_size"], "kernel_size")
    oh, ow = _two(a["output_size"], "output_size")
    ckk = x[1]
    if ckk is not None and ckk % (kh * kw):
        raise ShapeError("incompatible-shape", f"The second dimension of the input ({ckk}) must "
                         f"be divisible by kernel_size product ({kh * kw}).", arg="kernel_size")
    c = None if ckk is None else ckk // (kh * kw)
    return outcome(x, (x[0], c, oh, ow), f"{dstr(c)} channels of {oh} x {ow}")
