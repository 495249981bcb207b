"""The host kinds of abstract values: a concrete array (numpy, or an eager TF tensor) and a
`tf.data.Dataset`, each with what is known of its shape and, for small literal arrays, its values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A dimension: its size, or None when not known statically (the reason is the array's `why`).
Dims = tuple[int | None, ...]


@dataclass(eq=False)
class HostArray:
    """Concrete data: a numpy array or an eager TF tensor. Its first axis is data, not a batch
    axis; it becomes the batch axis only when a layer or model is called on it (as in Keras)."""

    shape: Dims | None  # None: even the rank is not known
    dtype: str | None = None  # numpy's name ("float32"); None when not known
    values: Any = None  # nested lists of numbers when small and known (`np.array([1, 2])`)
    why: str | None = None  # why a dim, the rank or the dtype is not known, for hover
    eager: bool = False  # a TF tensor (eager) rather than a numpy array: `.numpy()` exists

    @property
    def rank(self) -> int | None:
        return None if self.shape is None else len(self.shape)

    @property
    def size(self) -> int | None:
        if self.shape is None or any(d is None for d in self.shape):
            return None
        n = 1
        for d in self.shape:
            n *= d  # type: ignore[operator]
        return n


@dataclass(eq=False)
class DatasetVal:
    """A `tf.data.Dataset`: the structure of one element (HostArrays whose dims may be None, the
    batch dim of a dataset batched without `drop_remainder`); None when not known (`why`)."""

    element: Any
    why: str | None = None


def unknown_array(why: str, rank: int | None = None, dtype: str | None = None) -> HostArray:
    """An array whose shape (or part of it) is not known statically, with the reason."""
    return HostArray(None if rank is None else (None,) * rank, dtype, why=why)


def dims_of(shape: Any) -> Dims | None:
    """A shape argument (`5`, `(4, 8)`, `[2, n]`) as dims; an element not known is None."""
    if isinstance(shape, bool):
        return None
    if isinstance(shape, int):
        return (shape,) if shape >= 0 else None
    if isinstance(shape, HostArray) and shape.values is not None and shape.rank == 1:
        shape = shape.values
    if isinstance(shape, (list, tuple)):
        out: list[int | None] = []
        for d in shape:
            if isinstance(d, int) and not isinstance(d, bool):
                if d < 0:
                    return None
                out.append(d)
            elif isinstance(d, (float, str, list, tuple, bool)):
                return None  # numpy rejects it; say nothing rather than guess
            else:
                out.append(None)
        return tuple(out)
    return None
