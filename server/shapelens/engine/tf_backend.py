"""tf.keras.backend (Keras 2's backend, which TF 2.21 keeps as `keras.src.legacy.backend`): the
functions Keras-2 code calls (`K.permute_dimensions`, `K.batch_dot`, ...), often via their tf op.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .args import is_int, known
from .opargs import canon_axis, dstr, int_list, outcome, shape_of, target_shape
from .registry import op_fn
from .symdims import Undecidable, is_sym, same
from .tfargs import broadcasts, register_keeping, tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape

register_keeping("keras.backend.ones_like", "keras.backend.zeros_like", "keras.backend.cumsum",
                 "keras.backend.cumprod")
# target and output broadcast (a target axis of 1 takes the output's size)
tf_op("keras.backend.binary_crossentropy", "keras.backend.binary_focal_crossentropy")(
    broadcasts("target", "output"))


def _via(path: str, args: Sequence[Any], kwargs: dict[str, Any]) -> Result:
    """What the tf op `path` (registered by another module) gives."""
    fn = op_fn(path)
    assert fn is not None, path
    return fn(args, kwargs)


@tf_op("keras.backend.batch_normalization")
def _batch_normalization(owner: str, mode: str, a: dict[str, Any]) -> Result:
    """tf.nn.batch_normalization: x broadcast with the statistics (an x axis of 1 takes theirs)."""
    return _via("tf.nn.batch_normalization",
                [a["x"], a["mean"], a["var"], a["beta"], a["gamma"], a["epsilon"]], {})


def _reduction(tf_path: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        return _via(tf_path, [a["x"]], {"axis": a["axis"], "keepdims": a["keepdims"]})

    return impl


for _k, _t in {"max": "reduce_max", "min": "reduce_min", "sum": "reduce_sum",
               "prod": "reduce_prod", "mean": "reduce_mean", "std": "math.reduce_std",
               "var": "math.reduce_variance", "any": "reduce_any", "all": "reduce_all"}.items():
    tf_op(f"keras.backend.{_k}")(_reduction(f"tf.{_t}"))

def _binary(tf_path: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        return _via(tf_path, [a["x"], a["y"]], {})

    return impl


for _k in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum",
           "minimum"):
    tf_op(f"keras.backend.{_k}")(_binary(f"tf.{_k}"))


@tf_op("keras.backend.pow")
def _pow(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.pow", [a["x"], a["a"]], {})


@tf_op("keras.backend.argmax", "keras.backend.argmin")
def _argmax(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via(f"tf.{owner.rsplit('.', 1)[-1]}", [a["x"], a["axis"]], {})


@tf_op("keras.backend.concatenate")
def _concatenate(owner: str, mode: str, a: dict[str, Any]) -> Result:
    tensors = known(a["tensors"], "tensors")
    axis = known(a["axis"], "axis")
    if isinstance(tensors, (list, tuple)) and tensors and is_int(axis) and axis < 0:
        rank = len(shape_of(tensors[0], "tensors[0]"))
        axis = axis % rank if rank else 0
    return _via("tf.concat", [tensors, axis], {})


@tf_op("keras.backend.stack")
def _stack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.stack", [a["x"]], {"axis": a["axis"]})


@tf_op("keras.backend.expand_dims")
def _expand_dims(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.expand_dims", [a["x"], a["axis"]], {})


@tf_op("keras.backend.squeeze")
def _squeeze(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.squeeze", [a["x"], [a["axis"]]], {})


@tf_op("keras.backend.reshape")
def _reshape(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.reshape", [a["x"], a["shape"]], {})


@tf_op("keras.backend.permute_dimensions")
def _permute(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.transpose", [a["x"]], {"perm": a["pattern"]})


@tf_op("keras.backend.transpose")
def _transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.transpose", [a["x"]], {})


@tf_op("keras.backend.tile")
def _tile(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = known(a["n"], "n")
    return _via("tf.tile", [a["x"], [n] if is_int(n) else n], {})


@tf_op("keras.backend.reverse")
def _reverse(owner: str, mode: str, a: dict[str, Any]) -> Result:
    axes = known(a["axes"], "axes")
    return _via("tf.reverse", [a["x"], [axes] if is_int(axes) else axes], {})


@tf_op("keras.backend.gather")
def _gather(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.gather", [a["reference"], a["indices"]], {})


@tf_op("keras.backend.one_hot")
def _one_hot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.one_hot", [a["indices"], a["num_classes"]], {})


@tf_op("keras.backend.flatten")
def _flatten(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.reshape", [a["x"], [-1]], {})


@tf_op("keras.backend.batch_flatten")
def _batch_flatten(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if None in x:  # Keras reshapes to tf.shape-computed sizes: TF folds them only when all known
        return outcome(x, (None, None), "a dynamic dim: TF's static shape knows neither axis")
    size = math.prod(d for d in x[1:] if d is not None)
    return outcome(x, (x[0], size), f"the non-batch axes flattened: {size}")


@tf_op("keras.backend.repeat")
def _repeat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    n = known(a["n"], "n")
    if len(x) != 2:
        raise ShapeError("invalid-input-rank", f"Expected `x` to have rank 2. Received: "
                         f"rank(x)={len(x)}", arg="x")
    if not is_int(n):
        raise NotKnown("`n` is not a known integer")
    return outcome(x, (x[0], n, x[1]), f"a new axis of {n}")


@tf_op("keras.backend.repeat_elements")
def _repeat_elements(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    rep = known(a["rep"], "rep")
    if not is_int(rep):
        raise NotKnown("`rep` is not a known integer")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    out = tuple(d * rep if i == ax and d is not None else d for i, d in enumerate(x))
    return outcome(x, out, f"axis {ax}: {dstr(x[ax])} * {rep}")


@tf_op("keras.backend.dot")
def _dot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x, y = shape_of(a["x"], "x"), shape_of(a["y"], "y")
    if len(x) <= 2 and len(y) <= 2:
        return _via("tf.matmul", [a["x"], a["y"]], {})
    if len(y) < 2:
        raise NotKnown("dot with a vector: not modelled")
    if x[-1] is not None and y[-2] is not None and x[-1] != y[-2]:
        raise ShapeError("shape-mismatch", f"Dimensions must be equal: {x[-1]} (last axis of "
                         f"{fmt_shape(x)}) and {y[-2]} (second last axis of {fmt_shape(y)})")
    out = (*x[:-1], *y[:-2], y[-1])
    return outcome(x, out, f"x's last axis ({dstr(x[-1])}) . y's second last ({dstr(y[-2])})")


@tf_op("keras.backend.batch_dot")
def _batch_dot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x, y = shape_of(a["x"], "x"), shape_of(a["y"], "y")
    if len(x) < 2 or len(y) < 2:
        raise ShapeError("invalid-input-rank", "Cannot do batch_dot on inputs with rank < 2.")
    if x[0] is not None and y[0] is not None and x[0] != y[0]:
        raise ShapeError("shape-mismatch", "Cannot do batch_dot on inputs with different batch "
                         f"sizes: {fmt_shape(x)} and {fmt_shape(y)}")
    axes = known(a["axes"], "axes")
    if is_int(axes):
        axes = [axes, axes]
    if axes is None:
        axes = [len(x) - 1, len(y) - 1 if len(y) == 2 else len(y) - 2]
    ax = int_list(axes, "axes")
    a0, a1 = (ax[0] + len(x) if ax[0] < 0 else ax[0]), (ax[1] + len(y) if ax[1] < 0 else ax[1])
    if 0 in (a0, a1):
        raise ShapeError("invalid-argument", "Cannot perform batch_dot over axis 0.", arg="axes")
    if x[a0] is not None and y[a1] is not None and x[a0] != y[a1]:
        raise ShapeError("shape-mismatch", f"Cannot do batch_dot on inputs with shapes "
                         f"{fmt_shape(x)} and {fmt_shape(y)} with axes={[a0, a1]}.")
    if len(x) > 3 or len(y) > 3:
        raise NotKnown("batch_dot of rank > 3: Keras reshapes through tf.shape")
    batch: Dim = x[0] if x[0] is not None else y[0]
    rest = [d for i, d in enumerate(x) if i not in (0, a0)] + \
        [d for i, d in enumerate(y) if i not in (0, a1)]
    out: Shape = (batch, *rest) if rest else (batch, 1)
    return outcome(x, out, f"axis {a0} of x contracted with axis {a1} of y per batch entry")


def _shape_arg(owner: str, mode: str, a: dict[str, Any]) -> Result:
    out = target_shape(a["shape"], "shape")
    return outcome(None, out, "the given shape")


for _k in ("random_normal", "random_uniform", "truncated_normal", "random_bernoulli"):
    tf_op(f"keras.backend.{_k}")(_shape_arg)


@tf_op("keras.backend.arange")
def _arange(owner: str, mode: str, a: dict[str, Any]) -> Result:
    start, stop = known(a["start"], "start"), known(a["stop"], "stop")
    step = known(a["step"], "step")
    if stop is None:
        start, stop = 0, start
    if not all(isinstance(v, (int, float)) for v in (start, stop, step)) or step == 0:
        raise NotKnown("the range's bounds are not known")
    n = max(0, math.ceil((stop - start) / step))
    return outcome(None, (n,), f"{n} values")


@tf_op("keras.backend.categorical_crossentropy", "keras.backend.categorical_focal_crossentropy")
def _categorical(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t, o = shape_of(a["target"], "target"), shape_of(a["output"], "output")
    if len(t) != len(o) or any(d is not None and e is not None and d != e
                               for d, e in zip(t, o, strict=True)):
        raise ShapeError("shape-mismatch", f"Arguments `target` and `output` must have the same "
                         f"shape. Received: target.shape={fmt_shape(t)}, output.shape="
                         f"{fmt_shape(o)}", arg="output")
    ax = canon_axis(known(a["axis"], "axis"), len(o))
    return outcome(o, tuple(d for i, d in enumerate(o) if i != ax), f"axis {ax} summed")


@tf_op("keras.backend.sparse_categorical_crossentropy")
def _sparse_categorical(owner: str, mode: str, a: dict[str, Any]) -> Result:
    o = shape_of(a["output"], "output")
    t = shape_of(a["target"], "target")
    ax = canon_axis(known(a["axis"], "axis"), len(o))
    if ax != len(o) - 1:
        raise NotKnown("sparse_categorical_crossentropy with a non-last axis: not modelled")
    if len(t) == len(o) - 1 and any((is_sym(x) or is_sym(y)) and not same(x, y)
                                    for x, y in zip(t, o[:-1], strict=True)):
        # TF's static shape is the target's; they agree only at the sizes where it runs
        raise Undecidable(f"target {fmt_shape(t)} against output {fmt_shape(o)}")
    return outcome(o, o[:-1], "one loss per label")


@tf_op("keras.backend.in_top_k")
def _in_top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _via("tf.math.in_top_k", [a["targets"], a["predictions"], a["k"]], {})


@tf_op("keras.backend.ctc_batch_cost")
def _ctc_batch_cost(owner: str, mode: str, a: dict[str, Any]) -> Result:
    p = shape_of(a["y_pred"], "y_pred")
    return outcome(p, (p[0] if p else None, 1), "one loss per sequence")


def _channels_last(a: dict[str, Any]) -> None:
    if known(a.get("data_format"), "data_format") not in (None, "channels_last"):
        raise NotKnown("Keras-2 backend ops with data_format='channels_first': not modelled")


def _conv(n: int) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        _channels_last(a)
        padding = known(a["padding"], "padding")
        if padding not in ("valid", "same"):
            raise NotKnown(f"padding={padding!r}: not modelled")
        kw = {"strides": a["strides"], "padding": padding.upper(),
              "dilations": a["dilation_rate"]}
        return _via("tf.nn.convolution", [a["x"], a["kernel"]], kw)

    return impl


tf_op("keras.backend.conv1d")(_conv(1))
tf_op("keras.backend.conv2d")(_conv(2))
tf_op("keras.backend.conv3d")(_conv(3))


@tf_op("keras.backend.pool2d", "keras.backend.pool3d")
def _pool(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _channels_last(a)
    padding = known(a["padding"], "padding")
    kind = known(a["pool_mode"], "pool_mode")
    if padding not in ("valid", "same") or kind not in ("max", "avg"):
        raise NotKnown("pool arguments not in their documented form")
    return _via("tf.nn.pool", [a["x"], list(known(a["pool_size"], "pool_size")),
                               kind.upper()],
                {"strides": list(known(a["strides"], "strides")), "padding": padding.upper()})


def _pad(axes: Sequence[int], a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    pads = known(a["padding"], "padding")
    if not isinstance(pads, (list, tuple)):
        raise NotKnown("`padding` is not known")
    pairs = [pads] if len(axes) == 1 else list(pads)
    if len(pairs) != len(axes):
        raise ShapeError("invalid-argument", f"`padding` needs {len(axes)} pairs", arg="padding")
    out: list[Dim] = list(x)
    for ax, pair in zip(axes, pairs, strict=True):
        lo, hi = int_list(pair, "padding")
        d = x[ax]
        out[ax] = None if d is None else d + lo + hi
    return outcome(x, tuple(out), "padded")


@tf_op("keras.backend.temporal_padding")
def _temporal_padding(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _pad([1], a)


@tf_op("keras.backend.spatial_2d_padding")
def _spatial_2d(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _channels_last(a)
    return _pad([1, 2], a)


@tf_op("keras.backend.spatial_3d_padding")
def _spatial_3d(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _channels_last(a)
    return _pad([1, 2, 3], a)


@tf_op("keras.backend.resize_images")
def _resize_images(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    fmt = known(a["data_format"], "data_format")
    if fmt not in ("channels_first", "channels_last"):
        raise ShapeError("invalid-argument", f"Invalid `data_format` argument: {fmt}",
                         arg="data_format")
    hf, wf = known(a["height_factor"], "height_factor"), known(a["width_factor"], "width_factor")
    if not (is_int(hf) and is_int(wf)):
        raise NotKnown("the factors are not known integers")
    r, c = (1, 2) if fmt == "channels_last" else (2, 3)
    out = list(x)
    if x[r] is None or x[c] is None:
        out[r] = out[c] = None
    else:
        out[r], out[c] = x[r] * hf, x[c] * wf
    return outcome(x, tuple(out), f"height x {hf}, width x {wf}")


def _conv_strides(a: dict[str, Any]) -> tuple[list[int], list[int], str]:
    _channels_last(a)
    padding = known(a["padding"], "padding")
    if padding not in ("valid", "same"):
        raise NotKnown(f"padding={padding!r}: not modelled")
    strides = [1, *int_list(a["strides"], "strides"), 1]
    return strides, int_list(a["dilation_rate"], "dilation_rate"), padding.upper()


@tf_op("keras.backend.depthwise_conv2d")
def _depthwise(owner: str, mode: str, a: dict[str, Any]) -> Result:
    strides, dil, padding = _conv_strides(a)
    return _via("tf.nn.depthwise_conv2d", [a["x"], a["depthwise_kernel"], strides, padding],
                {"dilations": dil})


@tf_op("keras.backend.separable_conv2d")
def _separable(owner: str, mode: str, a: dict[str, Any]) -> Result:
    strides, dil, padding = _conv_strides(a)
    return _via("tf.nn.separable_conv2d", [a["x"], a["depthwise_kernel"], a["pointwise_kernel"],
                                           strides, padding], {"dilations": dil})


@tf_op("keras.backend.resize_volumes")
def _resize_volumes(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    fmt = known(a["data_format"], "data_format")
    if fmt not in ("channels_first", "channels_last"):
        raise ShapeError("invalid-argument", f"Invalid data_format: {fmt}", arg="data_format")
    factors = [known(a[n], n) for n in ("depth_factor", "height_factor", "width_factor")]
    if not all(is_int(f) for f in factors):
        raise NotKnown("the factors are not known integers")
    first = 1 if fmt == "channels_last" else 2
    out = list(x)
    for i, f in enumerate(factors):
        d = x[first + i]
        out[first + i] = None if d is None else d * f
    return outcome(x, tuple(out), f"depth, height, width x {factors}")


@tf_op("keras.backend.conv2d_transpose")
def _conv2d_transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _channels_last(a)
    shape_of(a["x"], "x")
    shape_of(a["kernel"], "kernel")
    out = target_shape(a["output_shape"], "output_shape")
    return outcome(None, out, "the given output_shape")
