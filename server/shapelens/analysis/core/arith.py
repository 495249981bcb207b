"""Arithmetic and comparison on Python literals, computed as Python does, with guards against
results too large to build (`2 ** 10**9`, `"x" * 10**9`) that answer Unknown instead.
"""

from __future__ import annotations

import ast
import operator
from typing import Any

from ...engine import Unknown
from .truth import MAX_BITS, MAX_SEQ, too_big

BINOPS: dict[type, Any] = {
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
CMPOPS: dict[type, Any] = {
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
UNARY_OPS: dict[type, Any] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
}


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


def safe_binop(op: Any, a: Any, b: Any) -> Any:
    """`a op b` on known values; Unknown with Python's error (or "too large") when it fails."""
    if _result_too_big(op, a, b):
        return Unknown("a value too large to evaluate")
    try:
        return op(a, b)
    except Exception as e:
        return Unknown(f"{type(e).__name__}: {e}")
