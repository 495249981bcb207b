"""Keras tensors as values: their shape to the engine and back, and what Python does with them
(`x.shape`, `x[:, 1:]`, `x + y`, `-x`, `len(x)`, iteration, joins), registered by kind.

Every shape comes from the engine; a value the engine cannot take is Unknown with the reason.
"""

from __future__ import annotations

import ast
import itertools
import math
from collections.abc import Callable
from typing import Any

from ... import engine
from ...engine import Result, ShapeError, Tensor, Unknown
from ..core.builtins import Builtin
from ..core.context import Host, ModuleCtx
from ..core.convert import to_engine
from ..core.dispatch import (
    ATTR,
    BINOP,
    CONCRETE,
    ITERATE,
    JOIN,
    LEN,
    SHAPE_JSON,
    SHOWN,
    SUBSCRIPT,
    TO_ENGINE,
    UNARY,
)
from ..core.joins import WHY
from ..core.sites import Pos
from . import symshapes
from .mergecheck import check_op
from .symbolic import GET_ITEM, OPERATORS, name_operation
from .values import LayerObj, TensorVal, leaves

Analyzer = Host


@TO_ENGINE.register(TensorVal)
def _tensor_to_engine(t: TensorVal) -> Tensor:
    return Tensor(t.shape)


@TO_ENGINE.register(LayerObj)
def _layer_to_engine(lo: LayerObj) -> Any:
    return lo.constructed if lo.constructed is not None else Unknown(lo.error or "a layer")


def shape_of(v: Any) -> Any:
    """Engine input shape(s) from analyser tensors (nested lists kept); a value of another kind
    that carries a shape (concrete data: Keras converts it) by its `SHAPE_JSON`."""
    if isinstance(v, TensorVal):
        return v.shape
    if isinstance(v, (list, tuple)):
        return [shape_of(x) for x in v]
    if isinstance(v, dict):
        return [shape_of(x) for x in v.values()]
    handler = SHAPE_JSON.find(v)
    if handler is not None:
        shape = handler(v)
        # Concrete data has no dynamic dims: a None there is a size not known statically, which
        # Keras' None (any size) would misread (Dense needs its last dim); only the first axis,
        # the batch axis once converted, may stay None.
        if not isinstance(shape, list) or None in shape[1:]:
            return None
        return tuple(shape)
    return None


def is_tensor_like(v: Any) -> bool:
    """A symbolic tensor, or a value of another kind that carries a shape (concrete data)."""
    return isinstance(v, TensorVal) or SHAPE_JSON.find(v) is not None


def eager(out: Any, inputs: Any) -> Any:
    """A call whose tensor inputs are all concrete data (no symbolic tensor) runs eagerly in
    Keras 3: its outputs are concrete data too, as the plug-in of that kind says (`CONCRETE`)."""
    if isinstance(inputs, list):
        for x in inputs:  # a symbolic tensor among the arguments themselves: most calls
            if isinstance(x, TensorVal):
                return out
    values = leaves(inputs)
    if any(isinstance(x, TensorVal) for x in values) or not any(map(is_tensor_like, values)):
        return out
    answer = CONCRETE.ask(out)
    return out if answer is None else answer


def tensors_from(result: Result, layer: Any, inputs: Any, call_kwargs: dict[str, Any]) -> Any:
    out = result.outputs
    if not isinstance(out, list):  # one output (most calls): `_built`'s tensor, made here
        return TensorVal(out, layer, inputs, call_kwargs, 0, why=result.unknown,
                         derivation=list(result.derivation))
    return _built(out, [0], result, layer, inputs, call_kwargs)


def _built(out: Any, idx: list[int], result: Result, layer: Any, inputs: Any,
           call_kwargs: dict[str, Any]) -> Any:
    # A module function, not a recursive closure: a closure that calls itself is a reference
    # cycle, and every tensor it made would wait for the cyclic collector to be freed.
    if isinstance(out, list):
        return [_built(o, idx, result, layer, inputs, call_kwargs) for o in out]
    t = TensorVal(out, layer, inputs, call_kwargs, idx[0], why=result.unknown,
                  derivation=list(result.derivation))
    idx[0] += 1
    return t


def unknown_tensor(why: str, layer: Any = None, inputs: Any = None) -> TensorVal:
    return TensorVal(None, layer, inputs, why=why)


@ATTR.register(TensorVal)
def tensor_attr(an: Analyzer, t: TensorVal, attr: str, node: ast.AST | None = None,
                ctx: ModuleCtx | None = None) -> Any:
    if attr in ("shape",):
        return tuple(t.shape) if t.shape is not None else Unknown(t.why or "unknown rank")
    if attr == "ndim":
        return t.rank if t.rank is not None else Unknown(t.why or "unknown rank")
    if attr in ("get_shape",):
        return Builtin("get_shape", lambda an, a, k, n, c, e: tensor_attr(an, t, "shape"))
    if attr in ("numpy", "eval"):
        return Builtin(attr, lambda an, a, k, n, c, e: TensorVal(t.shape))
    return Unknown(f"tensor attribute `{attr}` is not modelled")


