"""What every op module shares: binding a call in either dialect, shapes of tensor-like arguments,
axis canonicalisation, broadcasting, and registration under each qualified name.

Two dialects share one implementation per op, because they disagree in places:
- `keras`: what `keras.ops.X` gives on a symbolic `KerasTensor` (Keras' `compute_output_spec`).
- `tf`: the static shape TensorFlow's graph shape functions infer (`tf.function` + `TensorSpec`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from .args import decode, is_int, known
from .registry import register_op
from .symdims import broadcast_open, is_sym
from .types import Dim, NotKnown, Result, Shape, ShapeError, Tensor, Unknown, fmt_shape

# Marks a required parameter in a (name, default) list.
REQ = object()
Impl = Callable[[str, str, dict[str, Any]], Result]

# --- helpers -----------------------------------------------------------------------------------


def bind_op(owner: str, params: Sequence[tuple[str, Any]], args: Sequence[Any],
            kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Bind an op call against `params` ((name, default) pairs; `REQ` for required)."""
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
            if default is REQ:
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


def canon_axis(axis: Any, ndim: int, arg: str = "axis", owner: str = "") -> int:
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


def canon_axes(axis: Any, ndim: int, arg: str = "axis") -> list[int]:
    if is_int(axis):
        return [canon_axis(axis, ndim, arg)]
    if isinstance(axis, (list, tuple)):
        return [canon_axis(a, ndim, arg) for a in axis]
    raise ShapeError("invalid-argument",
                     f"`{arg}` must be an integer or a list of integers. Received: {arg}={axis!r}",
                     arg=arg)


def dstr(d: Dim) -> str:
    return "None" if d is None else str(d)


def broadcast(s1: Shape, s2: Shape, what: str = "operands") -> Shape:
    """NumPy broadcasting with None dims, as Keras' `broadcast_shapes` and TF's BCast shape fn."""
    n = max(len(s1), len(s2))
    a = (1,) * (n - len(s1)) + tuple(s1)
    b = (1,) * (n - len(s2)) + tuple(s2)
    out: list[Dim] = []
    for x, y in zip(a, b, strict=False):
        if (is_sym(x) and y is not None) or (is_sym(y) and x is not None):
            out.append(broadcast_open(x, y))
        elif x == 1:
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


def outcome(inp: Shape | None, out: Any, *lines: str) -> Result:
    if isinstance(out, list):
        shown = "[" + ", ".join(fmt_shape(o) for o in out) + "]"
    else:
        shown = fmt_shape(out)
    notes = [f"{fmt_shape(inp)} -> {shown}"] if inp is not None else [f"-> {shown}"]
    return Result(outputs=out, params=0, derivation=[ln for ln in lines if ln], notes=notes)


def int_list(value: Any, arg: str) -> list[int]:
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


@cache
def keras_ops() -> dict[str, Any]:
    """Every public keras.ops function: data/keras_ops.json, generated by tools/gen_ops_list.py."""
    text = resources.files("shapelens.engine").joinpath("data/keras_ops.json").read_text()
    ops: dict[str, Any] = json.loads(text)["ops"]
    return ops


def exported(name: str) -> list[str]:
    """Every path Keras exports a keras.ops function under (`keras.ops.conv`,
    `keras.ops.nn.conv`), each also spelled through `tf.keras`."""
    entry = keras_ops().get(name)
    paths = entry["exported"] if entry else [f"keras.ops.{name}"]
    return [q for p in paths for q in (p, f"tf.{p}")]


@cache
def _operations() -> dict[str, str]:
    return {path: entry["operation"] for name, entry in keras_ops().items()
            if "operation" in entry for path in exported(name)}


def operation_name(qualname: str) -> str | None:
    """The snake-case name of the Operation a keras.ops call on a KerasTensor builds (`Reshape`
    for `keras.ops.reshape`: "reshape"); Keras numbers it from the counter layers are named by."""
    return _operations().get(qualname)


def decode_params(params: Sequence[Sequence[Any]]) -> list[tuple[str, Any]]:
    """A generated table's parameter list as (name, default) pairs: `REQ` for a required
    parameter; `*args` and `**kwargs` as the lenient markers `*` and `**`."""
    out: list[tuple[str, Any]] = []
    for p in params:
        if p[0].startswith("**"):
            out.append(("**", None))
        elif p[0].startswith("*"):
            out.append(("*", None))
        else:
            out.append((p[0], decode(p[1]) if len(p) > 1 else REQ))
    return out


def keras_params(name: str) -> list[tuple[str, Any]]:
    """The (name, default) list of a keras.ops function from the generated table."""
    return decode_params(keras_ops()[name]["params"])


def qualnames(keras: Sequence[str] = (), tf: Sequence[str] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in keras:
        for q in exported(k):
            out[q] = "keras"
    for t in tf:
        out[t] = "tf"
    return out


# Parameter names per registered op (tests compare them with the real functions' signatures).
SIGNATURES: dict[str, tuple[str, ...]] = {}


def register(names: Mapping[str, str], params_keras: Sequence[tuple[str, Any]] | None,
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


def keras_op(*names: str) -> Callable[[Impl], Impl]:
    """Register `impl` for keras.ops functions bound against their generated signatures."""

    def deco(impl: Impl) -> Impl:
        for name in names:
            register(qualnames([name]), keras_params(name), None, impl)
        return impl

    return deco



def tensor_list(value: Any, arg: str) -> list[Shape]:
    known(value, arg)
    if not isinstance(value, (list, tuple)):
        raise NotKnown(f"`{arg}` is not a list of tensors the engine can see")
    if not value:
        raise ShapeError("invalid-argument", f"`{arg}` must be a non-empty list of tensors",
                         arg=arg)
    return [shape_of(v, f"{arg}[{i}]") for i, v in enumerate(value)]



def target_shape(value: Any, arg: str) -> Shape:
    known(value, arg)
    if isinstance(value, Tensor):
        raise NotKnown(f"`{arg}` is a tensor whose values are not known statically")
    if is_int(value):
        return (value,)
    if not isinstance(value, (list, tuple)) or not all(v is None or is_int(v) for v in value):
        raise ShapeError("invalid-argument",
                         f"`{arg}` must be a list of integers. Received: {arg}={value!r}", arg=arg)
    return tuple(value)



def reduce_shape(x: Shape, axis: Any, keepdims: bool) -> Shape:
    """Keras' `reduce_shape`: the axes removed, or kept as 1; a listed axis deleted once per
    listing (a repeated axis then removes two), as Keras does."""
    if axis is None:
        return (1,) * len(x) if keepdims else ()
    axes = canon_axes(axis, len(x))
    out = list(x)
    if keepdims:
        for c in axes:
            out[c] = 1
        return tuple(out)
    for c in sorted(axes, reverse=True):
        if c >= len(out):
            raise ShapeError("invalid-argument",
                             f"`axis` lists an axis twice. Received: axis={axis!r}", arg="axis")
        del out[c]
    return tuple(out)


def flat_size(x: Shape) -> Dim:
    """The number of elements, None when a dim is None (what Keras gives a flattened axis)."""
    return None if None in x else math.prod(d for d in x if d is not None)
