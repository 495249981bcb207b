"""`tf.nn` convolution and pooling ops (TF2 and `tf.compat.v1` spellings), as TensorFlow 2.21 infers
their static shapes (`tf.function` tracing: the Python wrappers' checks + the ops' shape functions).

Per axis (TF's GetWindowedOutputSize, k' = (k-1)*dilation + 1):
    'VALID':  floor((n - k') / s) + 1, and an error when n < k' ("Negative dimension size");
    'SAME':   ceil(n / s);
    explicit [[before, after], ...]: as 'VALID' on n + before + after.
`strides` / `ksize` / `dilations` are normalised as `nn_ops._get_sequence` does: an int or a
length-1 list is repeated over the N spatial axes, a length-N list gets 1s for batch and channels,
a length-N+2 list is taken as is. Some ops take only full lists (conv3d, depthwise_conv2d).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .args import is_int, known
from .registry import register_op
from .tfnn_args import (
    REQUIRED,
    Spec,
    bind,
    channel_axis,
    padding_arg,
    rank_error,
    sequence_arg,
    shape_arg,
    spatial_axes,
    window,
)
from .types import Dim, NotKnown, Result, Shape, ShapeError, Tensor, fmt_shape


def _conv_like(spec: Spec, b: dict[str, Any]) -> Result:
    r = spec.roles
    x = shape_arg(b[r["input"]], r["input"])
    n = spec.n
    assert n is not None
    fmt_arg = r.get("data_format")
    ci = channel_axis(b[fmt_arg], n) if fmt_arg else n + 1
    if len(x) != n + 2:
        raise rank_error(r["input"], n + 2, x)
    w = shape_arg(b[r["filter"]], r["filter"])
    if spec.kind == "transpose":
        return _transpose(spec, b, x, w, ci)
    if len(w) != n + 2:
        raise rank_error(r["filter"], n + 2, w)
    notes: list[str] = []
    warnings: list[str] = []
    if spec.kind == "atrous":
        rate = known(b["rate"], "rate")
        if not is_int(rate) or rate < 1:
            raise ShapeError("invalid-argument",
                             f"`rate` must be a positive integer. Received: rate={rate!r}",
                             arg="rate")
        pad_v = known(b["padding"], "padding")
        if pad_v not in ("SAME", "VALID"):
            raise ShapeError("invalid-argument",
                             "`padding` must be one of 'SAME' or 'VALID'. Received: "
                             f"padding={pad_v!r}", arg="padding")
        strides = [1] * (n + 2)
        dil = [1, rate, rate, 1]
        mode, pads = pad_v, [(0, 0)] * n
    else:
        strides = sequence_arg(b[r["strides"]], n, ci, r["strides"], spec.full_strides)
        if spec.kind in ("depthwise", "separable"):
            dil = _depthwise_rate(b, ci)
            _space_to_batch_guard(x, w, strides, dil, ci, b["padding"])
            mode, pads = padding_arg(b["padding"], n, ci, spec.explicit)
        else:
            mode, pads = padding_arg(b["padding"], n, ci, spec.explicit)
            dil = sequence_arg(b.get(r.get("dilations", "")), n, ci, "dilations",
                            spec.full_dilations and b.get("dilations") is not None)
    axes = spatial_axes(n, ci)
    sp_strides = [strides[i] for i in axes]
    sp_dil = [dil[i] for i in axes]
    if any(v <= 0 for v in sp_strides) or any(v <= 0 for v in sp_dil):
        raise ShapeError("invalid-argument",
                         f"strides and dilations must be positive. Received: strides={strides}, "
                         f"dilations={dil}")
    if n == 3 and sp_dil[1] != sp_dil[2]:
        warnings.append(
            f"dilations H={sp_dil[1]}, W={sp_dil[2]}: TensorFlow 2.21's Conv3D shape function "
            "swaps the H and W dilations, so inside tf.function the static shape differs from "
            "this one (which is what the op computes when run)")
    if strides[0] != 1 or strides[ci] != 1:
        warnings.append(f"strides={strides} strides the batch or channel axis: TensorFlow "
                        "accepts it when tracing but its kernels refuse it when run")
    in_c = x[ci]
    # Channels.
    if spec.kind == "conv" or spec.kind == "atrous":
        f_in, f_out = w[-2], w[-1]
        if in_c is not None and f_in is not None:
            if f_in == 0 or in_c % f_in:
                raise ShapeError("shape-mismatch",
                                 f"Depth of input ({in_c}) is not a multiple of input depth of "
                                 f"filter ({f_in}). Input shape {fmt_shape(x)}, filter shape "
                                 f"{fmt_shape(w)}.")
            groups = in_c // f_in
            if f_out is not None and f_out % groups:
                raise ShapeError("shape-mismatch",
                                 f"Depth of output ({f_out}) is not a multiple of the number of "
                                 f"groups ({groups} = {in_c} / {f_in}).")
            if groups > 1:
                notes.append(f"grouped convolution: {in_c} / {f_in} = {groups} groups")
        out_c = f_out
        notes.append(f"channels: filter {fmt_shape(w)} -> {_d(f_out)} output channels")
    else:
        f_in, mult = w[-2], w[-1]
        if in_c is not None and f_in is not None and in_c != f_in:
            raise ShapeError("shape-mismatch",
                             f"The input has {in_c} channels but the depthwise filter "
                             f"{fmt_shape(w)} expects {f_in} (filter[2]).")
        base = in_c if in_c is not None else f_in
        out_c = None if base is None or mult is None else base * mult
        notes.append(f"channels: {_d(base)} * multiplier {_d(mult)} = {_d(out_c)}")
        if spec.kind == "separable":
            pw = shape_arg(b["pointwise_filter"], "pointwise_filter")
            if len(pw) != 4:
                raise rank_error("pointwise_filter", 4, pw)
            if (pw[0] is not None and pw[0] != 1) or (pw[1] is not None and pw[1] != 1):
                raise ShapeError("shape-mismatch",
                                 f"`pointwise_filter` must be 1x1; its shape is {fmt_shape(pw)}.",
                                 arg="pointwise_filter")
            if out_c is not None and pw[2] is not None and pw[2] != out_c:
                raise ShapeError("shape-mismatch",
                                 f"`pointwise_filter` expects {pw[2]} input channels but the "
                                 f"depthwise step gives {out_c}.", arg="pointwise_filter")
            out_c = pw[3]
            notes.append(f"pointwise 1x1: -> {_d(out_c)} output channels")
    if spec.kind == "atrous":
        _space_to_batch_guard(x, w, strides, dil, ci)
    out: list[Dim] = list(x)
    lines: list[str] = []
    names = "DHW"[3 - n:] if n > 1 else "W"
    for j, ax in enumerate(axes):
        dim, line = window(x[ax], w[j], sp_strides[j], sp_dil[j], mode, pads[j], False,
                            f"{names[j]} axis")
        out[ax] = dim
        lines.append(f"{names[j]}: {line}")
    out[ci] = out_c
    notes.insert(0, f"{fmt_shape(x)} -> {fmt_shape(tuple(out))}")
    return Result(outputs=tuple(out), params=0, derivation=lines, notes=notes, warnings=warnings)


def _space_to_batch_guard(x: Shape, w: Shape, strides: list[int], dil: list[int],
                          ci: int, padding: Any = "VALID") -> None:
    """Dilated depthwise/atrous convolutions run through space_to_batch / batch_to_space, whose
    static shapes with unknown sizes (or strides > 1) follow no simple rule: some checks vanish,
    some fail in Python. The engine declines there rather than guess."""
    n = len(x) - 2
    axes = spatial_axes(n, ci)
    if any(dil[i] > 1 for i in axes) and (
            None in x or None in w or any(strides[i] > 1 for i in axes)
            or not isinstance(padding, str)):
        raise NotKnown("dilated depthwise/atrous convolution with unknown sizes, strides > 1 or "
                       "explicit padding: TF's space_to_batch path gives no reliable static "
                       "shape")


def _depthwise_rate(b: dict[str, Any], ci: int) -> list[int]:
    """depthwise/separable: `dilations` (or TF1 `rate`) is the 2 spatial rates, as a list."""
    dv, rv = known(b.get("dilations"), "dilations"), known(b.get("rate"), "rate")
    if dv is not None and rv is not None:
        raise ShapeError("invalid-argument",
                         "Cannot specify both 'dilations' and 'rate' (an alias)", arg="rate")
    arg = "dilations" if rv is None else "rate"
    value = dv if rv is None else rv
    if value is None:
        value = [1, 1]
    if isinstance(value, (list, tuple)) and len(value) == 1:
        # TF then dilates only the first spatial axis (space_to_batch over one dim).
        value = [value[0], 1]
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(is_int(v) for v in value)):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be a list of 2 integers (the height and width rates) "
                         f"here. Received: {arg}={value!r}", arg=arg)
    return [1, 1, *value] if ci == 1 else [1, *value, 1]


def _d(v: Dim) -> str:
    return "None" if v is None else str(v)


def _transpose(spec: Spec, b: dict[str, Any], x: Shape, w: Shape, ci: int) -> Result:
    n = spec.n
    assert n is not None
    if len(w) != n + 2:
        raise rank_error(spec.roles["filter"], n + 2, w)
    os_v = known(b["output_shape"], "output_shape")
    if isinstance(os_v, Tensor):
        raise NotKnown("`output_shape` is a tensor whose values are not known statically")
    if not isinstance(os_v, (list, tuple)) or not all(is_int(v) for v in os_v):
        raise ShapeError("invalid-argument",
                         f"`output_shape` must be a list of integers. Received: {os_v!r}",
                         arg="output_shape")
    strides = sequence_arg(b[spec.roles["strides"]], n, ci, spec.roles["strides"])
    early: list[str] = []
    if b["padding"] == "EXPLICIT" and n < 3:
        # Conv2DBackpropInput takes the bare 'EXPLICIT' when tracing (output_shape decides).
        early.append("padding='EXPLICIT' without a list of paddings: TensorFlow accepts it "
                     "when tracing but fails when run")
        b = {**b, "padding": [[0, 0]] * (n + 2)}
    # Conv2DBackpropInput's shape function does not look at the batch/depth padding.
    mode, pads = padding_arg(b["padding"], n, ci, spec.explicit, check_outer=False)
    dil = sequence_arg(b.get("dilations"), n, ci, "dilations")
    in_c, f_in, f_out = x[ci], w[-2], w[-1]
    if n == 3 and in_c is not None and f_out is not None and in_c != f_out:
        # Conv3DBackpropInputV2's shape function returns output_shape without checking.
        early.append(f"the input has {in_c} channels but the filter {fmt_shape(w)} expects "
                     f"{f_out}: TensorFlow accepts it when tracing but fails when run")
    elif in_c is not None and f_out is not None and in_c != f_out:
        raise ShapeError("shape-mismatch",
                         f"The input has {in_c} channels but the filter {fmt_shape(w)} of a "
                         f"transposed convolution expects {f_out} (its last axis).")
    axes = spatial_axes(n, ci)
    allowed = (n + 2, n) if n == 2 else (n + 2,)
    if len(os_v) not in allowed:
        raise ShapeError("invalid-argument",
                         f"`output_shape` must have {' or '.join(map(str, allowed))} entries for "
                         f"{spec.qual}. Received: output_shape={list(os_v)}", arg="output_shape")
    if len(os_v) == n + 2:
        out: list[Dim] = list(os_v)
        if n < 3:
            # Conv2DBackpropInput keeps the input's batch and checks it against output_shape.
            if x[0] is not None and x[0] != os_v[0]:
                raise ShapeError("shape-mismatch",
                                 f"`output_shape` batch {os_v[0]} differs from the input's batch "
                                 f"{x[0]}.", arg="output_shape")
            out[0] = x[0]
    else:
        out = list(x)
        for j, ax in enumerate(axes):
            out[ax] = os_v[j]
        out[ci] = f_in
    lines: list[str] = [f"output_shape={list(os_v)} gives the shape"]
    warnings: list[str] = early
    names = "DHW"[3 - n:] if n > 1 else "W"
    for j, ax in enumerate(axes):
        big = out[ax]
        if big is None or w[j] is None or x[ax] is None:
            continue
        try:
            fwd, line = window(big, w[j], strides[ax], dil[ax], mode, pads[j], False, names[j])
        except ShapeError:
            fwd, line = None, f"a {mode} convolution of {big} is impossible"
        lines.append(f"{names[j]}: forward check {line}")
        if fwd != x[ax]:
            warnings.append(
                f"output_shape {names[j]}={big} does not invert the input's {x[ax]}: a "
                f"padding='{mode}' stride-{strides[ax]} convolution of {big} gives {_d(fwd)}; "
                "TensorFlow accepts it when tracing but fails when run")
    return Result(outputs=tuple(out), params=0, derivation=lines,
                  notes=[f"{fmt_shape(x)} -> {fmt_shape(tuple(out))}"], warnings=warnings)


def _pool(spec: Spec, b: dict[str, Any]) -> Result:
    r = spec.roles
    x = shape_arg(b[r["input"]], r["input"])
    n = spec.n
    fmt_v = known(b.get("data_format"), "data_format")
    if n is None:
        n = len(x) - 2
        if n not in (1, 2, 3):
            raise ShapeError("invalid-input-rank",
                             f"Input tensor must be of rank 3, 4 or 5 but was {len(x)}. "
                             f"Input shape {fmt_shape(x)}.", arg=r["input"])
        ci = channel_axis(fmt_v, n)
    else:
        ci = channel_axis(fmt_v, n)
        if len(x) != n + 2:
            raise rank_error(r["input"], n + 2, x)
    ks = sequence_arg(b["ksize"], n, ci, "ksize")
    st = sequence_arg(b["strides"], n, ci, "strides")
    mode, pads = padding_arg(b["padding"], n, ci, spec.explicit and n == 2 and spec.pool == "max")
    if any(v <= 0 for v in ks) or any(v <= 0 for v in st):
        raise ShapeError("invalid-argument",
                         f"`ksize` and `strides` must be positive. Received: ksize={ks}, "
                         f"strides={st}")
    axes = spatial_axes(n, ci)
    out: list[Dim] = list(x)
    lines: list[str] = []
    warnings: list[str] = []
    names = "DHW"[3 - n:] if n > 1 else "W"
    for j, ax in enumerate(axes):
        dim, line = window(x[ax], ks[ax], st[ax], 1, mode, pads[j], True, f"{names[j]} axis")
        out[ax] = dim
        lines.append(f"{names[j]}: {line}")
    if ks[0] != 1 or st[0] != 1 or ks[ci] != 1 or st[ci] != 1:
        raise NotKnown(f"ksize={ks}, strides={st} pool over the batch or channel axis; the "
                       "engine does not model that")
    return Result(outputs=tuple(out), params=0, derivation=lines,
                  notes=[f"{fmt_shape(x)} -> {fmt_shape(tuple(out))}",
                         f"ksize={ks}, strides={st}"], warnings=warnings)


# Parameter names per registered op (tests compare them with the real functions' signatures).
SIGNATURES: dict[str, tuple[str, ...]] = {}


def _make(spec: Spec) -> None:
    SIGNATURES[spec.qual] = tuple(p for p, _ in spec.params)
    def fn(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
        b = bind(spec, args, kwargs)
        if spec.kind == "pool":
            return _pool(spec, b)
        return _conv_like(spec, b)

    register_op(spec.qual, fn=fn)


def _p(*names: str, **defaults: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((n, defaults.get(n, REQUIRED)) for n in names)


_CONV_ROLES = {"input": "input", "filter": "filters", "strides": "strides",
               "data_format": "data_format", "dilations": "dilations"}

for _n, _name, _fmt in ((1, "conv1d", "NWC"), (2, "conv2d", "NHWC"), (3, "conv3d", "NDHWC")):
    _stride = "stride" if _n == 1 else "strides"
    _make(Spec(f"tf.nn.{_name}", "conv", _n,
               _p("input", "filters", _stride, "padding", "data_format", "dilations", "name",
                  data_format=_fmt, dilations=None, name=None),
               {**_CONV_ROLES, "strides": _stride}, full_strides=_n == 3, explicit=_n == 2,
               full_dilations=_n == 3))

_make(Spec("tf.compat.v1.nn.conv1d", "conv", 1,
           _p("value", "filters", "stride", "padding", "use_cudnn_on_gpu", "data_format", "name",
              "input", "dilations", value=None, filters=None, stride=None, padding=None,
              use_cudnn_on_gpu=None, data_format=None, name=None, input=None, dilations=None),
           {"input": "value", "filter": "filters", "strides": "stride",
            "data_format": "data_format", "dilations": "dilations"},
           aliases={"input": "value"}, explicit=False))
_make(Spec("tf.compat.v1.nn.conv2d", "conv", 2,
           _p("input", "filter", "strides", "padding", "use_cudnn_on_gpu", "data_format",
              "dilations", "name", "filters", filter=None, strides=None, padding=None,
              use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1], name=None,
              filters=None),
           {**_CONV_ROLES, "filter": "filter"}, aliases={"filters": "filter"}))
_make(Spec("tf.compat.v1.nn.conv3d", "conv", 3,
           _p("input", "filter", "strides", "padding", "data_format", "dilations", "name",
              "filters", filter=None, strides=None, padding=None, data_format="NDHWC",
              dilations=[1, 1, 1, 1, 1], name=None, filters=None),
           {**_CONV_ROLES, "filter": "filter"}, aliases={"filters": "filter"},
           full_strides=True, explicit=False, full_dilations=True))

for _n, _name, _fmt in ((1, "conv1d_transpose", "NWC"), (2, "conv2d_transpose", "NHWC"),
                        (3, "conv3d_transpose", "NDHWC")):
    _make(Spec(f"tf.nn.{_name}", "transpose", _n,
               _p("input", "filters", "output_shape", "strides", "padding", "data_format",
                  "dilations", "name", padding="SAME", data_format=_fmt, dilations=None,
                  name=None), _CONV_ROLES))
_make(Spec("tf.compat.v1.nn.conv2d_transpose", "transpose", 2,
           _p("value", "filter", "output_shape", "strides", "padding", "data_format", "name",
              "input", "filters", "dilations", value=None, filter=None, output_shape=None,
              strides=None, padding="SAME", data_format="NHWC", name=None, input=None,
              filters=None, dilations=None),
           {**_CONV_ROLES, "input": "value", "filter": "filter"},
           aliases={"input": "value", "filters": "filter"}))

_make(Spec("tf.nn.depthwise_conv2d", "depthwise", 2,
           _p("input", "filter", "strides", "padding", "data_format", "dilations", "name",
              data_format=None, dilations=None, name=None),
           {**_CONV_ROLES, "filter": "filter"}, full_strides=True, explicit=True))
_make(Spec("tf.compat.v1.nn.depthwise_conv2d", "depthwise", 2,
           _p("input", "filter", "strides", "padding", "rate", "name", "data_format",
              "dilations", rate=None, name=None, data_format=None, dilations=None),
           {**_CONV_ROLES, "filter": "filter"}, full_strides=True, explicit=True))
_make(Spec("tf.nn.separable_conv2d", "separable", 2,
           _p("input", "depthwise_filter", "pointwise_filter", "strides", "padding",
              "data_format", "dilations", "name", data_format=None, dilations=None, name=None),
           {**_CONV_ROLES, "filter": "depthwise_filter"}, full_strides=True, explicit=True))
_make(Spec("tf.compat.v1.nn.separable_conv2d", "separable", 2,
           _p("input", "depthwise_filter", "pointwise_filter", "strides", "padding", "rate",
              "name", "data_format", "dilations", rate=None, name=None, data_format=None,
              dilations=None),
           {**_CONV_ROLES, "filter": "depthwise_filter"}, full_strides=True, explicit=True))
for _q in ("tf.nn.atrous_conv2d", "tf.compat.v1.nn.atrous_conv2d"):
    _make(Spec(_q, "atrous", 2, _p("value", "filters", "rate", "padding", "name", name=None),
               {"input": "value", "filter": "filters"}))

_POOL_ROLES = {"input": "input"}
for _kind in ("max", "avg"):
    _make(Spec(f"tf.nn.{_kind}_pool", "pool", None,
               _p("input", "ksize", "strides", "padding", "data_format", "name",
                  data_format=None, name=None), _POOL_ROLES, pool=_kind))
    _make(Spec(f"tf.compat.v1.nn.{_kind}_pool", "pool", 2,
               _p("value", "ksize", "strides", "padding", "data_format", "name", "input",
                  value=None, data_format="NHWC", name=None, input=None),
               {"input": "value"}, aliases={"input": "value"}, pool=_kind))
    for _n, _fmt in ((1, "NWC"), (2, "NHWC"), (3, "NDHWC")):
        _make(Spec(f"tf.nn.{_kind}_pool{_n}d", "pool", _n,
                   _p("input", "ksize", "strides", "padding", "data_format", "name",
                      data_format=_fmt, name=None), _POOL_ROLES, pool=_kind))
        if _kind == "avg" and _n == 2:
            _make(Spec("tf.compat.v1.nn.avg_pool2d", "pool", 2,
                       _p("value", "ksize", "strides", "padding", "data_format", "name", "input",
                          value=None, data_format="NHWC", name=None, input=None),
                       {"input": "value"}, aliases={"input": "value"}, pool=_kind))
        else:
            _make(Spec(f"tf.compat.v1.nn.{_kind}_pool{_n}d", "pool", _n,
                       _p("input", "ksize", "strides", "padding", "data_format", "name",
                          data_format=_fmt, name=None), _POOL_ROLES, pool=_kind))
