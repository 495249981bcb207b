"""Ops that join, cut or grow tensors along an axis: concatenate, stack, split, tile, repeat and
pad, in the `keras.ops` and `tf` dialects (see `opargs`); zeros/ones/full build a shape.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from .args import is_int, known
from .opargs import (
    REQ,
    canon_axis,
    dstr,
    int_list,
    outcome,
    qualnames,
    register,
    shape_of,
    target_shape,
    tensor_list,
)
from .types import Dim, NotKnown, Result, ShapeError, fmt_shape

# --- concatenate, stack ---------------------------------------------------------------------------


def _concat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "xs" if mode == "keras" else "values"
    shapes = tensor_list(a[arg], arg)
    axis_v = known(a["axis"], "axis")
    first = shapes[0]
    if mode == "tf" and len(shapes) == 1:
        return outcome(first, first)
    n = len(first)
    if mode == "tf" and n == 0:
        raise ShapeError("incompatible-shape",
                         "Can't concatenate scalars (use tf.stack instead)")
    ax = canon_axis(axis_v, n)
    for s in shapes[1:]:
        if len(s) != n:
            raise ShapeError(
                "shape-mismatch",
                f"Every tensor in `{arg}` must have the same rank: {fmt_shape(first)} has "
                f"{n} axes, {fmt_shape(s)} has {len(s)}.")
    out = list(first)
    for i in range(n):
        if i == ax:
            continue
        for s in shapes:
            if s[i] is not None and out[i] is not None and s[i] != out[i]:
                raise ShapeError(
                    "shape-mismatch",
                    f"Every tensor in `{arg}` must have the same shape except on axis {ax}; "
                    f"axis {i} differs: {fmt_shape(first)} vs {fmt_shape(s)}.")
            if mode == "tf" and out[i] is None:
                out[i] = s[i]
    sizes = [s[ax] for s in shapes]
    total = None if None in sizes else sum(sizes)  # type: ignore[arg-type]
    out[ax] = total
    line = f"axis {ax}: {' + '.join(dstr(z) for z in sizes)} = {dstr(total)}"
    return outcome(first, tuple(out), line)


register(qualnames(["concatenate"], ["tf.concat", "tf.compat.v1.concat"]),
          [("xs", REQ), ("axis", 0)], [("values", REQ), ("axis", REQ), ("name", "concat")],
          _concat)


def _stack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "x" if mode == "keras" else "values"
    if isinstance(a[arg], (list, tuple)) and not a[arg]:
        # TF and Keras stack no tensors into an empty vector (on axis 0; others: not claimed).
        if known(a["axis"], "axis") in (0, -1):
            return Result(outputs=(0,), params=0, derivation=["no tensors: an empty vector (0,)"])
        raise NotKnown("stacking no tensors on another axis than 0")
    shapes = tensor_list(a[arg], arg)
    first = shapes[0]
    n = len(first)
    ax = canon_axis(known(a["axis"], "axis"), n + 1)
    out = list(first)
    for s in shapes[1:]:
        clash = any(p is not None and q is not None and p != q
                    for p, q in zip(out, s, strict=False))
        if len(s) != n or clash:
            raise ShapeError("shape-mismatch",
                             f"Every tensor in `{arg}` must have the same shape: "
                             f"{fmt_shape(first)} vs {fmt_shape(s)}.")
        if mode == "tf":
            out = [q if p is None else p for p, q in zip(out, s, strict=False)]
    out.insert(ax, len(shapes))
    return outcome(first, tuple(out), f"new axis {ax} of size {len(shapes)} (number of tensors)")


register(qualnames(["stack"], ["tf.stack", "tf.compat.v1.stack"]),
          [("x", REQ), ("axis", 0)], [("values", REQ), ("axis", 0), ("name", "stack")], _stack)


# --- tile, repeat, split -----------------------------------------------------------------------


def _tile(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "repeats" if mode == "keras" else "multiples"
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    reps = int_list(a[arg], arg)
    if mode == "tf" and len(reps) != len(x):
        raise ShapeError("incompatible-shape",
                         f"`multiples` must have one entry per axis of the rank-{len(x)} input. "
                         f"Received: multiples={reps}", arg=arg)
    if any(r < 0 for r in reps):
        raise ShapeError("invalid-argument", f"`{arg}` must be non-negative. Received: {reps}")
    xs: list[Dim] = list(x)
    if len(xs) > len(reps):
        reps = [1] * (len(xs) - len(reps)) + reps
    else:
        xs = [*([1] * (len(reps) - len(xs))), *xs]
    out = tuple(0 if (r == 0 and mode == "tf") else None if d is None else d * r
                for d, r in zip(xs, reps, strict=False))
    lines = [f"{dstr(d)} * {r} = {dstr(o)}" for d, r, o in zip(xs, reps, out, strict=False)]
    return outcome(x, out, *lines)


register(qualnames(["tile"], ["tf.tile"]), [("x", REQ), ("repeats", REQ)],
          [("input", REQ), ("multiples", REQ), ("name", None)], _tile)


def _repeat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    reps = int_list(a["repeats"], "repeats")
    axis = known(a["axis"], "axis")
    if mode == "tf" and not is_int(a["repeats"]):
        # TF builds a list-`repeats` result from cumsum/gather; its static shape depends on
        # which constants the graph folds, so we do not guess it.
        raise NotKnown("tf.repeat with a list of `repeats`: TensorFlow's static shape for it "
                       "depends on graph constant folding")
    if axis is None:
        if None in x:
            return outcome(x, (None,), "flattened; size unknown")
        size = math.prod(x)  # type: ignore[arg-type]
        if len(reps) == 1:
            return outcome(x, (size * reps[0],), f"flattened {size} * {reps[0]} = {size * reps[0]}")
        if len(reps) != size:
            raise ShapeError("incompatible-shape",
                             f"`repeats` has {len(reps)} entries but the flattened input has "
                             f"{size} elements.", arg="repeats")
        return outcome(x, (sum(reps),), f"sum(repeats) = {sum(reps)}")
    ax = canon_axis(axis, len(x))
    out = list(x)
    d = x[ax]
    if d is not None:
        if len(reps) == 1:
            out[ax] = d * reps[0]
        elif len(reps) != d:
            raise ShapeError("incompatible-shape",
                             f"`repeats` has {len(reps)} entries but axis {ax} has size {d}.",
                             arg="repeats")
        else:
            out[ax] = sum(reps)
    return outcome(x, tuple(out), f"axis {ax}: {dstr(d)} repeated {reps} -> {dstr(out[ax])}")


register(qualnames(["repeat"], ["tf.repeat"]), [("x", REQ), ("repeats", REQ), ("axis", None)],
          [("input", REQ), ("repeats", REQ), ("axis", None), ("name", None)], _repeat)


def _split(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if mode == "keras":
        x = shape_of(a["x"], "x")
        ios = known(a["indices_or_sections"], "indices_or_sections")
        ax = canon_axis(known(a["axis"], "axis"), len(x))
        d = x[ax]
        if is_int(ios):
            if ios <= 0:
                raise ShapeError("invalid-argument",
                                 f"`indices_or_sections` must be positive. Received: {ios}")
            if d is not None and d % ios:
                raise ShapeError("incompatible-shape",
                                 f"Axis {ax} of size {d} cannot be split into {ios} equal "
                                 f"sections.", arg="indices_or_sections")
            piece = None if d is None else d // ios
            outs = [tuple(piece if i == ax else v for i, v in enumerate(x))] * ios
            return outcome(x, list(outs), f"axis {ax}: {dstr(d)} / {ios} = {dstr(piece)}")
        idx = int_list(ios, "indices_or_sections")
        bounds: list[Dim] = [0, *idx, d]
        outs = []
        for s, e in itertools.pairwise(bounds):
            size = None if s is None or e is None else e - s
            if size is not None and size < 0:
                raise ShapeError("incompatible-shape",
                                 f"`indices_or_sections` must be increasing and within the axis: "
                                 f"{idx} on axis {ax} of size {dstr(d)} gives a piece of size "
                                 f"{size}.", arg="indices_or_sections")
            outs.append(tuple(size if i == ax else v for i, v in enumerate(x)))
        return outcome(x, outs, f"axis {ax} split at {idx}")
    x = shape_of(a["value"], "value")
    nos = known(a["num_or_size_splits"], "num_or_size_splits")
    ax = canon_axis(known(a["axis"], "axis"), len(x))
    d = x[ax]
    if is_int(nos):
        if nos <= 0:
            raise ShapeError("invalid-argument",
                             f"`num_or_size_splits` must be positive. Received: {nos}")
        if d is not None and d % nos:
            raise ShapeError("incompatible-shape",
                             f"Number of ways to split should evenly divide the split dimension: "
                             f"{d} is not divisible by {nos}.", arg="num_or_size_splits")
        piece = None if d is None else d // nos
        outs = [tuple(piece if i == ax else v for i, v in enumerate(x))] * nos
        return outcome(x, list(outs), f"axis {ax}: {dstr(d)} / {nos} = {dstr(piece)}")
    sizes = int_list(nos, "num_or_size_splits")
    n_unknown = sizes.count(-1)
    if n_unknown > 1 or any(s < -1 for s in sizes):
        raise ShapeError("invalid-argument",
                         f"`num_or_size_splits` may hold one -1 and otherwise non-negative sizes. "
                         f"Received: {sizes}", arg="num_or_size_splits")
    known_sum = sum(s for s in sizes if s != -1)
    res: list[Dim] = list(sizes)
    if d is not None:
        if n_unknown:
            if known_sum > d:
                raise ShapeError("incompatible-shape",
                                 f"can't split axis of size {d} into pieces of size {sizes}",
                                 arg="num_or_size_splits")
            res[sizes.index(-1)] = d - known_sum
        elif known_sum != d:
            raise ShapeError("incompatible-shape",
                             f"can't split axis of size {d} into pieces of size {sizes} "
                             f"(they sum to {known_sum}).", arg="num_or_size_splits")
    elif n_unknown:
        res[sizes.index(-1)] = None
    outs = [tuple(r if i == ax else v for i, v in enumerate(x)) for r in res]
    return outcome(x, outs, f"axis {ax} split into sizes {[dstr(r) for r in res]}")


register(qualnames(["split"], ["tf.split"]),
          [("x", REQ), ("indices_or_sections", REQ), ("axis", 0)],
          [("value", REQ), ("num_or_size_splits", REQ), ("axis", 0), ("num", None),
           ("name", "split")], _split)


# --- pad, broadcast_to, zeros/ones -------------------------------------------------------------


def _pad(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "pad_width" if mode == "keras" else "paddings"
    xname = "x" if mode == "keras" else "tensor"
    x = shape_of(a[xname], xname)
    pw = known(a[arg], arg)
    n = len(x)
    pairs: list[tuple[int, int]]
    if mode == "keras":
        if is_int(pw):
            pairs = [(pw, pw)] * n
        elif isinstance(pw, (list, tuple)) and pw and is_int(pw[0]):
            pairs = [(pw[0], pw[0])] * n if len(pw) == 1 else [(pw[0], pw[1])] * n
        elif isinstance(pw, (list, tuple)) and pw:
            lens = {len(p) for p in pw}
            if len(lens) != 1:
                raise ShapeError("invalid-argument",
                                 "`pad_width` should be a list of tuples of length 1 or 2. "
                                 f"Received: pad_width={pw}", arg=arg)
            rows = [(p[0], p[0]) if len(p) == 1 else (p[0], p[1]) for p in pw]
            if len(rows) == 1:
                pairs = rows * n
            elif len(rows) != n:
                raise ShapeError("incompatible-shape",
                                 f"`pad_width` must have the same length as `x.shape`. Received: "
                                 f"pad_width={pw} (of length {len(rows)}) and "
                                 f"x.shape={fmt_shape(x)} (of length {n})", arg=arg)
            else:
                pairs = rows
        else:
            raise ShapeError("invalid-argument", f"Invalid `pad_width`: {pw!r}", arg=arg)
    else:
        if (not isinstance(pw, (list, tuple)) or not pw or len(pw) != n
                or any(not isinstance(p, (list, tuple)) or len(p) != 2 for p in pw)):
            raise ShapeError("incompatible-shape",
                             f"`paddings` must be a [rank, 2] list, one [before, after] pair per "
                             f"axis of the rank-{n} input. Received: paddings={pw!r}", arg=arg)
        pairs = [(p[0], p[1]) for p in pw]
    out = tuple(None if d is None else d + p0 + p1 for d, (p0, p1) in zip(x, pairs, strict=False))
    lines = [f"{dstr(d)} + {p0} + {p1} = {dstr(o)}"
             for d, (p0, p1), o in zip(x, pairs, out, strict=False)]
    return outcome(x, out, *lines)


register(qualnames(["pad"], ["tf.pad"]),
          [("x", REQ), ("pad_width", REQ), ("mode", "constant"), ("constant_values", None)],
          [("tensor", REQ), ("paddings", REQ), ("mode", "CONSTANT"), ("constant_values", 0),
           ("name", None)], _pad)

def _filled(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shape = target_shape(a["shape"], "shape")
    if any(d is None or d < 0 for d in shape):
        raise ShapeError("invalid-argument",
                         f"`shape` must hold non-negative integers. Received: shape={shape}",
                         arg="shape")
    return outcome(None, shape)


register(qualnames(["zeros", "ones", "empty"], ["tf.zeros", "tf.ones"]),
          [("shape", REQ), ("dtype", None)],
          [("shape", REQ), ("dtype", "float32"), ("name", None), ("layout", None)], _filled)
register(qualnames(["full"], ["tf.fill"]), [("shape", REQ), ("fill_value", REQ), ("dtype", None)],
          [("dims>shape", REQ), ("value", REQ), ("name", None), ("layout", None)], _filled)

