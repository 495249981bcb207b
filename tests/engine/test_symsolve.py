"""Where two symbolic sizes agree (engine/symsolve.py): 'always' when every admissible input size
works, 'never' when none does, 'some' with the condition and the smallest sizes that work.

Admissible: the input size and every intermediate size along both branches are at least 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from shapelens.engine.symdims import evaluate, symbol
from shapelens.engine.symsolve import ALWAYS, NEVER, UNKNOWN, Agreement, agreement, agrees_at

H = symbol("H")

# One layer on a size, as Keras' formulas write it: (name, its stride, the formula).
Step = tuple[str, int, Callable[[Any], Any]]


@st.composite
def steps(draw: Any) -> Step:
    kind = draw(st.sampled_from(["conv", "pool", "up", "crop", "pad"]))
    s = draw(st.sampled_from([1, 2, 2, 3]))
    k, c = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    if kind == "conv":  # 'valid': (n - k) // s + 1
        return f"conv k={k} s={s}", s, lambda x: (x - k) // s + 1
    if kind == "pool":  # 'same': ceil(n / s)
        return f"pool s={s}", s, lambda x: (x - 1) // s + 1
    if kind == "up":
        return "up", 1, lambda x: 2 * x
    if kind == "crop":
        return f"crop {c}", 1, lambda x: x - c
    return f"pad {c}", 1, lambda x: x + c


def run(chain: list[Step], x: Any) -> list[Any]:
    """Every size along the chain from x, x itself first."""
    sizes = [x]
    for _, _, f in chain:
        sizes.append(f(sizes[-1]))
    return sizes


@st.composite
def branches(draw: Any) -> tuple[list[Step], int, list[Step], bool]:
    """A trunk, and a branch leaving it after `fork` steps (a skip connection): their ends meet."""
    trunk = draw(st.lists(steps(), min_size=1, max_size=5))
    fork = draw(st.integers(0, len(trunk)))
    branch = draw(st.lists(steps(), max_size=3))
    return trunk, fork, branch, draw(st.booleans())


def brute_force(trunk: list[Step], fork: int, branch: list[Step], broadcast: bool,
                ) -> tuple[str, list[int]]:
    """The verdict and the smallest agreeing sizes, from ints alone.

    Every formula is non-decreasing in H, so the admissible sizes are H >= h0; each size is affine
    on each class H mod M (M: the product of the strides), so three sizes per class decide it and
    two give the line on which any later agreement in the class lies.
    """
    m = math.prod(s for _, s, _ in trunk + branch)

    def sizes(h: int) -> list[int]:
        ints = run(trunk, h)
        return ints + run(branch, ints[fork])[1:]

    def pairs(h: int) -> list[tuple[int, int]]:
        ints = run(trunk, h)
        a, b = ints[-1], run(branch, ints[fork])[-1]
        return [(a, b)] + ([(a, 1), (b, 1)] if broadcast else [])

    h0 = next(h for h in range(1, 10_000) if min(sizes(h)) >= 1)
    end = h0 + 3 * m
    agree = [h for h in range(h0, end) if any(x == y for x, y in pairs(h))]
    later: set[int] = set()
    for h2 in range(end - m, end):
        for (x1, y1), (x2, y2) in zip(pairs(h2 - m), pairs(h2)):
            slope, at = (x2 - y2) - (x1 - y1), x2 - y2
            if slope and at % slope == 0 and -at // slope > 0:
                later.add(h2 - m * (at // slope))
    if len(agree) == end - h0:
        return "always", []
    if not agree and not later:
        return "never", []
    return "some", sorted(set(agree) | later)[:3]


@settings(max_examples=400, deadline=None)
@given(branches())
def test_the_verdict_is_what_every_admissible_size_gives(case: Any) -> None:
    trunk, fork, branch, broadcast = case
    assume(math.prod(s for _, s, _ in trunk + branch) <= 64)
    syms = run(trunk, H)
    a, b = syms[-1], run(branch, syms[fork])[-1]
    positive = syms[1:] + run(branch, syms[fork])[1:]
    verdict, first = brute_force(trunk, fork, branch, broadcast)
    event(verdict)
    got = agreement(a, b, positive, broadcast=broadcast)
    layers = ([n for n, _, _ in trunk], fork, [n for n, _, _ in branch])
    assert got.verdict == verdict, (layers, str(a), str(b), got)
    assert list(got.first) == first, (layers, str(a), str(b), got)
    if verdict == "some":
        assert got.symbol == "H" and got.condition
    for h in range(1, 40):
        ints = run(trunk, h)
        expected = min([*ints, *run(branch, ints[fork])]) >= 1 and (
            ints[-1] == run(branch, ints[fork])[-1]
            or (broadcast and 1 in (ints[-1], run(branch, ints[fork])[-1])))
        assert agrees_at(a, b, positive, {"H": h}, broadcast=broadcast) is expected


def unet(levels: int, conv: Callable[[Any], Any]) -> list[Any]:
    """The sizes meeting at each concatenation of a U-Net, deepest first, and every size on the
    way: [(up, skip), ...], positive."""
    x, skips, positive = H, [], []
    for _ in range(levels):
        x = conv(conv(x))
        skips.append(x)
        x = x // 2
        positive += [conv(x), x]
    x = conv(conv(x))
    meets = []
    for skip in reversed(skips):
        up = 2 * x
        meets.append((up, skip))
        x = conv(conv(up))
        positive += [up, x]
    return [meets, positive]


def test_a_same_unet_with_four_poolings_needs_h_a_multiple_of_16() -> None:
    (meets, positive) = unet(4, lambda x: x)
    last_up, last_skip = meets[-1]
    assert (str(last_up), str(last_skip)) == ("16*floor(H/16)", "H")
    got = agreement(last_up, last_skip, positive)
    assert got.verdict == "some" and got.symbol == "H"
    assert got.condition == "H ≡ 0 (mod 16)"
    assert got.first == (16, 32, 48)
    deepest_up, deepest_skip = meets[0]
    deepest = agreement(deepest_up, deepest_skip, positive)
    assert deepest.verdict == "some" and deepest.first == (16, 17, 18)


def test_a_valid_unet_without_crops_fails_for_every_size() -> None:
    (meets, positive) = unet(4, lambda x: x - 2)
    assert [(str(up), str(skip)) for up, skip in meets] == [
        ("2*floor((H + 4)/16) - 16", "floor((H + 4)/8) - 8"),
        ("4*floor((H + 4)/16) - 40", "floor(H/4) - 7"),
        ("8*floor((H + 4)/16) - 88", "floor(H/2) - 6"),
        ("16*floor((H + 4)/16) - 184", "H - 4"),
    ]
    for up, skip in meets:
        assert agreement(up, skip, positive) == Agreement("never", "H")


def test_examples() -> None:
    assert agreement(2 * H, H + 100).condition == "H = 100"
    assert agreement(2 * H, H + 100).first == (100,)
    assert agreement(H, H // 4, [H // 4]).verdict == "never"
    wide = agreement(H, H // 4, [H // 4], broadcast=True)
    assert (wide.condition, wide.first) == ("H in {4, 5, 6, 7}", (4, 5, 6))
    late = agreement(2 * (H // 2), H, [H - 139])
    assert (late.condition, late.first) == ("H ≡ 0 (mod 2) and H >= 140", (140, 142, 144))
    assert agreement(H - 4, (H - 8) // 1 + 4) == ALWAYS
    assert agreement(math.ceil(H / 2), (H - 1) // 2 + 1) == ALWAYS
    assert agreement(H + 1, H) == Agreement("never", "H")
    assert agreement(H - 3, 1, broadcast=True) == ALWAYS


@pytest.mark.parametrize(("a", "b", "broadcast", "verdict"), [
    (3, 3, False, ALWAYS), (3, 4, False, NEVER), (1, 4, True, ALWAYS), (4, 1, True, ALWAYS),
    (2, 4, True, NEVER),
])
def test_concrete_sizes(a: int, b: int, broadcast: bool, verdict: Any) -> None:
    assert agreement(a, b, broadcast=broadcast) == verdict


def test_two_open_sizes_or_a_product_are_not_decided() -> None:
    w = symbol("W")
    assert agreement(H, w) == UNKNOWN
    assert agreement(H + w, 2 * H) == UNKNOWN
    assert agreement(H * H, 4 * H) == UNKNOWN
    assert agreement(H, H, [H - 5, 3 - H]) == UNKNOWN  # no admissible size at all


def test_agrees_at_is_the_check_at_one_size() -> None:
    assert agrees_at(2 * H, H + 100, [H - 10], {"H": 100})
    assert not agrees_at(2 * H, H + 100, [H - 10], {"H": 99})
    assert not agrees_at(H, H, [H - 10], {"H": 5})
    assert agrees_at(H // 4, 1, [], {"H": 30}, broadcast=False) is False
    assert agrees_at(H // 4, 1, [], {"H": 7}) and agrees_at(H // 4, 5, [], {"H": 5}, broadcast=True)
    assert evaluate(H // 4, {"H": 30}) == 7
