"""tf.math (and its top-level spellings): element-wise functions, broadcasting binary ones,
reductions, cumulative ops, top_k, segment reductions with num_segments, add_n, polyval.
"""

from __future__ import annotations

from typing import Any

from .args import is_int, known
from .opargs import broadcast, canon_axes, canon_axis, outcome, shape_of, tensor_list
from .tfargs import register_broadcasting, register_keeping, tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape

# Element-wise: the first argument's shape (the other arguments are scalars or dtypes).
register_keeping(
    "tf.math.acos", "tf.math.acosh", "tf.math.angle", "tf.math.asin", "tf.math.asinh",
    "tf.math.atan", "tf.math.atanh", "tf.math.bessel_i0", "tf.math.bessel_i0e",
    "tf.math.bessel_i1", "tf.math.bessel_i1e", "tf.math.cosh", "tf.math.digamma", "tf.math.erfc",
    "tf.math.erfcinv", "tf.math.erfinv", "tf.math.is_inf", "tf.math.lgamma", "tf.math.ndtri",
    "tf.math.reciprocal_no_nan", "tf.math.rint", "tf.math.sinh", "tf.math.cumsum",
    "tf.math.cumprod", "tf.math.cumulative_logsumexp", "tf.saturate_cast", "tf.guarantee_const",
    "tf.clip_by_norm",
)  # fmt: skip

register_broadcasting(
    "tf.math.atan2", "tf.math.divide_no_nan", "tf.math.igamma", "tf.math.igammac",
    "tf.math.logical_xor", "tf.math.multiply_no_nan", "tf.math.nextafter", "tf.math.polygamma",
    "tf.math.xdivy", "tf.math.xlog1py", "tf.math.xlogy", "tf.math.zeta", "tf.realdiv",
    "tf.truncatediv", "tf.truncatemod", "tf.complex",
)  # fmt: skip


def reduced(x: Shape, axis: Any, keep: bool) -> Shape:
    """TF's reduction shape: the axes (deduplicated) removed, or kept as 1."""
    if axis is None:
        return (1,) * len(x) if keep else ()
    axes = set(canon_axes(axis, len(x)))
    if keep:
        return tuple(1 if i in axes else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in axes)


@tf_op("tf.math.reduce_euclidean_norm")
def _reduce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input_tensor"], "input_tensor")
    out = reduced(x, known(a["axis"], "axis"), bool(known(a["keepdims"], "keepdims")))
    return outcome(x, out, f"reduced over axis={a['axis']}")


@tf_op("tf.math.count_nonzero")
def _count_nonzero(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    out = reduced(x, known(a["axis"], "axis"), bool(known(a["keepdims"], "keepdims")))
    return outcome(x, out, f"non-zero entries counted over axis={a['axis']}")


@tf_op("tf.math.top_k")
def _top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    k = known(a["k"], "k")
    if not is_int(k):
        raise NotKnown("`k` is not a known integer")
    if not x:
        raise ShapeError("invalid-input-rank", "top_k needs a tensor of rank >= 1", arg="input")
    if k < 0:
        raise ShapeError("invalid-argument", f"Need k >= 0, got {k}", arg="k")
    if x[-1] is not None and x[-1] < k:
        raise ShapeError("incompatible-shape", f"input must have at least k={k} columns, it has "
                         f"{x[-1]}: {fmt_shape(x)}", arg="k")
    out = (*x[:-1], k)
    return outcome(x, [out, out], f"the last axis -> k = {k} (values, indices)")


@tf_op("tf.math.approx_max_k", "tf.math.approx_min_k")
def _approx_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["operand"], "operand")
    k = known(a["k"], "k")
    if not is_int(k):
        raise NotKnown("`k` is not a known integer")
    ax = canon_axis(known(a["reduction_dimension"], "reduction_dimension"), len(x),
                    "reduction_dimension")
    if x[ax] is not None and x[ax] < k:
        raise ShapeError("incompatible-shape", f"k={k} is larger than the reduced axis "
                         f"({x[ax]})", arg="k")
    out = tuple(k if i == ax else d for i, d in enumerate(x))
    return outcome(x, [out, out], f"axis {ax} -> k = {k} (values, indices)")


@tf_op("tf.math.in_top_k")
def _in_top_k(owner: str, mode: str, a: dict[str, Any]) -> Result:
    p = shape_of(a["predictions"], "predictions")
    t = shape_of(a["targets"], "targets")
    if len(p) != 2 or len(t) != 1:
        raise ShapeError("invalid-input-rank", "in_top_k needs predictions of rank 2 and targets "
                         f"of rank 1; got {fmt_shape(p)} and {fmt_shape(t)}", arg="predictions")
    if p[0] is not None and t[0] is not None and p[0] != t[0]:
        raise ShapeError("shape-mismatch", f"predictions and targets have {p[0]} and {t[0]} "
                         "rows", arg="targets")
    n = p[0] if p[0] is not None else t[0]
    return outcome(p, (n,), "one bool per row")


