"""Expressions: one handler per node type in the `EXPRESSIONS` table (`eval_Call`, `eval_Name`).

Literals compute as Python does; other kinds go through the dispatch tables (attribute, call,
subscript, operators); comprehensions are unrolled eagerly in their own scope.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from ...engine import Unknown
from . import results
from .arith import CMPOPS, UNARY_OPS
from .context import ModuleCtx
from .dispatch import UNARY
from .interpreter import EXPRESSIONS, MAX_UNROLL, Interpreter, Lazy
from .joins import join_values
from .modules import missing_name
from .scope import Env
from .statements import make_function
from .truth import is_literal, too_big, truth
from .values import MISSING


@EXPRESSIONS.register(ast.Constant)
def eval_Constant(ip: Interpreter, node: ast.Constant, env: Env, ctx: ModuleCtx) -> Any:
    return node.value


@EXPRESSIONS.register(ast.Name)
def eval_Name(ip: Interpreter, node: ast.Name, env: Env, ctx: ModuleCtx) -> Any:
    name = node.id
    scope: Env | None = env
    while scope is not None:  # `env.lookup(name)` inlined: every name read
        if name in scope.vars:
            v = scope.vars[name]
            return missing_name(ip.an, name, ctx) if v is MISSING else v
        scope = scope.parent
    return missing_name(ip.an, name, ctx)


@EXPRESSIONS.register(ast.Tuple)
def eval_Tuple(ip: Interpreter, node: ast.Tuple, env: Env, ctx: ModuleCtx) -> Any:
    return tuple(eval_elts(ip, node.elts, env, ctx))


@EXPRESSIONS.register(ast.List)
def eval_List(ip: Interpreter, node: ast.List, env: Env, ctx: ModuleCtx) -> Any:
    return eval_elts(ip, node.elts, env, ctx)


@EXPRESSIONS.register(ast.Set)
def eval_Set(ip: Interpreter, node: ast.Set, env: Env, ctx: ModuleCtx) -> Any:
    items = eval_elts(ip, node.elts, env, ctx)
    if all(is_literal(i) for i in items):
        try:
            return set(items)
        except TypeError:
            pass
    return Unknown("a set of non-literal values")


def eval_elts(ip: Interpreter, elts: list[ast.expr], env: Env, ctx: ModuleCtx) -> list[Any]:
    out: list[Any] = []
    for e in elts:
        if isinstance(e, ast.Starred):
            v = ip.eval(e.value, env, ctx)
            items = ip.iterate(v)
            if items is None:
                out.append(Unknown("a starred value that cannot be expanded"))
            else:
                out.extend(items)
        else:
            out.append(ip.eval(e, env, ctx))
    return out


@EXPRESSIONS.register(ast.Dict)
def eval_Dict(ip: Interpreter, node: ast.Dict, env: Env, ctx: ModuleCtx) -> Any:
    out: dict[Any, Any] = {}
    for k, v in zip(node.keys, node.values):
        val = ip.eval(v, env, ctx)
        if k is None:
            if isinstance(val, dict):
                out.update(val)
            continue
        key = ip.eval(k, env, ctx)
        try:
            out[key] = val
        except TypeError:
            return Unknown("a dict with an unhashable key")
    return out


@EXPRESSIONS.register(ast.JoinedStr)
def eval_JoinedStr(ip: Interpreter, node: ast.JoinedStr, env: Env, ctx: ModuleCtx) -> Any:
    parts = []
    for v in node.values:
        if isinstance(v, ast.Constant):
            parts.append(str(v.value))
            continue
        assert isinstance(v, ast.FormattedValue)
        val = ip.eval(v.value, env, ctx)
        if not is_literal(val):
            return Unknown("an f-string with a value not known statically")
        spec = "" if v.format_spec is None else ip.eval(v.format_spec, env, ctx)
        if not isinstance(spec, str) or too_big(spec):
            return Unknown("an f-string format spec not known statically")
        try:
            if v.conversion == ord("r"):
                val = repr(val)
            elif v.conversion == ord("s"):
                val = str(val)
            elif v.conversion == ord("a"):
                val = ascii(val)
            parts.append(format(val, spec))
        except Exception as e:
            return Unknown(f"f-string formatting failed: {e}")
    return "".join(parts)


@EXPRESSIONS.register(ast.BinOp)
def eval_BinOp(ip: Interpreter, node: ast.BinOp, env: Env, ctx: ModuleCtx) -> Any:
    return ip.binop(node.op, ip.eval(node.left, env, ctx), ip.eval(node.right, env, ctx), node, ctx)


@EXPRESSIONS.register(ast.UnaryOp)
def eval_UnaryOp(ip: Interpreter, node: ast.UnaryOp, env: Env, ctx: ModuleCtx) -> Any:
    v = ip.eval(node.operand, env, ctx)
    if isinstance(node.op, ast.Not):
        t = truth(v)
        return Unknown("negation of a value not known statically") if t is None else not t
    handler = UNARY.find(v)
    if handler is not None:
        return handler(ip.an, node.op, v, node, ctx)
    if is_literal(v):
        try:
            return UNARY_OPS[type(node.op)](v)
        except Exception as e:
            return Unknown(f"{type(e).__name__}: {e}")
    return v if isinstance(v, Unknown) else Unknown("unary operator on an unknown value")


@EXPRESSIONS.register(ast.BoolOp)
def eval_BoolOp(ip: Interpreter, node: ast.BoolOp, env: Env, ctx: ModuleCtx) -> Any:
    is_and = isinstance(node.op, ast.And)
    last: Any = None
    for e in node.values:
        last = ip.eval(e, env, ctx)
        t = truth(last)
        if t is None:
            return Unknown("a boolean expression not known statically")
        if (is_and and not t) or (not is_and and t):
            return last
    return last


@EXPRESSIONS.register(ast.Compare)
def eval_Compare(ip: Interpreter, node: ast.Compare, env: Env, ctx: ModuleCtx) -> Any:
    left = ip.eval(node.left, env, ctx)
    for op, comp in zip(node.ops, node.comparators):
        right = ip.eval(comp, env, ctx)
        if (
            isinstance(op, (ast.Is, ast.IsNot))
            and (left is None or right is None)
            and not (isinstance(left, Unknown) or isinstance(right, Unknown))
        ):
            r = (left is right) if isinstance(op, ast.Is) else (left is not right)
        elif (
            isinstance(op, (ast.In, ast.NotIn))
            and is_literal(left)
            and isinstance(right, (list, tuple, dict, str, set))
            and (is_literal(list(right)) if not isinstance(right, dict) else True)
        ):
            r = CMPOPS[type(op)](left, right)
        elif is_literal(left) and is_literal(right):
            try:
                r = CMPOPS[type(op)](left, right)
            except TypeError as e:
                return Unknown(f"TypeError: {e}")
        else:
            return Unknown("a comparison of values not known statically")
        if not r:
            return False
        left = right
    return True


@EXPRESSIONS.register(ast.IfExp)
def eval_IfExp(ip: Interpreter, node: ast.IfExp, env: Env, ctx: ModuleCtx) -> Any:
    t = truth(ip.eval(node.test, env, ctx))
    if t is True:
        return ip.eval(node.body, env, ctx)
    if t is False:
        return ip.eval(node.orelse, env, ctx)
    return join_values(ip.eval(node.body, env, ctx), ip.eval(node.orelse, env, ctx))


@EXPRESSIONS.register(ast.NamedExpr)
def eval_NamedExpr(ip: Interpreter, node: ast.NamedExpr, env: Env, ctx: ModuleCtx) -> Any:
    v = ip.eval(node.value, env, ctx)
    scope = env
    while scope.kind == "comprehension" and scope.parent is not None:
        scope = scope.parent  # `:=` in a comprehension binds in the enclosing scope (PEP 572)
    ip.assign(node.target, v, scope, ctx)
    return v


@EXPRESSIONS.register(ast.Lambda)
def eval_Lambda(ip: Interpreter, node: ast.Lambda, env: Env, ctx: ModuleCtx) -> Any:
    return make_function(ip, node, env, ctx)


@EXPRESSIONS.register(ast.Starred)
def eval_Starred(ip: Interpreter, node: ast.Starred, env: Env, ctx: ModuleCtx) -> Any:
    return ip.eval(node.value, env, ctx)


@EXPRESSIONS.register(ast.Slice)
def eval_Slice(ip: Interpreter, node: ast.Slice, env: Env, ctx: ModuleCtx) -> Any:
    parts = [
        None if p is None else ip.eval(p, env, ctx) for p in (node.lower, node.upper, node.step)
    ]
    if any(isinstance(p, Unknown) for p in parts):
        return Unknown("a slice bound not known statically")
    return slice(*parts)


@EXPRESSIONS.register(ast.Attribute)
def eval_Attribute(ip: Interpreter, node: ast.Attribute, env: Env, ctx: ModuleCtx) -> Any:
    return ip.get_attr(ip.eval(node.value, env, ctx), node.attr, node, ctx)


@EXPRESSIONS.register(ast.Subscript)
def eval_Subscript(ip: Interpreter, node: ast.Subscript, env: Env, ctx: ModuleCtx) -> Any:
    obj = ip.eval(node.value, env, ctx)
    key = ip.eval(node.slice, env, ctx)
    return ip.subscript(obj, key, node, ctx)


@EXPRESSIONS.register(ast.Call)
def eval_Call(ip: Interpreter, node: ast.Call, env: Env, ctx: ModuleCtx) -> Any:
    func = ip.eval(node.func, env, ctx)
    args: list[Any] = []
    for a in node.args:
        if isinstance(a, ast.Starred):
            v = ip.eval(a.value, env, ctx)
            items = ip.iterate(v)
            if items is None:
                return Unknown("a call with *args not known statically")
            args.extend(items)
        else:
            args.append(ip.eval(a, env, ctx))
    kwargs: dict[str, Any] = {}
    for kw in node.keywords:
        v = ip.eval(kw.value, env, ctx)
        if kw.arg is None:
            if isinstance(v, dict) and all(isinstance(k, str) for k in v):
                kwargs.update(v)
            else:
                return Unknown("a call with **kwargs not known statically")
        else:
            kwargs[kw.arg] = v
    user = results.user_function(func)
    if user is not None:
        return results.call_user(ip.an, user, func, args, kwargs, node, ctx, env)
    return ip.call(func, args, kwargs, node, ctx, env)


# Comprehensions: evaluated eagerly in their own scope, unrolled.
@EXPRESSIONS.register(ast.ListComp)
def eval_ListComp(ip: Interpreter, node: ast.ListComp, env: Env, ctx: ModuleCtx) -> Any:
    out = list(comprehend(ip, node.generators, env, ctx, lambda e: ip.eval(node.elt, e, ctx)))
    stop = next((o for o in out if isinstance(o, _Stop)), None)
    return out if stop is None else Unknown(stop.reason)


@EXPRESSIONS.register(ast.GeneratorExp)
def eval_GeneratorExp(ip: Interpreter, node: ast.GeneratorExp, env: Env, ctx: ModuleCtx) -> Any:
    return Lazy(eval_ListComp(ip, node, env, ctx))  # type: ignore[arg-type]


@EXPRESSIONS.register(ast.SetComp)
def eval_SetComp(ip: Interpreter, node: ast.SetComp, env: Env, ctx: ModuleCtx) -> Any:
    items = eval_ListComp(ip, node, env, ctx)  # type: ignore[arg-type]
    if isinstance(items, list) and all(is_literal(i) for i in items):
        return set(items)
    return Unknown("a set comprehension of non-literal values")


@EXPRESSIONS.register(ast.DictComp)
def eval_DictComp(ip: Interpreter, node: ast.DictComp, env: Env, ctx: ModuleCtx) -> Any:
    pairs = list(
        comprehend(
            ip,
            node.generators,
            env,
            ctx,
            lambda e: (ip.eval(node.key, e, ctx), ip.eval(node.value, e, ctx)),
        )
    )
    stop = next((p for p in pairs if isinstance(p, _Stop)), None)
    if stop is not None:
        return Unknown(stop.reason)
    try:
        return dict(pairs)
    except TypeError:
        return Unknown("a dict with unhashable keys")


def comprehend(
    ip: Interpreter, gens: list[ast.comprehension], env: Env, ctx: ModuleCtx, produce: Any
) -> Iterator[Any]:
    inner = Env(parent=env, kind="comprehension")

    def rec(i: int) -> Iterator[Any]:
        if i == len(gens):
            yield produce(inner)
            return
        g = gens[i]
        items = ip.iterate(ip.eval(g.iter, inner if i else env, ctx))
        if items is None:
            yield _Stop("a comprehension over an unknown iterable")
            return
        for item in items[:MAX_UNROLL]:
            ip.assign(g.target, item, inner, ctx)
            keep = [truth(ip.eval(c, inner, ctx)) for c in g.ifs]
            if False in keep:
                continue
            if None in keep:
                # Which items pass is not known, so neither is the length: never guess it.
                # The item is still evaluated (its layer calls are sites on the paths that
                # keep it), and the whole comprehension is unknown.
                for _ in rec(i + 1):
                    pass
                yield _Stop("a comprehension whose filter is not known statically")
                continue
            yield from rec(i + 1)

    yield from rec(0)


@EXPRESSIONS.register(ast.Await)
def eval_Await(ip: Interpreter, node: ast.Await, env: Env, ctx: ModuleCtx) -> Any:
    return ip.eval(node.value, env, ctx)


class _Stop:
    """A comprehension that cannot be unrolled, and why."""

    def __init__(self, reason: str):
        self.reason = reason


@EXPRESSIONS.register(ast.Yield, ast.YieldFrom)
def eval_Yield(ip: Interpreter, node: ast.expr, env: Env, ctx: ModuleCtx) -> Any:
    """A generator's item, kept in its scope's `yields` (the generator is run eagerly)."""
    scope: Env | None = env
    while scope is not None and scope.yields is None:
        scope = scope.parent
    value = getattr(node, "value", None)
    item = None if value is None else ip.eval(value, env, ctx)
    if scope is not None and scope.yields is not None:
        items = ip.iterate(item) if isinstance(node, ast.YieldFrom) else [item]
        if items is None:
            scope.yields_uncertain = True
        else:
            scope.yields.extend(items)
    return Unknown("the value a generator receives back at `yield`")


@EXPRESSIONS.register(ast.FormattedValue)
def eval_FormattedValue(ip: Interpreter, node: ast.FormattedValue, env: Env, ctx: ModuleCtx) -> Any:
    return eval_JoinedStr(ip, ast.JoinedStr(values=[node]), env, ctx)
