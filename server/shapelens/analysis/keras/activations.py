"""`keras.activations.*` called as functions on tensors (`activations.relu(x)`,
`activations.get("gelu")(x)`): element-wise, so the input's shape, `glu` halving its axis.
"""

from __future__ import annotations

import ast
from typing import Any

from ... import engine
from ...engine import ShapeError, Unknown
from ...engine.core import ACTIVATIONS
from ..core.context import Host, ModuleCtx
from ..core.convert import to_engine
from ..core.dispatch import CALL, EXTERNAL_CALLS
from ..core.values import ExternalRef
from .tensors import eager, is_tensor_like, tensors_from, unknown_tensor

_PREFIX = "keras.activations."
# The activations whose `axis` argument (second positional) the shape depends on or checks.
_AXIS = ("softmax", "log_softmax", "glu", "sparsemax")


def _bound_input(args: list[Any], kwargs: dict[str, Any]) -> Any:
    return args[0] if args else kwargs.get("x")


def apply_activation(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """One activation applied: the shape of `keras.ops.<name>` on the input (its other
    arguments, slopes and thresholds, change no shape)."""
    x = _bound_input(args, kwargs)
    if not is_tensor_like(x):
        return Unknown(f"`keras.activations.{name}` on a value that is not a tensor")
    op_kwargs: dict[str, Any] = {}
    if name in _AXIS:
        axis = args[1] if len(args) > 1 else kwargs.get("axis")
        if axis is not None:
            op_kwargs["axis"] = axis
    # Element-wise ones: any element-wise op's rule (keras.ops.relu's) says the same.
    op = name if name in _AXIS else "relu"
    try:
        result = engine.apply_op(f"keras.ops.{op}", [to_engine(x)], to_engine(op_kwargs))
    except ShapeError as e:  # Keras' own message; unknown, never an error we are not sure of
        return eager(unknown_tensor(f"`keras.activations.{name}`: {e.message}", None, x), [x])
    if result is None:
        return eager(unknown_tensor(f"`keras.activations.{name}` is not modelled", None, x), [x])
    return eager(tensors_from(result, None, x, {}), [x])


def _call(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
          ctx: ModuleCtx) -> Any:
    name = qualname[len(_PREFIX):]
    if name == "get":
        return get(args, kwargs)
    if name not in ACTIVATIONS:
        return Unknown(f"`{qualname}` is not modelled")
    return apply_activation(name, args, kwargs)


def get(args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`keras.activations.get(identifier)`: a name -> that function; a function -> itself."""
    ident = args[0] if args else kwargs.get("identifier")
    if ident is None:
        return ExternalRef(_PREFIX + "linear")
    if isinstance(ident, str):
        return ExternalRef(_PREFIX + ident) if ident in ACTIVATIONS else Unknown(
            f"`activations.get({ident!r})`: not a Keras activation ShapeLens knows")
    if CALL.find(ident) is not None:
        return ident
    return Unknown("`activations.get` of a value not known statically")


EXTERNAL_CALLS.register(_PREFIX)(_call)
