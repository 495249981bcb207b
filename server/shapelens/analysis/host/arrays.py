"""What Python does with a host array, registered by kind: `.shape`/`.ndim`/`.size`/`.dtype`,
its methods (`reshape`, `astype`, `sum`, ...), indexing, arithmetic, iteration, `len()`, joins.

A shape that does not follow is an array of unknown shape with the reason; never an error.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from ...engine import Tensor, Unknown
from ..core.builtins import Builtin
from ..core.context import Host, ModuleCtx
from ..core.dispatch import (
    ATTR,
    BINOP,
    ITERATE,
    JOIN,
    LEN,
    SHAPE_JSON,
    SHOWN,
    SUBSCRIPT,
    TO_ENGINE,
    TRUTH,
    UNARY,
)
from ..core.joins import WHY
from ..core.values import ExternalRef
from ..keras.tensors import tensor_binop
from ..keras.values import TensorVal
from . import dtypes, shapes
from .shapes import NoShape
from .values import Dims, HostArray, unknown_array

NEWAXIS = ExternalRef("numpy.newaxis")
MAX_VALUES = 1024  # elements of an array whose values we keep (a literal, an arange)


# --- building arrays ------------------------------------------------------------------------


def nested_shape(v: Any) -> Dims | None:
    """The shape numpy gives a nested list of numbers (None when ragged or not numbers)."""
    if isinstance(v, (list, tuple)):
        inner = [nested_shape(x) for x in v]
        if not inner:
            return (0,)
        if any(s is None or s != inner[0] for s in inner):
            return None
        return (len(v), *inner[0])  # type: ignore[misc]
    if isinstance(v, (int, float)):
        return ()
    return None


def _flat(v: Any) -> list[Any]:
    return [x for item in v for x in _flat(item)] if isinstance(v, (list, tuple)) else [v]


def as_array(v: Any, dtype: str | None = None) -> HostArray | None:
    """A value numpy would turn into an array (`np.asarray(v)`); None when not one we can see."""
    if isinstance(v, HostArray):
        return v
    if isinstance(v, (int, float)):
        return HostArray((), dtype or dtypes.of_scalar(v), values=v)
    if isinstance(v, (list, tuple)):
        shape = nested_shape(v)
        if shape is not None:
            flat = _flat(v)
            kind = "float64" if any(isinstance(x, float) for x in flat) else (
                "bool" if flat and all(isinstance(x, bool) for x in flat) else "int64")
            values = _lists(v) if len(flat) <= MAX_VALUES else None
            return HostArray(shape, dtype or kind, values=values)
        parts = [as_array(x) for x in v]
        if v and all(p is not None and p.shape is not None for p in parts):
            try:
                inner = shapes.stack([p.shape for p in parts])[1:]  # type: ignore[union-attr]
            except NoShape as e:
                return unknown_array(str(e))
            return HostArray((len(v), *inner), dtype or parts[0].dtype)  # type: ignore[union-attr]
    return None


def _lists(v: Any) -> Any:
    return [_lists(x) for x in v] if isinstance(v, (list, tuple)) else v


def shape_or_unknown(fn: Callable[[], Dims], dtype: str | None = None,
                     rank: int | None = None, why: str | None = None) -> HostArray:
    """The array `fn` shapes, or one of unknown shape with the reason it gave; a dim left
    unknown keeps the reason of the operand's (`why`)."""
    try:
        shape = fn()
    except NoShape as e:
        return unknown_array(str(e), rank, dtype)
    if None in shape:
        return HostArray(shape, dtype, why=why or "a dimension not known statically")
    return HostArray(shape, dtype)


def dim_value(d: int | None, why: str | None) -> Any:
    return d if d is not None else Unknown(why or "a dimension not known statically")


def shape_tuple(a: HostArray) -> Any:
    """`a.shape` as numpy gives it: plain ints; a dim not known is Unknown with the reason."""
    if a.shape is None:
        return Unknown(a.why or "the array's rank is not known statically")
    return tuple(dim_value(d, a.why) for d in a.shape)


def scalar_or_array(values: Any, dtype: str | None) -> Any:
    """A 0-d result: a plain number when known (numpy scalars behave as numbers)."""
    if isinstance(values, (int, float)):
        return values
    return HostArray((), dtype)


# --- attributes and methods -----------------------------------------------------------------


def _method(name: str, fn: Callable[..., Any]) -> Builtin:
    return Builtin(name, lambda an, args, kwargs, node, ctx, env: fn(*args, **kwargs))


