"""Ops that rearrange one tensor's axes: reshape, transpose, swapaxes, moveaxis, expand_dims,
squeeze and broadcast_to, in the `keras.ops` and `tf` dialects (see `opargs`).
"""

from __future__ import annotations

import math
from typing import Any

from .args import is_int, known
from .opargs import (
    REQ,
    broadcast,
    canon_axis,
    dstr,
    int_list,
    outcome,
    qualnames,
    register,
    shape_of,
    target_shape,
)
from .types import Dim, NotKnown, Result, ShapeError, Tensor, fmt_shape

# --- reshape -----------------------------------------------------------------------------------


def _reshape(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "newshape" if mode == "keras" else "shape"
    x = shape_of(a["x"], "x")
    value = a[arg]
    if mode == "keras" and not (is_int(value) or isinstance(value, (list, tuple, Tensor))):
        # Keras 3 builds `ops.reshape(x, "valid")` symbolically (a shape no run could give)
        # and fails only when it runs: not an error we can place, and no shape to state.
        raise NotKnown(f"`{arg}`={value!r} is not a shape; Keras fails only when it runs")
    target = int_list(value, arg)
    if mode == "keras":
        bad = [t for t in target if t < -1]
        if bad:
            raise ShapeError("invalid-argument",
                             f"Each dimension in `{arg}` must be a non-negative integer, or `-1` "
                             f"for a single unknown dimension. Received: {arg}={tuple(target)}.",
                             arg=arg)
        if target.count(-1) > 1:
            raise ShapeError("invalid-argument",
                             f"There must be at most one unknown dimension (-1) in `{arg}`. "
                             f"Received: {arg}={tuple(target)}.", arg=arg)
        if None in x:
            out = tuple(None if t == -1 else t for t in target)
            line = "-1 -> None  (the input has None dims)" if -1 in target else ""
            return outcome(x, out, line)
        size = math.prod(x)  # type: ignore[arg-type]
        if -1 not in target:
            if size != math.prod(target):
                raise ShapeError(
                    "incompatible-shape",
                    f"The total size of the tensor must be unchanged: {fmt_shape(x)} has {size} "
                    f"elements, {arg}={tuple(target)} has {math.prod(target)}.", arg=arg)
            return outcome(x, tuple(target))
        rest = math.prod(t for t in target if t != -1)
        if rest == 0 or size % rest:
            raise ShapeError(
                "incompatible-shape",
                f"The total size of the tensor must be unchanged: {size} elements of "
                f"{fmt_shape(x)} cannot be divided by the known dims of {arg}={tuple(target)} "
                f"(product {rest}).", arg=arg)
        out = tuple(size // rest if t == -1 else t for t in target)
        return outcome(x, out, f"-1 = {size} / {rest} = {size // rest}")
    # TensorFlow's Reshape shape function (array_ops.cc SetOutputShapeForReshape).
    bad = [t for t in target if t < -1]
    if bad:
        raise ShapeError("invalid-argument",
                         f"Invalid value in tensor used for shape: {bad[0]}. Received: "
                         f"{arg}={target}", arg=arg)
    out_l: list[Dim] = [None if t == -1 else t for t in target]
    out_unknown = [i for i, t in enumerate(target) if t == -1]
    in_unknown = [i for i, d in enumerate(x) if d is None]
    known_out = math.prod(t for t in target if t != -1)
    known_in = math.prod(d for d in x if d is not None)
    line = ""
    if len(out_unknown) == 0 and len(in_unknown) == 0:
        if known_in != known_out:
            raise ShapeError(
                "incompatible-shape",
                f"Cannot reshape a tensor with {known_in} elements to shape {target} "
                f"({known_out} elements). Received: {arg}={target}", arg=arg)
    elif len(out_unknown) <= 1 and len(in_unknown) <= 1:
        if not in_unknown and known_out > 0:
            if known_in % known_out:
                raise ShapeError(
                    "incompatible-shape",
                    f"Cannot reshape a tensor with {known_in} elements to shape {target}: "
                    f"{known_in} is not divisible by {known_out}, the product of the known dims.",
                    arg=arg)
            out_l[out_unknown[0]] = known_in // known_out
            line = f"-1 = {known_in} / {known_out} = {known_in // known_out}"
        elif not out_unknown and known_in != 0:
            if known_out % known_in:
                raise ShapeError(
                    "incompatible-shape",
                    f"Cannot reshape {fmt_shape(x)} to shape {target}: {known_out} elements are "
                    f"not divisible by {known_in}, the product of the known input dims.", arg=arg)
        elif in_unknown and out_unknown:
            line = "-1 -> None  (the input has a None dim)"
    elif out_unknown:
        line = "-1 -> None  (TensorFlow cannot infer it statically)"
    return outcome(x, tuple(out_l), line)


register(qualnames(["reshape"], ["tf.reshape", "tf.compat.v1.reshape"]),
          [("x", REQ), ("newshape", REQ)],
          [("tensor>x", REQ), ("shape", REQ), ("name", None)], _reshape)


# --- transpose, swapaxes, moveaxis ---------------------------------------------------------------


def _transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "axes" if mode == "keras" else "perm"
    x = shape_of(a["x"], "x")
    perm = known(a[arg], arg)
    n = len(x)
    if perm is None:
        return outcome(x, tuple(reversed(x)), "no permutation: axes reversed")
    perm = int_list(perm, arg)
    if len(perm) != n:
        raise ShapeError("incompatible-shape",
                         f"`{arg}` must list every axis of the rank-{n} input once. "
                         f"Received: {arg}={perm}", arg=arg)
    for p in perm:
        if not -n <= p < n:
            raise ShapeError("incompatible-shape",
                             f"Each axis in `{arg}` must be in [-{n}, {n}). Received: {arg}={perm}",
                             arg=arg)
    norm = [p % n for p in perm]
    if mode == "keras" and len(set(norm)) != n:
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be a permutation of the input's axes (no duplicates). "
                         f"Received: {arg}={perm}", arg=arg)
    return outcome(x, tuple(x[p] for p in norm), f"axes reordered by {arg}={perm}")


register(qualnames(["transpose"], ["tf.transpose"]),
          [("x", REQ), ("axes", None)],
          [("a>x", REQ), ("perm", None), ("conjugate", False), ("name", "transpose")], _transpose)
register(qualnames([], ["tf.compat.v1.transpose"]), None,
          [("a>x", REQ), ("perm", None), ("name", "transpose"), ("conjugate", False)], _transpose)


def _swapaxes(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    a1 = canon_axis(known(a["axis1"], "axis1"), len(x), "axis1")
    a2 = canon_axis(known(a["axis2"], "axis2"), len(x), "axis2")
    out = list(x)
    out[a1], out[a2] = out[a2], out[a1]
    return outcome(x, tuple(out), f"axes {a1} and {a2} swapped")


register(qualnames(["swapaxes"]), [("x", REQ), ("axis1", REQ), ("axis2", REQ)], None, _swapaxes)


def _moveaxis(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    src = int_list(a["source"], "source")
    dst = int_list(a["destination"], "destination")
    if len(src) != len(dst):
        raise ShapeError("invalid-argument",
                         "`source` and `destination` arguments must have the same number of "
                         f"elements. Received: source={src}, destination={dst}")
    n = len(x)
    s = [canon_axis(v, n, "source") for v in src]
    d = [canon_axis(v, n, "destination") for v in dst]
    # Keras' Moveaxis.compute_output_spec, step by step (duplicates behave as there).
    xs: list[Any] = list(x)
    out: list[Any] = [REQ] * n
    for si, di in zip(s, d, strict=False):
        out[di] = xs[si]
        xs[si] = REQ
    i = j = 0
    while i < n:
        while i < n and out[i] is not REQ:
            i += 1
        while j < n and xs[j] is REQ:
            j += 1
        if i == n:
            break
        if j == n:
            raise ShapeError("invalid-argument",
                             f"`destination` {dst} repeats an axis. Received: source={src}")
        out[i] = xs[j]
        i += 1
        j += 1
    return outcome(x, tuple(out), f"axes {s} moved to {d}")


register(qualnames(["moveaxis"]), [("x", REQ), ("source", REQ), ("destination", REQ)], None,
          _moveaxis)


# --- expand_dims, squeeze ------------------------------------------------------------------------


def _expand_dims(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    if mode == "tf":
        if not is_int(axis):
            axis = int_list(axis, "axis")
            if len(axis) != 1:
                raise ShapeError("invalid-argument",
                                 f"`axis` must be a single integer. Received: axis={axis!r}")
            axis = axis[0]
        n = len(x)
        if not -n - 1 <= axis <= n:
            raise ShapeError("incompatible-shape",
                             f"`axis` {axis} is not in the interval [{-n - 1}, {n}] for a tensor "
                             f"of rank {n}. Received: axis={axis}", arg="axis")
        ax = axis + n + 1 if axis < 0 else axis
        out = list(x)
        out.insert(ax, 1)
        return outcome(x, tuple(out), f"new axis {ax} of size 1")
    axes = int_list(axis, "axis")
    out_n = len(x) + len(axes)
    canon = [canon_axis(v, out_n) for v in axes]
    it = iter(x)
    res = tuple(1 if i in canon else next(it) for i in range(out_n))
    return outcome(x, res, f"new axes {canon} of size 1")


register(qualnames(["expand_dims"], ["tf.expand_dims"]),
          [("x", REQ), ("axis", REQ)], [("input>x", REQ), ("axis", REQ), ("name", None)],
          _expand_dims)


def _expand_dims_v1(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if a["dim"] is not None:
        if a["axis"] is not None:
            raise ShapeError("invalid-argument",
                             "Cannot specify both 'axis' and 'dim'", arg="dim")
        a = {**a, "axis": a["dim"]}
    if a["axis"] is None:
        raise ShapeError("invalid-argument", "Must specify an 'axis' argument", arg="axis")
    return _expand_dims(owner, mode, a)


register(qualnames([], ["tf.compat.v1.expand_dims"]), None,
          [("input>x", REQ), ("axis", None), ("name", None), ("dim", None)], _expand_dims_v1)


def _squeeze(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    n = len(x)
    if axis is None:
        if mode == "tf" and None in x:
            return Result(outputs=None, params=0,
                          notes=["TensorFlow cannot know which None dims are 1: unknown rank"])
        return outcome(x, tuple(d for d in x if d != 1), "every axis of size 1 removed")
    axes = int_list(axis, "axis")
    if mode == "keras":
        for v in axes:
            if not -n <= v < n:
                raise ShapeError("incompatible-shape",
                                 f"axis {v} is out of bounds for a tensor of rank {n}")
            if x[v] != 1:
                raise ShapeError("incompatible-shape",
                                 f"Cannot squeeze axis {v}: its dimension is {dstr(x[v])}, not 1. "
                                 f"Input shape: {fmt_shape(x)}", arg="axis")
        canon = [v % n for v in axes]
    else:
        canon = []
        for v in axes:
            if not -n <= v < n:
                raise ShapeError("incompatible-shape",
                                 f"Tried to squeeze dim index {v} for a tensor with {n} dims")
            c = v % n
            if x[c] is not None and x[c] != 1:
                raise ShapeError("incompatible-shape",
                                 f"Cannot squeeze dim[{c}]: expected a dimension of 1, got "
                                 f"{x[c]}. Input shape: {fmt_shape(x)}", arg="axis")
            canon.append(c)
        canon = sorted(set(canon))
    out = list(x)
    for c in sorted(canon, reverse=True):
        del out[c]
    return outcome(x, tuple(out), f"axes {canon} of size 1 removed")


register(qualnames(["squeeze"], ["tf.squeeze"]),
          [("x", REQ), ("axis", None)], [("input>x", REQ), ("axis", None), ("name", None)],
          _squeeze)


def _broadcast_to(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    target = target_shape(a["shape"], "shape")
    if mode == "keras":
        # Keras only checks that the two shapes broadcast together (either way round).
        broadcast(x, target, f"x.shape={fmt_shape(x)}, shape={fmt_shape(target)}")
        return outcome(x, target, f"broadcast to {fmt_shape(target)}")
    if len(x) > len(target):
        raise ShapeError("incompatible-shape",
                         f"Cannot broadcast {fmt_shape(x)} to the lower-rank shape "
                         f"{fmt_shape(target)}.", arg="shape")
    pad = (1,) * (len(target) - len(x)) + x
    for d, t in zip(pad, target, strict=False):
        if d is not None and d != 1 and t is not None and d != t:
            raise ShapeError("shape-mismatch",
                             f"Cannot broadcast {fmt_shape(x)} to {fmt_shape(target)}: "
                             f"dimension {d} is neither 1 nor {t}.", arg="shape")
    return outcome(x, target, f"broadcast to {fmt_shape(target)}")


register(qualnames(["broadcast_to"], ["tf.broadcast_to"]), [("x", REQ), ("shape", REQ)],
          [("input", REQ), ("shape", REQ), ("name", None)], _broadcast_to)

