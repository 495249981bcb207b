"""Calls into user code: functions (argument binding as Python does), classes, custom layers.

A subclassed `keras.Model`/`Layer` instance is called the Keras way: `build` once with the
input shape, then `call` evaluated with the shapes of that call; its site is the call expression.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING, Any

from ..engine import Unknown
from . import syntax
from .interpreter import BreakSignal, ContinueSignal, Frame, ReturnSignal
from .joins import join_values
from .scope import Env
from .sites import Evaluation, Pos, shape_json
from .values import ClassVal, FuncVal, Instance, LayerObj, ModelObj, TensorVal

if TYPE_CHECKING:
    from .analyzer import Analyzer, ModuleCtx


def bind_args(fv: FuncVal, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any] | str:
    """Python's argument binding; a str is the TypeError Python would raise."""
    a = fv.node.args
    positional = [*a.posonlyargs, *a.args]
    out: dict[str, Any] = {}
    for p, v in zip(positional, args):
        out[p.arg] = v
    extra = list(args[len(positional) :])
    if extra:
        if a.vararg is None:
            n = len(positional)
            return f"{fv.qualname}() takes {n} positional arguments but {len(args)} were given"
    if a.vararg is not None:
        out[a.vararg.arg] = tuple(extra)
    rest: dict[str, Any] = {}
    names = {p.arg for p in positional} | {p.arg for p in a.kwonlyargs}
    for k, v in kwargs.items():
        if k in names:
            if k in out:
                return f"{fv.qualname}() got multiple values for argument '{k}'"
            out[k] = v
        elif a.kwarg is not None:
            rest[k] = v
        else:
            return f"{fv.qualname}() got an unexpected keyword argument '{k}'"
    if a.kwarg is not None:
        out[a.kwarg.arg] = rest
    n_def = len(fv.defaults)
    for i, p in enumerate(positional):
        if p.arg not in out:
            j = i - (len(positional) - n_def)
            if j >= 0:
                out[p.arg] = fv.defaults[j]
            else:
                return f"{fv.qualname}() missing required argument '{p.arg}'"
    for p in a.kwonlyargs:
        if p.arg not in out:
            if p.arg in fv.kw_defaults:
                out[p.arg] = fv.kw_defaults[p.arg]
            else:
                return f"{fv.qualname}() missing required keyword-only argument '{p.arg}'"
    return out


def call_function(
    an: Analyzer,
    fv: FuncVal,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    ctx: ModuleCtx,
) -> Any:
    if an.depth >= an.options.max_depth:
        return Unknown(
            f"calls nested deeper than {an.options.max_depth} (recursion?) are not followed"
        )
    bound = bind_args(fv, args, kwargs)
    if isinstance(bound, str):
        return Unknown(f"TypeError: {bound}")
    env = Env(parent=fv.env)
    env.vars.update(bound)
    if fv.owner is not None and fv.node.args.args:
        env.vars["__super__"] = (fv.owner, bound.get(fv.node.args.args[0].arg))
    fctx = fv.module
    if isinstance(fv.node, ast.Lambda):
        an.enter(node, ctx)
        try:
            return an.interp.eval(fv.node.body, env, fctx)
        finally:
            an.leave()
    if syntax.is_generator(fv.node):
        return Unknown("generator functions are not followed")
    frame = Frame()
    an.enter(node, ctx)
    try:
        an.interp.exec_block(fv.node.body, env, fctx, frame)
        value: Any = None
    except ReturnSignal as r:
        value = r.value
    except (BreakSignal, ContinueSignal):
        value = None
    finally:
        an.leave()
    for pending in frame.pending_returns:
        value = join_values(pending, value)
    return value


def instantiate(
    an: Analyzer,
    cls: ClassVal,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    ctx: ModuleCtx,
) -> Any:
    inst = Instance(cls, pos=Pos.of(ctx.path, node))
    base = cls.keras_base()
    if base is not None:
        name = kwargs.get("name")
        inst.name = name if isinstance(name, str) else an.auto_name(_snake(cls.name))
        if base == "Model":
            an.models.append(inst)
    init = cls.lookup("__init__")
    if isinstance(init, FuncVal):
        call_function(an, init, [inst, *args], kwargs, node, ctx)
    return inst


@functools.lru_cache(maxsize=1024)
def _snake(name: str) -> str:
    # Keras' `to_snake_case` (auto names such as `my_block_1`); cached: every layer asks.
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[:1] != "_" else "private" + s