def _shape_arg(args: tuple[Any, ...], kwargs: dict[str, Any], key: str = "shape") -> Any:
    """`a.reshape(2, 3)` or `a.reshape((2, 3))`."""
    if key in kwargs:
        return kwargs[key]
    if len(args) == 1:
        return args[0]
    return tuple(args)


def reshape(a: HostArray, target: Any) -> HostArray:
    return shape_or_unknown(lambda: shapes.reshape(a.shape, target), a.dtype, why=a.why)


_FOLDS: dict[str, Callable[[list[Any]], Any]] = {
    "sum": sum, "max": max, "min": min, "amax": max, "amin": min,
    "prod": lambda xs: _product(xs), "mean": lambda xs: sum(xs) / len(xs),
}


def _product(xs: list[Any]) -> Any:
    n = 1
    for x in xs:
        n *= x
    return n


def reduce(a: HostArray, axis: Any = None, keepdims: Any = False, dtype: str | None = None,
           name: str = "") -> Any:
    """A reduction; over all axes of known values (`np.prod(x.shape[1:])`), the number itself."""
    fold = _FOLDS.get(name)
    if axis is None and keepdims is False and fold is not None and a.values is not None:
        flat = _flat(a.values)
        if flat and all(isinstance(x, (int, float)) for x in flat):
            return fold(flat)
    return shape_or_unknown(lambda: shapes.reduce(a.shape, axis, keepdims), dtype or a.dtype,
                            why=a.why)


def astype(a: HostArray, dtype: Any, *rest: Any, **kwargs: Any) -> HostArray:
    name = dtypes.dtype_name(dtype)
    values = a.values if name is None or not name.startswith(("float", "int", "uint")) else (
        _map_values(a.values, float if name.startswith("float") else int))
    return HostArray(a.shape, name, values=values, why=a.why, eager=a.eager)


def _map_values(v: Any, fn: Callable[[Any], Any]) -> Any:
    if v is None:
        return None
    try:
        return [_map_values(x, fn) for x in v] if isinstance(v, list) else fn(v)
    except (TypeError, ValueError, OverflowError):
        return None


def transpose(a: HostArray, *axes: Any, **kwargs: Any) -> HostArray:
    order = kwargs.get("axes", axes[0] if len(axes) == 1 else (axes or None))
    return shape_or_unknown(lambda: shapes.transpose(a.shape, order), a.dtype, a.rank, a.why)


def same(a: HostArray) -> HostArray:
    return HostArray(a.shape, a.dtype, why=a.why, eager=a.eager)


_REDUCTIONS = {"sum", "mean", "max", "min", "prod", "std", "var", "any", "all", "argmax",
               "argmin", "ptp", "cumsum"}
_SAME_SHAPE = {"copy", "clip", "round", "__abs__", "conj", "cumprod", "fill"}


def _array_method(a: HostArray, attr: str) -> Any:
    if attr == "reshape":
        return _method(attr, lambda *s, **k: reshape(a, _shape_arg(s, k)))
    if attr == "astype":
        return _method(attr, lambda *s, **k: astype(a, s[0] if s else k.get("dtype")))
    if attr in ("transpose",):
        return _method(attr, lambda *s, **k: transpose(a, *s, **k))
    if attr == "squeeze":
        return _method(attr, lambda axis=None: shape_or_unknown(
            lambda: shapes.squeeze(a.shape, axis), a.dtype, why=a.why))
    if attr in ("flatten", "ravel"):
        return _method(attr, lambda *s, **k: reshape(a, (-1,)))
    if attr == "swapaxes":
        return _method(attr, lambda i, j: _swap(a, i, j))
    if attr in ("argmax", "argmin"):
        return _method(attr, lambda axis=None, out=None, keepdims=False: reduce(
            a, axis, keepdims, "int64"))
    if attr == "cumsum":
        return _method(attr, lambda axis=None, **k: same(a) if axis is not None else reshape(
            a, (-1,)))
    if attr in _REDUCTIONS:
        return _method(attr, lambda axis=None, *r, keepdims=False, **k: reduce(
            a, axis, keepdims, "bool" if attr in ("any", "all") else None, attr))
    if attr in _SAME_SHAPE:
        return _method(attr, lambda *s, **k: same(a))
    if attr in ("tolist", "item"):
        return _method(attr, lambda *s: a.values if a.values is not None and not s else Unknown(
            "the array's values are not known statically"))
    if attr == "numpy" and a.eager:
        return _method(attr, lambda: HostArray(a.shape, a.dtype, a.values, a.why))
    return Unknown(f"array attribute `{attr}` is not modelled")


