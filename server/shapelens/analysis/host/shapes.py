"""numpy's shape rules over dims that may be unknown (None): broadcasting, reshape with -1,
transpose, expand_dims, squeeze, concatenate, stack, reductions and basic indexing.

Pure functions; each raises `NoShape` with the reason when numpy would raise or the shape does
not follow from what is known, and the caller answers an array of unknown shape (never an error).
"""

from __future__ import annotations

from typing import Any

from ...engine import Unknown
from .values import Dims


class NoShape(Exception):
    """The shape does not follow statically; the message says why."""


def fmt(shape: Dims | None) -> str:
    if shape is None:
        return "(?)"
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _known(shape: Dims | None, what: str = "the array") -> Dims:
    if shape is None:
        raise NoShape(f"the rank of {what} is not known")
    return shape


def _axis(axis: Any, ndim: int) -> int:
    if not is_int(axis):
        raise NoShape("the axis is not known statically")
    if not -ndim <= axis < ndim:
        raise NoShape(f"numpy would raise: axis {axis} is out of bounds for an array of "
                      f"dimension {ndim}")
    return int(axis) % ndim


def _axes(axis: Any, ndim: int) -> list[int]:
    items = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out = [_axis(a, ndim) for a in items]
    if len(set(out)) != len(out):
        raise NoShape("numpy would raise: repeated axis")
    return out


def _merge(a: int | None, b: int | None) -> int | None:
    """Two dims that must be equal: the known one (numpy raises when both are known and differ)."""
    if a is None:
        return b
    if b is not None and a != b:
        raise NoShape(f"numpy would raise: sizes {a} and {b} differ")
    return a


def broadcast(a: Dims | None, b: Dims | None) -> Dims:
    a, b = _known(a, "an operand"), _known(b, "an operand")
    n = max(len(a), len(b))
    a2 = (1,) * (n - len(a)) + a
    b2 = (1,) * (n - len(b)) + b
    out: list[int | None] = []
    for x, y in zip(a2, b2):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            # the unknown one may be 1 or equal to the other: the known one wins either way
            out.append(x if y is None else y)
        elif x == y:
            out.append(x)
        else:
            raise NoShape(f"numpy would raise: operands could not be broadcast together with "
                          f"shapes {fmt(a)} {fmt(b)}")
    return tuple(out)


def reshape(shape: Dims | None, target: Any) -> Dims:
    if is_int(target):
        target = (target,)
    if not isinstance(target, (list, tuple)):
        raise NoShape("the new shape is not known statically")
    dims: list[int | None] = []
    for d in target:
        if is_int(d) and d >= -1:
            dims.append(int(d))
        elif isinstance(d, Unknown) or d is None:
            dims.append(None)
        else:
            raise NoShape(f"numpy would raise: invalid dimension {d!r} in the new shape")
    if dims.count(-1) > 1:
        raise NoShape("numpy would raise: can only specify one unknown dimension")
    size = _size(shape)
    rest = _size(tuple(d for d in dims if d != -1))
    if -1 in dims:
        fill: int | None = None
        if size is not None and rest is not None:
            if rest == 0 or size % rest:
                raise NoShape(f"numpy would raise: cannot reshape an array of size {size} into "
                              f"shape {tuple(target)}")
            fill = size // rest
        return tuple(fill if d == -1 else d for d in dims)
    if size is not None and rest is not None and size != rest:
        raise NoShape(f"numpy would raise: cannot reshape an array of size {size} into shape "
                      f"{tuple(target)}")
    return tuple(dims)


def _size(shape: Dims | None) -> int | None:
    if shape is None or any(d is None for d in shape):
        return None
    n = 1
    for d in shape:
        n *= d  # type: ignore[operator]
    return n


def transpose(shape: Dims | None, axes: Any = None) -> Dims:
    shape = _known(shape)
    if axes is None:
        return tuple(reversed(shape))
    if not isinstance(axes, (list, tuple)) or len(axes) != len(shape):
        raise NoShape("numpy would raise: axes don't match the array")
    return tuple(shape[a] for a in _axes(axes, len(shape)))


def expand_dims(shape: Dims | None, axis: Any) -> Dims:
    shape = _known(shape)
    items = axis if isinstance(axis, (list, tuple)) else [axis]
    ndim = len(shape) + len(items)
    where = set(_axes(items, ndim))
    it = iter(shape)
    return tuple(1 if i in where else next(it) for i in range(ndim))


