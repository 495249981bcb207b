"""The one three-valued truth of the analyser: True, False, or None (not known statically).

Literals answer as Python does; other kinds answer through `dispatch.TRUTH`, and a kind with no
handler is not known. Also the guards against building huge values from literals.
"""

from __future__ import annotations

import re
from typing import Any

from ...engine import Unknown
from .dispatch import TRUTH
from .values import BoundMethod, ClassVal, ExternalRef, FuncVal, Instance, ModuleVal, Partial

MAX_SEQ = 100_000  # longest sequence we build from literals
MAX_BITS = 100_000  # the largest integer result we compute (about 30,000 digits)
_DIGITS = re.compile(r"\d+")
_LITERAL = (int, float, str, bool, type(None), complex, bytes)


def is_literal(v: Any) -> bool:
    """A plain Python value, computed with as Python does (numbers, strings, their containers)."""
    if isinstance(v, _LITERAL):
        return True
    if isinstance(v, (tuple, list)):
        return all(is_literal(x) for x in v)
    if isinstance(v, dict):
        return all(is_literal(k) and is_literal(x) for k, x in v.items())
    return isinstance(v, (slice, type(Ellipsis)))


def truth(v: Any) -> bool | None:
    """Python truthiness of a value; None when it cannot be known statically."""
    if isinstance(v, Unknown):
        return None
    if is_literal(v) or isinstance(v, (tuple, list, dict, range, set, frozenset)):
        try:
            return bool(v)
        except Exception:
            return None
    handler = TRUTH.find(v)
    return handler(v) if handler is not None else None


@TRUTH.register(FuncVal, ClassVal, ExternalRef, ModuleVal, BoundMethod, Partial)
def _objects_are_true(v: Any) -> bool:
    return True


@TRUTH.register(Instance)
def _instance_truth(v: Instance) -> bool | None:
    # `__bool__`/`__len__` would decide; without them an instance is true.
    return None if {"__bool__", "__len__"} & _defined(v) else True


def _defined(v: Instance) -> set[str]:
    return {n for c in v.cls.mro() if isinstance(c, ClassVal) for n in c.attrs}


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
