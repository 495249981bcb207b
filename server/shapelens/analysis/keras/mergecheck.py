"""Branches that meet with open sizes: an axis whose sizes differ for every input size is an
error TensorFlow raises at run time on any data; one that agrees only on a condition, a warning.

Keras builds both (it cannot compare None with None); the symbolic shapes can (`symsolve`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...engine.symdims import Sym
from ...engine.symsolve import Agreement, agreement
from ..core.context import Host
from ..core.sites import Pos
from . import symshapes
from .values import LayerObj, TensorVal

# The layers whose inputs must agree on every axis but the concatenation axis (False) or
# element-wise, where TF broadcasts a size of 1 (True).
MERGES: dict[str, bool] = {
    "Concatenate": False,
    **{k: True for k in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")},
}


# The same for functions and operators (`x + skip` is keras.ops.add on KerasTensors).
_ELEMENTWISE = ("add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum")
OP_MERGES: dict[str, bool] = {
    "keras.ops.concatenate": False,
    "tf.concat": False,
    **{f"keras.ops.{n}": True for n in _ELEMENTWISE},
    **{f"tf.{n}": True for n in _ELEMENTWISE},
    **{f"tf.math.{n}": True for n in _ELEMENTWISE},
}


@dataclass(frozen=True)
class AxisVerdict:
    """One axis of one later input against input 0: their sizes and where they agree."""

    axis: int
    index: int
    first: Any
    other: Any
    agreement: Agreement


def follow_layer(an: Host, lo: LayerObj, first: Any, out: Any,
                 attempt: Callable[[Any], Any], pos: Pos) -> None:
    """After a layer call Keras accepts: its symbolic output, and for a merge, the check."""
    if lo.kind not in MERGES:
        symshapes.follow(out, first, attempt)
        return
    broadcast = MERGES[lo.kind]
    skip = None if broadcast else _concat_axis(lo)
    if not broadcast and skip is None:  # an axis not known: nothing to compare
        symshapes.follow(out, first, attempt)
        return
    view = _checked_view(an, lo.kind, first, skip, broadcast, pos)
    if view is None:
        return
    result = symshapes.run_on(view, attempt)
    if result is not None:
        symshapes.attach(out, result.outputs, first, result.derivation)


def check_op(an: Host, qualname: str, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> None:
    """A keras.ops / tf function or an operator whose tensors must agree (`OP_MERGES`): the
    same check as a merge layer's (its symbolic output is the engine's, where it can say)."""
    broadcast = OP_MERGES.get(qualname)
    if broadcast is None:
        return
    if broadcast:
        tensors: Any = list(args[:2])
        skip: Any = None
    else:
        tensors = args[0] if args else kwargs.get("xs", kwargs.get("values"))
        skip = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    if isinstance(tensors, tuple):
        tensors = list(tensors)
    if broadcast or (isinstance(skip, int) and not isinstance(skip, bool)):
        _checked_view(an, qualname.rsplit(".", 1)[-1], tensors, skip, broadcast, pos)


def _checked_view(an: Host, kind: str, first: Any, axis: int | None, broadcast: bool,
                  pos: Pos) -> list[TensorVal] | None:
    """Check the merge; the inputs to compute its symbolic output from (each later input's
    checked axes read as input 0's, which they equal wherever the model can run), or None.
    `axis`: the concatenation axis, not compared."""
    shapes = _symbolic_inputs(first)
    if shapes is None:
        return None
    rank = len(shapes[0])
    skip = axis % rank if axis is not None and -rank <= axis < rank else None
    if axis is not None and skip is None:
        return None  # an axis out of range: Keras' own error, not ours to add to
    positive = symshapes.positive_of(first)
    verdicts = [
        AxisVerdict(j, i, shapes[0][j], s[j],
                    agreement(shapes[0][j], s[j], positive, broadcast=broadcast))
        for i, s in enumerate(shapes[1:], start=1)
        for j in range(1, len(s))
        if j != skip and _comparable(shapes[0][j], s[j])
    ]
    # An error only where not even empty tensors (a size of 0 on the way) could meet.
    never = [v for v in verdicts if v.agreement.verdict == "never" and agreement(
        v.first, v.other, [c + 1 for c in positive], broadcast=broadcast).verdict == "never"]
    some = [v for v in verdicts if v.agreement.verdict == "some"]
    if never or some:
        # The sizes as formulas: what a test substitutes to check the claim against TensorFlow.
        data = {"symbolic": {
            "broadcast": broadcast,
            "axes": [[str(v.first), str(v.other)] for v in never or some],
            "positive": sorted(map(str, positive)),
        }}
    if never:
        an.report(pos, "mismatch-every-size", _never_text(kind, never[0]), data)
        return None
    if some:
        an.report(pos, "size-condition", _some_text(kind, some), data)
    view = [list(s) for s in shapes]
    for v in verdicts:
        if v.agreement.verdict != "unknown":
            view[v.index][v.axis] = view[0][v.axis]
    return [TensorVal(tuple(s)) for s in view]


def _symbolic_inputs(first: Any) -> list[tuple[Any, ...]] | None:
    """Each input's shape with its open sizes as formulas, when at least one has them, none is
    a join of branches (an error must hold on every path) and all have one rank."""
    if not isinstance(first, list) or len(first) < 2:
        return None
    if not all(isinstance(t, TensorVal) and t.shape is not None and t.paths is None
               for t in first):
        return None
    if not any(t.sym is not None for t in first):
        return None
    shapes = [t.sym.dims if t.sym is not None else tuple(t.shape) for t in first]
    if len({len(s) for s in shapes}) != 1:
        return None
    return shapes


def _comparable(a: Any, b: Any) -> bool:
    """A formula against a formula or a size; never an axis Keras itself leaves open."""
    known = (isinstance(a, (Sym, int)) and isinstance(b, (Sym, int)))
    return known and (isinstance(a, Sym) or isinstance(b, Sym))


def _concat_axis(lo: LayerObj) -> int | None:
    axis = getattr(getattr(lo.constructed, "config", None), "axis", -1)
    return axis if isinstance(axis, int) and not isinstance(axis, bool) else None


def _never_text(kind: str, v: AxisVerdict) -> str:
    size = v.agreement.symbol or "size"
    return (
        f"{kind}: axis {v.axis} is {v.first!s} in input 0 and {v.other!s} in input {v.index}; "
        f"they differ for every input size {size}, so the model builds but TensorFlow fails at "
        "run time on any data"
    )


def _some_text(kind: str, verdicts: list[AxisVerdict]) -> str:
    parts = []
    for v in verdicts:
        eg = ", ".join(map(str, v.agreement.first))
        parts.append(
            f"axis {v.axis} is {v.first!s} in input 0 and {v.other!s} in input {v.index}: they "
            f"agree only when {v.agreement.condition} (e.g. {eg})"
        )
    return f"{kind}: " + "; ".join(parts) + "; other input sizes fail at run time"
