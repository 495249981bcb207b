"""keras.ops that pick, place or look up elements: take, take_along_axis, top_k, slice, scatter,
searchsorted, select, unstack, and the data-dependent ones (nonzero, unique, bincount) as Keras
states them on a KerasTensor (None where the length depends on the values).
"""

from __future__ import annotations

from typing import Any

from .args import is_int, known
from .opargs import (
    broadcast,
    canon_axis,
    dstr,
    flat_size,
    keras_op,
    outcome,
    shape_of,
    target_shape,
)
from .types import Dim, NotKnown, Result, Shape, ShapeError, Tensor, fmt_shape


@keras_op("take")
def _take(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    idx = shape_of(a["indices"], "indices")
    axis = known(a["axis"], "axis")
    if axis is None:
        return outcome(x, idx, "axis=None: the indices' shape (x flattened)")
    ax = canon_axis(axis, len(x))
    out = (*x[:ax], *idx, *x[ax + 1:])
    return outcome(x, out, f"axis {ax} ({dstr(x[ax])}) replaced by the indices' shape "
                           f"{fmt_shape(idx)}")


@keras_op("take_along_axis")
def _take_along_axis(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not isinstance(a["indices"], Tensor):
        raise NotKnown("Keras reads `indices.shape`: a tensor is needed")
    idx = shape_of(a["indices"], "indices")
    axis = known(a["axis"], "axis")
    base: list[Dim] = list(x) if axis is not None else [flat_size(x)]
    if len(base) != len(idx):
        raise ShapeError("incompatible-shape",
                         "`x` and `indices` must have the same number of dimensions, but receive "
                         f"shape {fmt_shape(tuple(base))} and {fmt_shape(idx)}.", arg="indices")
    ax = 0 if axis is None else canon_axis(axis, len(base))
    base[ax] = idx[ax]
    out = broadcast(tuple(base), idx, f"x.shape={fmt_shape(x)}, indices.shape={fmt_shape(idx)}")
    return outcome(x, out, f"axis {ax} from the indices, the rest broadcast")


@keras_op("top_k")
def _top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    k = known(a["k"], "k")
    if not x:
        raise ShapeError("invalid-input-rank", "top_k needs a tensor of rank >= 1", arg="x")
    out = (*x[:-1], k)
    return outcome(x, [out, out], f"the last axis ({dstr(x[-1])}) -> k = {k}: values, indices")


@keras_op("in_top_k")
def _in_top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    t = shape_of(a["targets"], "targets")
    shape_of(a["predictions"], "predictions")
    return outcome(t, t, "one bool per target")


@keras_op("searchsorted")
def _searchsorted(owner: str, mode: str, a: dict[str, Any]) -> Result:
    seq = shape_of(a["sorted_sequence"], "sorted_sequence")
    if len(seq) != 1:
        raise ShapeError("invalid-input-rank", "searchsorted only supports 1-D sorted sequences. "
                         f"Received: sorted_sequence.shape={fmt_shape(seq)}",
                         arg="sorted_sequence")
    v = shape_of(a["values"], "values")
    return outcome(v, v, "one index per value")


@keras_op("digitize")
def _digitize(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    bins = shape_of(a["bins"], "bins")
    if len(bins) > 1:
        raise ShapeError("invalid-input-rank", "`bins` must be a 1D array. Received: "
                         f"bins.shape={fmt_shape(bins)}", arg="bins")
    return outcome(x, x, "one bin index per element")


@keras_op("isin")
def _isin(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x1"], "x1")
    shape_of(a["x2"], "x2")
    return outcome(x, x, "one bool per element of x1")


@keras_op("select")
def _select(owner: str, mode: str, a: dict[str, Any]) -> Result:
    choices = known(a["choicelist"], "choicelist")
    if not isinstance(choices, (list, tuple)) or not choices:
        raise NotKnown("`choicelist` is not a list the engine can see")
    first = shape_of(choices[0], "choicelist[0]")
    return outcome(first, first, "the first choice's shape")


@keras_op("unravel_index")
def _unravel_index(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shape = target_shape(a["shape"], "shape")
    idx = a["indices"]
    if None in shape:
        return outcome(None, [(None,)] * len(shape), "one vector per axis")
    # A Python int never reaches Keras' symbolic path: it runs eagerly, one scalar per axis.
    each: Shape = () if is_int(idx) else shape_of(idx, "indices")
    return outcome(None, [each] * len(shape), "one coordinate array per axis of `shape`")


@keras_op("nonzero")
def _nonzero(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, [(None,)] * len(x), "one index vector per axis; its length depends on data")


@keras_op("unique")
def _unique(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    size = known(a["size"], "size")
    axis = known(a["axis"], "axis")
    if axis is None:
        values: Shape = (size,)
    else:
        ax = canon_axis(axis, len(x))
        values = (*x[:ax], size, *x[ax + 1:])
    outs: list[Shape] = [values]
    if known(a["return_index"], "return_index"):
        outs.append((size,))
    if known(a["return_inverse"], "return_inverse"):
        outs.append(x if axis is None else (x[canon_axis(axis, len(x))],))
    if known(a["return_counts"], "return_counts"):
        outs.append((size,))
    return outcome(x, outs[0] if len(outs) == 1 else outs,
                   "as many values as distinct ones (None unless `size` is given)")


@keras_op("bincount")
def _bincount(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not x:
        raise NotKnown("bincount of a scalar")
    return outcome(x, (*x[:-1], None), "the count axis is max(x) + 1 long: data-dependent")


@keras_op("histogram")
def _histogram(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    bins = known(a["bins"], "bins")
    if not is_int(bins):
        raise NotKnown("`bins` is not an integer")
    return outcome(x, [(bins,), (bins + 1,)], f"{bins} counts and {bins + 1} edges")


@keras_op("slice")
def _slice(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    shape = target_shape(a["shape"], "shape")
    start = known(a["start_indices"], "start_indices")
    if len(shape) != len(x):
        raise ShapeError("incompatible-shape",
                         "The number of dimensions in `inputs` must match the number of dimensions "
                         f"in `shape`. Received inputs.shape={fmt_shape(x)} and shape={shape}",
                         arg="shape")
    if isinstance(start, (list, tuple)) and len(start) != len(x):
        raise ShapeError("incompatible-shape",
                         "The number of dimensions in `start_indices` must match the number of "
                         f"dimensions in `inputs`. Received start_indices={start} and "
                         f"inputs.shape={fmt_shape(x)}", arg="start_indices")
    out: list[Dim] = []
    for i, (d, s) in enumerate(zip(x, shape, strict=True)):
        if s != -1:
            out.append(s)
        elif isinstance(start, Tensor) or d is None:
            out.append(None)
        else:
            if not isinstance(start, (list, tuple)) or not is_int(start[i]):
                raise NotKnown("`start_indices` are not known statically")
            out.append(d - start[i])
    return outcome(x, tuple(out), f"a slice of shape {fmt_shape(tuple(out))}")


@keras_op("slice_update")
def _slice_update(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    return outcome(x, x, "updated in place: the shape is kept")


@keras_op("scatter_update")
def _scatter_update(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["inputs"], "inputs")
    return outcome(x, x, "updated in place: the shape is kept")


@keras_op("scatter")
def _scatter(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shape = target_shape(a["shape"], "shape")
    return outcome(None, shape, "the requested shape")


@keras_op("unstack")
def _unstack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    num = known(a["num"], "num")
    if num is None:
        num = x[ax]
    if num is None:
        raise ShapeError("incompatible-shape",
                         f"Cannot infer argument `num` from shape {fmt_shape(x)}. Either provide "
                         "a tensor with a concrete shape in the `axis` dimension or explicitly "
                         "pass the `num` argument.", arg="num")
    piece = (*x[:ax], *x[ax + 1:])
    return outcome(x, [piece] * num, f"{num} tensors along axis {ax}")
