"""Symbolic sizes (engine/symdims.py): Keras' own formulas run on `Sym` and give, for every
concrete size, what they give on ints; equal functions built the ways the module reduces print
the same; questions without a single answer raise `Undecidable`.
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shapelens.engine.symdims import (
    Sym,
    Undecidable,
    evaluate,
    floordiv,
    is_affine,
    period,
    signs,
    symbol,
    symbols_of,
)

H, W = symbol("H"), symbol("W")


# -- expression trees, run once on Syms and once on ints ---------------------------------------

DIVISORS = st.integers(-5, 5).filter(lambda d: d != 0)
LEAVES = st.one_of(st.just(("sym", "H")), st.just(("sym", "W")), st.tuples(st.just("int"),
                                                                            st.integers(-9, 9)))


def _extend(children: Any) -> Any:
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), children, children),
        st.tuples(st.sampled_from(["//", "%", "ceil", "floor"]), children, DIVISORS),
        st.tuples(st.just("neg"), children),
    )


TREES = st.recursive(LEAVES, _extend, max_leaves=8)
ONE_SYMBOL = st.recursive(st.one_of(st.just(("sym", "H")), st.tuples(st.just("int"),
                                                                     st.integers(-9, 9))),
                          _extend, max_leaves=8)


def run(tree: Any, env: dict[str, Any]) -> Any:
    """The tree's value with the symbols bound to `env` (Syms or ints), as a formula writes it."""
    op = tree[0]
    if op == "sym":
        return env[tree[1]]
    if op == "int":
        return tree[1]
    if op == "neg":
        return -run(tree[1], env)
    x = run(tree[1], env)
    if op in ("ceil", "floor"):
        d = tree[2]
        ratio = Fraction(x, d) if isinstance(x, int) else x / d  # exact on ints too
        return math.ceil(ratio) if op == "ceil" else math.floor(ratio)
    if op in ("//", "%"):
        return x // tree[2] if op == "//" else x % tree[2]
    y = run(tree[2], env)
    return x + y if op == "+" else x - y if op == "-" else x * y


SYMS = {"H": H, "W": W}
SIZES = st.integers(-6, 70)


@settings(max_examples=400, deadline=None)
@given(TREES, st.lists(st.tuples(SIZES, SIZES), min_size=1, max_size=12))
def test_a_formula_on_symbols_evaluates_to_the_formula_on_ints(tree: Any, sizes: Any) -> None:
    expr = run(tree, SYMS)
    for h, w in sizes:
        assert evaluate(expr, {"H": h, "W": w}) == run(tree, {"H": h, "W": w}), (expr, h, w)


@settings(max_examples=300, deadline=None)
@given(ONE_SYMBOL, ONE_SYMBOL, st.integers(2, 6))
def test_whole_multiples_of_the_divisor_leave_the_floor(e: Any, q: Any, d: int) -> None:
    """floor((e + d*q)/d) is floor(e/d) + q (q over its own symbol: its terms are whole multiples,
    and may lead the numerator with either sign)."""
    e_sym, q_sym = run(e, {"H": H}), run(q, {"H": W})
    assert str(floordiv(e_sym + d * q_sym, d)) == str(floordiv(e_sym, d) + q_sym)


@settings(max_examples=300, deadline=None)
@given(TREES, st.integers(2, 5), st.integers(2, 5))
def test_a_common_factor_of_divisor_and_numerator_cancels(e: Any, g: int, d: int) -> None:
    e_sym = run(e, SYMS)
    assert str(floordiv(g * e_sym, g * d)) == str(floordiv(e_sym, d))


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 6), st.integers(1, 5), st.integers(1, 5), st.integers(0, 5),
       st.integers(-7, 7), st.integers(2, 5))