def input_shape_arg(first: Any) -> Any:
    """The `input_shape` a custom layer's `build` receives: a tuple, or a list of tuples."""
    if isinstance(first, TensorVal):
        return tuple(first.shape) if first.shape is not None else Unknown("unknown input shape")
    if isinstance(first, (list, tuple)):
        return [input_shape_arg(f) for f in first]
    return Unknown("unknown input shape")


def as_tensors(out: Any, inst: Any, inputs: Any) -> Any:
    """A custom layer's outputs, re-tagged as produced by it (its internals are not the graph)."""
    if isinstance(out, Unknown):
        return unknown_tensor(out.reason, inst, inputs)
    if isinstance(out, TensorVal):
        return TensorVal(out.shape, inst, inputs, why=out.why, sym=out.sym)
    if isinstance(out, (list, tuple)):
        return type(out)(as_tensors(o, inst, inputs) for o in out)
    if isinstance(out, dict):
        return {k: as_tensors(v, inst, inputs) for k, v in out.items()}
    return out


@SUBSCRIPT.register(TensorVal)
def tensor_getitem(an: Analyzer, t: TensorVal, key: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    name_operation(an, GET_ITEM, t)
    try:
        result = engine.apply_op("getitem", [Tensor(t.shape), to_engine(key)], {})
    except ShapeError as e:
        if not fails_on_every_path(t, lambda v: engine.apply_op(
                "getitem", [Tensor(v.shape), to_engine(key)], {})):
            return unknown_tensor(f"indexing fails on some paths: {e.message}")
        an.report(Pos.of(ctx.path, node), e.code, f"indexing: {e.message}")
        return unknown_tensor(e.message)
    if result is None:
        return unknown_tensor("indexing is not modelled")
    if result.unknown:
        return unknown_tensor(result.unknown)
    out = TensorVal(result.outputs, None, t)  # Keras' GetItem: a node of the graph
    symshapes.follow(out, t, lambda v: engine.apply_op("getitem", [Tensor(v.shape),
                                                                    to_engine(key)], {}))
    return out


@BINOP.register(TensorVal)
def tensor_binop(
    an: Analyzer, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx
) -> Any:
    # The keras.ops function the operator is on a KerasTensor (its dunder method); its shape rule
    # is the same on tf tensors. Others (shifts) broadcast as `add` does.
    name = OPERATORS.get(type(op), "add")
    name_operation(an, OPERATORS.get(type(op)), [a, b])
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return unknown_tensor("arithmetic with a value not known statically")
    try:
        result = engine.apply_op(f"keras.ops.{name}", [to_engine(a), to_engine(b)], {})
    except ShapeError as e:
        if not fails_on_every_path([a, b], lambda v: engine.apply_op(
                f"keras.ops.{name}", [to_engine(v[0]), to_engine(v[1])], {})):
            return unknown_tensor(f"`{name}` fails on some paths: {e.message}")
        an.report(Pos.of(ctx.path, node), e.code, e.message)
        return unknown_tensor(e.message)
    if result is None:
        scalar_other = not isinstance(a, TensorVal) or not isinstance(b, TensorVal)
        t = a if isinstance(a, TensorVal) else b
        if scalar_other and isinstance(a if t is b else b, (int, float)):
            return TensorVal(t.shape, sym=t.sym)
        return unknown_tensor(f"`{name}` on tensors is not modelled")
    out = tensors_from(result, None, [a, b], {})
    check_op(an, f"keras.ops.{name}", [a, b], {}, Pos.of(ctx.path, node))
    symshapes.follow(out, [a, b], lambda v: engine.apply_op(
        f"keras.ops.{name}", [to_engine(v[0]), to_engine(v[1])], {}))
    return out


@UNARY.register(TensorVal)
def _tensor_unary(an: Analyzer, op: ast.unaryop, t: TensorVal, node: ast.AST,
                  ctx: ModuleCtx) -> Any:
    name_operation(an, OPERATORS.get(type(op)), t)
    return TensorVal(t.shape, None, t, sym=t.sym)


@ITERATE.register(TensorVal)
def _tensor_items(t: TensorVal) -> list[Any] | None:
    """Iterating a tensor of known leading size gives its slices (`for row in x`)."""
    if t.shape is None or t.shape[:1] == (None,):
        return None
    n = t.shape[0] if t.shape else 0
    if isinstance(n, int) and n <= 1024:
        return [TensorVal(t.shape[1:]) for _ in range(n)]
    return None


@LEN.register(TensorVal)
def _tensor_len(t: TensorVal) -> Any:
    s = t.shape
    return s[0] if s and s[0] is not None else Unknown("len() of a tensor of unknown size")


MAX_PATHS = 16  # joined paths we re-check an error on; beyond that an error is never certain


@JOIN.register(TensorVal)
def _join_tensors(a: TensorVal, b: TensorVal, exact: bool) -> TensorVal:
    paths: tuple[Any, ...] = ()
    if exact and a.paths != () and b.paths != ():
        for p in (a.paths or (a.shape,)) + (b.paths or (b.shape,)):
            paths += (p,) if p not in paths else ()
        paths = paths if len(paths) <= MAX_PATHS else ()
    if a.shape is not None and b.shape is not None and len(a.shape) == len(b.shape):
        dims = tuple(x if x == y else None for x, y in zip(a.shape, b.shape))
        return TensorVal(dims, why=None if dims == a.shape else WHY, paths=paths)
    return TensorVal(None, why=WHY, paths=paths)


def _joined(value: Any, out: dict[int, TensorVal]) -> None:
    if isinstance(value, TensorVal) and value.paths is not None:
        out[id(value)] = value
    elif isinstance(value, (list, tuple)):
        for v in value:
            _joined(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            _joined(v, out)


def _substitute(value: Any, shapes: dict[int, Any]) -> Any:
    if isinstance(value, TensorVal) and id(value) in shapes:
        return TensorVal(shapes[id(value)])
    if isinstance(value, list):
        return [_substitute(v, shapes) for v in value]
    if isinstance(value, tuple):
        return tuple(_substitute(v, shapes) for v in value)
    if isinstance(value, dict):
        return {k: _substitute(v, shapes) for k, v in value.items()}
    return value


def per_path(values: Any, attempt: Callable[[Any], Any]) -> tuple[list[Any], list[Any]] | None:
    """`attempt` run with each path's shapes where some of `values` join branches: what it
    returned on the paths that succeed, and the errors of those that fail. None when no value is
    a join, or there are too many paths to try."""
    if isinstance(values, TensorVal) and values.paths is None:
        return None  # one tensor, no join: most layer calls
    joined: dict[int, TensorVal] = {}
    _joined(values, joined)
    if not joined:
        return None
    choices = [[(i, p) for p in t.paths or ()] for i, t in joined.items()]
    if any(not c for c in choices) or math.prod(len(c) for c in choices) > MAX_PATHS:
        return None
    ok: list[Any] = []
    failed: list[Any] = []
    for combo in itertools.product(*choices):
        try:
            ok.append(attempt(_substitute(values, dict(combo))))
        except ShapeError as e:
            failed.append(e)
        except Exception:
            return None
    return ok, failed


def join_shapes(shapes: list[Any]) -> TensorVal:
    """One tensor for the output shapes of several paths (each path's shape kept)."""
    first = shapes[0]
    if all(s == first for s in shapes):
        return TensorVal(first)
    paths = tuple(dict.fromkeys(shapes))
    if all(isinstance(s, tuple) and isinstance(first, tuple) and len(s) == len(first)
           for s in shapes):
        dims = tuple(d if all(s[i] == d for s in shapes) else None for i, d in enumerate(first))
        return TensorVal(dims, why=WHY, paths=paths)
    return TensorVal(None, why=WHY, paths=paths)


def fails_on_every_path(values: Any, attempt: Callable[[Any], Any]) -> bool:
    """Whether `attempt(values)` raises ShapeError on every path that reaches it, where some of
    `values` are joins of branches: each path's shapes are tried. An error is reported only then.
    """
    joined: dict[int, TensorVal] = {}
    _joined(values, joined)
    if not joined:
        return True
    choices = [[(i, p) for p in t.paths or ()] for i, t in joined.items()]
    if any(not c for c in choices) or math.prod(len(c) for c in choices) > MAX_PATHS:
        return False
    for combo in itertools.product(*choices):
        try:
            attempt(_substitute(values, dict(combo)))
        except ShapeError:
            continue
        except Exception:
            return False
        return False
    return True


@SHAPE_JSON.register(TensorVal)
def _tensor_shape_json(t: TensorVal) -> Any:
    if t.shape is None:
        return None
    # A dim is an int or None in every output (a value not known statically is None there).
    if _INT_OR_NONE.issuperset(map(type, t.shape)):
        return list(t.shape)  # nearly every shape, and the check runs for every site
    return [d if type(d) is int or (isinstance(d, int) and not isinstance(d, bool)) else None
            for d in t.shape]


_INT_OR_NONE = frozenset((int, type(None)))


def unknown_result(args: list[Any], reason: str) -> TensorVal | None:
    """What an unmodelled function gives when a tensor goes in: a tensor of unknown shape."""
    return unknown_tensor(reason) if any(isinstance(a, TensorVal) for a in args) else None


@SHOWN.register(TensorVal)
def _tensor_shown(t: TensorVal, assigned: bool) -> bool:
    """A symbolic tensor shows at a user-function call; assigned from a call that is no site of
    its own (an element-wise op, `ops.relu(x)`) it keeps its input's shape and does not."""
    return not assigned
