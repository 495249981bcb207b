"""Reshapes whose target holds run-time sizes (`tf.reshape(x, [tf.shape(x)[0], -1, c])`): TF's
static inference reads each such size as -1 (`ConstantPartialShape`), so the shape is TF's own.
`keras.ops.reshape` in traced code is `tf.reshape` on the TF backend.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine.args import is_int
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_CALLS
from ..core.sites import Evaluation, Pos, shape_json
from .externals import call_op
from .symbolic import Tracing
from .values import DynamicDim, TensorVal

_SHAPE_ARG = {"tf.reshape": "shape", "tf.compat.v1.reshape": "shape",
              "keras.ops.reshape": "newshape"}


def _partial(target: Any) -> list[Any] | None:
    """The target with each run-time size as -1; None when it holds none."""
    if not isinstance(target, (list, tuple)) or not any(isinstance(d, DynamicDim)
                                                         for d in target):
        return None
    return [-1 if isinstance(d, DynamicDim) else d for d in target]


def reshape(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
            ctx: ModuleCtx) -> Any:
    name = _SHAPE_ARG[qualname]
    target = args[1] if len(args) > 1 else kwargs.get(name)
    partial = _partial(target)
    traced = an.state(Tracing).depth > 0
    if partial is None or (qualname == "keras.ops.reshape" and not traced):
        return call_op(an, qualname, args, kwargs, node, ctx)
    x = args[0] if args else kwargs.get("tensor", kwargs.get("x"))
    return call_op(an, "tf.reshape", [x, partial], {}, node, ctx)


def unstack(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
            ctx: ModuleCtx) -> Any:
    """`tf.unstack(tf.shape(x))`: the sizes themselves (scalars), each a known int or a run-time
    size; anything else is the op's."""
    value = args[0] if args else kwargs.get("value")
    sizes = value if isinstance(value, tuple) and value and all(
        is_int(d) or isinstance(d, DynamicDim) for d in value) else None
    if sizes is None or len(args) > 1 or set(kwargs) - {"value", "name"}:
        return call_op(an, qualname, args, kwargs, node, ctx)
    scalars = [TensorVal(()) for _ in sizes]
    an.record(Pos.of(ctx.path, node), qualname, None,
              Evaluation(shape_json(scalars), [shape_json(TensorVal((len(sizes),)))]), None)
    return list(sizes)


EXTERNAL_CALLS.register(*_SHAPE_ARG)(reshape)
EXTERNAL_CALLS.register("tf.unstack")(unstack)
