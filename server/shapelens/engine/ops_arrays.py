"""keras.ops NumPy array utilities: append, h/v/d stacks and splits, array_split, ravel, rot90,
fliplr/flipud, meshgrid, ndim/size, view, trapezoid, correlate, corrcoef, vander, allclose.
"""

from __future__ import annotations

import itertools
from typing import Any

from .args import is_int, known
from .opargs import (
    canon_axis,
    dstr,
    exported,
    flat_size,
    keras_op,
    outcome,
    shape_of,
    tensor_list,
)
from .registry import register_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _alike(s1: Shape, s2: Shape, skip: int) -> bool:
    """Keras' shape_equal: same rank, equal except on `skip`, a None matching anything."""
    if len(s1) != len(s2):
        return False
    skip = skip % len(s1) if s1 else skip
    return all(i == skip or p is None or q is None or p == q
               for i, (p, q) in enumerate(zip(s1, s2, strict=True)))


@keras_op("append")
def _append(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = shape_of(a["x1"], "x1"), shape_of(a["x2"], "x2")
    axis = known(a["axis"], "axis")
    if axis is None:
        n1, n2 = flat_size(s1), flat_size(s2)
        total = None if n1 is None or n2 is None else n1 + n2
        return outcome(s1, (total,), f"both flattened: {dstr(n1)} + {dstr(n2)}")
    if not _alike(s1, s2, axis):
        raise ShapeError("shape-mismatch", "`append` requires inputs to have the same shape "
                         f"except the `axis={axis}`, but received shape {fmt_shape(s1)} and "
                         f"{fmt_shape(s2)}.", arg="x2")
    d1, d2 = s1[axis], s2[axis]
    if d1 is None or d2 is None:
        raise NotKnown("Keras adds the two sizes on `axis`, and one is None")
    out = list(s1)
    out[axis] = d1 + d2
    return outcome(s1, tuple(out), f"axis {axis}: {d1} + {d2} = {d1 + d2}")


def _stacked(shapes: list[Shape], axis: int) -> Shape:
    first = shapes[0]
    total: Dim = 0
    for s in shapes:
        if not _alike(s, first, axis):
            raise ShapeError("shape-mismatch", "Every value in `xs` must have the same shape "
                             f"except on the `axis` dim. But found element of shape "
                             f"{fmt_shape(s)}, which is different from the first element's shape "
                             f"{fmt_shape(first)}.", arg="xs")
        d = s[axis]
        total = None if total is None or d is None else total + d
    out = list(first)
    out[axis] = total
    return tuple(out)


@keras_op("hstack", "vstack")
def _hvstack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shapes = tensor_list(a["xs"], "xs")
    axis = 1 if owner.endswith("hstack") else 0
    if any(len(s) <= axis for s in shapes):
        raise NotKnown("stacking tensors of too low a rank")
    out = _stacked(shapes, axis)
    return outcome(shapes[0], out, f"joined on axis {axis}")


@keras_op("dstack")
def _dstack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    lifted: list[Shape] = []
    for s in tensor_list(a["xs"], "xs"):
        if len(s) == 0:
            s = (1, 1, 1)
        elif len(s) == 1:
            s = (1, s[0], 1)
        elif len(s) == 2:
            s = (*s, 1)
        lifted.append(s)
    return outcome(lifted[0], _stacked(lifted, 2), "joined on axis 2 (depth)")


def split_at(x: Shape, ios: Any, axis: int) -> list[Shape]:
    """Keras' split shapes: equal sections of an int, or the pieces between indices."""
    d = x[axis]

    def with_size(size: Dim) -> Shape:
        return tuple(size if i == axis else v for i, v in enumerate(x))

    if is_int(ios):
        if d is not None and d % ios:
            raise ShapeError("incompatible-shape", "`x` size on given `axis` must be divisible "
                             "by `indices_or_sections` when `indices_or_sections` is an int. But "
                             f"received {d} and {ios}.", arg="indices_or_sections")
        return [with_size(None if d is None else d // ios)] * ios
    if not isinstance(ios, (list, tuple)) or not all(is_int(i) for i in ios):
        raise NotKnown("`indices_or_sections` is not a list of integers")
    bounds: list[Dim] = [0, *ios, d]
    return [with_size(None if s is None or e is None else e - s)
            for s, e in itertools.pairwise(bounds)]


@keras_op("hsplit", "vsplit", "dsplit")
def _hvdsplit(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    name = owner.rsplit(".", 1)[-1]
    least = {"hsplit": 1, "vsplit": 2, "dsplit": 3}[name]
    if len(x) < least:
        raise ShapeError("invalid-input-rank", f"`{name}` only works on arrays of at least "
                         f"{least} dimension(s). Received: x.shape={fmt_shape(x)}", arg="x")
    axis = {"hsplit": 0 if len(x) == 1 else 1, "vsplit": 0, "dsplit": 2}[name]
    ios = known(a["indices_or_sections"], "indices_or_sections")
    return outcome(x, split_at(x, ios, axis), f"split on axis {axis}")


@keras_op("array_split")
def _array_split(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    n = known(a["indices_or_sections"], "indices_or_sections")
    if not is_int(n) or n <= 0:
        raise NotKnown("`indices_or_sections` is not a positive integer")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    d = x[ax]
    sizes: list[Dim] = ([None] * n if d is None
                        else [d // n + (1 if i < d % n else 0) for i in range(n)])
    outs = [tuple(s if i == ax else v for i, v in enumerate(x)) for s in sizes]
    return outcome(x, outs, f"axis {ax}: {dstr(d)} into {n} near-equal pieces")


@keras_op("ravel")
def _ravel(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, (flat_size(x),), "flattened")


@keras_op("rot90")
def _rot90(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["array"], "array")
    if len(x) < 2:
        raise ShapeError("invalid-input-rank", "Input array must have at least 2 dimensions. "
                         f"Received: array.shape={fmt_shape(x)}", arg="array")
    axes = known(a["axes"], "axes")
    if not isinstance(axes, (list, tuple)) or len(axes) != 2 or axes[0] == axes[1]:
        raise ShapeError("invalid-argument", f"Invalid axes: {axes}. Axes must be a tuple of two "
                         "different dimensions.", arg="axes")
    a1, a2 = canon_axis(axes[0], len(x), "axes"), canon_axis(axes[1], len(x), "axes")
    out = list(x)
    out[a1], out[a2] = out[a2], out[a1]
    return outcome(x, tuple(out), f"axes {a1} and {a2} swapped")


@keras_op("fliplr", "flipud")
def _flip2(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    least = 2 if owner.endswith("fliplr") else 1
    if len(x) < least:
        raise ShapeError("invalid-input-rank", f"`{owner.rsplit('.', 1)[-1]}` requires input "
                         f"with {least} or more dimensions. Received: x.shape={fmt_shape(x)}")
    return outcome(x, x, "the shape is kept")


def meshgrid(args: Any, kwargs: Any) -> Result:
    """Keras' Meshgrid: one axis per input, as long as it has elements; 'xy' swaps the first two."""
    indexing = known(kwargs.get("indexing", "xy"), "indexing")
    extra = set(kwargs) - {"indexing"}
    if extra:
        raise ShapeError("unknown-argument",
                         f"meshgrid() got an unexpected keyword argument '{sorted(extra)[0]}'")
    shapes = [shape_of(v, f"x[{i}]") for i, v in enumerate(args)]
    sizes: list[Dim] = [1 if not s else flat_size(s) for s in shapes]
    if indexing != "ij" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = tuple(sizes)
    return outcome(None, [out] * len(shapes), f"indexing='{indexing}'")


@keras_op("ndim")
def _ndim(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    # Keras' Ndim states a vector as long as the rank (it computes the rank eagerly elsewhere).
    return outcome(x, (len(x),), "what Keras states for ndim on a KerasTensor")


@keras_op("size")
def _size(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, (), "a scalar")


_ITEMSIZE = {"bool": 1, "int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "float16": 2,
             "bfloat16": 2, "int32": 4, "uint32": 4, "float32": 4, "int64": 8, "uint64": 8,
             "float64": 8, "complex64": 8, "complex128": 16}


@keras_op("view")
def _view(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    dtype = known(a["dtype"], "dtype")
    # A Tensor carries no dtype here: Keras' default float32 is what symbolic inputs have.
    new = _ITEMSIZE.get(str(dtype)) if dtype is not None else 4
    if new is None:
        raise NotKnown(f"dtype {dtype!r} is not one the engine knows the item size of")
    if new == 4:
        return outcome(x, x, "same item size: the shape is kept")
    if not x:
        raise ShapeError("invalid-input-rank", "Cannot view a scalar as a different dtype if "
                         "item sizes are different.", arg="dtype")
    out = list(x)
    if out[-1] is not None:
        if (out[-1] * 4) % new:
            raise ShapeError("incompatible-shape", f"Cannot view array of shape {fmt_shape(x)} "
                             f"as dtype {dtype}: the number of bytes is not divisible by the new "
                             "itemsize.", arg="dtype")
        out[-1] = out[-1] * 4 // new
    return outcome(x, tuple(out), f"last axis rescaled by item size 4 -> {new}")


@keras_op("trapezoid")
def _trapezoid(owner: str, mode: str, a: dict[str, Any]) -> Result:
    y = shape_of(a["y"], "y")
    axis = known(a["axis"], "axis")
    out = list(y)
    if axis is not None and out:
        out.pop(axis % len(out))
    return outcome(y, tuple(out), f"integrated along axis {axis}")


@keras_op("correlate")
def _correlate(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = shape_of(a["x1"], "x1"), shape_of(a["x2"], "x2")
    for s, n in ((s1, "x1"), (s2, "x2")):
        if len(s) != 1:
            raise ShapeError("invalid-input-rank", f"`{n}` must be a 1-dimensional tensor, but "
                             f"received shape {fmt_shape(s)}", arg=n)
    m = known(a["mode"], "mode")
    if m not in ("valid", "same", "full"):
        raise ShapeError("invalid-argument", "`mode` must be either `valid`, `same`, or `full`, "
                         f"but received: {m}", arg="mode")
    n1, n2 = s1[0], s2[0]
    if n1 is None or n2 is None:
        raise NotKnown("Keras' correlate length arithmetic fails on a None length")
    size = {"valid": max(n1, n2) - min(n1, n2) + 1, "same": max(n1, n2), "full": n1 + n2 - 1}[m]
    return outcome(s1, (size,), f"mode='{m}': {size}")


@keras_op("corrcoef")
def _corrcoef(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    # Keras states the input's shape (not NumPy's (rows, rows)).
    return outcome(x, x, "what Keras states for corrcoef")


@keras_op("vander")
def _vander(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    n = known(a["N"], "N")
    if n is None:
        if not x:
            raise ShapeError("invalid-input-rank", "`x` must be a vector", arg="x")
        n = x[0]
    return outcome(x, (*x, n), f"{dstr(n)} powers per value")


@keras_op("allclose")
def _allclose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1 = shape_of(a["x1"], "x1")
    shape_of(a["x2"], "x2")
    return outcome(s1, (), "one bool")


register_op(*exported("meshgrid"), fn=meshgrid)
