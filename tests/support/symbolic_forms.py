"""Symbolic shapes as the CLI JSON prints them (`"ceil(H/2) - 1"`), evaluated at concrete sizes.

Tests substitute sizes into our formulas and compare with the shapes TensorFlow builds.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any


def evaluate(formula: Any, sizes: dict[str, int]) -> Any:
    """One dim: an int or None as it is, a formula at `sizes` (exact rational arithmetic)."""
    if not isinstance(formula, str):
        return formula
    expr = re.sub(
        r"\b([A-Za-z_]\w*)\b",
        lambda m: m.group(1) if m.group(1) in ("floor", "ceil") else f"S['{m.group(1)}']",
        formula.replace("^", "**"),
    )
    value = eval(  # our own formula text, its names mapped to the sizes
        expr, {"__builtins__": {}, "floor": math.floor, "ceil": math.ceil},
        {"S": {k: Fraction(v) for k, v in sizes.items()}},
    )
    assert Fraction(value).denominator == 1, formula
    return int(value)


def substituted(form: Any, sizes: dict[str, int]) -> Any:
    """A shape (or a list of shapes, for several outputs) at `sizes`."""
    if isinstance(form, list) and form and all(isinstance(f, list) or f is None for f in form):
        return [substituted(f, sizes) for f in form]
    return [evaluate(d, sizes) for d in form]


def merge_works_at(data: dict[str, Any], sizes: dict[str, int]) -> bool:
    """What a merge finding claims at these sizes: every size along the branches at least 1 and
    each listed axis agreeing (or, element-wise, one of them 1)."""
    if any(evaluate(p, sizes) < 1 for p in data["positive"]):
        return False
    for first, other in data["axes"]:
        a, b = evaluate(first, sizes), evaluate(other, sizes)
        if a != b and not (data["broadcast"] and 1 in (a, b)):
            return False
    return True


def unet(padding: str, size: str) -> str:
    """A small U-Net (4 poolings, 2-4 filters) after `keras`/`layers` imports: its convs'
    `padding` and the Input's `size` as written (`"None, None"`, `"{H}, {W}"`, `"250, 250"`)."""
    return f'''
def block(x, f):
    x = layers.Conv2D(f, 3, padding="{padding}", activation="relu")(x)
    return layers.Conv2D(f, 3, padding="{padding}", activation="relu")(x)


inputs = keras.Input(({size}, 1))
skips = []
x = inputs
for f in (2, 2, 4, 4):
    x = block(x, f)
    skips.append(x)
    x = layers.MaxPooling2D()(x)
x = block(x, 4)
for f, s in zip((4, 4, 2, 2), reversed(skips)):
    x = layers.Conv2DTranspose(f, 2, strides=2, padding="{padding}")(x)
    x = layers.concatenate([x, s])
    x = block(x, f)
outputs = layers.Conv2D(1, 1)(x)
model = keras.Model(inputs, outputs)
'''
