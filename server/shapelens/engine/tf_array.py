"""The tf top-level array ops: gather, gather_nd, where, one_hot, sort, einsum, tensordot, unstack,
slice, reverse, roll, eye, linspace, sequence_mask, scatters, space/batch blocks, boolean_mask.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .args import is_int, known
from .opargs import (
    broadcast,
    canon_axes,
    canon_axis,
    dstr,
    int_list,
    outcome,
    shape_of,
    target_shape,
    tensor_list,
)
from .ops_arrays import meshgrid
from .ops_index import tf_getitem
from .ops_linalg import einsum
from .registry import register_op
from .tfargs import keeps, register_keeping, tf_op
from .types import Dim, NotKnown, Result, ShapeError, fmt_shape

register_keeping("tf.argsort", "tf.sort", "tf.reverse", "tf.roll", "tf.reverse_sequence",
                 "tf.tensor_scatter_nd_add", "tf.tensor_scatter_nd_max",
                 "tf.tensor_scatter_nd_min", "tf.tensor_scatter_nd_sub",
                 "tf.tensor_scatter_nd_update")


def _merge(a: Dim, b: Dim) -> Dim:
    return a if a is not None else b


@tf_op("tf.gather")
def _gather(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["params"], "params")
    idx = shape_of(a["indices"], "indices")
    bd = known(a["batch_dims"], "batch_dims")
    axis = known(a["axis"], "axis")
    if not is_int(bd):
        raise NotKnown("`batch_dims` is not a known integer")
    if bd < 0:
        bd += len(idx)
    ax = bd if axis is None else canon_axis(axis, len(x))
    if ax < bd:
        raise NotKnown(f"gather with axis {ax} before batch_dims {bd}: not modelled")
    # TF's static shape takes the batch dims from params (it compares them only at run time).
    out = (*x[:ax], *idx[bd:], *x[ax + 1:])
    return outcome(x, out, f"axis {ax} ({dstr(x[ax])}) replaced by the indices' shape "
                           f"{fmt_shape(idx[bd:])}")


@tf_op("tf.gather_nd")
def _gather_nd(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["params"], "params")
    idx = shape_of(a["indices"], "indices")
    bd = known(a["batch_dims"], "batch_dims")
    if not idx:
        raise ShapeError("invalid-input-rank", "indices must be at least rank 1", arg="indices")
    q = idx[-1]
    if q is None or not is_int(bd):
        raise NotKnown("the last axis of `indices` (the index depth) is not known")
    if q > len(x) - bd:
        raise ShapeError("incompatible-shape", f"index innermost dimension length {q} must be <= "
                         f"params rank {len(x) - bd} ({fmt_shape(x)})", arg="indices")
    out = (*idx[:-1], *x[bd + q:])
    return outcome(x, out, f"{q} index components per entry of {fmt_shape(idx[:-1])}")


@tf_op("tf.where")
def _where(owner: str, mode: str, a: dict[str, Any]) -> Result:
    cond = shape_of(a["condition"], "condition")
    if a["x"] is None and a["y"] is None:
        return outcome(cond, (None, len(cond)), "one row per True entry (data-dependent), one "
                                                "column per axis")
    if a["x"] is None or a["y"] is None:
        raise ShapeError("invalid-argument", "x and y must both be non-None or both be None.",
                         arg="y")
    s1, s2 = shape_of(a["x"], "x"), shape_of(a["y"], "y")
    out = broadcast(broadcast(s1, s2, f"x.shape={fmt_shape(s1)}, y.shape={fmt_shape(s2)}"),
                    cond, f"condition.shape={fmt_shape(cond)}")
    return outcome(cond, out, f"condition, x and y broadcast -> {fmt_shape(out)}")


@tf_op("tf.boolean_mask")
def _boolean_mask(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["tensor"], "tensor")
    m = shape_of(a["mask"], "mask")
    axis = known(a["axis"], "axis") or 0
    if not m:
        raise ShapeError("invalid-input-rank", "mask cannot be scalar.", arg="mask")
    if axis + len(m) > len(x):
        raise ShapeError("incompatible-shape", f"the mask {fmt_shape(m)} is longer than the "
                         f"tensor {fmt_shape(x)} from axis {axis}", arg="mask")
    for d, e in zip(x[axis:axis + len(m)], m, strict=True):
        if d is not None and e is not None and d != e:
            raise ShapeError("shape-mismatch", f"Shapes {fmt_shape(x)} and {fmt_shape(m)} are "
                             "incompatible", arg="mask")
    out = (*x[:axis], None, *x[axis + len(m):])
    return outcome(x, out, "as many rows as True entries (data-dependent): None")


@tf_op("tf.unique")
def _unique(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if len(x) != 1:
        raise ShapeError("invalid-input-rank", f"unique expects a 1-D vector; got {fmt_shape(x)}",
                         arg="x")
    return outcome(x, [(None,), x], "as many values as distinct (data-dependent); an index per "
                                    "entry")


@tf_op("tf.unique_with_counts")
def _unique_counts(owner: str, mode: str, a: dict[str, Any]) -> Result:
    res = _unique(owner, mode, a)
    return outcome(shape_of(a["x"], "x"), [*res.outputs, (None,)], *res.derivation)


@tf_op("tf.one_hot")
def _one_hot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["indices"], "indices")
    depth = known(a["depth"], "depth")
    if not is_int(depth):
        raise NotKnown("`depth` is not a known integer")
    axis = known(a["axis"], "axis")
    axis = -1 if axis is None else axis
    if axis < -1:
        raise ShapeError("invalid-argument", f"Expected axis to be -1 or between [0, {len(x)}). "
                         f"But received: {axis}", arg="axis")
    if axis > len(x):
        raise NotKnown(f"one_hot with axis {axis} past the indices' rank: TF's static shape for "
                       "it is not modelled")
    pos = len(x) if axis == -1 else axis
    out = (*x[:pos], depth, *x[pos:])
    return outcome(x, out, f"a new axis of {depth} at {pos}")


def _tensordot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = shape_of(a["a"], "a"), shape_of(a["b"], "b")
    axes = known(a["axes"], "axes")
    if is_int(axes):
        if axes < 0 or axes > min(len(s1), len(s2)):
            raise ShapeError("invalid-argument", f"'axes' must be at most {min(len(s1), len(s2))}"
                             f" and at least 0. Received: {axes}", arg="axes")
        ax1, ax2 = list(range(len(s1) - axes, len(s1))), list(range(axes))
    elif (isinstance(axes, (list, tuple)) and len(axes) == 2):
        ax1 = [canon_axis(v, len(s1), "axes") for v in int_list(axes[0], "axes")]
        ax2 = [canon_axis(v, len(s2), "axes") for v in int_list(axes[1], "axes")]
    else:
        raise NotKnown(f"`axes`={axes!r} is not an integer or a pair of axis lists")
    if len(ax1) != len(ax2):
        raise ShapeError("invalid-argument", "Different number of contraction axes 'a' and 'b'",
                         arg="axes")
    for i, j in zip(ax1, ax2, strict=True):
        if s1[i] is not None and s2[j] is not None and s1[i] != s2[j]:
            raise ShapeError("shape-mismatch", f"axis {i} of a ({s1[i]}) and axis {j} of b "
                             f"({s2[j]}) must be equal", arg="axes")
    out = (*(d for i, d in enumerate(s1) if i not in ax1),
           *(d for i, d in enumerate(s2) if i not in ax2))
    return outcome(s1, out, f"axes {ax1} of a contracted with axes {ax2} of b")


tf_op("tf.linalg.tensordot")(_tensordot)


def _einsum(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    eq = kwargs.get("equation", args[0] if args else None)
    inputs = list(args[1:] if args else []) or list(kwargs.get("inputs", []))
    return einsum([eq, *inputs], {})


def _meshgrid(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    return meshgrid(args, {"indexing": kwargs.get("indexing", "xy")})


register_op("tf.einsum", "tf.linalg.einsum", fn=_einsum)
register_op("tf.meshgrid", fn=_meshgrid)


@tf_op("tf.unstack")
def _unstack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["value"], "value")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    n = known(a["num"], "num")
    n = x[ax] if n is None else n
    if n is None:
        raise NotKnown(f"the number of tensors is axis {ax}'s size, which is not known")
    if x[ax] is not None and n != x[ax]:
        raise ShapeError("incompatible-shape", f"num ({n}) must be the size of axis {ax} "
                         f"({x[ax]})", arg="num")
    rest = (*x[:ax], *x[ax + 1:])
    return outcome(x, [rest] * n, f"{n} tensors of {fmt_shape(rest)}")


@tf_op("tf.slice")
def _slice(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input_"], "input_")
    begin, size = int_list(a["begin"], "begin"), int_list(a["size"], "size")
    if len(begin) != len(x) or len(size) != len(x):
        raise ShapeError("incompatible-shape", f"begin and size need {len(x)} entries each",
                         arg="begin")
    out: list[Dim] = []
    for d, b, s in zip(x, begin, size, strict=True):
        if s == -1:
            out.append(None if d is None else d - b)
        else:  # TF checks the bounds only at run time
            out.append(s)
    return outcome(x, tuple(out), f"sliced to {fmt_shape(tuple(out))}")


@tf_op("tf.rank")
def _rank(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    return outcome(x, (), f"a scalar: {len(x)}")


@tf_op("tf.size")
def _size(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    return outcome(x, (), "a scalar: the number of elements")


@tf_op("tf.linspace")
def _linspace(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = shape_of(a["start"], "start"), shape_of(a["stop"], "stop")
    num = known(a["num"], "num")
    if not is_int(num):
        raise NotKnown("`num` is not a known integer")
    lead = broadcast(s1, s2, "start and stop")
    ax = canon_axis(known(a["axis"], "axis"), len(lead) + 1)
    out = (*lead[:ax], num, *lead[ax:])
    return outcome(lead, out, f"{num} values")


@tf_op("tf.linalg.eye")
def _eye(owner: str, mode: str, a: dict[str, Any]) -> Result:
    rows, cols = known(a["num_rows"], "num_rows"), known(a["num_columns"], "num_columns")
    batch = known(a["batch_shape"], "batch_shape")
    cols = rows if cols is None else cols
    if not (is_int(rows) and is_int(cols)):
        raise NotKnown("the size is not known")
    lead = () if batch is None else tuple(int_list(batch, "batch_shape"))
    return outcome(None, (*lead, rows, cols), f"{rows} x {cols}")


@tf_op("tf.sequence_mask")
def _sequence_mask(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["lengths"], "lengths")
    maxlen = known(a["maxlen"], "maxlen")
    if maxlen is not None and not is_int(maxlen):
        raise NotKnown("`maxlen` is not a known integer")
    return outcome(x, (*x, maxlen), f"a mask of {dstr(maxlen)} per length")


@tf_op("tf.scatter_nd")
def _scatter_nd(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shape_of(a["indices"], "indices")
    shape_of(a["updates"], "updates")
    out = target_shape(a["shape"], "shape")
    return outcome(None, out, "the given shape")


def _blocks(a: dict[str, Any], pads: str, sign: int) -> Result:
    x = shape_of(a["input"], "input")
    block = int_list(a["block_shape"], "block_shape")
    p = known(a[pads], pads)
    if not isinstance(p, (list, tuple)) or len(p) != len(block):
        raise NotKnown(f"`{pads}` is not a list of known pairs")
    if len(x) < len(block) + 1:
        raise ShapeError("invalid-input-rank", f"input {fmt_shape(x)} needs {len(block)} block "
                         "axes after the batch", arg="input")
    prod = math.prod(block)
    out: list[Dim] = []
    if sign > 0:
        out.append(None if x[0] is None else x[0] * prod)
    else:
        if x[0] is not None and x[0] % prod:
            raise ShapeError("incompatible-shape", f"the batch ({x[0]}) is not divisible by "
                             f"{prod}", arg="input")
        out.append(None if x[0] is None else x[0] // prod)
    for i, (b, pair) in enumerate(zip(block, p, strict=True)):
        lo, hi = int_list(pair, pads)
        d = x[i + 1]
        if d is None:
            out.append(None)
        elif sign > 0:
            if (d + lo + hi) % b:
                raise ShapeError("incompatible-shape", f"padded size {d + lo + hi} is not "
                                 f"divisible by block size {b}", arg=pads)
            out.append((d + lo + hi) // b)
        else:
            out.append(d * b - lo - hi)
    out.extend(x[len(block) + 1:])
    return outcome(x, tuple(out), f"blocks {block}")


@tf_op("tf.space_to_batch_nd", "tf.space_to_batch")
def _space_to_batch(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _blocks(a, "paddings", 1)


@tf_op("tf.batch_to_space")
def _batch_to_space(owner: str, mode: str, a: dict[str, Any]) -> Result:
    return _blocks(a, "crops", -1)


@tf_op("tf.identity_n")
def _identity_n(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = tensor_list(a["input"], "input")
    return outcome(shapes[0], shapes, "each input's shape")


@tf_op("tf.ensure_shape")
def _ensure_shape(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    want = target_shape(a["shape"], "shape")
    if len(want) != len(x) or any(d is not None and e is not None and d != e
                                  for d, e in zip(x, want, strict=True)):
        raise ShapeError("shape-mismatch", f"Shape of tensor x {fmt_shape(x)} is not compatible "
                         f"with expected shape {fmt_shape(want)}.", arg="shape")
    out = tuple(_merge(e, d) for d, e in zip(x, want, strict=True))
    return outcome(x, out, "the known dims of both")


@tf_op("tf.parallel_stack")
def _parallel_stack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = tensor_list(a["values"], "values")
    return outcome(shapes[0], (len(shapes), *shapes[0]), f"{len(shapes)} stacked")


@tf_op("tf.searchsorted")
def _searchsorted(owner: str, mode: str, a: dict[str, Any]) -> Result:
    v = shape_of(a["values"], "values")
    shape_of(a["sorted_sequence"], "sorted_sequence")
    return outcome(v, v, "an index per value")


@tf_op("tf.histogram_fixed_width")
def _histogram(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n = known(a["nbins"], "nbins")
    if not is_int(n):
        raise NotKnown("`nbins` is not a known integer")
    return outcome(shape_of(a["values"], "values"), (n,), f"{n} bins")


@tf_op("tf.linalg.norm")
def _norm(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["tensor"], "tensor")
    axis = known(a["axis"], "axis")
    keep = bool(known(a["keepdims"], "keepdims"))
    if axis is None:
        return outcome(x, (1,) * len(x) if keep else (), "the norm of all entries")
    axes = canon_axes(axis, len(x))
    if len(axes) > 2 or (len(axes) == 2 and axes[0] == axes[1]):
        raise ShapeError("invalid-argument", "'axis' must be None, an integer, or a tuple of 2 "
                         f"unique integers, got {axis}", arg="axis")
    out = tuple(1 if i in axes else d for i, d in enumerate(x)) if keep else \
        tuple(d for i, d in enumerate(x) if i not in axes)
    return outcome(x, out, f"norm over axes {axes}")


@tf_op("tf.clip_by_global_norm")
def _clip_global(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = tensor_list(a["t_list"], "t_list")
    return outcome(shapes[0], [shapes, ()], "each tensor clipped; the global norm, a scalar")


@tf_op("tf.extract_volume_patches")
def _volume_patches(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    k, s = int_list(a["ksizes"], "ksizes"), int_list(a["strides"], "strides")
    padding = known(a["padding"], "padding")
    if len(x) != 5 or len(k) != 5 or len(s) != 5 or padding not in ("SAME", "VALID"):
        raise NotKnown("extract_volume_patches needs a 5-D input, 5 ksizes and strides, SAME or "
                       "VALID padding")
    out: list[Dim] = [x[0]]
    for i in (1, 2, 3):
        d = x[i]
        if d is None:
            out.append(None)
        elif padding == "SAME":
            out.append(-(-d // s[i]))
        else:
            n = int((d - k[i] + s[i]) / s[i])
            if n < 0:
                raise ShapeError("incompatible-shape", f"Computed output size would be negative: "
                                 f"{n}", arg="ksizes")
            out.append(n)
    out.append(None if x[4] is None else k[1] * k[2] * k[3] * x[4])
    return outcome(x, tuple(out), f"patches of {k[1:4]} ({padding})")


@tf_op("tf.range")
def _range(owner: str, mode: str, a: dict[str, Any]) -> Result:
    start, limit, delta = (known(a[n], n) for n in ("start", "limit", "delta"))
    if limit is None:
        start, limit = 0, start
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool)
               for v in (start, limit, delta)) or delta == 0:
        raise NotKnown("the range's bounds are not known numbers")
    n = max(0, math.ceil((limit - start) / delta))
    return outcome(None, (n,), f"ceil(({limit} - {start}) / {delta}) = {n} values")


@tf_op("tf.approx_top_k")
def _approx_top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    k = known(a["k"], "k")
    if not is_int(k):
        raise NotKnown("`k` is not a known integer")
    ax = canon_axis(known(a["reduction_dimension"], "reduction_dimension"), len(x),
                    "reduction_dimension")
    out = tuple(k if i == ax else d for i, d in enumerate(x))
    return outcome(x, [out, out], f"axis {ax} -> k = {k} (values, indices)")


@tf_op("tf.required_space_to_batch_paddings")
def _required_paddings(owner: str, mode: str, a: dict[str, Any]) -> Result:
    block = known(a["block_shape"], "block_shape")
    if not isinstance(block, (list, tuple)):
        raise NotKnown("`block_shape` is not a known list")
    n = len(block)
    return outcome(None, [(n, 2), (n, 2)], f"paddings and crops for {n} block axes")


@tf_op("tf.strided_slice")
def _strided_slice(owner: str, mode: str, a: dict[str, Any]) -> Result:
    """The masks turned into the `x[key]` they stand for (tf.Tensor.__getitem__ builds them)."""
    begin, end = int_list(a["begin"], "begin"), int_list(a["end"], "end")
    strides = [1] * len(begin) if a["strides"] is None else int_list(a["strides"], "strides")
    masks = {n: known(a[n], n) for n in ("begin_mask", "end_mask", "ellipsis_mask",
                                          "new_axis_mask", "shrink_axis_mask")}
    if not all(is_int(m) for m in masks.values()) or not len(begin) == len(end) == len(strides):
        raise NotKnown("strided_slice arguments not in their documented form")
    key: list[Any] = []
    for i, (b, e, st) in enumerate(zip(begin, end, strides, strict=True)):
        bit = 1 << i
        if masks["ellipsis_mask"] & bit:
            key.append(Ellipsis)
        elif masks["new_axis_mask"] & bit:
            key.append(None)
        elif masks["shrink_axis_mask"] & bit:
            key.append(b)
        else:
            key.append(slice(None if masks["begin_mask"] & bit else b,
                             None if masks["end_mask"] & bit else e, st))
    return tf_getitem([a["input_"], tuple(key)], {})


tf_op("tf.conv2d_backprop_input_v2")(keeps("input"))
tf_op("tf.conv2d_backprop_filter_v2")(keeps("filter"))
