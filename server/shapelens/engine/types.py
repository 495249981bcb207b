"""Value types the shape engine speaks: shapes, unknowns, tensors, results and errors.

Everything here is plain data; the analyser builds these and the engine answers with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Dim = int | None
"""One axis: an int, or None where Keras itself does not know it (the batch axis, a dynamic dim)."""

Shape = tuple[Dim, ...]

# A tensor's shape as the engine sees it: a tuple, or None when even the rank is unknown.
MaybeShape = Shape | None

# What a call returns: one shape, or (for return_state, merge_mode=None, ...) a nested list of them.
Outputs = Any


@dataclass(frozen=True)
class Unknown:
    """A value the analyser could not determine statically; `reason` says why, for hover."""

    reason: str

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"


@dataclass(frozen=True)
class Tensor:
    """A tensor argument to an op (`tf.nn.conv2d(x, w, ...)`): only its shape matters here."""

    shape: MaybeShape


class ShapeError(Exception):
    """Keras would reject this: at construction (`at='init'`) or when the layer is called.

    `code` is a diagnostic code from `engine.codes` (SL1xx arguments, SL2xx geometry, SL3xx wiring);
    `message` is worded the Keras way, in the user's terms, with the numbers.
    """

    def __init__(self, code: str, message: str, *, arg: str | None = None, at: str = "call"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.arg = arg
        self.at = at

    def __repr__(self) -> str:
        return f"ShapeError({self.code!r}, {self.message!r}, at={self.at!r})"


class NotKnown(Exception):
    """Raised inside the engine when a value it needs is an `Unknown`; becomes an unknown result."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Result:
    """The answer for one layer call or op call.

    `outputs` mirrors what Keras returns: a shape tuple, None for unknown rank, or a list of these.
    `params` is what `layer.count_params()` says after build (None if not known, 0 for ops).
    `derivation` has one human line per computed output dimension (or per notable step);
    `notes` say where defaults came from (`strides=None -> pool_size (2, 2)`).
    `unknown` is set, with its reason, when the outputs could not be determined.
    `warnings` are findings Keras lets through but users want to know about (a dim of size 0).
    """

    outputs: Outputs
    params: int | None = 0
    derivation: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown: str | None = None
    warnings: list[str] = field(default_factory=list)

    @staticmethod
    def of_unknown(reason: str) -> Result:
        return Result(outputs=None, params=None, unknown=reason)


def fmt_shape(shape: MaybeShape) -> str:
    """`(None, 570, 570, 64)` as Keras prints it; `?` for an unknown rank."""
    if shape is None:
        return "?"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
