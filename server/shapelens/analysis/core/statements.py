"""Statements: one handler per node type in the `STATEMENTS` table (`exec_If`, `exec_For`).

Conditions the analysis cannot decide run both branches and join them; loops are unrolled
(bounded); `match` decides literal patterns and otherwise runs every case as an alternative.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from . import results
from .calls import apply_decorator
from .context import ModuleCtx
from .dispatch import ENTER, NAME_CHECK
from .interpreter import MAX_UNROLL, STATEMENTS, Interpreter
from .joins import join_values
from .modules import import_from, import_module, is_external
from .scope import Env
from .signals import (
    BreakSignal,
    ContinueSignal,
    Frame,
    LoopSignal,
    ReturnSignal,
)
from .truth import truth
from .values import ClassVal, FuncVal

# Steps a loop may take with no site or finding before it is taken as data code (~10 ms).
DATA_LOOP_STEPS = 10_000


@STATEMENTS.register(ast.Expr)
def exec_Expr(ip: Interpreter, node: ast.Expr, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    ip.eval(node.value, env, ctx)


@STATEMENTS.register(ast.Assign)
def exec_Assign(ip: Interpreter, node: ast.Assign, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    value = ip.eval(node.value, env, ctx)
    results.assigned(ip.an, value, node.value, ctx)
    for target in node.targets:
        ip.assign(target, value, env, ctx)


@STATEMENTS.register(ast.AnnAssign)
def exec_AnnAssign(
    ip: Interpreter, node: ast.AnnAssign, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    if node.value is not None:
        value = ip.eval(node.value, env, ctx)
        results.assigned(ip.an, value, node.value, ctx)
        ip.assign(node.target, value, env, ctx)


@STATEMENTS.register(ast.AugAssign)
def exec_AugAssign(
    ip: Interpreter, node: ast.AugAssign, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    current = ip.eval(_as_load(node.target), env, ctx)
    value = ip.eval(node.value, env, ctx)
    if isinstance(current, list) and isinstance(node.op, ast.Add):
        if isinstance(value, (list, tuple)):
            current.extend(value)
            return
    ip.assign(node.target, ip.binop(node.op, current, value, node, ctx), env, ctx)


@STATEMENTS.register(ast.Return)
def exec_Return(ip: Interpreter, node: ast.Return, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    raise ReturnSignal(None if node.value is None else ip.eval(node.value, env, ctx))


@STATEMENTS.register(ast.Break)
def exec_Break(ip: Interpreter, node: ast.Break, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    raise BreakSignal(node)


@STATEMENTS.register(ast.Continue)
def exec_Continue(
    ip: Interpreter, node: ast.Continue, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    raise ContinueSignal(node)


@STATEMENTS.register(ast.Global)
def exec_Global(ip: Interpreter, node: ast.Global, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    env.globals_decl.update(node.names)


@STATEMENTS.register(ast.Nonlocal)
def exec_Nonlocal(
    ip: Interpreter, node: ast.Nonlocal, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    env.nonlocal_decl.update(node.names)


@STATEMENTS.register(ast.Delete)
def exec_Delete(ip: Interpreter, node: ast.Delete, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    for t in node.targets:
        if isinstance(t, ast.Name):
            env.vars.pop(t.id, None)


@STATEMENTS.register(ast.Import)
def exec_Import(ip: Interpreter, node: ast.Import, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    for alias in node.names:
        if is_external(alias.name):
            NAME_CHECK.ask(ip.an, alias.name, node, ctx, True)
        if alias.asname:
            env.assign(alias.asname, import_module(ip.an, alias.name, ctx, node))
        else:
            top = alias.name.split(".", 1)[0]
            env.assign(top, import_module(ip.an, top, ctx, node))
            if alias.name != top:  # `import a.b` also loads a.b: read it for its side of sites
                import_module(ip.an, alias.name, ctx, node)


@STATEMENTS.register(ast.ImportFrom)
def exec_ImportFrom(
    ip: Interpreter, node: ast.ImportFrom, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    import_from(ip.an, node, env, ctx)


@STATEMENTS.register(ast.FunctionDef)
def exec_FunctionDef(
    ip: Interpreter, node: ast.FunctionDef, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    fv = make_function(ip, node, env, ctx)
    value: Any = fv
    for dec in reversed(node.decorator_list):
        value = apply_decorator(ip.an, ip.eval(dec, env, ctx), value, dec, ctx)
    env.assign(node.name, value)


STATEMENTS.register(ast.AsyncFunctionDef)(exec_FunctionDef)


def make_function(ip: Interpreter, node: Any, env: Env, ctx: ModuleCtx) -> FuncVal:
    a = node.args
    defaults = [ip.eval(d, env, ctx) for d in a.defaults]
    kw_defaults = {
        arg.arg: ip.eval(d, env, ctx)
        for arg, d in zip(a.kwonlyargs, a.kw_defaults)
        if d is not None
    }
    name = getattr(node, "name", "<lambda>")
    return FuncVal(node, env, ctx, name, defaults, kw_defaults)


@STATEMENTS.register(ast.ClassDef)
def exec_ClassDef(
    ip: Interpreter, node: ast.ClassDef, env: Env, ctx: ModuleCtx, frame: Frame
) -> None:
    bases = [ip.eval(b, env, ctx) for b in node.bases]
    body_env = Env(parent=env, kind="class")
    # Methods close over the enclosing scope, not the class body (Python's rule).
    cls = ClassVal(node, node.name, bases, body_env.vars, ctx)
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            fv = make_function(ip, stmt, env, ctx)
            fv.owner = cls
            value: Any = fv
            for dec in reversed(stmt.decorator_list):
                value = apply_decorator(ip.an, ip.eval(dec, env, ctx), value, dec, ctx)
            body_env.vars[stmt.name] = value
        else:
            ip.exec_stmt(stmt, body_env, ctx, Frame())
    value2: Any = cls
    for dec in reversed(node.decorator_list):
        value2 = apply_decorator(ip.an, ip.eval(dec, env, ctx), value2, dec, ctx)
    env.assign(node.name, value2)


@STATEMENTS.register(ast.If)
def exec_If(ip: Interpreter, node: ast.If, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    cond = truth(ip.eval(node.test, env, ctx))
    if cond is True:
        ip.exec_block(node.body, env, ctx, frame)
    elif cond is False:
        ip.exec_block(node.orelse, env, ctx, frame)
    else:
        exec_both(ip, node.body, node.orelse, env, ctx, frame)


def exec_both(
    ip: Interpreter,
    a: list[ast.stmt],
    b: list[ast.stmt],
    env: Env,
    ctx: ModuleCtx,
    frame: Frame,
    loop: bool = False,
) -> None:
    """Both branches of a condition we cannot decide, joined afterwards.

    `loop`: `a` is one pass of a loop body, so its own `break`/`continue` end that pass.
    """
    before = env.snapshot()
    results = []
    if env.yields is not None:
        env.yields_uncertain = True  # the items a branch yields may not be yielded at all
    for body in (a, b):
        env.vars = dict(before)
        try:
            ip.exec_block(body, env, ctx, frame)
            results.append((env.vars, False, None))
        except ReturnSignal as r:
            results.append((env.vars, True, r.value))
        except LoopSignal:
            if not loop:
                raise
            results.append((env.vars, False, None))
    (va, ra, xa), (vb, rb, xb) = results
    if ra and rb:
        env.vars = va
        raise ReturnSignal(join_values(xa, xb))
    if ra:
        frame.pending_returns.append(xa)
        env.vars = vb
    elif rb:
        frame.pending_returns.append(xb)
        env.vars = va
    else:
        merged = {}
        for k in set(va) | set(vb):
            if k in va and k in vb:
                merged[k] = join_values(va[k], vb[k], exact=not loop)
            else:
                merged[k] = va.get(k, vb.get(k))
        env.vars = merged


# Methods that fill or empty a list, set or dict in place.
_FILLING = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "pop",
                      "popitem", "remove", "discard", "clear", "__setitem__"})


def forget_filled(body: list[ast.stmt], env: Env) -> None:
    """After a loop that ran an unknown number of times: a list, set or dict the body fills in
    place (`vocab.add(w)`, `rows.append(r)`, `d[k] = v`) holds what is not known statically, not
    what one pass (or none) left in it (`len(vocab)` is not 0 or 1: a Dense of that many units
    is no error)."""
    names: set[str] = set()
    for sub in ast.walk(ast.Module(body=body, type_ignores=[])):
        if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                and sub.func.attr in _FILLING and isinstance(sub.func.value, ast.Name)):
            names.add(sub.func.value.id)
        elif isinstance(sub, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = sub.targets if isinstance(sub, (ast.Assign, ast.Delete)) else [sub.target]
            names |= {t.value.id for t in targets
                      if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)}
    for name in sorted(names):
        if isinstance(env.vars.get(name), (list, set, dict)):
            env.vars[name] = Unknown(f"`{name}` is filled in a loop over data not known statically")


@STATEMENTS.register(ast.For)
def exec_For(ip: Interpreter, node: ast.For, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    iterable = ip.eval(node.iter, env, ctx)
    items = ip.iterate(iterable)
    if items is None:
        # Unknown iterable: one pass with an unknown target, joined with not running at all.
        ip.assign(node.target, Unknown("loop variable over an unknown iterable"), env, ctx)
        exec_both(ip, node.body, [], env, ctx, frame, loop=True)
        forget_filled(node.body, env)
        return
    broke = False
    progress, start = ip.an.progress(), ip.an.steps
    for i, item in enumerate(items):
        if ip.an.steps - start > DATA_LOOP_STEPS and ip.an.progress() == progress:
            # A data loop (a sampler, a pre-processing pass) that builds no layer and finds
            # nothing: its remaining passes are taken as one pass of unknown items, joined,
            # so the model code after it is not starved of the budget.
            why = f"a loop over {len(items):,} items that builds no layer is not unrolled"
            ip.assign(node.target, Unknown(why), env, ctx)
            exec_both(ip, node.body, [], env, ctx, frame, loop=True)
            forget_filled(node.body, env)
            break
        if i >= MAX_UNROLL:
            ip.an.stop("a loop ran more than 10,000 iterations", node, ctx)
        ip.assign(node.target, item, env, ctx)
        try:
            ip.exec_block(node.body, env, ctx, frame)
        except BreakSignal:
            broke = True
            break
        except ContinueSignal:
            continue
    if not broke:
        ip.exec_block(node.orelse, env, ctx, frame)


STATEMENTS.register(ast.AsyncFor)(exec_For)


@STATEMENTS.register(ast.While)
def exec_While(ip: Interpreter, node: ast.While, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    n = 0
    while True:
        cond = truth(ip.eval(node.test, env, ctx))
        if cond is False:
            ip.exec_block(node.orelse, env, ctx, frame)
            return
        if cond is None:
            exec_both(ip, node.body, [], env, ctx, frame, loop=True)
            forget_filled(node.body, env)
            return
        n += 1
        if n > MAX_UNROLL:
            ip.an.stop("a while loop ran more than 10,000 iterations", node, ctx)
        try:
            ip.exec_block(node.body, env, ctx, frame)
        except BreakSignal:
            return
        except ContinueSignal:
            continue


@STATEMENTS.register(ast.Try)
def exec_Try(ip: Interpreter, node: ast.Try, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    """The body runs; an error it raises that a handler catches (Keras raises ValueError and
    TypeError) is not reported: the handler runs after it instead, as Python would."""
    handler = next((h for h in node.handlers if _catches_keras_errors(h)), None)
    try:
        if handler is None:
            ip.exec_block(node.body, env, ctx, frame)
            ip.exec_block(node.orelse, env, ctx, frame)
            return
        ip.an.begin_try()
        try:
            ip.exec_block(node.body, env, ctx, frame)
        finally:
            caught = ip.an.end_try()
        if caught:
            if handler.name:
                env.assign(handler.name, Unknown("the exception a handler caught"))
            ip.exec_block(handler.body, env, ctx, frame)
        else:
            ip.exec_block(node.orelse, env, ctx, frame)
    finally:
        ip.exec_block(node.finalbody, env, ctx, frame)


# What Keras raises, and what an import of a removed name raises (`except ImportError:` around a
# Keras-2 import); a handler for one of these is taken to catch any error of its body.
_CAUGHT = {"ValueError", "TypeError", "Exception", "BaseException", "ImportError",
           "ModuleNotFoundError", "AttributeError"}


def _catches_keras_errors(handler: ast.ExceptHandler) -> bool:
    """`except:` / `except (ValueError, ...)`: a handler that catches what Keras raises."""
    kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for kind in kinds:
        name = kind.id if isinstance(kind, ast.Name) else getattr(kind, "attr", None)
        if kind is None or name in _CAUGHT:
            return True
    return False


if hasattr(ast, "TryStar"):  # Python 3.11+
    STATEMENTS.register(ast.TryStar)(exec_Try)


@STATEMENTS.register(ast.With)
def exec_With(ip: Interpreter, node: ast.With, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    for item in node.items:
        v = ip.eval(item.context_expr, env, ctx)
        if item.optional_vars is not None:
            ip.assign(
                item.optional_vars,
                with_target(v),
                env,
                ctx,
            )
    ip.exec_block(node.body, env, ctx, frame)


STATEMENTS.register(ast.AsyncWith)(exec_With)


@STATEMENTS.register(ast.Assert)
def exec_Assert(ip: Interpreter, node: ast.Assert, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    ip.eval(node.test, env, ctx)


@STATEMENTS.register(ast.Raise)
def exec_Raise(ip: Interpreter, node: ast.Raise, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    # A raise on a path we follow ends that path; treat it like a return of nothing useful.
    raise ReturnSignal(Unknown("the code raises here"))


def with_target(v: Any) -> Any:
    """What `with X as t` binds: `X.__enter__()`, as the value's kind says (ENTER)."""
    handler = ENTER.find(v)
    return handler(v) if handler is not None else Unknown("value of a `with` target")


@STATEMENTS.register(ast.Pass)
def exec_Pass(ip: Interpreter, node: ast.Pass, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    return None


def _as_load(target: ast.expr) -> ast.expr:
    """The target of `x += 1` read as an expression (the same node with a Load context)."""
    new = ast.copy_location(type(target)(**{f: getattr(target, f) for f in target._fields}), target)
    if hasattr(new, "ctx"):
        new.ctx = ast.Load()
    return new