def _swap(a: HostArray, i: Any, j: Any) -> HostArray:
    def run() -> Dims:
        rank = shapes._known(a.shape)
        order = list(range(len(rank)))
        x, y = shapes._axis(i, len(rank)), shapes._axis(j, len(rank))
        order[x], order[y] = order[y], order[x]
        return shapes.transpose(a.shape, order)

    return shape_or_unknown(run, a.dtype, a.rank, a.why)


@ATTR.register(HostArray)
def _attr(an: Host, a: HostArray, attr: str, node: ast.AST | None = None,
          ctx: ModuleCtx | None = None) -> Any:
    if attr == "shape":
        return shape_tuple(a)
    if attr == "ndim":
        return a.rank if a.rank is not None else Unknown(a.why or "the rank is not known")
    if attr == "size":
        return a.size if a.size is not None else Unknown(a.why or "the size is not known")
    if attr == "dtype":
        return a.dtype if a.dtype is not None else Unknown(a.why or "the dtype is not known")
    if attr == "T":
        return transpose(a)
    if attr == "get_shape" and a.eager:
        return _method(attr, lambda: shape_tuple(a))
    return _array_method(a, attr)


# --- indexing -------------------------------------------------------------------------------


def _index_values(values: Any, key: Any) -> Any:
    """The values of `a[key]` for plain keys on a 1-d or 2-d list of values, else None."""
    if values is None:
        return None
    try:
        if isinstance(key, tuple):
            out = values
            for k in key:
                if not isinstance(k, int) or isinstance(k, bool):
                    return None
                out = out[k]
            return out
        if isinstance(key, (int, slice)) and not isinstance(key, bool):
            return values[key]
    except (IndexError, TypeError):
        return None
    return None


def _newaxis(key: Any) -> Any:
    """`np.newaxis` is None (the analyser keeps numpy's names as references)."""
    if isinstance(key, tuple):
        return tuple(_newaxis(k) for k in key)
    return None if key == NEWAXIS else key


@SUBSCRIPT.register(HostArray)
def getitem(an: Host, a: HostArray, key: Any, node: ast.AST | None = None,
            ctx: ModuleCtx | None = None) -> Any:
    key = _newaxis(key)
    try:
        shape = shapes.index(a.shape, key)
    except NoShape as e:
        return unknown_array(str(e), dtype=a.dtype)
    values = _index_values(a.values, key)
    if shape == ():
        return scalar_or_array(values, a.dtype)
    why = (a.why or "a slice whose bounds are not known statically") if None in shape else None
    return HostArray(shape, a.dtype, values=values if isinstance(values, list) else None,
                     why=why, eager=a.eager)


# --- arithmetic -----------------------------------------------------------------------------

_OPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


def _values_op(fn: Callable[[Any, Any], Any] | None, x: Any, y: Any) -> Any:
    """Element-wise on known values (same shape, or one a scalar); None when not computable."""
    if fn is None or x is None or y is None:
        return None
    try:
        if isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                return None
            out = [_values_op(fn, p, q) for p, q in zip(x, y)]
        elif isinstance(x, list):
            out = [_values_op(fn, p, y) for p in x]
        elif isinstance(y, list):
            out = [_values_op(fn, x, q) for q in y]
        else:
            r = fn(x, y)
            return r if isinstance(r, (int, float)) and abs(r) < 1e300 else None
    except (ArithmeticError, TypeError, ValueError):
        return None
    return None if any(v is None for v in out) else out


def matmul(a: Dims | None, b: Dims | None) -> Dims:
    a, b = shapes._known(a, "an operand"), shapes._known(b, "an operand")
    if not a or not b:
        raise NoShape("numpy would raise: matmul of a 0-d array")
    a2 = (1, *a) if len(a) == 1 else a
    b2 = (*b, 1) if len(b) == 1 else b
    shapes._merge(a2[-1], b2[-2])
    batch = shapes.broadcast(a2[:-2], b2[:-2])
    out = (*batch, *((a2[-2],) if len(a) > 1 else ()), *((b2[-1],) if len(b) > 1 else ()))
    return tuple(out)


