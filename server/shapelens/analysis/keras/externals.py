"""Calls of Keras/TF names: `keras.Input`, `Sequential`, `Model`, every `keras.layers.X`, and
the shape functions of `tf.*`, `tf.nn.*`, `keras.ops.*`, `keras.backend.*` through the engine.

Registered by name and prefix in the core's `EXTERNAL_CALLS`; op calls in `siteops` are sites.
"""

from __future__ import annotations

import ast
from typing import Any, cast

from ... import engine
from ...engine import ShapeError, Unknown
from ..core.context import Host, ModuleCtx
from ..core.convert import to_engine
from ..core.dispatch import EXTERNAL_CALLS
from ..core.sites import Evaluation, Pos, shape_json, symbolic_json
from . import symshapes
from .layers import _FUNCTIONAL_FORMS, functional_merge, make_input, make_layer
from .mergecheck import check_op
from .migration import keras_tensor_in_tf_op
from .models import make_functional, make_sequential
from .siteops import is_site_op
from .symbolic import name_op_call
from .tensors import eager, fails_on_every_path, is_tensor_like, tensors_from, unknown_tensor


@EXTERNAL_CALLS.register("keras.Input")
def _input(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
           ctx: ModuleCtx) -> Any:
    return make_input(an, args, kwargs, Pos.of(ctx.path, node), node)


@EXTERNAL_CALLS.register("keras.Sequential")
def _sequential(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST, ctx: ModuleCtx) -> Any:
    return make_sequential(an, args, kwargs, Pos.of(ctx.path, node))


@EXTERNAL_CALLS.register("keras.Model")
def _model(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
           ctx: ModuleCtx) -> Any:
    return make_functional(an, args, kwargs, Pos.of(ctx.path, node))


@EXTERNAL_CALLS.register("keras.layers.")
def _layer(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
           ctx: ModuleCtx) -> Any:
    name = qualname[len("keras.layers.") :]
    if name in _FUNCTIONAL_FORMS:
        return functional_merge(an, name, args, kwargs, cast(ast.Call, node), ctx)
    return make_layer(an, name, args, kwargs, Pos.of(ctx.path, node), node=node)


@EXTERNAL_CALLS.register("tf.", "keras.ops.", "keras.backend.")
def call_op(
    an: Host,
    qualname: str,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    ctx: ModuleCtx,
) -> Any:
    blocked = keras_tensor_in_tf_op(an, qualname, args, kwargs, node, ctx)
    if blocked is not None:  # Keras 3 raises before any shape is computed
        return blocked
    name_op_call(an, qualname, [args, kwargs])
    pos = Pos.of(ctx.path, node)
    try:
        result = engine.apply_op(qualname, to_engine(args), to_engine(kwargs))
    except ShapeError as e:
        if not fails_on_every_path([args, kwargs], lambda v: engine.apply_op(
                qualname, to_engine(v[0]), to_engine(v[1]))):
            return unknown_tensor(f"TensorFlow rejects this call on some paths: {e.message}")
        an.report(pos, e.code, f"{qualname.rsplit('.', 1)[-1]}: {e.message}")
        if is_site_op(qualname):
            an.record(pos, qualname, None, None, 0)
        return unknown_tensor(f"TensorFlow rejects this call: {e.message}")
    tensor_args = [a for a in [*args, *kwargs.values()] if is_tensor_like(a) or isinstance(a, list)]
    if result is None:
        if not any(is_tensor_like(a) for a in args):
            return Unknown(f"`{qualname}` is not modelled")
        t = unknown_tensor(f"`{qualname}` is not modelled by ShapeLens")
        if is_site_op(qualname):
            an.record(pos, qualname, None, Evaluation(None, shape_json(args), unknown=t.why), 0)
        return eager(t, args)
    out = tensors_from(result, None, tensor_args, {})
    check_op(an, qualname, args, kwargs, pos)
    symshapes.follow(out, [args, kwargs], lambda v: engine.apply_op(
        qualname, to_engine(v[0]), to_engine(v[1])))
    if tensor_args and is_site_op(qualname):
        an.record(
            pos,
            qualname,
            None,
            Evaluation(
                shape_json(out),
                [shape_json(a) for a in args if is_tensor_like(a)],
                result.derivation,
                result.notes,
                result.unknown,
                symbolic=symbolic_json(out),
                symbolic_derivation=symshapes.symbolic_derivation(out),
            ),
            None,
        )
    return eager(out, tensor_args)
