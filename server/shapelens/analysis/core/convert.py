"""Abstract values as engine arguments: literals stand for themselves, containers convert item
by item, and other kinds convert as they registered (`dispatch.TO_ENGINE`), else Unknown.
"""

from __future__ import annotations

from typing import Any

from ...engine import Unknown
from .dispatch import CALL, TO_ENGINE

# Literals stand for themselves (no plug-in registers a handler for one): most arguments are.
_SELF = frozenset((int, float, str, bool, type(None)))


def to_engine(v: Any) -> Any:
    if type(v) in _SELF:
        return v
    handler = TO_ENGINE.handlers[type(v)]
    if handler is not None:
        return handler(v)
    # A literal item is itself, without a call for it (a layer's arguments are mostly literals,
    # often all of them: then the container is copied whole).
    if isinstance(v, list):
        if _SELF.issuperset(map(type, v)):
            return list(v)
        return [x if type(x) in _SELF else to_engine(x) for x in v]
    if isinstance(v, tuple):
        return tuple([x if type(x) in _SELF else to_engine(x) for x in v])
    if isinstance(v, dict):
        if _SELF.issuperset(map(type, v.values())):
            return dict(v)
        return {k: x if type(x) in _SELF else to_engine(x) for k, x in v.items()}
    if isinstance(v, (int, float, str, bool, type(None), Unknown, slice, type(Ellipsis))):
        return v
    if CALL.find(v) is not None:
        return Unknown("a function")
    return Unknown(f"a {type(v).__name__} value")
