"""Calls into user code: functions (Python's binding rules), bound methods, classes, instances,
`functools.partial` factories, decorators, and the entry functions a file defines but never calls.

An instance of a class that derives from a framework class (a Keras Layer) is created and called
by the protocol a plug-in registers in `CLASS_PROTOCOL`; the core knows only Python.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from . import syntax
from .builtins import Builtin
from .context import Host, ModuleCtx
from .dispatch import CALL, CLASS_PROTOCOL, EXTERNAL_CALLS, UNKNOWN_RESULT
from .interpreter import Lazy
from .joins import join_values
from .modules import canonical
from .scope import Env
from .signals import BreakSignal, ContinueSignal, Frame, ReturnSignal
from .sites import Pos
from .values import BoundMethod, ClassVal, ExternalRef, FieldSpec, FuncVal, Instance, Partial


def bind_args(fv: FuncVal, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any] | str:
    """Python's argument binding; a str is the TypeError Python would raise."""
    a = fv.node.args
    positional = [*a.posonlyargs, *a.args]
    out: dict[str, Any] = {}
    for p, v in zip(positional, args):
        out[p.arg] = v
    extra = list(args[len(positional) :])
    if extra and a.vararg is None:
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
    an: Host, fv: FuncVal, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx
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
        env.method = (fv.owner, bound.get(fv.node.args.args[0].arg))
    fctx = fv.module
    if isinstance(fv.node, ast.Lambda):
        an.enter(node, ctx)
        try:
            return an.interp.eval(fv.node.body, env, fctx)
        finally:
            an.leave()
    if syntax.is_generator(fv.node):
        env.yields = []  # a generator's items, computed eagerly (model code iterates them)
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
    if env.yields is not None:
        if env.yields_uncertain or frame.pending_returns:
            return Unknown("a generator whose items depend on a condition not known statically")
        return Lazy(env.yields)
    return value


