"""Joining the values two branches of an undecidable condition give to the same name.

Equal values stay; values of one kind join as their kind says (`dispatch.JOIN`: tensors of one
rank keep the dims both agree on); anything else is Unknown.
"""

from __future__ import annotations

from typing import Any

from ...engine import Unknown
from .dispatch import JOIN

WHY = "differs between the branches of a condition not known statically"


def join_values(a: Any, b: Any, exact: bool = True) -> Any:
    """The value that stands for both `a` and `b`. `exact`: these are the only two paths (an
    `if`); False when the join stands for more (a loop's passes)."""
    if a is b:
        return a
    if isinstance(a, Unknown):
        return a
    if isinstance(b, Unknown):
        return b
    if type(a) is type(b):
        handler = JOIN.find(a)
        if handler is not None:
            return handler(a, b, exact)
    if type(a) is type(b) and isinstance(a, (int, float, str, bool, tuple)):
        try:
            if a == b:
                return a
        except Exception:
            pass
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [join_values(x, y, exact) for x, y in zip(a, b)]
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return tuple(join_values(x, y, exact) for x, y in zip(a, b))
    return Unknown(WHY)
