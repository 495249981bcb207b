"""The rest of tf.nn: bias_add, moments, batch normalization, embedding_lookup, the losses, crelu,
lrn, the generic convolution / pool / conv_transpose (dispatched by rank to tfnn's), morphology.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .args import known
from .opargs import broadcast, canon_axes, canon_axis, int_list, outcome, shape_of, target_shape
from .registry import op_fn
from .tfargs import broadcasts, register_keeping, tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape

register_keeping("tf.nn.local_response_normalization")
# t broadcast with the statistics (an axis of 1 takes their size)
tf_op("tf.nn.batch_norm_with_global_normalization")(
    broadcasts("input", "mean", "variance", "beta", "gamma"))


@tf_op("tf.nn.bias_add")
def _bias_add(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["value"], "value")
    b = shape_of(a["bias"], "bias")
    fmt = known(a["data_format"], "data_format")
    if len(b) != 1:
        raise ShapeError("invalid-input-rank", f"bias must be 1-D; got {fmt_shape(b)}", arg="bias")
    if len(x) < 2:
        raise ShapeError("invalid-input-rank", f"value must be at least rank 2; got "
                         f"{fmt_shape(x)}", arg="value")
    c = 1 if isinstance(fmt, str) and fmt.startswith("NC") else -1
    if x[c] is not None and b[0] is not None and x[c] != b[0]:
        raise ShapeError("shape-mismatch", f"Dimensions must be equal, but are {x[c]} and {b[0]}",
                         arg="bias")
    out = list(x)
    out[c] = x[c] if x[c] is not None else b[0]
    return outcome(x, tuple(out), "the bias is added along the channels")


def _reduce_axes(x: Shape, axes: Any, keep: bool) -> Shape:
    ax = set(canon_axes(axes, len(x)))
    if keep:
        return tuple(1 if i in ax else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in ax)


@tf_op("tf.nn.moments", "tf.nn.weighted_moments")
def _moments(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if a.get("frequency_weights") is not None:  # x broadcast with the weights first
        x = broadcast(x, shape_of(a["frequency_weights"], "frequency_weights"),
                      "x and frequency_weights")
    out = _reduce_axes(x, known(a["axes"], "axes"), bool(known(a["keepdims"], "keepdims")))
    return outcome(x, [out, out], "mean and variance over the axes")


@tf_op("tf.nn.sufficient_statistics")
def _sufficient(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if a["shift"] is None:
        raise NotKnown("sufficient_statistics without shift returns None as its fourth value")
    shift = shape_of(a["shift"], "shift")
    x = broadcast(x, shift, "x and shift")  # x - shift, then the sums
    out = _reduce_axes(x, known(a["axes"], "axes"), bool(known(a["keepdims"], "keepdims")))
    return outcome(x, [(), out, out, shift], "count, mean and variance sums, shift")


@tf_op("tf.nn.normalize_moments")
def _normalize_moments(owner: str, mode: str, a: dict[str, Any]) -> Result:
    m = shape_of(a["mean_ss"], "mean_ss")
    v = shape_of(a["variance_ss"], "variance_ss")
    return outcome(m, [m, v], "mean and variance")


@tf_op("tf.nn.batch_normalization")
def _batch_norm(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    out = x
    for n in ("mean", "variance", "offset", "scale"):
        if a[n] is not None:
            out = broadcast(out, shape_of(a[n], n), f"x and {n}")
    return outcome(x, out, "x normalized with broadcast statistics")


@tf_op("tf.nn.embedding_lookup")
def _embedding_lookup(owner: str, mode: str, a: dict[str, Any]) -> Result:
    p = shape_of(a["params"], "params")
    ids = shape_of(a["ids"], "ids")
    return outcome(ids, (*ids, *p[1:]), f"one row of {fmt_shape(p[1:])} per id")


@tf_op("tf.nn.l2_loss", "tf.nn.compute_average_loss", "tf.nn.scale_regularization_loss")
def _scalar_loss(owner: str, mode: str, a: dict[str, Any]) -> Result:
    name = next(iter(a))
    x = shape_of(a[name], name)
    return outcome(x, (), "a scalar")


def _same_shape(s1: Shape, s2: Shape, what: str) -> Shape:
    if len(s1) != len(s2) or any(d is not None and e is not None and d != e
                                 for d, e in zip(s1, s2, strict=True)):
        raise ShapeError("shape-mismatch", f"{what} must have the same shape ({fmt_shape(s1)} vs "
                         f"{fmt_shape(s2)})", arg="logits")
    return tuple(d if d is not None else e for d, e in zip(s1, s2, strict=True))


@tf_op("tf.nn.sigmoid_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits")
def _sigmoid_ce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    lab, log = shape_of(a["labels"], "labels"), shape_of(a["logits"], "logits")
    return outcome(log, _same_shape(log, lab, "logits and labels"), "one loss per entry")


@tf_op("tf.nn.log_poisson_loss")
def _poisson(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, x = shape_of(a["targets"], "targets"), shape_of(a["log_input"], "log_input")
    return outcome(x, _same_shape(x, t, "log_input and targets"), "one loss per entry")


@tf_op("tf.nn.softmax_cross_entropy_with_logits")
def _softmax_ce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    lab, log = shape_of(a["labels"], "labels"), shape_of(a["logits"], "logits")
    ax = canon_axis(known(a["axis"], "axis"), len(log))
    both = broadcast(log, lab, "logits and labels")
    return outcome(log, tuple(d for i, d in enumerate(both) if i != ax), f"axis {ax} reduced")


@tf_op("tf.nn.sparse_softmax_cross_entropy_with_logits")
def _sparse_ce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    lab, log = shape_of(a["labels"], "labels"), shape_of(a["logits"], "logits")
    if len(lab) != len(log) - 1:
        raise ShapeError("incompatible-shape", f"Rank mismatch: Rank of labels (received "
                         f"{len(lab)}) should equal rank of logits minus 1 (received "
                         f"{len(log)}).", arg="labels")
    out = _same_shape(lab, log[:-1], "labels and logits[:-1]")
    return outcome(log, out, "one loss per label")


@tf_op("tf.nn.crelu")
def _crelu(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["features"], "features")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    out = tuple(None if (i == ax and d is None) else d * 2 if i == ax and d is not None else d
                for i, d in enumerate(x))
    return outcome(x, out, f"axis {ax} doubled")


@tf_op("tf.nn.isotonic_regression")
def _isotonic(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    return outcome(x, [x, x], "the fit and its segments")


@tf_op("tf.nn.ctc_loss")
def _ctc_loss(owner: str, mode: str, a: dict[str, Any]) -> Result:
    log = shape_of(a["logits"], "logits")
    if len(log) != 3:
        raise ShapeError("invalid-input-rank", f"logits must be [time, batch, classes] or [batch, "
                         f"time, classes]; got {fmt_shape(log)}", arg="logits")
    major = known(a["logits_time_major"], "logits_time_major")
    b = log[1] if major else log[0]
    return outcome(log, (b,), "one loss per sequence")


@tf_op("tf.nn.nce_loss", "tf.nn.sampled_softmax_loss")
def _sampled(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    return outcome(x, (x[0],) if x else (), "one loss per example")


@tf_op("tf.nn.collapse_repeated")
def _collapse(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["labels"], "labels")
    return outcome(x, [(x[0], None), (x[0],)], "the collapsed labels (data-dependent length)")


def _by_rank(names: Mapping[int, str], rank_arg: str) -> Any:
    """Dispatch a generic tf.nn function to the rank-specific one tfnn registers."""

    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        x = shape_of(a[rank_arg], rank_arg)
        target = names.get(len(x))
        fn = op_fn(target) if target else None
        if fn is None:
            raise NotKnown(f"{owner} on a rank-{len(x)} input: not modelled")
        kwargs = {k: v for k, v in a.items() if v is not None and k != "name"}
        if "output_shape" not in a:  # convolution: strides default to 1
            kwargs.setdefault("strides", 1)
        if target == "tf.nn.conv1d":
            kwargs["stride"] = kwargs.pop("strides")
        if target in ("tf.nn.conv3d", "tf.nn.conv3d_transpose"):
            first = str(known(a["data_format"], "data_format") or "").startswith("NC")
            for k in ("strides", "dilations"):
                if k in kwargs:
                    kwargs[k] = _full(kwargs[k], 3, first, k)
        return fn([], kwargs)

    return impl


def _full(value: Any, n: int, channels_first: bool, arg: str) -> list[int]:
    """`n` spatial values (an int or a list) as TF's conv3d wants them: all 5 axes."""
    v = int_list(value, arg)
    if len(v) == n + 2:
        return v
    spatial = v * n if len(v) == 1 else v
    return [1, 1, *spatial] if channels_first else [1, *spatial, 1]


