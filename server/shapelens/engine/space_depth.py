"""tf.nn.space_to_depth / depth_to_space: blocks of pixels moved into channels and back.

NHWC: (N, H, W, C) <-> (N, H/b, W/b, C*b*b); NCHW the same with channels first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .args import known
from .registry import register_op
from .types import Result, ShapeError, Tensor, fmt_shape


def _bind(args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Tensor, int, str]:
    names = ("input", "block_size", "data_format")
    vals = {**dict(zip(names, args)), **{k: v for k, v in kwargs.items() if k in names}}
    x = vals.get("input")
    b = known(vals.get("block_size"), "block_size")
    fmt = known(vals.get("data_format", "NHWC"), "data_format")
    if not isinstance(x, Tensor):
        raise ShapeError("invalid-argument", "`input` must be a tensor")
    if not isinstance(b, int) or isinstance(b, bool) or b < 2:
        raise ShapeError("invalid-argument",
                         f"`block_size` must be an integer >= 2. Received: block_size={b!r}")
    if fmt not in ("NHWC", "NCHW"):
        raise ShapeError("invalid-argument",
                         f"`data_format` must be 'NHWC' or 'NCHW'. Received: data_format={fmt!r}")
    return x, b, fmt


def _move(args: Sequence[Any], kwargs: Mapping[str, Any], to_depth: bool) -> Result:
    x, b, fmt = _bind(args, kwargs)
    if x.shape is None:
        return Result.of_unknown("the input's rank is not known")
    if len(x.shape) != 4:
        raise ShapeError("invalid-input-rank",
                         f"input must be 4-D, got shape {fmt_shape(x.shape)}")
    n, a, c, d = x.shape
    h, w, ch = (a, c, d) if fmt == "NHWC" else (c, d, a)
    name = "space_to_depth" if to_depth else "depth_to_space"
    if to_depth:
        for what, v in (("height", h), ("width", w)):
            if v is not None and v % b:
                raise ShapeError("incompatible-shape",
                                 f"{name}: the {what} {v} is not divisible by block_size {b}")
        h2, w2 = (None if h is None else h // b), (None if w is None else w // b)
        ch2 = None if ch is None else ch * b * b
    else:
        if ch is not None and ch % (b * b):
            raise ShapeError("incompatible-shape",
                             f"{name}: the depth {ch} is not divisible by block_size^2 = {b * b}")
        h2, w2 = (None if h is None else h * b), (None if w is None else w * b)
        ch2 = None if ch is None else ch // (b * b)
    out = (n, h2, w2, ch2) if fmt == "NHWC" else (n, ch2, h2, w2)
    op = "/" if to_depth else "*"
    return Result(outputs=out, params=0, derivation=[
        f"height: {h} {op} {b} = {h2}", f"width: {w} {op} {b} = {w2}",
        f"depth: {ch} {'*' if to_depth else '/'} {b}*{b} = {ch2}"])


register_op("tf.nn.space_to_depth", "tf.space_to_depth", "tf.compat.v1.space_to_depth",
            fn=lambda a, k: _move(a, k, True))
register_op("tf.nn.depth_to_space", "tf.depth_to_space", "tf.compat.v1.depth_to_space",
            fn=lambda a, k: _move(a, k, False))
