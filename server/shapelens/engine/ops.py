"""Shape functions of the array ops model code calls between layers: `keras.ops.*` and `tf.*`.

Two dialects share one implementation per op, because they disagree in places:
- `keras`: what `keras.ops.X` gives on a symbolic `KerasTensor` (Keras' `compute_output_spec`).
- `tf`: the static shape TensorFlow's graph shape functions infer (`tf.function` + `TensorSpec`).
Every op is registered under its qualified names (`keras.ops.reshape`, `tf.keras.ops.reshape`,
`tf.reshape`, ...); `getitem` is `x[key]` with Python `slice`/`Ellipsis`/`None` in the key.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .args import is_int, known
from .registry import register_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, Tensor, Unknown, fmt_shape

_REQ = object()
Impl = Callable[[str, dict[str, Any]], Result]


# --- helpers -----------------------------------------------------------------------------------


def bind_op(owner: str, params: Sequence[tuple[str, Any]], args: Sequence[Any],
            kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Bind an op call against `params` ((name, default) pairs; `_REQ` for required)."""
    lenient = any(p in ("*", "**") for p, _ in params)
    params = [(p, d) for p, d in params if p not in ("*", "**")]
    names = [p for p, _ in params]
    public = {p.split(">")[0]: p for p in names}
    if len(args) > len(params) and not lenient:
        raise ShapeError("unknown-argument",
                         f"{owner}() takes {len(params)} positional arguments but "
                         f"{len(args)} were given", at="call")
    bound: dict[str, Any] = dict(zip(names, args, strict=False))
    for k, v in kwargs.items():
        if k not in public:
            if lenient:
                continue
            raise ShapeError("unknown-argument",
                             f"{owner}() got an unexpected keyword argument '{k}'", arg=k)
        if public[k] in bound:
            raise ShapeError("unknown-argument",
                             f"{owner}() got multiple values for argument '{k}'", arg=k)
        bound[public[k]] = v
    for name, default in params:
        if name not in bound:
            if default is _REQ:
                raise ShapeError("missing-argument",
                                 f"{owner}() missing 1 required positional argument: "
                                 f"'{name.split('>')[0]}'", arg=name.split(">")[0])
            bound[name] = default
    # "tensor>x": the user-facing name `tensor`, read by the shape function as `x`.
    return {k.split(">")[-1]: v for k, v in bound.items()}


def shape_of(value: Any, arg: str) -> Shape:
    """The shape of a tensor-like argument: a `Tensor`, a Python number or a nested list."""
    if isinstance(value, Unknown):
        raise NotKnown(f"`{arg}` is not known statically ({value.reason})")
    if isinstance(value, Tensor):
        if value.shape is None:
            raise NotKnown(f"the rank of `{arg}` is not known")
        return tuple(value.shape)
    if isinstance(value, (bool, int, float)):
        return ()
    if isinstance(value, (list, tuple)):
        if not value:
            return (0,)
        inner = [shape_of(v, arg) for v in value]
        if any(s != inner[0] for s in inner):
            raise ShapeError("shape-mismatch",
                             f"`{arg}` is a ragged nested list; its rows have shapes "
                             f"{', '.join(fmt_shape(s) for s in inner)}", arg=arg)
        return (len(value), *inner[0])
    raise NotKnown(f"`{arg}` is not a tensor the engine can see")


def _axis(axis: Any, ndim: int, arg: str = "axis", owner: str = "") -> int:
    """Canonicalise one axis in [-ndim, ndim)."""
    if not is_int(axis):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be an integer. Received: {arg}={axis!r}", arg=arg)
    if not -ndim <= axis < ndim:
        raise ShapeError("incompatible-shape",
                         f"`{arg}` {axis} is out of bounds for a tensor of rank {ndim} "
                         f"(valid range [-{ndim}, {ndim})){owner}. Received: {arg}={axis}",
                         arg=arg)
    return axis + ndim if axis < 0 else axis