def call_instance(
    an: Analyzer,
    inst: Instance,
    args: list[Any],
    kwargs: dict[str, Any],
    node: ast.AST,
    ctx: ModuleCtx,
    record: bool = True,
) -> Any:
    from . import keras_api

    call = inst.cls.lookup("call") if inst.cls.keras_base() else inst.cls.lookup("__call__")
    if not isinstance(call, FuncVal):
        return Unknown(f"`{inst.cls.name}` has no `call` ShapeLens can read")
    if inst.cls.keras_base() is None:
        return call_function(an, call, [inst, *args], kwargs, node, ctx)
    first = args[0] if args else kwargs.get("inputs")
    if not inst.built:
        build = inst.cls.lookup("build")
        inst.built = True
        if isinstance(build, FuncVal):
            call_function(an, build, [inst, keras_api.input_shape_arg(first)], {}, node, ctx)
    out = call_function(an, call, [inst, *args], kwargs, node, ctx)
    out = keras_api.as_tensors(out, inst, first)
    out = _declared_shape(an, inst, first, out, node, ctx)
    inst.attrs["__last_output__"] = out
    if inst.params is None:
        inst.params = keras_api.instance_params(inst)
    if record:
        an.record(
            Pos.of(ctx.path, node),
            inst.cls.name,
            inst.name,
            Evaluation(shape_json(out), shape_json(first)),
            inst.params,
        )
    inst.called = True
    return out


def _declared_shape(an: Analyzer, inst: Instance, first: Any, traced: Any, node: ast.AST,
                    ctx: ModuleCtx) -> Any:
    """A layer that defines `compute_output_shape`: Keras reports that shape, not the traced one.

    When the two disagree the user is told (a warning): the model's shapes are then a lie.
    """
    from . import keras_api

    cos = inst.cls.lookup("compute_output_shape")
    if not isinstance(cos, FuncVal):
        return traced
    declared = call_function(an, cos, [inst, keras_api.input_shape_arg(first)], {}, node, ctx)
    if isinstance(declared, list) and declared and all(_is_shape(d) for d in declared):
        shapes: Any = [tuple(d) for d in declared]
    elif _is_shape(declared):
        shapes = tuple(declared)
    else:
        return traced
    want = [list(s) for s in shapes] if isinstance(shapes, list) else list(shapes)
    got = shape_json(traced)
    if isinstance(traced, (TensorVal, list)) and got is not None and not _has_none(got) \
            and got != want:
        an.report(Pos.of(ctx.path, node), "compute-output-shape-mismatch",
                  f"{inst.cls.name}: compute_output_shape gives {want} but call returns {got}; "
                  "Keras reports the declared shape, so later layers see it")
    if isinstance(shapes, list):
        return [TensorVal(s, inst, first, index=i) for i, s in enumerate(shapes)]
    return TensorVal(shapes, inst, first)


def _is_shape(v: Any) -> bool:
    return isinstance(v, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in v)


def _has_none(v: Any) -> bool:
    """An output (or one of several outputs) whose rank is unknown."""
    if isinstance(v, list) and v and isinstance(v[0], list):
        return any(x is None for x in v)
    return v is None


def call_entry_functions(an: Analyzer, ctx: ModuleCtx) -> None:
    """Call, with no arguments, every top-level function the file defines but never uses.

    That is how a reader sees `def unet(pretrained_weights=None, input_size=(256,256,1))`.
    """
    for stmt in ctx.tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or stmt.name in ctx.loaded:
            continue
        a = stmt.args
        required = len(a.posonlyargs) + len(a.args) - len(a.defaults)
        if required > 0 or any(d is None for d in a.kw_defaults):
            continue
        fv = ctx.env.vars.get(stmt.name)
        if isinstance(fv, FuncVal):
            call_function(an, fv, [], {}, stmt, ctx)


def tracked_layers(value: Any, seen: set[int] | None = None) -> list[Any]:
    """Layers an object tracks through its attributes (lists and dicts of them too)."""
    seen = seen if seen is not None else set()
    out: list[Any] = []
    if id(value) in seen:
        return out
    seen.add(id(value))
    if isinstance(value, (LayerObj, ModelObj)) or isinstance(value, Instance):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out.extend(tracked_layers(v, seen))
    elif isinstance(value, dict):
        for v in value.values():
            out.extend(tracked_layers(v, seen))
    return out

