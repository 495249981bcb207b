"""engine/symtext.py: a symbolic size's simple form on the multiples of its period.

Each form is checked by substituting sizes: the form's value equals the size's own (symdims).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from shapelens.engine.symdims import SymInt, evaluate, floordiv, symbol
from shapelens.engine.symtext import affine_form, residue_text

H, W = symbol("H"), symbol("W")


def _value_of(form: str, size: int) -> Fraction:
    """The form written `3*H/4 - 2` at H = size, exactly (the form is our own text: + - * /)."""
    return Fraction(eval(form.replace("H", f"Fraction({size})"), {"Fraction": Fraction}))


@pytest.mark.parametrize(("value", "text"), [
    (math.ceil((H - 2) / 2), "ceil(H/2) - 1 -> H/2 - 1 when H is even"),
    (floordiv(H + 4, 16) - 8, "floor((H + 4)/16) - 8 -> H/16 - 8 when H ≡ 0 (mod 16)"),
    (2 * floordiv(H + 4, 16) - 16, "2*floor((H + 4)/16) - 16 -> H/8 - 16 when H ≡ 0 (mod 16)"),
    (-floordiv(H, 2) + 5, "-floor(H/2) + 5 -> -H/2 + 5 when H is even"),
])
def test_residue_text(value: SymInt, text: str) -> None:
    assert residue_text(value) == text


@pytest.mark.parametrize("value", [
    math.ceil((H - 2) / 2),
    floordiv(H + 4, 16) - 8,
    2 * floordiv(H + 4, 16) - 16,
    3 * floordiv(H, 4) + floordiv(H, 2) - 7,
    floordiv(floordiv(H - 3, 2) + 1 - 3, 2) + 1,  # two 'valid' stride-2 convolutions
    16 * floordiv(H, 16),
])
def test_the_form_equals_the_size_on_its_class(value: SymInt) -> None:
    found = affine_form(value)
    assert found is not None
    form, condition = found
    m = int(condition.split("mod ")[1].rstrip(")")) if "mod" in condition else 2
    for size in range(0, 40 * m, m):
        assert _value_of(form, size) == evaluate(value, {"H": size}), (form, size)


@pytest.mark.parametrize("value", [H - 4, 2 * H, floordiv(H, 2) * W, floordiv(H + W, 2), 7])
def test_no_form_without_a_floor_or_with_several_symbols(value: SymInt) -> None:
    assert affine_form(value) is None and residue_text(value) is None