def _axes(axis: Any, ndim: int, arg: str = "axis") -> list[int]:
    if is_int(axis):
        return [_axis(axis, ndim, arg)]
    if isinstance(axis, (list, tuple)):
        return [_axis(a, ndim, arg) for a in axis]
    raise ShapeError("invalid-argument",
                     f"`{arg}` must be an integer or a list of integers. Received: {arg}={axis!r}",
                     arg=arg)


def _d(d: Dim) -> str:
    return "None" if d is None else str(d)


def broadcast(s1: Shape, s2: Shape, what: str = "operands") -> Shape:
    """NumPy broadcasting with None dims, as Keras' `broadcast_shapes` and TF's BCast shape fn."""
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + tuple(s1)
    b = (1,) * (n - len(s2)) + tuple(s2)
    out: list[Dim] = []
    for x, y in zip(a, b, strict=False):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y)
        elif y is None or x == y:
            out.append(x)
        else:
            raise ShapeError(
                "shape-mismatch",
                f"Shapes {fmt_shape(s1)} and {fmt_shape(s2)} cannot be broadcast: dimension "
                f"{x} cannot be broadcast to {y} (each pair of trailing dims must be equal or 1). "
                f"Received: {what}",
            )
    return tuple(out)


def _res(inp: Shape | None, out: Any, *lines: str) -> Result:
    if isinstance(out, list):
        shown = "[" + ", ".join(fmt_shape(o) for o in out) + "]"
    else:
        shown = fmt_shape(out)
    notes = [f"{fmt_shape(inp)} -> {shown}"] if inp is not None else [f"-> {shown}"]
    return Result(outputs=out, params=0, derivation=[ln for ln in lines if ln], notes=notes)


def _int_list(value: Any, arg: str) -> list[int]:
    known(value, arg)
    if is_int(value):
        return [value]
    if isinstance(value, Tensor):
        raise NotKnown(f"`{arg}` is a tensor whose values are not known statically")
    if not isinstance(value, (list, tuple)) or not all(is_int(v) for v in value):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be an integer or a list of integers. "
                         f"Received: {arg}={value!r}", arg=arg)
    return list(value)


# --- registration ------------------------------------------------------------------------------


