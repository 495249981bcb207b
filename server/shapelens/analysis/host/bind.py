"""Binding a call of a numpy/TF function against its real signature, as Python would; a call
that does not bind (Python's TypeError) gives None and the caller answers Unknown, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...engine import Unknown
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_CALLS

REQ = object()  # a parameter without default
# (name, default) pairs; "*name" takes the remaining positionals as a tuple
Params = Sequence[tuple[str, Any]]
Handler = Callable[[Host, dict[str, Any], Any], Any]


def bind(params: Params, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any] | None:
    names = [p for p, _ in params if p != "**"]
    loose = len(names) != len(params)  # "**": other keywords are accepted and ignored
    star = next((p for p in names if p.startswith("*")), None)
    positional = names[: names.index(star)] if star else names
    if len(args) > len(positional) and star is None:
        return None
    bound: dict[str, Any] = dict(zip(positional, args))
    if star:
        bound[star[1:]] = tuple(args[len(positional):])
    for k, v in kwargs.items():
        if k in bound or k not in names:
            if k not in names and loose:
                continue  # keyword arguments that do not change the shape (`order=`, `name=`)
            return None
        bound[k] = v
    for name, default in params:
        if name.startswith("*") or name == "**":
            continue
        if name not in bound:
            if default is REQ:
                return None
            bound[name] = default
    return bound


def register(names: Sequence[str], params: Params) -> Callable[[Handler], Handler]:
    """Register `handler(an, bound_args, ctx)` for each qualified name, bound to `params`."""

    def decorate(handler: Handler) -> Handler:
        def run(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: Any,
                ctx: ModuleCtx) -> Any:
            bound = bind(params, args, kwargs)
            if bound is None:
                return Unknown(f"this call of `{qualname}` does not match its signature")
            return handler(an, bound, ctx)

        EXTERNAL_CALLS.register(*names)(run)
        return handler

    return decorate
