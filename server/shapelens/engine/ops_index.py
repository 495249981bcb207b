"""`x[key]` on a tensor: Keras' `GetItem.compute_output_spec` on a KerasTensor, and TensorFlow's
strided_slice on a tf.Tensor (which also takes a bare slice, None or Ellipsis).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .args import is_int
from .opargs import (
    dstr,
    exported,
    outcome,
    shape_of,
)
from .registry import register_op
from .types import Dim, NotKnown, Result, ShapeError, Unknown, fmt_shape

# --- getitem -----------------------------------------------------------------------------------


def _slice_len(s: slice, length: int) -> int:
    return len(range(*s.indices(length)))


def getitem(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    """`x[key]` on a KerasTensor: Keras' `GetItem.compute_output_spec`."""
    return _getitem(args, kwargs, "keras")


def tf_getitem(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    """`x[key]` on a tf.Tensor (strided_slice): also takes a bare slice, None or Ellipsis."""
    return _getitem(args, kwargs, "tf")


def _getitem(args: Sequence[Any], kwargs: Mapping[str, Any], mode: str) -> Result:
    if len(args) != 2 or kwargs:
        raise ShapeError("invalid-argument", "getitem takes (tensor, key)")
    x = shape_of(args[0], "x")
    key = args[1]
    if isinstance(key, Unknown):
        raise NotKnown(f"the index is not known statically ({key.reason})")
    if mode == "tf" and (isinstance(key, bool) or (
            isinstance(key, (tuple, list)) and any(isinstance(k, bool) for k in key))):
        raise NotKnown("a boolean index on a tf.Tensor is not covered")
    if isinstance(key, bool) or is_int(key):
        rest: list[Any] = [key]
    elif isinstance(key, (tuple, list)):
        rest = list(key)
    elif mode == "tf" and (key is None or key is Ellipsis or isinstance(key, slice)):
        rest = [key]
    else:
        raise ShapeError("invalid-argument",
                         f"Unsupported key type for slicing a KerasTensor: {key!r}; use a tuple "
                         f"such as x[(slice, ...)] or x[:, ...] (Keras rejects a bare slice, "
                         f"None or Ellipsis).", arg="key")
    for k in rest:
        if isinstance(k, Unknown):
            raise NotKnown(f"the index is not known statically ({k.reason})")
        if isinstance(k, slice):
            for part in (k.start, k.stop, k.step):
                if isinstance(part, Unknown):
                    raise NotKnown(f"a slice bound is not known statically ({part.reason})")
    n_ell = sum(1 for k in rest if k is Ellipsis)
    if n_ell > 1:
        raise ShapeError("invalid-argument", "An index can only have a single ellipsis ('...')")
    if n_ell == 0:
        rest.append(Ellipsis)
    remaining = list(x)
    out: list[Dim] = []
    lines: list[str] = []
    while rest:
        k = rest.pop(0)
        if k is Ellipsis:
            needed = len(rest) - sum(1 for r in rest if r is None)
            consumed = len(remaining) - needed
            if consumed < 0:
                raise ShapeError("incompatible-shape",
                                 f"Too many indices for a tensor of shape {fmt_shape(x)}: "
                                 f"{key!r}", arg="key")
            out += remaining[:consumed]
            remaining = remaining[consumed:]
            continue
        if k is None:
            out.append(1)
            lines.append("None (newaxis) -> new axis of size 1")
            continue
        if not remaining:
            raise ShapeError("incompatible-shape",
                             f"Too many indices for a tensor of shape {fmt_shape(x)}: {key!r}",
                             arg="key")
        length = remaining.pop(0)
        if isinstance(k, bool) or is_int(k):
            if length is not None:
                idx = k if k >= 0 else k + length
                if not 0 <= idx < length:
                    raise ShapeError("incompatible-shape",
                                     f"Index {k} is out of bounds for an axis of size {length} "
                                     f"(tensor shape {fmt_shape(x)}).", arg="key")
            lines.append(f"[{k}] removes an axis of size {dstr(length)}")
        elif isinstance(k, slice):
            parts = (k.start, k.stop, k.step)
            if not all(p is None or is_int(p) for p in parts):
                raise NotKnown("a slice bound is not a literal integer")
            if k.step == 0:
                raise ShapeError("invalid-argument", "slice step cannot be zero", arg="key")
            if length is None:
                out.append(None)
            else:
                n = _slice_len(k, length)
                out.append(n)
                r = range(*k.indices(length))
                lines.append(f"{_fmt_slice(k)} on {length} -> range({r.start}, {r.stop}, "
                             f"{r.step}) = {n}")
        else:
            raise NotKnown(f"index {k!r} (advanced indexing) is not covered")
    return outcome(x, tuple(out), *lines)


def _fmt_slice(s: slice) -> str:
    def p(v: Any) -> str:
        return "" if v is None else str(v)

    text = f"{p(s.start)}:{p(s.stop)}"
    return f"[{text}:{p(s.step)}]" if s.step is not None else f"[{text}]"


register_op("getitem", *exported("get_item"), fn=getitem)
register_op("tf.Tensor.__getitem__", fn=tf_getitem)
