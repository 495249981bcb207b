"""`match` statements: a literal subject is matched exactly (values, sequences, mappings,
captures); otherwise each case runs as an alternative of the ones after it, joined.
"""

from __future__ import annotations

import ast
from typing import Any, cast

from ...engine import Unknown
from .context import ModuleCtx
from .interpreter import STATEMENTS, Interpreter
from .scope import Env
from .signals import Frame
from .statements import exec_both
from .truth import is_literal


class _Cases(ast.stmt):
    """The cases of a `match` left to try: a statement so that `exec_both` can run them."""

    _fields = ()

    def __init__(self, subject: Any, cases: list[Any], node: ast.AST):
        super().__init__()
        self.subject, self.cases = subject, cases
        ast.copy_location(self, node)


@STATEMENTS.register(_Cases)
def exec_cases(ip: Interpreter, node: _Cases, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
    for i, case in enumerate(node.cases):
        bound = _match(case.pattern, node.subject)
        if bound is None:
            continue  # this case cannot match
        certain = bound is not _UNSURE and case.guard is None
        names = bound if isinstance(bound, dict) else _unsure_names(case.pattern, node.subject)
        for name, value in names.items():
            env.assign(name, value)
        if certain:
            ip.exec_block(case.body, env, ctx, frame)
            return
        rest = _Cases(node.subject, node.cases[i + 1 :], case)
        exec_both(ip, case.body, [rest], env, ctx, frame)
        return


if hasattr(ast, "Match"):  # Python 3.10+

    @STATEMENTS.register(ast.Match)
    def exec_Match(ip: Interpreter, node: Any, env: Env, ctx: ModuleCtx, frame: Frame) -> None:
        subject = ip.eval(node.subject, env, ctx)
        exec_cases(ip, _Cases(subject, list(node.cases), node), env, ctx, frame)


_UNSURE: Any = object()  # a pattern that may or may not match


def _match(pattern: Any, subject: Any) -> Any:
    """The names a pattern binds when it matches a known subject, None when it cannot match,
    `_UNSURE` when that is not known statically."""
    kind = type(pattern).__name__
    if kind == "MatchAs":
        inner = {} if pattern.pattern is None else _match(pattern.pattern, subject)
        if isinstance(inner, dict) and pattern.name:
            inner = {**inner, pattern.name: subject}
        return inner
    if kind == "MatchOr":
        answers = [_match(p, subject) for p in pattern.patterns]
        found = next((a for a in answers if a is not None), None)
        if found is None:
            return None
        return found if isinstance(found, dict) and answers.index(found) == 0 else _UNSURE
    if not is_literal(subject):
        return _UNSURE
    if kind in ("MatchValue", "MatchSingleton"):
        want = pattern.value if kind == "MatchSingleton" else _constant(pattern.value)
        if want is _NOT_CONSTANT:
            return _UNSURE
        same = subject == want if kind == "MatchValue" else subject is want
        return {} if same else None
    if kind == "MatchSequence":
        return _match_sequence(pattern, subject)
    if kind == "MatchMapping":
        return _match_mapping(pattern, subject)
    return _UNSURE


def _match_sequence(pattern: Any, subject: Any) -> Any:
    if not isinstance(subject, (list, tuple)):
        return None
    stars = [i for i, p in enumerate(pattern.patterns) if type(p).__name__ == "MatchStar"]
    fixed = len(pattern.patterns) - len(stars)
    if (not stars and len(subject) != fixed) or len(subject) < fixed:
        return None
    bound: dict[str, Any] = {}
    items = list(subject)
    if stars:
        s = stars[0]
        tail = len(pattern.patterns) - s - 1
        star = pattern.patterns[s]
        if star.name:
            bound[star.name] = items[s : len(items) - tail]
        pairs = list(zip(pattern.patterns[:s], items[:s])) + list(
            zip(pattern.patterns[s + 1 :], items[len(items) - tail :]))
    else:
        pairs = list(zip(pattern.patterns, items))
    for p, item in pairs:
        inner = _match(p, item)
        if not isinstance(inner, dict):
            return inner
        bound.update(inner)
    return bound


def _match_mapping(pattern: Any, subject: Any) -> Any:
    if not isinstance(subject, dict):
        return None
    bound: dict[str, Any] = {}
    for key_node, p in zip(pattern.keys, pattern.patterns):
        key = _constant(key_node)
        if key is _NOT_CONSTANT:
            return _UNSURE
        if key not in subject:
            return None
        inner = _match(p, subject[key])
        if not isinstance(inner, dict):
            return inner
        bound.update(inner)
    if pattern.rest:
        keys = {_constant(k) for k in pattern.keys}
        bound[pattern.rest] = {k: v for k, v in subject.items() if k not in keys}
    return bound


_NOT_CONSTANT = object()


def _constant(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        v: Any = node.operand.value
        negative = isinstance(node.op, ast.USub) and isinstance(v, (int, float))
        return -v if negative else _NOT_CONSTANT
    return _NOT_CONSTANT


def _unsure_names(pattern: Any, subject: Any) -> dict[str, Any]:
    """Names a pattern that may match binds: the subject itself for `case x` / `... as x`."""
    names: dict[str, Any] = {}
    for p in ast.walk(pattern):
        kind = type(p).__name__
        p = cast(Any, p)
        if kind == "MatchAs" and p.name:
            whole = p is pattern
            names[p.name] = subject if whole else Unknown("bound by a `match` pattern")
        elif kind == "MatchStar" and p.name:
            names[p.name] = Unknown("bound by a `match` pattern")
        elif kind == "MatchMapping" and p.rest:
            names[p.rest] = Unknown("bound by a `match` pattern")
    return names