def arith(op: ast.operator, a: Any, b: Any) -> Any:
    """`a op b` where one side is a host array and the other an array-like or a number."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        why = (a if isinstance(a, Unknown) else b).reason
        return unknown_array(f"arithmetic with a value not known statically ({why})")
    x, y = as_array(a), as_array(b)
    if x is None or y is None:
        return unknown_array("arithmetic with a value that is not an array")
    divide = isinstance(op, ast.Div)
    if isinstance(a, (int, float)):
        dtype = dtypes.with_scalar(y.dtype, a, divide)
    elif isinstance(b, (int, float)):
        dtype = dtypes.with_scalar(x.dtype, b, divide)
    else:
        dtype = dtypes.promote(x.dtype, y.dtype, divide)
    try:
        if isinstance(op, ast.MatMult):
            shape = matmul(x.shape, y.shape)
        else:
            shape = shapes.broadcast(x.shape, y.shape)
    except NoShape as e:
        return unknown_array(str(e))
    values = None if isinstance(op, ast.MatMult) else _values_op(_OPS.get(type(op)), x.values,
                                                                 y.values)
    if shape == () and isinstance(values, (int, float)):
        return values
    eager = x.eager or y.eager
    why = (x.why or y.why or "a dimension not known statically") if None in shape else None
    return HostArray(shape, dtype, values=values, why=why, eager=eager)


@BINOP.register(HostArray)
def _binop(an: Host, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    if isinstance(a, TensorVal) or isinstance(b, TensorVal):
        # Keras converts the array: the result is a symbolic tensor (and its errors are Keras').
        return tensor_binop(an, op, a, b, node, ctx)
    return arith(op, a, b)


@UNARY.register(HostArray)
def _unary(an: Host, op: ast.unaryop, a: HostArray, node: ast.AST, ctx: ModuleCtx) -> Any:
    if isinstance(op, ast.Not):
        return Unknown("the truth of an array is not known statically")
    values = _map_values(a.values, operator.neg) if isinstance(op, ast.USub) else (
        a.values if isinstance(op, ast.UAdd) else None)
    return HostArray(a.shape, a.dtype, values=values, why=a.why, eager=a.eager)


# --- the other operations -------------------------------------------------------------------


@ITERATE.register(HostArray)
def _items(a: HostArray) -> list[Any] | None:
    if isinstance(a.values, list):
        return [x if not isinstance(x, list) else HostArray(nested_shape(x), a.dtype, values=x)
                for x in a.values]
    if not a.shape or not isinstance(a.shape[0], int) or a.shape[0] > MAX_VALUES:
        return None
    return [HostArray(a.shape[1:], a.dtype, why=a.why, eager=a.eager) for _ in range(a.shape[0])]


@LEN.register(HostArray)
def _len(a: HostArray) -> Any:
    if a.shape == ():
        return Unknown("len() of a 0-d array: numpy raises TypeError")
    if not a.shape or a.shape[0] is None:
        return Unknown(a.why or "the array's length is not known statically")
    return a.shape[0]


@TRUTH.register(HostArray)
def _truth(a: HostArray) -> bool | None:
    v = a.values
    while isinstance(v, list) and len(v) == 1:
        v = v[0]
    return bool(v) if isinstance(v, (int, float)) else None


@JOIN.register(HostArray)
def _join(a: HostArray, b: HostArray, exact: bool = True) -> HostArray:
    # No per-path shapes are kept: a dim the branches disagree on is unknown, and concrete
    # data of unknown size never yields an error (see keras.tensors.shape_of).
    dtype = a.dtype if a.dtype == b.dtype else None
    if a.shape is not None and b.shape is not None and len(a.shape) == len(b.shape):
        dims = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        values = a.values if a.values == b.values else None
        return HostArray(dims, dtype, values, why=None if dims == a.shape else WHY,
                         eager=a.eager and b.eager)
    return HostArray(None, dtype, why=WHY)


@TO_ENGINE.register(HostArray)
def _to_engine(a: HostArray) -> Any:
    # Known values stand for themselves (`pool_size=np.array([2, 2])`); the engine reads a
    # nested list as a tensor too.
    if a.values is not None:
        return a.values
    if a.shape is None or None in a.shape[1:]:
        # a size not known statically is not TF's dynamic dim (see keras.tensors.shape_of)
        return Unknown(a.why or "an array whose shape is not known statically")
    return Tensor(a.shape)


@SHAPE_JSON.register(HostArray)
def _shape_json(a: HostArray) -> Any:
    return None if a.shape is None else list(a.shape)


@SHOWN.register(HostArray)
def _shown(a: HostArray, assigned: bool) -> bool:
    """Concrete data shows where a call makes it when every dim is known: a size not known
    statically would read as Keras' "any size" None, and a scalar (`np.sum(a)`) adds noise."""
    return bool(a.shape) and all(isinstance(d, int) for d in a.shape or ())
