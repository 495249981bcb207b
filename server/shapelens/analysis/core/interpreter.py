"""The abstract interpreter: runs statements and evaluates expressions over abstract values.

Syntax dispatches through the `STATEMENTS` / `EXPRESSIONS` tables (handlers in statements.py and
expressions.py); operations on values through `dispatch`'s tables by value kind. A node or a
value with no handler is Unknown with the reason, so new syntax or a new kind never crashes it.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from .arith import BINOPS, safe_binop
from .context import Host, ModuleCtx
from .dispatch import ATTR, BINOP, CALL, ITERATE, SET_ATTR, SUBSCRIPT, Table
from .scope import Env
from .signals import BreakSignal, BudgetExceeded, ContinueSignal, Frame, ReturnSignal
from .truth import is_literal

MAX_UNROLL = 10_000  # iterations of one loop before we stop unrolling

# handler(interpreter, node, env, ctx, frame) -> None
STATEMENTS = Table("statement")
# handler(interpreter, node, env, ctx) -> value
EXPRESSIONS = Table("expression")


class Interpreter:
    """Evaluates statements and expressions of one module (and the functions it calls)."""

    def __init__(self, host: Host):
        self.an = host

    # --- syntax -------------------------------------------------------------------------------

    def exec_block(self, body: list[ast.stmt], env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env, ctx, frame)

    def exec_stmt(self, node: ast.stmt, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        an = self.an
        if node is an.pause_at:  # a paused analysis (resume.py) waits here for the edited text
            node = an.on_pause(node, ctx)
        elif an.moved is not None:  # resumed: the edited statement, wherever it runs again
            node = an.moved.get(node, node)
        # `an.tick(node, ctx)` inlined (every statement and expression): count, check rarely.
        steps = an.steps = an.steps + 1
        if steps & 1023 == 0 or steps > an.options.max_steps:
            an.check_budget(steps, node, ctx)
        handler = STATEMENTS.handlers[type(node)]
        if handler is None:
            if self.an.options.strict:
                raise NotImplementedError(f"no handler for `{type(node).__name__}` statements")
            return
        try:
            handler(self, node, env, ctx, frame)
        except (ReturnSignal, BreakSignal, ContinueSignal, BudgetExceeded, RecursionError):
            raise
        except Exception as e:
            self.an.internal_error(node, ctx, e)

    def eval(self, node: ast.expr, env: Env, ctx: ModuleCtx) -> Any:
        an = self.an  # `an.tick(node, ctx)` inlined, as in `exec_stmt`
        steps = an.steps = an.steps + 1
        if steps & 1023 == 0 or steps > an.options.max_steps:
            an.check_budget(steps, node, ctx)
        handler = EXPRESSIONS.handlers[type(node)]
        if handler is None:
            if self.an.options.strict:
                raise NotImplementedError(f"no handler for `{type(node).__name__}` expressions")
            return Unknown(f"`{type(node).__name__}` expressions are not evaluated")
        return handler(self, node, env, ctx)

    # --- operations on values, by kind --------------------------------------------------------

    def get_attr(self, obj: Any, attr: str, node: ast.AST, ctx: ModuleCtx) -> Any:
        if isinstance(obj, Unknown):
            return obj
        handler = ATTR.handlers[type(obj)]
        if handler is None:
            return Unknown(f"attribute `{attr}` of a {type(obj).__name__} is not modelled")
        return handler(self.an, obj, attr, node, ctx)

    def set_attr(self, obj: Any, attr: str, value: Any, ctx: ModuleCtx) -> None:
        handler = SET_ATTR.find(obj)
        if handler is not None:
            handler(self.an, obj, attr, value, ctx)

    def subscript(self, obj: Any, key: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        if isinstance(obj, Unknown):
            return obj
        handler = SUBSCRIPT.find(obj)
        if handler is None:
            return Unknown(f"subscript of a {type(obj).__name__} value not known statically")
        return handler(self.an, obj, key, node, ctx)

    def call(
        self, func: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx,
        env: Env,
    ) -> Any:
        handler = CALL.handlers[type(func)]
        if handler is None:
            return Unknown("a call of a value not known statically")
        return handler(self.an, func, args, kwargs, node, ctx, env)

    def binop(self, op: ast.operator, a: Any, b: Any, node: ast.AST, ctx: ModuleCtx) -> Any:
        handler = BINOP.find(a) or BINOP.find(b)
        if handler is not None:
            return handler(self.an, op, a, b, node, ctx)
        if isinstance(a, Unknown):
            return a
        if isinstance(b, Unknown):
            return b
        if is_literal(a) and is_literal(b):
            return safe_binop(BINOPS[type(op)], a, b)
        # Sequences of tensors and layers: `[inp] + states`, `layers * 2` (Python's own rules).
        if isinstance(op, ast.Add) and type(a) is type(b) and isinstance(a, (list, tuple)):
            return safe_binop(BINOPS[ast.Add], a, b)
        if isinstance(op, ast.Mult) and (
            (isinstance(a, (list, tuple)) and isinstance(b, int))
            or (isinstance(b, (list, tuple)) and isinstance(a, int))
        ):
            return safe_binop(BINOPS[ast.Mult], a, b)
        return Unknown("arithmetic on values not known statically")

    def iterate(self, value: Any) -> list[Any] | None:
        """The items of a value we can iterate statically, or None."""
        if isinstance(value, (list, tuple, str)):
            return list(value)
        if isinstance(value, dict):
            return list(value.keys())
        if isinstance(value, (set, frozenset)):
            return list(value)
        if isinstance(value, range):
            # len() of range(10**30) raises OverflowError (it exceeds a C ssize_t).
            if value[MAX_UNROLL:]:
                return None
            return list(value)
        handler = ITERATE.find(value)
        return handler(value) if handler is not None else None

    # --- assignment ---------------------------------------------------------------------------

    def assign(self, target: ast.expr, value: Any, env: Env, ctx: ModuleCtx) -> None:
        if isinstance(target, ast.Name):
            env.assign(target.id, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self.unpack(target.elts, value, env, ctx)
        elif isinstance(target, ast.Attribute):
            self.set_attr(self.eval(target.value, env, ctx), target.attr, value, ctx)
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


class Lazy:
    """A generator expression's items, computed eagerly (they feed `list(...)`, `sum(...)`, ...)."""

    def __init__(self, items: Any):
        self._items = items

    def items(self) -> list[Any] | None:
        return self._items if isinstance(self._items, list) else None


ITERATE.register(Lazy)(Lazy.items)