_SEGMENTS = ("max", "mean", "min", "prod", "sqrt_n", "sum")


@tf_op(*(f"tf.math.unsorted_segment_{s}" for s in _SEGMENTS))
def _unsorted_segment(owner: str, mode: str, a: dict[str, Any]) -> Result:
    data = shape_of(a["data"], "data")
    ids = shape_of(a["segment_ids"], "segment_ids")
    n = known(a["num_segments"], "num_segments")
    if not is_int(n):
        raise NotKnown("`num_segments` is not a known integer")
    if len(ids) > len(data):
        raise ShapeError("incompatible-shape", f"segment_ids {fmt_shape(ids)} has more axes than "
                         f"data {fmt_shape(data)}", arg="segment_ids")
    for i, (d, s) in enumerate(zip(data, ids, strict=False)):
        if d is not None and s is not None and d != s:
            raise ShapeError("shape-mismatch", f"segment_ids.shape = {fmt_shape(ids)} is not a "
                             f"prefix of data.shape = {fmt_shape(data)} (axis {i})",
                             arg="segment_ids")
    out = (n, *data[len(ids):])
    return outcome(data, out, f"{n} segments")


@tf_op("tf.math.add_n", "tf.math.accumulate_n")
def _add_n(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = tensor_list(a["inputs"], "inputs")
    out: list[Dim] = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != len(out):
            raise ShapeError("shape-mismatch", f"add_n inputs must have one shape; got "
                             f"{', '.join(fmt_shape(x) for x in shapes)}", arg="inputs")
        for i, (d, e) in enumerate(zip(out, s, strict=True)):
            if d is not None and e is not None and d != e:
                raise ShapeError("shape-mismatch", f"add_n inputs must have one shape; got "
                                 f"{', '.join(fmt_shape(x) for x in shapes)}", arg="inputs")
            out[i] = d if d is not None else e
    return outcome(shapes[0], tuple(out), f"{len(shapes)} tensors summed")


@tf_op("tf.math.polyval")
def _polyval(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    coeffs = known(a["coeffs"], "coeffs")
    if not isinstance(coeffs, (list, tuple)):
        raise NotKnown("`coeffs` is not a list the engine can see")
    out = x
    for i, c in enumerate(coeffs):
        out = broadcast(out, shape_of(c, f"coeffs[{i}]"))
    return outcome(x, out, "a polynomial of x, element-wise")


@tf_op("tf.math.scalar_mul")
def _scalar_mul(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s = shape_of(a["scalar"], "scalar")
    x = shape_of(a["x"], "x")
    if s:
        raise ShapeError("invalid-input-rank", f"Only scalar multiply works, got {fmt_shape(s)}",
                         arg="scalar")
    return outcome(x, x, "a scalar times x")


@tf_op("tf.math.zero_fraction", "tf.math.is_non_decreasing", "tf.math.is_strictly_increasing")
def _scalar(owner: str, mode: str, a: dict[str, Any]) -> Result:
    first = next(iter(a))
    x = shape_of(a[first], first)
    return outcome(x, (), "a scalar")


@tf_op("tf.math.lbeta")
def _lbeta(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if not x:
        raise NotKnown("lbeta of a scalar")
    return outcome(x, x[:-1], "the last axis reduced")


@tf_op("tf.math.betainc")
def _betainc(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = [shape_of(a[n], n) for n in ("a", "b", "x")]
    full = [s for s in shapes if s]
    out: Shape = full[0] if full else ()
    for s in full[1:]:
        if len(s) != len(out) or any(d is not None and e is not None and d != e
                                     for d, e in zip(out, s, strict=True)):
            raise ShapeError("shape-mismatch", "betainc: a, b and x must have one shape (or be "
                             f"scalars); got {', '.join(fmt_shape(x) for x in shapes)}")
        out = tuple(d if d is not None else e for d, e in zip(out, s, strict=True))
    return outcome(shapes[2], out, "element-wise over a, b and x")


@tf_op("tf.math.sobol_sample")
def _sobol(owner: str, mode: str, a: dict[str, Any]) -> Result:
    dim, num = known(a["dim"], "dim"), known(a["num_results"], "num_results")
    if not (is_int(dim) and is_int(num)):
        raise NotKnown("`dim` and `num_results` are not known integers")
    return outcome(None, (num, dim), f"{num} points in {dim} dimensions")
