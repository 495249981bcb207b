"""How a rejected layer call is worded, with the fix a user needs where it is certain: a U-Net
skip that must be cropped (`Cropping2D(cropping=4)`) before the concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...engine import ShapeError, fmt_shape
from .values import LayerObj, TensorVal


@dataclass
class Explained:
    text: str
    data: dict[str, Any] | None = None


def explain_error(lo: LayerObj, inputs: Any, e: ShapeError) -> Explained:
    """The engine's message, plus what to do where the fix is certain (crop a U-Net skip)."""
    text = e.message if e.message.startswith(lo.kind) else f"{lo.kind}: {e.message}"
    if lo.kind == "Concatenate" and e.code == "shape-mismatch" and isinstance(inputs, list):
        crop = _crop_fix(inputs, lo)
        if crop is not None:
            return crop
    return Explained(text, {"arg": e.arg} if e.arg else None)


def _crop_fix(inputs: list[Any], lo: LayerObj) -> Explained | None:
    shapes = [t.shape if isinstance(t, TensorVal) else None for t in inputs]
    if len(shapes) != 2 or any(s is None or len(s) != 4 for s in shapes):
        return None
    a, b = shapes
    assert a is not None and b is not None
    if any(s[i] is None for s in (a, b) for i in (1, 2)):
        return None
    ai, bi = [int(a[i] or 0) for i in (1, 2)], [int(b[i] or 0) for i in (1, 2)]
    axes = [i + 1 for i in range(2) if ai[i] != bi[i]]
    if not axes:
        return None
    big = 0 if all(x >= y for x, y in zip(ai, bi)) else 1
    diffs = [x - y for x, y in zip(*((ai, bi) if big == 0 else (bi, ai)))]
    if any(d < 0 for d in diffs):
        return None
    cropping = tuple((d // 2, d - d // 2) for d in diffs)
    valid = "with padding='valid' " if any(_valid_upstream(t) for t in inputs) else ""
    ax = "axes 1-2" if len(axes) == 2 else f"axis {axes[0]}"
    even = all(c[0] == c[1] for c in cropping) and cropping[0] == cropping[1]
    how = f"cropped by {cropping[0][0]} on each side" if even else f"cropped by {cropping}"
    arg = cropping[0][0] if even else cropping
    who = "the skip branch" if big == 0 else f"input {big}"
    text = (
        f"Concatenate: {fmt_shape(a)} and {fmt_shape(b)} differ on {ax}; {valid}{who} "
        f"must be {how}: Cropping2D(cropping={arg})"
    )
    return Explained(
        text, {"fix": "insert-crop", "input_index": big, "cropping": [list(c) for c in cropping]}
    )


def _valid_upstream(t: Any, depth: int = 4) -> bool:
    while isinstance(t, TensorVal) and depth > 0:
        layer = t.layer
        if isinstance(layer, LayerObj):
            pad = layer.constructed.bound.get("padding") if layer.constructed else None
            if isinstance(pad, str) and pad.lower() == "valid" and layer.kind.startswith("Conv"):
                return True
        t = t.inputs[0] if isinstance(t.inputs, list) and t.inputs else t.inputs
        depth -= 1
    return False