tf_op("tf.nn.convolution")(_by_rank({3: "tf.nn.conv1d", 4: "tf.nn.conv2d", 5: "tf.nn.conv3d"},
                                    "input"))
tf_op("tf.nn.conv_transpose")(_by_rank({3: "tf.nn.conv1d_transpose", 4: "tf.nn.conv2d_transpose",
                                        5: "tf.nn.conv3d_transpose"}, "input"))


@tf_op("tf.nn.pool")
def _pool(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    kind = known(a["pooling_type"], "pooling_type")
    if kind not in ("MAX", "AVG"):
        raise ShapeError("invalid-argument", f"pooling_type must be 'MAX' or 'AVG'; got {kind!r}",
                         arg="pooling_type")
    dil = known(a["dilations"], "dilations")
    if dil is not None and any(d != 1 for d in int_list(dil, "dilations")):
        raise NotKnown("pool with dilations: not modelled")
    window = int_list(a["window_shape"], "window_shape")
    strides = a["strides"] if a["strides"] is not None else [1] * len(window)
    fn = op_fn("tf.nn.max_pool" if kind == "MAX" else "tf.nn.avg_pool")
    assert fn is not None
    kw: dict[str, Any] = {"ksize": window, "strides": strides, "padding": a["padding"]}
    if a["data_format"] is not None:
        kw["data_format"] = a["data_format"]
    return fn([a["input"]], kw) if x else outcome(x, x)


@tf_op("tf.nn.atrous_conv2d_transpose")
def _atrous_transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["value"], "value")
    shape_of(a["filters"], "filters")
    out = target_shape(a["output_shape"], "output_shape")
    return outcome(x, out, "the given output_shape")