def _names(keras: Sequence[str] = (), tf: Sequence[str] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in keras:
        for prefix in ("keras.ops.", "tf.keras.ops."):
            out[prefix + k] = "keras"
    for t in tf:
        out[t] = "tf"
    return out


# Parameter names per registered op (tests compare them with the real functions' signatures).
SIGNATURES: dict[str, tuple[str, ...]] = {}


def _register(names: Mapping[str, str], params_keras: Sequence[tuple[str, Any]] | None,
              params_tf: Sequence[tuple[str, Any]] | None,
              impl: Callable[[str, str, dict[str, Any]], Result]) -> None:
    for qual, mode in names.items():
        params = params_keras if mode == "keras" else params_tf
        assert params is not None
        SIGNATURES[qual] = tuple(p.split(">")[0] for p, _ in params)

        def fn(args: Sequence[Any], kwargs: Mapping[str, Any], _q: str = qual, _m: str = mode,
               _p: Sequence[tuple[str, Any]] = params) -> Result:
            return impl(_q, _m, bind_op(_q, _p, args, kwargs))

        register_op(qual, fn=fn)


# --- reshape -----------------------------------------------------------------------------------


def _reshape(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "newshape" if mode == "keras" else "shape"
    x = shape_of(a["x"], "x")
    value = a[arg]
    if mode == "keras" and not (is_int(value) or isinstance(value, (list, tuple, Tensor))):
        # Keras 3 builds `ops.reshape(x, "valid")` symbolically (a shape no run could give)
        # and fails only when it runs: not an error we can place, and no shape to state.
        raise NotKnown(f"`{arg}`={value!r} is not a shape; Keras fails only when it runs")
    target = _int_list(value, arg)
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
            return _res(x, out, line)
        size = math.prod(x)  # type: ignore[arg-type]
        if -1 not in target:
            if size != math.prod(target):
                raise ShapeError(
                    "incompatible-shape",
                    f"The total size of the tensor must be unchanged: {fmt_shape(x)} has {size} "
                    f"elements, {arg}={tuple(target)} has {math.prod(target)}.", arg=arg)
            return _res(x, tuple(target))
        rest = math.prod(t for t in target if t != -1)
        if rest == 0 or size % rest:
            raise ShapeError(
                "incompatible-shape",
                f"The total size of the tensor must be unchanged: {size} elements of "
                f"{fmt_shape(x)} cannot be divided by the known dims of {arg}={tuple(target)} "
                f"(product {rest}).", arg=arg)
        out = tuple(size // rest if t == -1 else t for t in target)
        return _res(x, out, f"-1 = {size} / {rest} = {size // rest}")
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
    return _res(x, tuple(out_l), line)


_register(_names(["reshape"], ["tf.reshape", "tf.compat.v1.reshape"]),
          [("x", _REQ), ("newshape", _REQ)],
          [("tensor>x", _REQ), ("shape", _REQ), ("name", None)], _reshape)


# --- transpose, swapaxes, moveaxis ---------------------------------------------------------------


def _transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "axes" if mode == "keras" else "perm"
    x = shape_of(a["x"], "x")
    perm = known(a[arg], arg)
    n = len(x)
    if perm is None:
        return _res(x, tuple(reversed(x)), "no permutation: axes reversed")
    perm = _int_list(perm, arg)
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
    return _res(x, tuple(x[p] for p in norm), f"axes reordered by {arg}={perm}")


_register(_names(["transpose"], ["tf.transpose"]),
          [("x", _REQ), ("axes", None)],
          [("a>x", _REQ), ("perm", None), ("conjugate", False), ("name", "transpose")], _transpose)
_register(_names([], ["tf.compat.v1.transpose"]), None,
          [("a>x", _REQ), ("perm", None), ("name", "transpose"), ("conjugate", False)], _transpose)


def _swapaxes(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    a1 = _axis(known(a["axis1"], "axis1"), len(x), "axis1")
    a2 = _axis(known(a["axis2"], "axis2"), len(x), "axis2")
    out = list(x)
    out[a1], out[a2] = out[a2], out[a1]
    return _res(x, tuple(out), f"axes {a1} and {a2} swapped")


_register(_names(["swapaxes"]), [("x", _REQ), ("axis1", _REQ), ("axis2", _REQ)], None, _swapaxes)


def _moveaxis(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    src = _int_list(a["source"], "source")
    dst = _int_list(a["destination"], "destination")
    if len(src) != len(dst):
        raise ShapeError("invalid-argument",
                         "`source` and `destination` arguments must have the same number of "
                         f"elements. Received: source={src}, destination={dst}")
    n = len(x)
    s = [_axis(v, n, "source") for v in src]
    d = [_axis(v, n, "destination") for v in dst]
    # Keras' Moveaxis.compute_output_spec, step by step (duplicates behave as there).
    xs: list[Any] = list(x)
    out: list[Any] = [_REQ] * n
    for si, di in zip(s, d, strict=False):
        out[di] = xs[si]
        xs[si] = _REQ
    i = j = 0
    while i < n:
        while i < n and out[i] is not _REQ:
            i += 1
        while j < n and xs[j] is _REQ:
            j += 1
        if i == n:
            break
        if j == n:
            raise ShapeError("invalid-argument",
                             f"`destination` {dst} repeats an axis. Received: source={src}")
        out[i] = xs[j]
        i += 1
        j += 1
    return _res(x, tuple(out), f"axes {s} moved to {d}")


_register(_names(["moveaxis"]), [("x", _REQ), ("source", _REQ), ("destination", _REQ)], None,
          _moveaxis)


# --- concatenate, stack ---------------------------------------------------------------------------


def _tensor_list(value: Any, arg: str) -> list[Shape]:
    known(value, arg)
    if not isinstance(value, (list, tuple)):
        raise NotKnown(f"`{arg}` is not a list of tensors the engine can see")
    if not value:
        raise ShapeError("invalid-argument", f"`{arg}` must be a non-empty list of tensors",
                         arg=arg)
    return [shape_of(v, f"{arg}[{i}]") for i, v in enumerate(value)]


def _concat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "xs" if mode == "keras" else "values"
    shapes = _tensor_list(a[arg], arg)
    axis_v = known(a["axis"], "axis")
    first = shapes[0]
    if mode == "tf" and len(shapes) == 1:
        return _res(first, first)
    n = len(first)
    if mode == "tf" and n == 0:
        raise ShapeError("incompatible-shape",
                         "Can't concatenate scalars (use tf.stack instead)")
    ax = _axis(axis_v, n)
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
    line = f"axis {ax}: {' + '.join(_d(z) for z in sizes)} = {_d(total)}"
    return _res(first, tuple(out), line)


_register(_names(["concatenate"], ["tf.concat", "tf.compat.v1.concat"]),
          [("xs", _REQ), ("axis", 0)], [("values", _REQ), ("axis", _REQ), ("name", "concat")],
          _concat)


def _stack(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "x" if mode == "keras" else "values"
    shapes = _tensor_list(a[arg], arg)
    first = shapes[0]
    n = len(first)
    ax = _axis(known(a["axis"], "axis"), n + 1)
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
    return _res(first, tuple(out), f"new axis {ax} of size {len(shapes)} (number of tensors)")


_register(_names(["stack"], ["tf.stack", "tf.compat.v1.stack"]),
          [("x", _REQ), ("axis", 0)], [("values", _REQ), ("axis", 0), ("name", "stack")], _stack)


# --- expand_dims, squeeze ------------------------------------------------------------------------


def _expand_dims(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    if mode == "tf":
        if not is_int(axis):
            axis = _int_list(axis, "axis")
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
        return _res(x, tuple(out), f"new axis {ax} of size 1")
    axes = _int_list(axis, "axis")
    out_n = len(x) + len(axes)
    canon = [_axis(v, out_n) for v in axes]
    it = iter(x)
    res = tuple(1 if i in canon else next(it) for i in range(out_n))
    return _res(x, res, f"new axes {canon} of size 1")


_register(_names(["expand_dims"], ["tf.expand_dims"]),
          [("x", _REQ), ("axis", _REQ)], [("input>x", _REQ), ("axis", _REQ), ("name", None)],
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


_register(_names([], ["tf.compat.v1.expand_dims"]), None,
          [("input>x", _REQ), ("axis", None), ("name", None), ("dim", None)], _expand_dims_v1)


def _squeeze(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    n = len(x)
    if axis is None:
        if mode == "tf" and None in x:
            return Result(outputs=None, params=0,
                          notes=["TensorFlow cannot know which None dims are 1: unknown rank"])
        return _res(x, tuple(d for d in x if d != 1), "every axis of size 1 removed")
    axes = _int_list(axis, "axis")
    if mode == "keras":
        for v in axes:
            if not -n <= v < n:
                raise ShapeError("incompatible-shape",
                                 f"axis {v} is out of bounds for a tensor of rank {n}")
            if x[v] != 1:
                raise ShapeError("incompatible-shape",
                                 f"Cannot squeeze axis {v}: its dimension is {_d(x[v])}, not 1. "
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
    return _res(x, tuple(out), f"axes {canon} of size 1 removed")


_register(_names(["squeeze"], ["tf.squeeze"]),
          [("x", _REQ), ("axis", None)], [("input>x", _REQ), ("axis", None), ("name", None)],
          _squeeze)


# --- matmul ------------------------------------------------------------------------------------


def _matmul(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1 = shape_of(a["x1" if mode == "keras" else "a"], "x1" if mode == "keras" else "a")
    s2 = shape_of(a["x2" if mode == "keras" else "b"], "x2" if mode == "keras" else "b")
    if mode == "tf":
        for s, name in ((s1, "a"), (s2, "b")):
            if len(s) < 2:
                raise ShapeError("invalid-input-rank",
                                 f"`tf.matmul` needs tensors of rank >= 2; `{name}` has shape "
                                 f"{fmt_shape(s)} (rank {len(s)}).", arg=name)
        ta = bool(known(a["transpose_a"], "transpose_a") or known(a["adjoint_a"], "adjoint_a"))
        tb = bool(known(a["transpose_b"], "transpose_b") or known(a["adjoint_b"], "adjoint_b"))
        m1 = (*s1[:-2], s1[-1], s1[-2]) if ta else s1
        m2 = (*s2[:-2], s2[-1], s2[-2]) if tb else s2
        one1 = one2 = False
    else:
        one1, one2 = len(s1) == 1, len(s2) == 1
        if len(s1) == 0 or len(s2) == 0:
            raise ShapeError("invalid-input-rank", "matmul does not take scalars")
        m1 = (1, s1[0]) if one1 else s1
        m2 = (s2[0], 1) if one2 else s2
    k1, k2 = m1[-1], m2[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("shape-mismatch",
                         f"Inner dimensions must be equal: {k1} (last axis of {fmt_shape(s1)}) "
                         f"vs {k2} (second-to-last axis of {fmt_shape(s2)}).")
    if mode == "tf" and len(m1) == 2 and len(m2) == 2:
        lead: Shape = ()
    else:
        lead = broadcast(m1[:-2], m2[:-2], "the batch dims of matmul")
    out = [*lead, m1[-2], m2[-1]]
    if one1:
        del out[-2]
    if one2:
        del out[-1]
    return _res(s1, tuple(out), f"({_d(m1[-2])} x {_d(k1)}) @ ({_d(k2)} x {_d(m2[-1])}) -> "
                                f"({_d(m1[-2])} x {_d(m2[-1])}), batch dims {fmt_shape(lead)}")


_register(_names(["matmul"], ["tf.matmul", "tf.linalg.matmul", "tf.compat.v1.matmul"]),
          [("x1", _REQ), ("x2", _REQ)],
          [("a", _REQ), ("b", _REQ), ("transpose_a", False), ("transpose_b", False),
           ("adjoint_a", False), ("adjoint_b", False), ("a_is_sparse", False),
           ("b_is_sparse", False), ("output_type", None), ("grad_a", False), ("grad_b", False),
           ("name", None)], _matmul)


# --- element-wise ------------------------------------------------------------------------------


def _binary(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n1, n2 = ("x1", "x2") if mode == "keras" else ("x", "y")
    s1, s2 = shape_of(a[n1], n1), shape_of(a[n2], n2)
    out = broadcast(s1, s2, f"{n1}.shape={fmt_shape(s1)}, {n2}.shape={fmt_shape(s2)}")
    return _res(s1, out, f"broadcast {fmt_shape(s1)} with {fmt_shape(s2)} -> {fmt_shape(out)}")


_BINARY = {
    "add": ["tf.add", "tf.math.add"],
    "subtract": ["tf.subtract", "tf.math.subtract"],
    "multiply": ["tf.multiply", "tf.math.multiply"],
    "divide": ["tf.divide", "tf.math.divide", "tf.truediv", "tf.math.truediv"],
    "true_divide": [],
    "floor_divide": ["tf.math.floordiv"],
    "maximum": ["tf.maximum", "tf.math.maximum"],
    "minimum": ["tf.minimum", "tf.math.minimum"],
    "power": ["tf.pow", "tf.math.pow"],
    "mod": ["tf.math.floormod", "tf.math.mod"],
    "equal": ["tf.equal", "tf.math.equal"],
    "not_equal": ["tf.not_equal", "tf.math.not_equal"],
    "greater": ["tf.greater", "tf.math.greater"],
    "less": ["tf.less", "tf.math.less"],
    "greater_equal": ["tf.greater_equal", "tf.math.greater_equal"],
    "less_equal": ["tf.less_equal", "tf.math.less_equal"],
    "logical_and": ["tf.logical_and", "tf.math.logical_and"],
    "logical_or": ["tf.logical_or", "tf.math.logical_or"],
    "squared_difference": ["tf.math.squared_difference"],
}
for _k, _t in _BINARY.items():
    _register(_names([_k] if _k != "squared_difference" else [], _t),
              [("x1", _REQ), ("x2", _REQ)], [("x", _REQ), ("y", _REQ), ("name", None)], _binary)


def _unary(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return _res(x, x, "element-wise: shape unchanged")


# Element-wise activations and math (relu, exp, softmax, cast, identity, ...) are registered by
# engine/elementwise.py; only the shape-preserving functions it does not cover are here.
_UNARY_KERAS = ["zeros_like", "ones_like", "copy"]
_UNARY_TF = ["tf.zeros_like", "tf.ones_like", "tf.math.is_nan", "tf.math.is_finite"]
# The first parameter's public name where it is not `x` (extra parameters never change shape).
_FIRST = {"tf.zeros_like": "input", "tf.ones_like": "input"}
for _k in _UNARY_KERAS:
    _register(_names([_k]), [("x", _REQ), ("*", None), ("**", None)], None, _unary)
for _tname in _UNARY_TF:
    _first = _FIRST.get(_tname, "x")
    _register(_names([], [_tname]), None, [(f"{_first}>x", _REQ), ("*", None), ("**", None)],
              _unary)
_register(_names([], ["tf.dtypes.cast"]), None, [("x", _REQ), ("dtype", _REQ), ("name", None)],
          _unary)


# --- reductions --------------------------------------------------------------------------------


def _reduce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input_tensor"
    x = shape_of(a[xname], xname)
    axis = known(a["axis"], "axis")
    keep = bool(known(a.get("keepdims", False), "keepdims"))
    n = len(x)
    if axis is None:
        out: Shape = (1,) * n if keep else ()
        return _res(x, out, "all axes reduced")
    axes = _axes(axis, n)
    lst = list(x)
    if keep:
        for c in axes:
            lst[c] = 1
    elif mode == "keras":
        # Keras deletes once per listed axis, duplicates included (as `reduce_shape` does).
        for c in sorted(axes, reverse=True):
            if c >= len(lst):
                raise ShapeError("invalid-argument",
                                 f"`axis` lists an axis twice. Received: axis={axis!r}", arg="axis")
            del lst[c]
    else:
        for c in sorted(set(axes), reverse=True):
            del lst[c]
    kept = "kept as 1" if keep else "removed"
    return _res(x, tuple(lst), f"axes {sorted(set(axes))} reduced ({kept})")


_REDUCE = {
    "sum": ["tf.reduce_sum", "tf.math.reduce_sum"],
    "mean": ["tf.reduce_mean", "tf.math.reduce_mean"],
    "max": ["tf.reduce_max", "tf.math.reduce_max"],
    "min": ["tf.reduce_min", "tf.math.reduce_min"],
    "prod": ["tf.reduce_prod", "tf.math.reduce_prod"],
    "any": ["tf.reduce_any", "tf.math.reduce_any"],
    "all": ["tf.reduce_all", "tf.math.reduce_all"],
    "std": ["tf.math.reduce_std"],
    "var": ["tf.math.reduce_variance"],
    "logsumexp": ["tf.reduce_logsumexp", "tf.math.reduce_logsumexp"],
}
_KERAS_REDUCE_EXTRA = {"max": [("initial", None)], "min": [("initial", None)],
                       "prod": [("dtype", None)]}
for _k, _t in _REDUCE.items():
    _register(_names([_k], _t),
              [("x", _REQ), ("axis", None), ("keepdims", False), *_KERAS_REDUCE_EXTRA.get(_k, [])],
              [("input_tensor", _REQ), ("axis", None), ("keepdims", False), ("name", None)],
              _reduce)


def _argminmax(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if mode == "keras":
        return _reduce(owner, mode, a)
    x = shape_of(a["input"], "input")
    axis = known(a["axis"], "axis")
    if axis is None:
        axis = 0
    if len(x) <= 1:
        # TF's ArgMax shape function returns a scalar for rank <= 1 without checking `axis`.
        return _res(x, (), "rank <= 1: the result is a scalar")
    ax = _axis(axis, len(x))
    out = tuple(d for i, d in enumerate(x) if i != ax)
    return _res(x, out, f"axis {ax} reduced" + ("  (axis=None -> 0)" if a["axis"] is None else ""))


_register(_names(["argmax"], ["tf.argmax", "tf.math.argmax"]),
          [("x", _REQ), ("axis", None), ("keepdims", False)],
          [("input", _REQ), ("axis", None), ("output_type", "int64"), ("name", None)], _argminmax)
_register(_names(["argmin"], ["tf.argmin", "tf.math.argmin"]),
          [("x", _REQ), ("axis", None), ("keepdims", False)],
          [("input", _REQ), ("axis", None), ("output_type", "int64"), ("name", None)], _argminmax)


# --- tile, repeat, split -----------------------------------------------------------------------


def _tile(owner: str, mode: str, a: dict[str, Any]) -> Result:
    arg = "repeats" if mode == "keras" else "multiples"
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    reps = _int_list(a[arg], arg)
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
    lines = [f"{_d(d)} * {r} = {_d(o)}" for d, r, o in zip(xs, reps, out, strict=False)]
    return _res(x, out, *lines)


_register(_names(["tile"], ["tf.tile"]), [("x", _REQ), ("repeats", _REQ)],
          [("input", _REQ), ("multiples", _REQ), ("name", None)], _tile)


def _repeat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    reps = _int_list(a["repeats"], "repeats")
    axis = known(a["axis"], "axis")
    if mode == "tf" and not is_int(a["repeats"]):
        # TF builds a list-`repeats` result from cumsum/gather; its static shape depends on
        # which constants the graph folds, so we do not guess it.
        raise NotKnown("tf.repeat with a list of `repeats`: TensorFlow's static shape for it "
                       "depends on graph constant folding")
    if axis is None:
        if None in x:
            return _res(x, (None,), "flattened; size unknown")
        size = math.prod(x)  # type: ignore[arg-type]
        if len(reps) == 1:
            return _res(x, (size * reps[0],), f"flattened {size} * {reps[0]} = {size * reps[0]}")
        if len(reps) != size:
            raise ShapeError("incompatible-shape",
                             f"`repeats` has {len(reps)} entries but the flattened input has "
                             f"{size} elements.", arg="repeats")
        return _res(x, (sum(reps),), f"sum(repeats) = {sum(reps)}")
    ax = _axis(axis, len(x))
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
    return _res(x, tuple(out), f"axis {ax}: {_d(d)} repeated {reps} -> {_d(out[ax])}")


_register(_names(["repeat"], ["tf.repeat"]), [("x", _REQ), ("repeats", _REQ), ("axis", None)],
          [("input", _REQ), ("repeats", _REQ), ("axis", None), ("name", None)], _repeat)


def _split(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if mode == "keras":
        x = shape_of(a["x"], "x")
        ios = known(a["indices_or_sections"], "indices_or_sections")
        ax = _axis(known(a["axis"], "axis"), len(x))
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
            return _res(x, list(outs), f"axis {ax}: {_d(d)} / {ios} = {_d(piece)}")
        idx = _int_list(ios, "indices_or_sections")
        bounds: list[Dim] = [0, *idx, d]
        outs = []
        for s, e in itertools.pairwise(bounds):
            size = None if s is None or e is None else e - s
            if size is not None and size < 0:
                raise ShapeError("incompatible-shape",
                                 f"`indices_or_sections` must be increasing and within the axis: "
                                 f"{idx} on axis {ax} of size {_d(d)} gives a piece of size "
                                 f"{size}.", arg="indices_or_sections")
            outs.append(tuple(size if i == ax else v for i, v in enumerate(x)))
        return _res(x, outs, f"axis {ax} split at {idx}")
    x = shape_of(a["value"], "value")
    nos = known(a["num_or_size_splits"], "num_or_size_splits")
    ax = _axis(known(a["axis"], "axis"), len(x))
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
        return _res(x, list(outs), f"axis {ax}: {_d(d)} / {nos} = {_d(piece)}")
    sizes = _int_list(nos, "num_or_size_splits")
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
    return _res(x, outs, f"axis {ax} split into sizes {[_d(r) for r in res]}")


_register(_names(["split"], ["tf.split"]),
          [("x", _REQ), ("indices_or_sections", _REQ), ("axis", 0)],
          [("value", _REQ), ("num_or_size_splits", _REQ), ("axis", 0), ("num", None),
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
    lines = [f"{_d(d)} + {p0} + {p1} = {_d(o)}"
             for d, (p0, p1), o in zip(x, pairs, out, strict=False)]
    return _res(x, out, *lines)


_register(_names(["pad"], ["tf.pad"]),
          [("x", _REQ), ("pad_width", _REQ), ("mode", "constant"), ("constant_values", None)],
          [("tensor", _REQ), ("paddings", _REQ), ("mode", "CONSTANT"), ("constant_values", 0),
           ("name", None)], _pad)


def _target_shape(value: Any, arg: str) -> Shape:
    known(value, arg)
    if isinstance(value, Tensor):
        raise NotKnown(f"`{arg}` is a tensor whose values are not known statically")
    if is_int(value):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(v is None or is_int(v) for v in value):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be a list of integers. Received: {arg}={value!r}", arg=arg)
    return tuple(value)


def _broadcast_to(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input"
    x = shape_of(a[xname], xname)
    target = _target_shape(a["shape"], "shape")
    if mode == "keras":
        # Keras only checks that the two shapes broadcast together (either way round).
        broadcast(x, target, f"x.shape={fmt_shape(x)}, shape={fmt_shape(target)}")
        return _res(x, target, f"broadcast to {fmt_shape(target)}")
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
    return _res(x, target, f"broadcast to {fmt_shape(target)}")


_register(_names(["broadcast_to"], ["tf.broadcast_to"]), [("x", _REQ), ("shape", _REQ)],
          [("input", _REQ), ("shape", _REQ), ("name", None)], _broadcast_to)


def _filled(owner: str, mode: str, a: dict[str, Any]) -> Result:
    shape = _target_shape(a["shape"], "shape")
    if any(d is None or d < 0 for d in shape):
        raise ShapeError("invalid-argument",
                         f"`shape` must hold non-negative integers. Received: shape={shape}",
                         arg="shape")
    return _res(None, shape)


_register(_names(["zeros", "ones", "empty"], ["tf.zeros", "tf.ones"]),
          [("shape", _REQ), ("dtype", None)],
          [("shape", _REQ), ("dtype", "float32"), ("name", None), ("layout", None)], _filled)
_register(_names(["full"], ["tf.fill"]), [("shape", _REQ), ("fill_value", _REQ), ("dtype", None)],
          [("dims>shape", _REQ), ("value", _REQ), ("name", None), ("layout", None)], _filled)


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
            lines.append(f"[{k}] removes an axis of size {_d(length)}")
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
    return _res(x, tuple(out), *lines)


def _fmt_slice(s: slice) -> str:
    def p(v: Any) -> str:
        return "" if v is None else str(v)

    text = f"{p(s.start)}:{p(s.stop)}"
    return f"[{text}:{p(s.step)}]" if s.step is not None else f"[{text}]"


register_op("getitem", "keras.ops.get_item", "tf.keras.ops.get_item", fn=getitem)
register_op("tf.Tensor.__getitem__", fn=tf_getitem)
