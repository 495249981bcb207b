"""`tf.nn` convolution and pooling arguments as TensorFlow's Python wrappers read them: binding a
call to one op spelling, the input shapes, strides/ksize/dilations, data_format, padding, and
one spatial axis' size (TF's GetWindowedOutputSize; the rules are in tfnn.py's docstring).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import geometry
from .args import is_int, known
from .symdims import is_sym
from .types import Dim, NotKnown, Shape, ShapeError, Tensor, Unknown, fmt_shape

REQUIRED = object()


@dataclass(frozen=True)
class Spec:
    """One op spelling: how its arguments are named and what it accepts."""

    qual: str
    kind: str  # conv | pool | transpose | depthwise | separable | atrous
    n: int | None  # spatial rank; None: from the input's rank (tf.nn.max_pool / avg_pool)
    params: tuple[tuple[str, Any], ...]
    roles: Mapping[str, str]  # role -> parameter name (input, filter, strides, padding, ...)
    aliases: Mapping[str, str] = field(default_factory=dict)  # alternative kwarg -> parameter
    full_strides: bool = False  # strides must be a full N+2 list (no int, no length-N)
    explicit: bool = True  # explicit padding lists accepted
    full_dilations: bool = False  # dilations must be a full N+2 list (conv3d)
    pool: str = ""  # max | avg


def bind(spec: Spec, args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    names = [p for p, _ in spec.params]
    if len(args) > len(names):
        raise ShapeError("unknown-argument",
                         f"{spec.qual}() takes {len(names)} positional arguments but "
                         f"{len(args)} were given")
    bound: dict[str, Any] = dict(zip(names, args, strict=False))
    for k, v in kwargs.items():
        target = spec.aliases.get(k, k)
        if target not in names:
            raise ShapeError("unknown-argument",
                             f"{spec.qual}() got an unexpected keyword argument '{k}'", arg=k)
        if target in bound and not (k in spec.aliases and bound[target] is None):
            raise ShapeError("unknown-argument",
                             f"{spec.qual}() got multiple values for argument '{target}'", arg=k)
        bound[target] = v
    for name, default in spec.params:
        if name not in bound:
            bound[name] = default
    for role in ("input", "filter"):
        pname = spec.roles.get(role)
        if pname and (bound.get(pname) is None or bound.get(pname) is REQUIRED):
            raise ShapeError("missing-argument",
                             f"{spec.qual}() missing 1 required argument: '{pname}'", arg=pname)
    for name, _default in spec.params:
        if bound[name] is REQUIRED:
            raise ShapeError("missing-argument",
                             f"{spec.qual}() missing 1 required positional argument: '{name}'",
                             arg=name)
    return bound


def shape_arg(value: Any, arg: str) -> Shape:
    if isinstance(value, Unknown):
        raise NotKnown(f"`{arg}` is not known statically ({value.reason})")
    if not isinstance(value, Tensor):
        raise NotKnown(f"`{arg}` is not a tensor the engine can see")
    if value.shape is None:
        raise NotKnown(f"the rank of `{arg}` is not known")
    return tuple(value.shape)


def rank_error(arg: str, want: int, shape: Shape) -> ShapeError:
    return ShapeError("invalid-input-rank",
                      f"`{arg}` must have rank {want}, but its shape {fmt_shape(shape)} has rank "
                      f"{len(shape)}.", arg=arg)


def sequence_arg(value: Any, n: int, channel_index: int, arg: str, full: bool = False) -> list[int]:
    """`nn_ops._get_sequence`: the N+2-long list TF passes to the op."""
    known(value, arg)
    if value is None:
        value = [1]
    elif not isinstance(value, (list, tuple)):
        if full:
            raise ShapeError("invalid-argument",
                             f"`{arg}` must be a list of {n + 2} integers here. "
                             f"Received: {arg}={value!r}", arg=arg)
        value = [value]
    if not all(is_int(v) for v in value):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must hold integers. Received: {arg}={value!r}", arg=arg)
    vals = list(value)
    if len(vals) == n + 2:
        return vals
    if full:
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be a list of {n + 2} integers here. "
                         f"Received: {arg}={vals} of length {len(vals)}", arg=arg)
    if len(vals) == 1:
        vals = vals * n
    elif len(vals) != n:
        raise ShapeError("invalid-argument",
                         f"{arg} should be of length 1, {n} or {n + 2}. Received: {arg}={vals} "
                         f"of length {len(vals)}", arg=arg)
    return [1, 1, *vals] if channel_index == 1 else [1, *vals, 1]


FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def channel_axis(value: Any, n: int, arg: str = "data_format") -> int:
    known(value, arg)
    if value is None:
        return n + 1
    if not isinstance(value, str) or value not in FORMATS[n]:
        allowed = " or ".join(repr(f) for f in FORMATS[n])
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be {allowed} for a {n}D op. Received: {arg}={value!r}",
                         arg=arg)
    return 1 if value.startswith("NC") else n + 1


def padding_arg(value: Any, n: int, channel_index: int, explicit: bool, check_outer: bool = True,
              ) -> tuple[str, list[tuple[int, int]]]:
    """('SAME' | 'VALID' | 'EXPLICIT', per-spatial-axis (before, after))."""
    known(value, "padding")
    if isinstance(value, str):
        if value in ("SAME", "VALID"):
            return value, [(0, 0)] * n
        hint = ""
        if value.upper() in ("SAME", "VALID"):
            hint = f" (tf.nn is case-sensitive: write '{value.upper()}')"
        raise ShapeError("invalid-argument",
                         f"`padding` must be 'SAME' or 'VALID'{hint}. Received: padding={value!r}",
                         arg="padding")
    if not explicit or not isinstance(value, (list, tuple)):
        raise ShapeError("invalid-argument",
                         "`padding` must be 'SAME' or 'VALID' here (explicit padding lists are "
                         f"not supported by this op). Received: padding={value!r}", arg="padding")
    if len(value) != n + 2:
        raise ShapeError("invalid-argument",
                         f"When padding is a list, it must be of size {n + 2}. Received: "
                         f"padding={value!r} of size {len(value)}", arg="padding")
    pairs: list[tuple[int, int]] = []
    for p in value:
        if (not isinstance(p, (list, tuple)) or len(p) != 2
                or not all(is_int(v) for v in p)):
            raise ShapeError("invalid-argument",
                             "When padding is a list, each element must be a [before, after] pair "
                             f"of integers. Received: padding={value!r}", arg="padding")
        if p[0] < 0 or p[1] < 0:
            raise ShapeError("invalid-argument",
                             f"Explicit padding must be non-negative. Received: padding={value!r}",
                             arg="padding")
        pairs.append((p[0], p[1]))
    outer = [0, channel_index]
    if check_outer and any(pairs[i] != (0, 0) for i in outer):
        raise ShapeError("invalid-argument",
                         "Nonzero explicit padding in the batch or depth dimensions is not "
                         f"supported. Received: padding={value!r}", arg="padding")
    spatial = [pairs[i] for i in range(n + 2) if i not in outer]
    return "EXPLICIT", spatial


def spatial_axes(n: int, channel_index: int) -> list[int]:
    return list(range(2, n + 2)) if channel_index == 1 else list(range(1, n + 1))


def window(size: Dim, k: Dim, s: int, d: int, mode: str, pad: tuple[int, int],
            pool: bool, axis_name: str) -> tuple[Dim, str]:
    """One spatial axis, TF's rule; the derivation line comes from engine.geometry."""
    if mode == "SAME":
        if pool:
            out, line = geometry.pool_axis(size, k or 1, s, "same")
        else:
            out, line = geometry.conv_axis(size, k or 1, s, "same", d)
        return out, line.replace("padding='same'", "padding='SAME'")
    if k is None:
        return None, f"None  (the filter's size on {axis_name} is not known)"
    eff = (k - 1) * d + 1
    total = None if size is None else size + pad[0] + pad[1]
    # An open size: the sizes too small for the window cannot run at all (not an error here).
    if total is not None and not is_sym(total) and total < eff:
        what = f"{size}" if mode == "VALID" else f"{size} + {pad[0]} + {pad[1]} = {total}"
        raise ShapeError(
            "non-positive-dim",
            f"Negative dimension size caused by subtracting {eff} from {total}: the "
            f"{'window' if pool else 'filter'} ({eff}{' after dilation' if d > 1 else ''}) is "
            f"larger than the input {axis_name} ({what}) with padding='{mode}'.")
    if mode == "VALID" and pool:
        out, line = geometry.pool_axis(size, k, s, "valid")
        return out, line.replace("padding='valid'", "padding='VALID'")
    geo_pad: Any = "valid" if mode == "VALID" else pad
    out, line = geometry.conv_axis(size, k, s, geo_pad, d)
    return out, line.replace("padding='valid'", "padding='VALID'")
