"""keras.ops reductions and the ops along one axis: nan-reductions, median, quantiles, average,
count_nonzero, cumulative sums, sort/argsort, flip, roll, diff and trace (Keras' shape rules).
"""

from __future__ import annotations

from typing import Any

from .args import known
from .opargs import (
    canon_axes,
    canon_axis,
    dstr,
    flat_size,
    keras_op,
    outcome,
    reduce_shape,
    shape_of,
)
from .types import Result, ShapeError, Tensor, fmt_shape


@keras_op("amax", "amin", "median", "nanmax", "nanmin", "nanmean", "nanmedian", "nansum",
          "nanprod", "nanstd", "nanvar", "ptp", "nanargmax", "nanargmin")
def _reduction(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    keep = bool(known(a.get("keepdims", False), "keepdims"))
    out = reduce_shape(x, axis, keep)
    return outcome(x, out, f"axis={axis!r} reduced" + (" (kept as 1)" if keep else ""))


@keras_op("count_nonzero")
def _count_nonzero(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    return outcome(x, reduce_shape(x, axis, False), f"axis={axis!r} counted")


@keras_op("quantile", "percentile", "nanquantile", "nanpercentile")
def _quantile(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    q = known(a["q"], "q")
    out = reduce_shape(x, known(a["axis"], "axis"), bool(known(a["keepdims"], "keepdims")))
    # One leading axis per quantile asked for: a vector `q` of n values gives n results.
    if isinstance(q, Tensor):
        qs = shape_of(q, "q")
        if qs:
            out = (qs[0], *out)
    elif isinstance(q, (list, tuple)) and len(q) > 1:
        out = (len(q), *out)
    return outcome(x, out, "one leading axis per quantile" if len(out) > len(x) else "")


@keras_op("average")
def _average(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    w = a["weights"]
    ws = None if w is None else shape_of(w, "weights")

    def same(s1: tuple[Any, ...], s2: tuple[Any, ...]) -> bool:
        return len(s1) == len(s2) and all(
            p is None or q is None or p == q for p, q in zip(s1, s2, strict=True))

    if axis is None:
        if ws is not None and not same(x, ws):
            raise ShapeError("shape-mismatch",
                             f"`weights` must have the same shape as `x` when `axis=None`. "
                             f"Received: weights.shape={fmt_shape(ws)}, x.shape={fmt_shape(x)}",
                             arg="weights")
        return outcome(x, (), "all axes averaged")
    out = reduce_shape(x, [axis], False)
    if ws is not None and not same(x, ws) and not same((x[canon_axis(axis, len(x))],), ws):
        raise ShapeError("shape-mismatch",
                         f"`weights` must have the shape of `x` or be a vector as long as axis "
                         f"{axis}. Received: weights.shape={fmt_shape(ws)}, "
                         f"x.shape={fmt_shape(x)}", arg="weights")
    return outcome(x, out, f"axis {axis} averaged")


@keras_op("cumsum", "cumprod", "nancumsum", "nancumprod", "sort", "argsort")
def _along_axis(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    if axis is None:
        size = flat_size(x)
        return outcome(x, (size,), f"axis=None: flattened to {dstr(size)} elements")
    if not owner.rsplit(".", 1)[-1].startswith("nan"):
        # Keras checks the axis for these, not for nancumsum / nancumprod.
        canon_axis(axis, len(x))
    return outcome(x, x, f"along axis {axis}: the shape is kept")


@keras_op("argpartition")
def _argpartition(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if known(a["axis"], "axis") is None:
        return outcome(x, (flat_size(x),), "axis=None: flattened")
    return outcome(x, x, "the shape is kept")


@keras_op("flip", "roll")
def _axes_kept(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    if axis is not None:
        canon_axes(axis, len(x))
    return outcome(x, x, "the shape is kept")


@keras_op("diff")
def _diff(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["a"], "a")
    n = known(a["n"], "n")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    out = list(x)
    d = x[ax]
    if d is not None:
        out[ax] = max(d - n, 0)
    return outcome(x, tuple(out), f"axis {ax}: max({dstr(d)} - {n}, 0) = {dstr(out[ax])}")


@keras_op("trace")
def _trace(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    a1 = canon_axis(known(a["axis1"], "axis1"), len(x), "axis1")
    a2 = canon_axis(known(a["axis2"], "axis2"), len(x), "axis2")
    if a1 == a2:
        raise ShapeError("invalid-argument",
                         f"`axis1` and `axis2` must be different. Received: axis1={a['axis1']}, "
                         f"axis2={a['axis2']}", arg="axis2")
    out = tuple(d for i, d in enumerate(x) if i not in (a1, a2))
    return outcome(x, out, f"axes {a1} and {a2} summed along their diagonal")
