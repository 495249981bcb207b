"""A symbolic size's simple form where it is affine: `ceil(H/2) - 1 -> H/2 - 1 when H is even`.

Pure text for hover derivations; the size is evaluated with symdims, never guessed from strings.
"""

from __future__ import annotations

from fractions import Fraction

from .symdims import SymInt, evaluate, is_affine, is_sym, period, symbols_of

_CHECKED = range(-3, 5)  # multiples of the period where the affine form is verified


def affine_form(value: SymInt) -> tuple[str, str] | None:
    """(form, condition): a one-symbol size with floors, as a line on the multiples of its period
    (where it is affine): `floor((H + 4)/16) - 8` gives `("H/16 - 8", "H ≡ 0 (mod 16)")`.

    None for an int, a polynomial (no floor: it is its own simple form), several symbols, or a
    size that is not affine (products of symbols)."""
    if not is_sym(value) or not is_affine(value):
        return None
    names = symbols_of(value)
    m = period(value)
    if len(names) != 1 or m == 1:
        return None
    (name,) = names
    base = evaluate(value, {name: 0})
    step = evaluate(value, {name: m}) - base
    if any(evaluate(value, {name: m * k}) != base + step * k for k in _CHECKED):
        return None  # not affine on the class after all: no form rather than a wrong one
    slope = Fraction(step, m)
    return _linear(name, slope, base), _condition(name, m)


def residue_text(value: SymInt) -> str | None:
    """The derivation line's tail for `value`: `floor((H + 4)/16) - 8 -> H/16 - 8 when H ≡ 0
    (mod 16)`; None where `affine_form` has none."""
    found = affine_form(value)
    if found is None:
        return None
    form, condition = found
    return f"{value!s} -> {form} when {condition}"


def _linear(name: str, slope: Fraction, constant: int) -> str:
    """`H/2 - 1`, `3*H/4 + 2`, `-H`, `5` (slope 0)."""
    if slope == 0:
        return str(constant)
    num, den = abs(slope.numerator), slope.denominator
    term = name if num == 1 else f"{num}*{name}"
    term += f"/{den}" if den != 1 else ""
    text = f"-{term}" if slope < 0 else term
    if constant:
        text += f" + {constant}" if constant > 0 else f" - {-constant}"
    return text


def _condition(name: str, m: int) -> str:
    return f"{name} is even" if m == 2 else f"{name} ≡ 0 (mod {m})"


__all__ = ["affine_form", "residue_text"]
