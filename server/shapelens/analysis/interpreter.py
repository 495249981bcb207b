"""The abstract interpreter: walks a module's AST and evaluates it over abstract values.

Statements and expressions dispatch by node type (`exec_If`, `eval_Call`); a node without a
handler yields Unknown, so new syntax never crashes it. Calls go to `calls.py`.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..engine import Unknown
from .joins import join_values
from .scope import Env
from .values import (
    MISSING,
    BoundMethod,
    ClassVal,
    ExternalRef,
    FuncVal,
    Instance,
    LayerObj,
    ModelObj,
    ModuleVal,
    TensorVal,
)

if TYPE_CHECKING:
    from .analyzer import Analyzer, ModuleCtx

MAX_UNROLL = 10_000  # iterations of one loop before we stop unrolling
MAX_SEQ = 100_000  # longest sequence we build from literals
_DIGITS = re.compile(r"\d+")


class ReturnSignal(Exception):
    def __init__(self, value: Any):
        self.value = value


class LoopSignal(Exception):
    """`break` / `continue`; the node says where, for one outside any loop (Python rejects it)."""

    keyword = ""

    def __init__(self, node: ast.AST | None = None):
        super().__init__(self.keyword)
        self.node = node


class BreakSignal(LoopSignal):
    keyword = "break"


class ContinueSignal(LoopSignal):
    keyword = "continue"


class BudgetExceeded(Exception):
    pass


class Cancelled(BudgetExceeded):
    """A newer edit made this analysis pointless (the language server's cancellation)."""


class Frame:
    """Per function-call state: returns seen on branches whose condition was unknown."""

    def __init__(self) -> None:
        self.pending_returns: list[Any] = []


_BINOPS: dict[type, Any] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
    ast.MatMult: operator.matmul,
}
_CMPOPS: dict[type, Any] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_UNARY: dict[type, Any] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}
_LITERAL = (int, float, str, bool, type(None), complex, bytes)


def is_literal(v: Any) -> bool:
    if isinstance(v, _LITERAL):
        return True
    if isinstance(v, (tuple, list)):
        return all(is_literal(x) for x in v)
    if isinstance(v, dict):
        return all(is_literal(k) and is_literal(x) for k, x in v.items())
    return isinstance(v, (slice, type(Ellipsis)))


def truth(v: Any) -> bool | None:
    """Python truthiness of a known value; None when it cannot be known."""
    if isinstance(v, Unknown):
        return None
    if is_literal(v) or isinstance(v, (tuple, list, dict)):
        try:
            return bool(v)
        except Exception:
            return None
    if isinstance(
        v, (FuncVal, ClassVal, LayerObj, ModelObj, Instance, ExternalRef, ModuleVal, BoundMethod)
    ):
        return True
    return None


MAX_BITS = 100_000  # the largest integer result we compute (about 30,000 digits)


def too_big(*values: Any) -> bool:
    """Arguments that would make a str method or format build a huge result (a width, a count)."""
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_SEQ:
            return True
        if isinstance(v, str) and any(len(run) > 5 for run in _DIGITS.findall(v)):
            return True
        if isinstance(v, (tuple, list)) and too_big(*v):
            return True
    return False


def _result_too_big(op: Any, a: Any, b: Any) -> bool:
    ints = isinstance(a, int) and isinstance(b, int)
    if op is operator.pow and ints:
        return abs(b) > 4096 or abs(b) * max(1, abs(a).bit_length()) > MAX_BITS
    if op is operator.lshift and ints:
        return b > MAX_BITS or a.bit_length() + b > MAX_BITS
    if op is operator.mul and ints:
        return a.bit_length() + b.bit_length() > MAX_BITS
    seqs = (str, list, tuple, bytes)
    if op is operator.mul:
        if isinstance(a, seqs) and isinstance(b, int):
            return len(a) * b > MAX_SEQ
        if isinstance(b, seqs) and isinstance(a, int):
            return len(b) * a > MAX_SEQ
    if op is operator.add and isinstance(a, seqs) and isinstance(b, seqs):
        return len(a) + len(b) > MAX_SEQ
    if op is operator.mod and isinstance(a, str):
        return too_big(a, b)
    return False