@CALL.register(FuncVal)
def _call_function(an: Host, fv: FuncVal, args: list[Any], kwargs: dict[str, Any],
                   node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return call_function(an, fv, args, kwargs, node, ctx)


@CALL.register(BoundMethod)
def _call_method(an: Host, m: BoundMethod, args: list[Any], kwargs: dict[str, Any],
                 node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return call_function(an, m.func, [m.self_val, *args], kwargs, node, ctx)


@CALL.register(Partial)
def _call_partial(an: Host, p: Partial, args: list[Any], kwargs: dict[str, Any],
                  node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return an.interp.call(p.func, [*p.args, *args], {**p.kwargs, **kwargs}, node, ctx, env)


@EXTERNAL_CALLS.register("functools.partial")
def _partial(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
             ctx: ModuleCtx) -> Any:
    if not args:
        return Unknown("functools.partial() without a function")
    return Partial(args[0], tuple(args[1:]), dict(kwargs))


@CALL.register(ClassVal)
def instantiate(an: Host, cls: ClassVal, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST, ctx: ModuleCtx, env: Env | None = None) -> Any:
    inst = Instance(cls, pos=Pos.of(ctx.path, node))
    protocol = CLASS_PROTOCOL.ask(cls)
    if protocol is not None:
        protocol.instantiate(an, inst, args, kwargs, node, ctx)
    init = cls.lookup("__init__")
    if isinstance(init, FuncVal):
        call_function(an, init, [inst, *args], kwargs, node, ctx)
    elif cls.fields is not None:
        _dataclass_init(an, cls, inst, args, kwargs, node, ctx)
    return inst


def _dataclass_init(an: Host, cls: ClassVal, inst: Instance, args: list[Any],
                    kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx) -> None:
    """The `__init__` `@dataclass` generates: fields in order, class-body values as defaults
    (`field(default_factory=...)` called for each instance)."""
    for name, value in zip(cls.fields or [], args):
        inst.attrs[name] = value
    for name in (cls.fields or [])[len(args):]:
        if name in kwargs:
            inst.attrs[name] = kwargs[name]
            continue
        default = cls.lookup(name)
        if isinstance(default, FieldSpec):
            factory = default.kwargs.get("default_factory")
            inst.attrs[name] = (an.interp.call(factory, [], {}, node, ctx, Env())
                                if factory is not None
                                else default.kwargs.get("default", Unknown(f"field `{name}`")))


@EXTERNAL_CALLS.register("dataclasses.field")
def _field(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
           ctx: ModuleCtx) -> Any:
    return FieldSpec(dict(kwargs))


@EXTERNAL_CALLS.register("collections.namedtuple")
def _namedtuple(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST, ctx: ModuleCtx) -> Any:
    """`namedtuple("Spec", ["filters", "kernel"])` (or "filters kernel"): a class of fields."""
    name = args[0] if args else kwargs.get("typename")
    names = args[1] if len(args) > 1 else kwargs.get("field_names")
    if isinstance(names, str):
        names = names.replace(",", " ").split()
    if not isinstance(name, str) or not isinstance(names, (list, tuple)) or not all(
            isinstance(n, str) for n in names):
        return Unknown("a namedtuple whose fields are not known statically")
    cls = ClassVal(ast.ClassDef(name=name, bases=[], keywords=[], body=[], decorator_list=[]),
                   name, [], {}, ctx, fields=list(names))
    return cls

@EXTERNAL_CALLS.register("dataclasses.dataclass")
def _dataclass(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
               ctx: ModuleCtx) -> Any:
    """`@dataclass` and `@dataclass(frozen=True)`: the class, with its fields recorded."""
    if not args:
        return Builtin("dataclass",
                       lambda an_, a, k, n, c, e: _dataclass(an_, qualname, a, k, n, c))
    cls = args[0]
    if isinstance(cls, ClassVal):
        cls.fields = [s.target.id for s in cls.node.body
                      if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    return cls


@CALL.register(Instance)
def call_instance(an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
                  node: ast.AST, ctx: ModuleCtx, env: Env | None = None) -> Any:
    protocol = CLASS_PROTOCOL.ask(inst.cls)
    if protocol is not None:
        return protocol.call(an, inst, args, kwargs, node, ctx, True)
    call = inst.cls.lookup("__call__")
    if not isinstance(call, FuncVal):
        return Unknown(f"`{inst.cls.name}` has no `__call__` ShapeLens can read")
    return call_function(an, call, [inst, *args], kwargs, node, ctx)


def apply_decorator(an: Host, dec: Any, value: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
    """What `@dec` makes of a function or class. Library decorators (`keras_export`,
    `tf.function`, `functools.wraps(f)`, `register_keras_serializable()`) leave it unchanged as
    far as shapes go; user decorators are followed, and one we cannot follow keeps the function.
    """
    if isinstance(dec, (FuncVal, BoundMethod, Partial)):
        out = an.interp.call(dec, [value], {}, node, ctx, Env())
        return value if isinstance(out, Unknown) or out is None else out
    if isinstance(dec, (ExternalRef, Builtin)):
        # `@dataclass`, `@property`: modelled ones say what they make; the rest keep it.
        out = an.interp.call(dec, [value], {}, node, ctx, Env())
        return value if isinstance(out, Unknown) or out is None else out
    return value


def call_entry_functions(an: Host, ctx: ModuleCtx, used: set[str]) -> None:
    """Call, with no arguments, every top-level function the file defines but never uses.

    That is how a reader sees `def unet(pretrained_weights=None, input_size=(256,256,1))`, and a
    builder that is only decorated or referenced (`VGG16.__doc__ = ...`).
    """
    for stmt in ctx.tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) or stmt.name in used:
            continue
        a = stmt.args
        required = len(a.posonlyargs) + len(a.args) - len(a.defaults)
        if required > 0 or any(d is None for d in a.kw_defaults):
            continue
        fv = ctx.env.vars.get(stmt.name)
        while isinstance(fv, Partial):
            fv = fv.func
        if isinstance(fv, FuncVal) and fv.node is stmt:
            call_function(an, fv, [], {}, stmt, ctx)


@CALL.register(ExternalRef)
def _call_external(an: Host, ref: ExternalRef, args: list[Any], kwargs: dict[str, Any],
                   node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    qualname = canonical(ref.qualname)
    handler = EXTERNAL_CALLS.find(qualname)
    if handler is not None:
        return handler(an, qualname, args, kwargs, node, ctx)
    return unknown_result(args, f"`{qualname}` is not modelled")


@CALL.register(Unknown)
def _call_unknown(an: Host, func: Unknown, args: list[Any], kwargs: dict[str, Any],
                  node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return unknown_result(args, func.reason)


def unknown_result(args: list[Any], reason: str) -> Any:
    """What a call we cannot follow gives: Unknown, or the unknown value of the kind its
    arguments say (a tensor in, an unknown tensor out), as the plug-ins register."""
    answer = UNKNOWN_RESULT.ask(args, reason)
    return answer if answer is not None else Unknown(reason)