def test_nested_floors_merge(a: int, ch: int, cw: int, c0: int, c: int, d: int) -> None:
    """floor((floor(A/a) + c)/d) is floor((A + a*c)/(a*d)), one floor."""
    inner = (ch % a or 1) * H + (cw % a or 1) * W + c0 % a
    merged = floordiv(inner + a * c, a * d)
    assert str((inner // a + c) // d) == str(merged)
    assert str(math.floor((inner // a + c) / d)) == str(merged)


@settings(max_examples=200, deadline=None)
@given(ONE_SYMBOL)
def test_an_affine_size_steps_by_a_constant_over_its_period(tree: Any) -> None:
    expr = run(tree, {"H": H})
    m = period(expr)
    if not is_affine(expr):
        return
    steps = {evaluate(expr, {"H": h + m}) - evaluate(expr, {"H": h}) for h in range(-2 * m, 3 * m)}
    assert len(steps) == 1, (expr, m, steps)


@settings(max_examples=200, deadline=None)
@given(TREES)
def test_structurally_equal_sizes_are_equal_and_hash_alike(tree: Any) -> None:
    one, two = run(tree, SYMS), run(tree, {"W": W, "H": symbol("H")})
    assert str(one) == str(two)
    if isinstance(one, Sym):
        assert one == two and operator.ne(one, two) is False and hash(one) == hash(two)
        assert len({one, two}) == 1


# -- the canonical form, as users read it --------------------------------------------------------

@pytest.mark.parametrize(("built", "text"), [
    (math.ceil(H / 2), "ceil(H/2)"),
    ((H + 1) // 2, "ceil(H/2)"),
    ((H - 1) // 2 + 1, "ceil(H/2)"),
    (-((-H) // 2), "ceil(H/2)"),
    (H - 4, "H - 4"),
    ((H - 5) // 1 + 1, "H - 4"),
    (2 * H, "2*H"),
    (H + H, "2*H"),
    (math.ceil(H / 2) - 1, "ceil(H/2) - 1"),
    ((H - 3) // 2 + 1, "ceil(H/2) - 1"),
    (math.ceil((H - 2) / 2), "ceil(H/2) - 1"),
    ((H - 12) // 4, "floor(H/4) - 3"),
    (H // 4 - 3, "floor(H/4) - 3"),
    (64 * H * W, "64*H*W"),
    (W * H * 64, "64*H*W"),
    ((H // 2) // 2, "floor(H/4)"),
    (math.ceil(math.ceil(H / 2) / 2), "ceil(H/4)"),
    ((2 * H + 5) // 2, "H + 2"),
    ((4 * H + 2) // 6, "floor((2*H + 1)/3)"),
    ((4 * H + 3) // 6, "floor((2*H + 1)/3)"),
    (math.ceil(2 * H / 3), "ceil(2*H/3)"),
    ((H - 3) // -2, "-floor(H/2) + 1"),
    (3 - H, "-H + 3"),
    (H * H - 1, "H^2 - 1"),
    (H % 4, "H - 4*floor(H/4)"),
])
def test_prints(built: Any, text: str) -> None:
    assert str(built) == text
    # Inside a formula's text (an f-string) a sum keeps its parentheses: `(H - 2) * 2`.
    grouped = f"({text})" if isinstance(built, Sym) and len(built.terms) > 1 else text
    assert f"{built}" == grouped


def test_a_negative_leading_term_inside_a_floor_is_taken_out_as_a_ceil() -> None:
    assert str((2 * H - W) // 2) == str(H - math.ceil(W / 2)) == "H - ceil(W/2)"
    assert str((2 * H - H // 3) // 2) == str(H - math.ceil((H // 3) / 2)) == "H - floor((H + 3)/6)"


def test_sizes_that_cancel_are_ints() -> None:
    assert H - H == 0 and isinstance(H - H, int)
    assert 2 * (H // 2) + H % 2 - H == 0
    assert floordiv(7, 2) == 3 and floordiv(7, -2) == -4
    assert evaluate(5, {}) == 5 and symbols_of(5) == frozenset()
    assert symbols_of(H // 2 + W) == {"H", "W"} and symbols_of(H) == {"H"}


# -- questions: answered when the answer is the same for every size (each at least 1) ---------

@pytest.mark.parametrize(("value", "taken"), [
    (H, {1}), (H - 1, {0, 1}), (H - 2, {-1, 0, 1}), (3 - H, {-1, 0, 1}), (-H, {-1}),
    (H // 2, {0, 1}), (H // 2 - H, {-1}), (math.ceil(H / 2), {1}), (7, {1}), (0, {0}),
    (H % 2, {0, 1}), (math.ceil(H / 2) - H // 2, {0, 1}), (2 * H + 1 - 2 * H, {1}),
    (64 * H * W, {1}), (H * W + W // 2 + 3, {1}), (H // 2 * W, {0, 1}),
    (H - W, None), (H * W - 4096, None), (H * H - 100 * H, None), ((H - 3) // 2 * W, None),
])
def test_signs_over_every_size(value: Any, taken: set[int] | None) -> None:
    assert signs(value) == (None if taken is None else frozenset(taken))


def test_comparisons_answer_only_what_holds_for_every_size() -> None:
    assert H > 0 and H >= 1 and not (H <= 0) and not (H < 1)
    assert H // 2 < H and H != H + 1 and H + 1 == 1 + H and H - 1 >= 0
    assert max(H, H // 2) == H and min(H, 0) == 0


@pytest.mark.parametrize("question", [
    lambda: bool(H),
    lambda: H == 2 * (H // 2),
    lambda: int(H),
    lambda: float(H),
    lambda: range(H),
    lambda: H % 2 == 0,
    lambda: H < W,
    lambda: H == W,
    lambda: max(H, W),
    lambda: H % 512 < 300,
    lambda: 10 // H,
    lambda: 10 % H,
    lambda: 10 / H,
    lambda: H // W,
    lambda: H / W,
    lambda: H ** -1,
    lambda: H - 2 > 0,
    lambda: max(H - 5, 0),
    lambda: min(H, 3),
    lambda: H == 1,
])
def test_undecidable(question: Any) -> None:
    with pytest.raises(Undecidable):
        question()


def test_undecidable_is_an_arithmetic_error_and_floats_are_not_sizes() -> None:
    assert issubclass(Undecidable, ArithmeticError)
    with pytest.raises(TypeError):
        H < 2.5  # noqa: B015
    with pytest.raises(TypeError):
        H + 0.5


# -- period and affinity --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "m"), [
    (5, 1), (H, 1), (3 * H * W - 2, 1), (H // 2, 2), (math.ceil(H / 2) - 1, 2),
    (H // 2 + H // 3, 6), ((H + H // 2) // 3, 6), ((H // 2 + 1) // 3, 6), (H // 4 * W, 4),
])
def test_period(value: Any, m: int) -> None:
    assert period(value) == m


@pytest.mark.parametrize(("value", "affine"), [
    (7, True), (H, True), (H // 2 + W - 3, True), ((H + W // 3) // 2, True),
    (H * W, False), (H * H // 2, False), ((H * W) // 3 + H, False), (H * (H // 2), False),
])
def test_is_affine(value: Any, affine: bool) -> None:
    assert is_affine(value) is affine