@tf_op("tf.nn.depthwise_conv2d_backprop_input")
def _dw_input(owner: str, mode: str, a: dict[str, Any]) -> Result:
    out = target_shape(a["input_sizes"], "input_sizes")
    return outcome(None, out, "the given input_sizes")


@tf_op("tf.nn.depthwise_conv2d_backprop_filter")
def _dw_filter(owner: str, mode: str, a: dict[str, Any]) -> Result:
    out = target_shape(a["filter_sizes"], "filter_sizes")
    return outcome(None, out, "the given filter_sizes")


def _morph_size(d: Dim, k: Dim, s: int, r: int, padding: str) -> Dim:
    if d is None:
        return None
    if padding == "SAME":
        return -(-d // s)
    if k is None:
        return None
    eff = (k - 1) * r + 1
    return max(0, -(-(d - eff + 1) // s))


@tf_op("tf.nn.dilation2d", "tf.nn.erosion2d")
def _morphology(owner: str, mode: str, a: dict[str, Any]) -> Result:
    name = "input" if "input" in a else "value"
    x = shape_of(a[name], name)
    f = shape_of(a["filters"], "filters")
    if len(x) != 4 or len(f) != 3:
        raise ShapeError("invalid-input-rank", f"input must be 4-D and filters 3-D; got "
                         f"{fmt_shape(x)} and {fmt_shape(f)}", arg=name)
    st, dl = int_list(a["strides"], "strides"), int_list(a["dilations"], "dilations")
    padding = known(a["padding"], "padding")
    if padding not in ("SAME", "VALID") or len(st) != 4 or len(dl) != 4:
        raise NotKnown("dilation2d arguments not in their documented form")
    h = _morph_size(x[1], f[0], st[1], dl[1], padding)
    w = _morph_size(x[2], f[1], st[2], dl[2], padding)
    return outcome(x, (x[0], h, w, x[3] if x[3] is not None else f[2]), f"({padding})")


@tf_op("tf.nn.max_pool_with_argmax")
def _max_pool_argmax(owner: str, mode: str, a: dict[str, Any]) -> Result:
    fn = op_fn("tf.nn.max_pool")
    assert fn is not None
    res = fn([a["input"]], {"ksize": a["ksize"], "strides": a["strides"], "padding": a["padding"],
                            "data_format": a["data_format"]})
    if res.unknown is not None:
        return res
    return outcome(shape_of(a["input"], "input"), [res.outputs, res.outputs],
                   *res.derivation, "the pooled values and their indices")


@tf_op("tf.nn.fractional_max_pool", "tf.nn.fractional_avg_pool")
def _fractional(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["value"], "value")
    ratio = known(a["pooling_ratio"], "pooling_ratio")
    if isinstance(ratio, (int, float)):
        ratio = [1.0, ratio, ratio, 1.0]
    if len(x) != 4 or not isinstance(ratio, (list, tuple)) or len(ratio) != 4:
        raise NotKnown("fractional pooling needs a 4-D value and 4 pooling ratios")
    out = tuple(None if d is None else int(d / r) for d, r in zip(x, ratio, strict=True))
    # The sequences' static length is the output's (TF's shape function; at run time it is + 1).
    return outcome(x, [out, (out[1],), (out[2],)],
                   "each axis divided by its pooling ratio; the row and column sequences")


@tf_op("tf.conv")
def _raw_conv(owner: str, mode: str, a: dict[str, Any]) -> Result:
    """The raw Conv op: tf.nn.convolution's shape when it is used as that (channels last)."""
    simple = (known(a["data_format"], "data_format") == "CHANNELS_LAST"
              and known(a["batch_dims"], "batch_dims") == 1 and known(a["groups"], "groups") == 1
              and not known(a["explicit_paddings"], "explicit_paddings"))
    if not simple:
        raise NotKnown("tf.conv with batch_dims, groups, explicit paddings or channels first: "
                       "not modelled")
    dil = known(a["dilations"], "dilations")
    fn = op_fn("tf.nn.convolution")
    assert fn is not None
    kw: dict[str, Any] = {"strides": a["strides"], "padding": a["padding"]}
    if dil:
        kw["dilations"] = dil
    return fn([a["input"], a["filter"]], kw)