def squeeze(shape: Dims | None, axis: Any = None) -> Dims:
    shape = _known(shape)
    if axis is None:
        if any(d is None for d in shape):
            raise NoShape("which axes have size 1 is not known statically")
        return tuple(d for d in shape if d != 1)
    drop = set(_axes(axis, len(shape)))
    for a in drop:
        if shape[a] is not None and shape[a] != 1:
            raise NoShape("numpy would raise: cannot select an axis to squeeze out which has "
                          "size not equal to one")
    return tuple(d for i, d in enumerate(shape) if i not in drop)


def concatenate(shapes: list[Dims | None], axis: Any = 0) -> Dims:
    if not shapes:
        raise NoShape("numpy would raise: need at least one array to concatenate")
    known = [_known(s, "an operand") for s in shapes]
    if axis is None:
        sizes = [_size(s) for s in known]
        return (None if None in sizes else sum(sizes),)  # type: ignore[arg-type]
    rank = len(known[0])
    if rank == 0 or any(len(s) != rank for s in known):
        raise NoShape("numpy would raise: all the input arrays must have the same number of "
                      "dimensions")
    ax = _axis(axis, rank)
    out: list[int | None] = []
    for i in range(rank):
        col = [s[i] for s in known]
        if i == ax:
            out.append(None if None in col else sum(col))  # type: ignore[arg-type]
        else:
            d: int | None = None
            for c in col:
                d = _merge(d, c)
            out.append(d)
    return tuple(out)


def stack(shapes: list[Dims | None], axis: Any = 0) -> Dims:
    if not shapes:
        raise NoShape("numpy would raise: need at least one array to stack")
    known = [_known(s, "an operand") for s in shapes]
    rank = len(known[0])
    if any(len(s) != rank for s in known):
        raise NoShape("numpy would raise: all input arrays must have the same shape")
    common = tuple(_merge_all([s[i] for s in known]) for i in range(rank))
    ax = _axis(axis, rank + 1)
    return (*common[:ax], len(shapes), *common[ax:])


def _merge_all(col: list[int | None]) -> int | None:
    d: int | None = None
    for c in col:
        d = _merge(d, c)
    return d


def reduce(shape: Dims | None, axis: Any = None, keepdims: Any = False) -> Dims:
    shape = _known(shape)
    if keepdims not in (True, False):
        raise NoShape("`keepdims` is not known statically")
    where = set(range(len(shape))) if axis is None else set(_axes(axis, len(shape)))
    if keepdims:
        return tuple(1 if i in where else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in where)


def _slice_len(s: slice, n: int | None) -> int | None:
    parts = (s.start, s.stop, s.step)
    if not all(p is None or is_int(p) for p in parts):
        return None
    if s.step == 0:
        raise NoShape("numpy would raise: slice step cannot be zero")
    if n is None:
        # `x[:k]` with k >= 0 has at most k items: still unknown without the size
        return None
    return len(range(*s.indices(n)))


def index(shape: Dims | None, key: Any) -> Dims:
    """Basic indexing (ints, slices, None, Ellipsis); arrays and lists as keys are advanced
    indexing, which this does not model."""
    shape = _known(shape)
    items = list(key) if isinstance(key, tuple) else [key]
    for k in items:
        if isinstance(k, (list, Unknown)) or not (
                k is None or k is Ellipsis or is_int(k) or isinstance(k, slice)):
            raise NoShape("advanced indexing (an array, a list or a value not known "
                          "statically as the key) is not modelled")
    if sum(1 for k in items if k is Ellipsis) > 1:
        raise NoShape("numpy would raise: an index can only have a single ellipsis")
    used = sum(1 for k in items if k is not None and k is not Ellipsis)
    if used > len(shape):
        raise NoShape(f"numpy would raise: too many indices for array: array is "
                      f"{len(shape)}-dimensional, but {used} were indexed")
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items = items[:at] + [slice(None)] * (len(shape) - used) + items[at + 1:]
    else:
        items = items + [slice(None)] * (len(shape) - used)
    out: list[int | None] = []
    dims = iter(shape)
    for k in items:
        if k is None:
            out.append(1)
            continue
        n = next(dims)
        if isinstance(k, slice):
            out.append(_slice_len(k, n))
        elif n is not None and not -n <= k < n:
            raise NoShape(f"numpy would raise: index {k} is out of bounds for an axis with "
                          f"size {n}")
    return tuple(out)