def _safe_binop(op: Any, a: Any, b: Any) -> Any:
    if _result_too_big(op, a, b):
        return Unknown("a value too large to evaluate")
    try:
        return op(a, b)
    except Exception as e:
        return Unknown(f"{type(e).__name__}: {e}")


class Interpreter:
    """Evaluates statements and expressions of one module (and the functions it calls)."""

    def __init__(self, analyzer: Analyzer):
        self.an = analyzer

    # --- statements ---------------------------------------------------------------------------

    def exec_block(self, body: list[ast.stmt], env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env, ctx, frame)

    def exec_stmt(self, node: ast.stmt, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        self.an.tick(node, ctx)
        handler = getattr(self, "exec_" + type(node).__name__, None)
        if handler is None:
            return
        try:
            handler(node, env, ctx, frame)
        except (ReturnSignal, BreakSignal, ContinueSignal, BudgetExceeded, RecursionError):
            raise
        except Exception as e:
            self.an.internal_error(node, ctx, e)

    def exec_Expr(self, node: ast.Expr, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        self.eval(node.value, env, ctx)

    def exec_Assign(self, node: ast.Assign, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        value = self.eval(node.value, env, ctx)
        for target in node.targets:
            self.assign(target, value, env, ctx)

    def exec_AnnAssign(self, node: ast.AnnAssign, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, env, ctx), env, ctx)

    def exec_AugAssign(self, node: ast.AugAssign, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        current = self.eval(_as_load(node.target), env, ctx)
        value = self.eval(node.value, env, ctx)
        if isinstance(current, list) and isinstance(node.op, ast.Add):
            if isinstance(value, (list, tuple)):
                current.extend(value)
                return
        self.assign(node.target, self.binop(node.op, current, value, node, ctx), env, ctx)

    def exec_Return(self, node: ast.Return, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        raise ReturnSignal(None if node.value is None else self.eval(node.value, env, ctx))

    def exec_Break(self, node: ast.Break, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        raise BreakSignal(node)

    def exec_Continue(self, node: ast.Continue, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        raise ContinueSignal(node)

    def exec_Global(self, node: ast.Global, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        env.globals_decl.update(node.names)

    def exec_Nonlocal(self, node: ast.Nonlocal, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        env.nonlocal_decl.update(node.names)

    def exec_Delete(self, node: ast.Delete, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        for t in node.targets:
            if isinstance(t, ast.Name):
                env.vars.pop(t.id, None)

    def exec_Import(self, node: ast.Import, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        for alias in node.names:
            if alias.asname:
                env.assign(alias.asname, self.an.import_module(alias.name, ctx, node))
            else:
                top = alias.name.split(".", 1)[0]
                env.assign(top, self.an.import_module(top, ctx, node))
                if alias.name != top:  # `import a.b` also loads a.b: read it for its side of sites
                    self.an.import_module(alias.name, ctx, node)

    def exec_ImportFrom(self, node: ast.ImportFrom, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        self.an.import_from(node, env, ctx)

    def exec_FunctionDef(
        self, node: ast.FunctionDef, env: Env, ctx: ModuleCtx, frame: Frame
    ) -> None:
        fv = self.make_function(node, env, ctx)
        value: Any = fv
        for dec in reversed(node.decorator_list):
            value = self.an.apply_decorator(self.eval(dec, env, ctx), value, dec, ctx)
        env.assign(node.name, value)

    exec_AsyncFunctionDef = exec_FunctionDef

    def make_function(self, node: Any, env: Env, ctx: ModuleCtx) -> FuncVal:
        a = node.args
        defaults = [self.eval(d, env, ctx) for d in a.defaults]
        kw_defaults = {
            arg.arg: self.eval(d, env, ctx)
            for arg, d in zip(a.kwonlyargs, a.kw_defaults)
            if d is not None
        }
        name = getattr(node, "name", "<lambda>")
        return FuncVal(node, env, ctx, name, defaults, kw_defaults)

    def exec_ClassDef(self, node: ast.ClassDef, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        bases = [self.eval(b, env, ctx) for b in node.bases]
        body_env = Env(parent=env, kind="class")
        # Methods close over the enclosing scope, not the class body (Python's rule).
        cls = ClassVal(node, node.name, bases, body_env.vars, ctx)
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fv = self.make_function(stmt, env, ctx)
                fv.owner = cls
                value: Any = fv
                for dec in reversed(stmt.decorator_list):
                    value = self.an.apply_decorator(self.eval(dec, env, ctx), value, dec, ctx)
                body_env.vars[stmt.name] = value
            else:
                self.exec_stmt(stmt, body_env, ctx, Frame())
        value2: Any = cls
        for dec in reversed(node.decorator_list):
            value2 = self.an.apply_decorator(self.eval(dec, env, ctx), value2, dec, ctx)
        env.assign(node.name, value2)

    def exec_If(self, node: ast.If, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        cond = truth(self.eval(node.test, env, ctx))
        if cond is True:
            self.exec_block(node.body, env, ctx, frame)
        elif cond is False:
            self.exec_block(node.orelse, env, ctx, frame)
        else:
            self.exec_both(node.body, node.orelse, env, ctx, frame)

    def exec_both(
        self,
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
        for body in (a, b):
            env.vars = dict(before)
            try:
                self.exec_block(body, env, ctx, frame)
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
                    merged[k] = join_values(va[k], vb[k])
                else:
                    merged[k] = va.get(k, vb.get(k))
            env.vars = merged

    def exec_For(self, node: ast.For, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        iterable = self.eval(node.iter, env, ctx)
        items = self.iterate(iterable)
        if items is None:
            # Unknown iterable: one pass with an unknown target, joined with not running at all.
            self.assign(node.target, Unknown("loop variable over an unknown iterable"), env, ctx)
            self.exec_both(node.body, [], env, ctx, frame, loop=True)
            return
        broke = False
        for i, item in enumerate(items):
            if i >= MAX_UNROLL:
                self.an.stop("a loop ran more than 10,000 iterations", node, ctx)
            self.assign(node.target, item, env, ctx)
            try:
                self.exec_block(node.body, env, ctx, frame)
            except BreakSignal:
                broke = True
                break
            except ContinueSignal:
                continue
        if not broke:
            self.exec_block(node.orelse, env, ctx, frame)

    exec_AsyncFor = exec_For

    def exec_While(self, node: ast.While, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        n = 0
        while True:
            cond = truth(self.eval(node.test, env, ctx))
            if cond is False:
                self.exec_block(node.orelse, env, ctx, frame)
                return
            if cond is None:
                self.exec_both(node.body, [], env, ctx, frame, loop=True)
                return
            n += 1
            if n > MAX_UNROLL:
                self.an.stop("a while loop ran more than 10,000 iterations", node, ctx)
            try:
                self.exec_block(node.body, env, ctx, frame)
            except BreakSignal:
                return
            except ContinueSignal:
                continue

    def exec_Try(self, node: ast.Try, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        # The body is what runs when nothing fails; handlers are for failures we do not model.
        try:
            self.exec_block(node.body, env, ctx, frame)
            self.exec_block(node.orelse, env, ctx, frame)
        finally:
            self.exec_block(node.finalbody, env, ctx, frame)

    exec_TryStar = exec_Try

    def exec_With(self, node: ast.With, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        for item in node.items:
            v = self.eval(item.context_expr, env, ctx)
            if item.optional_vars is not None:
                self.assign(
                    item.optional_vars,
                    Unknown("value of a `with` target")
                    if not isinstance(v, (LayerObj, ModelObj))
                    else v,
                    env,
                    ctx,
                )
        self.exec_block(node.body, env, ctx, frame)

    exec_AsyncWith = exec_With

    def exec_Assert(self, node: ast.Assert, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        self.eval(node.test, env, ctx)

    def exec_Raise(self, node: ast.Raise, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        # A raise on a path we follow ends that path; treat it like a return of nothing useful.
        raise ReturnSignal(Unknown("the code raises here"))

    def exec_Match(self, node: Any, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        self.eval(node.subject, env, ctx)

    # --- assignment ---------------------------------------------------------------------------

    def assign(self, target: ast.expr, value: Any, env: Env, ctx: ModuleCtx) -> None:
        if isinstance(target, ast.Name):
            env.assign(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target.elts, value, env, ctx)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, env, ctx)
            if isinstance(obj, Instance) or isinstance(obj, ClassVal):
                obj.attrs[target.attr] = value
            elif isinstance(obj, ModuleVal):
                obj.ctx.env.vars[target.attr] = value
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, env, ctx)
            key = self.eval(target.slice, env, ctx)
            if isinstance(obj, (list, dict)) and is_literal(key) and not isinstance(key, slice):
                try:
                    obj[key] = value
                except Exception:
                    pass
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, env, ctx)

    def unpack(self, targets: list[ast.expr], value: Any, env: Env, ctx: ModuleCtx) -> None:
        items = self.iterate(value)
        star = [i for i, t in enumerate(targets) if isinstance(t, ast.Starred)]
        if (
            items is None
            or (not star and len(items) != len(targets))
            or (star and len(items) < len(targets) - 1)
        ):
            why = value if isinstance(value, Unknown) else Unknown("cannot unpack this value")
            for t in targets:
                self.assign(t.value if isinstance(t, ast.Starred) else t, why, env, ctx)
            return
        if star:
            s = star[0]
            after = len(targets) - s - 1
            head, mid = items[:s], items[s : len(items) - after]
            tail = items[len(items) - after :]
            for t, v in zip(targets[:s], head):
                self.assign(t, v, env, ctx)
            self.assign(targets[s], list(mid), env, ctx)
            for t, v in zip(targets[s + 1 :], tail):
                self.assign(t, v, env, ctx)
        else:
            for t, v in zip(targets, items):
                self.assign(t, v, env, ctx)

    def iterate(self, value: Any) -> list[Any] | None:
        """The items of a value we can iterate statically, or None."""
        if isinstance(value, (list, tuple, str)):
            return list(value)
        if isinstance(value, dict):
            return list(value.keys())
        if isinstance(value, range):
            # len() of range(10**30) raises OverflowError (it exceeds a C ssize_t).
            if value[MAX_UNROLL:]:
                return None
            return list(value)
        if isinstance(value, _Lazy):
            return value.items()
        if isinstance(value, TensorVal) and value.shape is not None and value.shape[:1] != (None,):
            n = value.shape[0] if value.shape else 0
            if isinstance(n, int) and n <= 1024:
                return [TensorVal(value.shape[1:]) for _ in range(n)]
        return None

    # --- expressions --------------------------------------------------------------------------

    def eval(self, node: ast.expr, env: Env, ctx: ModuleCtx) -> Any:
        self.an.tick(node, ctx)
        handler = getattr(self, "eval_" + type(node).__name__, None)
        if handler is None:
            return Unknown(f"`{type(node).__name__}` expressions are not evaluated")
        return handler(node, env, ctx)

    def eval_Constant(self, node: ast.Constant, env: Env, ctx: ModuleCtx) -> Any:
        return node.value

    def eval_Name(self, node: ast.Name, env: Env, ctx: ModuleCtx) -> Any:
        v = env.lookup(node.id)
        if v is MISSING:
            return self.an.missing_name(node.id, ctx)
        return v

    def eval_Tuple(self, node: ast.Tuple, env: Env, ctx: ModuleCtx) -> Any:
        return tuple(self.eval_elts(node.elts, env, ctx))

    def eval_List(self, node: ast.List, env: Env, ctx: ModuleCtx) -> Any:
        return self.eval_elts(node.elts, env, ctx)

    def eval_Set(self, node: ast.Set, env: Env, ctx: ModuleCtx) -> Any:
        items = self.eval_elts(node.elts, env, ctx)
        if all(is_literal(i) for i in items):
            try:
                return set(items)
            except TypeError:
                pass
        return Unknown("a set of non-literal values")

    def eval_elts(self, elts: list[ast.expr], env: Env, ctx: ModuleCtx) -> list[Any]:
        out: list[Any] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                v = self.eval(e.value, env, ctx)
                items = self.iterate(v)
                if items is None:
                    out.append(Unknown("a starred value that cannot be expanded"))
                else:
                    out.extend(items)
            else:
                out.append(self.eval(e, env, ctx))
        return out

    def eval_Dict(self, node: ast.Dict, env: Env, ctx: ModuleCtx) -> Any:
        out: dict[Any, Any] = {}
        for k, v in zip(node.keys, node.values):
            val = self.eval(v, env, ctx)
            if k is None:
                if isinstance(val, dict):
                    out.update(val)
                continue
            key = self.eval(k, env, ctx)
            try:
                out[key] = val
            except TypeError:
                return Unknown("a dict with an unhashable key")
        return out

    def eval_JoinedStr(self, node: ast.JoinedStr, env: Env, ctx: ModuleCtx) -> Any:
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
                continue
            assert isinstance(v, ast.FormattedValue)
            val = self.eval(v.value, env, ctx)
            if not is_literal(val):
                return Unknown("an f-string with a value not known statically")
            spec = "" if v.format_spec is None else self.eval(v.format_spec, env, ctx)
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

    def eval_BinOp(self, node: ast.BinOp, env: Env, ctx: ModuleCtx) -> Any:
        return self.binop(
            node.op, self.eval(node.left, env, ctx), self.eval(node.right, env, ctx), node, ctx
        )

    def binop(self, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        if isinstance(a, TensorVal) or isinstance(b, TensorVal):
            return self.an.tensor_binop(op, a, b, node, ctx)
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if is_literal(a) and is_literal(b):
            return _safe_binop(_BINOPS[type(op)], a, b)
        # Sequences of tensors and layers: `[inp] + states`, `layers * 2` (Python's own rules).
        if isinstance(op, ast.Add) and type(a) is type(b) and isinstance(a, (list, tuple)):
            return _safe_binop(operator.add, a, b)
        if isinstance(op, ast.Mult) and (
            (isinstance(a, (list, tuple)) and isinstance(b, int))
            or (isinstance(b, (list, tuple)) and isinstance(a, int))
        ):
            return _safe_binop(operator.mul, a, b)
        return Unknown("arithmetic on values not known statically")

    def eval_UnaryOp(self, node: ast.UnaryOp, env: Env, ctx: ModuleCtx) -> Any:
        v = self.eval(node.operand, env, ctx)
        if isinstance(node.op, ast.Not):
            t = truth(v)
            return Unknown("negation of a value not known statically") if t is None else not t
        if isinstance(v, TensorVal):
            return TensorVal(v.shape)
        if is_literal(v):
            try:
                return _UNARY[type(node.op)](v)
            except Exception as e:
                return Unknown(f"{type(e).__name__}: {e}")
        return v if isinstance(v, Unknown) else Unknown("unary operator on an unknown value")

    def eval_BoolOp(self, node: ast.BoolOp, env: Env, ctx: ModuleCtx) -> Any:
        is_and = isinstance(node.op, ast.And)
        last: Any = None
        for e in node.values:
            last = self.eval(e, env, ctx)
            t = truth(last)
            if t is None:
                return Unknown("a boolean expression not known statically")
            if (is_and and not t) or (not is_and and t):
                return last
        return last

    def eval_Compare(self, node: ast.Compare, env: Env, ctx: ModuleCtx) -> Any:
        left = self.eval(node.left, env, ctx)
        for op, comp in zip(node.ops, node.comparators):
            right = self.eval(comp, env, ctx)
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
                r = _CMPOPS[type(op)](left, right)
            elif is_literal(left) and is_literal(right):
                try:
                    r = _CMPOPS[type(op)](left, right)
                except TypeError as e:
                    return Unknown(f"TypeError: {e}")
            else:
                return Unknown("a comparison of values not known statically")
            if not r:
                return False
            left = right
        return True

    def eval_IfExp(self, node: ast.IfExp, env: Env, ctx: ModuleCtx) -> Any:
        t = truth(self.eval(node.test, env, ctx))
        if t is True:
            return self.eval(node.body, env, ctx)
        if t is False:
            return self.eval(node.orelse, env, ctx)
        return join_values(self.eval(node.body, env, ctx), self.eval(node.orelse, env, ctx))

    def eval_NamedExpr(self, node: ast.NamedExpr, env: Env, ctx: ModuleCtx) -> Any:
        v = self.eval(node.value, env, ctx)
        self.assign(node.target, v, env, ctx)
        return v

    def eval_Lambda(self, node: ast.Lambda, env: Env, ctx: ModuleCtx) -> Any:
        return self.make_function(node, env, ctx)

    def eval_Starred(self, node: ast.Starred, env: Env, ctx: ModuleCtx) -> Any:
        return self.eval(node.value, env, ctx)

    def eval_Slice(self, node: ast.Slice, env: Env, ctx: ModuleCtx) -> Any:
        parts = [
            None if p is None else self.eval(p, env, ctx)
            for p in (node.lower, node.upper, node.step)
        ]
        if any(isinstance(p, Unknown) for p in parts):
            return Unknown("a slice bound not known statically")
        return slice(*parts)

    def eval_Attribute(self, node: ast.Attribute, env: Env, ctx: ModuleCtx) -> Any:
        return self.an.get_attr(self.eval(node.value, env, ctx), node.attr, node, ctx)

    def eval_Subscript(self, node: ast.Subscript, env: Env, ctx: ModuleCtx) -> Any:
        obj = self.eval(node.value, env, ctx)
        key = self.eval(node.slice, env, ctx)
        return self.an.subscript(obj, key, node, ctx)

    def eval_Call(self, node: ast.Call, env: Env, ctx: ModuleCtx) -> Any:
        func = self.eval(node.func, env, ctx)
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.eval(a.value, env, ctx)
                items = self.iterate(v)
                if items is None:
                    return Unknown("a call with *args not known statically")
                args.extend(items)
            else:
                args.append(self.eval(a, env, ctx))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            v = self.eval(kw.value, env, ctx)
            if kw.arg is None:
                if isinstance(v, dict) and all(isinstance(k, str) for k in v):
                    kwargs.update(v)
                else:
                    return Unknown("a call with **kwargs not known statically")
            else:
                kwargs[kw.arg] = v
        return self.an.call(func, args, kwargs, node, ctx, env)

    # Comprehensions: evaluated eagerly in their own scope, unrolled.
    def eval_ListComp(self, node: ast.ListComp, env: Env, ctx: ModuleCtx) -> Any:
        out = list(
            self.comprehend(node.generators, env, ctx, lambda e: self.eval(node.elt, e, ctx))
        )
        return (
            out
            if not any(o is _STOP for o in out)
            else Unknown("a comprehension over an unknown iterable")
        )

    def eval_GeneratorExp(self, node: ast.GeneratorExp, env: Env, ctx: ModuleCtx) -> Any:
        return _Lazy(self.eval_ListComp(node, env, ctx))  # type: ignore[arg-type]

    def eval_SetComp(self, node: ast.SetComp, env: Env, ctx: ModuleCtx) -> Any:
        items = self.eval_ListComp(node, env, ctx)  # type: ignore[arg-type]
        if isinstance(items, list) and all(is_literal(i) for i in items):
            return set(items)
        return Unknown("a set comprehension of non-literal values")

    def eval_DictComp(self, node: ast.DictComp, env: Env, ctx: ModuleCtx) -> Any:
        pairs = list(
            self.comprehend(
                node.generators,
                env,
                ctx,
                lambda e: (self.eval(node.key, e, ctx), self.eval(node.value, e, ctx)),
            )
        )
        if any(p is _STOP for p in pairs):
            return Unknown("a comprehension over an unknown iterable")
        try:
            return dict(pairs)
        except TypeError:
            return Unknown("a dict with unhashable keys")

    def comprehend(
        self, gens: list[ast.comprehension], env: Env, ctx: ModuleCtx, produce: Any
    ) -> Iterator[Any]:
        inner = Env(parent=env, kind="comprehension")

        def rec(i: int) -> Iterator[Any]:
            if i == len(gens):
                yield produce(inner)
                return
            g = gens[i]
            items = self.iterate(self.eval(g.iter, inner if i else env, ctx))
            if items is None:
                yield _STOP
                return
            for item in items[:MAX_UNROLL]:
                self.assign(g.target, item, inner, ctx)
                if all(truth(self.eval(c, inner, ctx)) is True for c in g.ifs):
                    yield from rec(i + 1)

        yield from rec(0)

    def eval_Await(self, node: ast.Await, env: Env, ctx: ModuleCtx) -> Any:
        return self.eval(node.value, env, ctx)


class _Lazy:
    """A generator expression's items, computed eagerly (they feed `list(...)`, `sum(...)`, ...)."""

    def __init__(self, items: Any):
        self._items = items

    def items(self) -> list[Any] | None:
        return self._items if isinstance(self._items, list) else None


_STOP = object()


def _as_load(target: ast.expr) -> ast.expr:
    new = ast.copy_location(type(target)(**{f: getattr(target, f) for f in target._fields}), target)
    if hasattr(new, "ctx"):
        new.ctx = ast.Load()
    return new
