"""The standard library model code computes sizes with: `math.*` on known numbers, `math.pi`,
`copy.copy`/`copy.deepcopy` of literal structures, computed as Python does.
"""

from __future__ import annotations

import ast
import copy
import math
from typing import Any

from ...engine import Unknown
from .context import Host, ModuleCtx
from .dispatch import EXTERNAL_ATTRS, EXTERNAL_CALLS
from .truth import is_literal

_MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}


@EXTERNAL_ATTRS.register("math.")
def _math_constant(an: Host, qualname: str) -> Any:
    return _MATH_CONSTANTS.get(qualname[len("math."):])


_MATH_FUNCS = {"ceil", "floor", "sqrt", "log", "log2", "log10", "exp", "pow", "prod", "gcd",
               "isclose", "fabs", "trunc", "lcm", "comb", "factorial", "isqrt"}


def _pure_stdlib(qualname: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """math.* on known numbers, copy.(deep)copy on literal structures: computed as Python does."""
    if not all(is_literal(a) for a in [*args, *kwargs.values()]):
        return Unknown(f"`{qualname}` of a value not known statically")
    name = qualname.split(".", 1)[1]
    if qualname.startswith("copy."):
        return copy.deepcopy(args[0]) if args else Unknown("copy of nothing")
    if name not in _MATH_FUNCS:
        return Unknown(f"`{qualname}` is not modelled")
    big = any(isinstance(a, int) and a > 10_000 for a in args)
    if name in ("factorial", "comb", "pow") and big:
        return Unknown(f"`{qualname}` too large to evaluate")
    try:
        return getattr(math, name)(*args, **kwargs)
    except Exception as e:
        return Unknown(f"{type(e).__name__}: {e}")


@EXTERNAL_CALLS.register("math.", "copy.deepcopy", "copy.copy")
def _stdlib_call(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any],
                 node: ast.AST, ctx: ModuleCtx) -> Any:
    return _pure_stdlib(qualname, args, kwargs)
