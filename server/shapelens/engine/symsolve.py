"""Where two symbolic sizes agree: for every admissible input size, for none, or on a condition.

On each residue class H = r + M*k a size is affine in k (M: the floors' common period); that is
what decides equality exactly, with no sampling: an error only where no size can work.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .symdims import SymInt, evaluate, is_affine, period, symbols_of

# A class of sizes r + M*k, k in [lo, hi] (hi None: unbounded); empty when lo > hi.
_Interval = tuple[int, int | None]


@dataclass(frozen=True)
class Agreement:
    """The answer for one axis: `verdict` is 'always', 'never', 'some' or 'unknown'.

    For 'some', `condition` says where the sizes agree (`H ≡ 0 (mod 16)`, `H = 570`) and `first`
    lists the smallest sizes that work; `symbol` is the open size the axis depends on.
    """

    verdict: str
    symbol: str | None = None
    condition: str = ""
    first: tuple[int, ...] = ()


ALWAYS = Agreement("always")
NEVER = Agreement("never")
UNKNOWN = Agreement("unknown")


def agreement(
    a: SymInt, b: SymInt, positive: Iterable[SymInt] = (), *, broadcast: bool = False
) -> Agreement:
    """Do `a` and `b` agree for the sizes where every size in `positive` is at least 1?

    `broadcast`: they also agree where either is 1 (Add, Multiply, ... broadcast as TF does).
    Only one open size is decided; two (`H` against `H2`) is 'unknown', as is a product `H*W`.
    """
    names = symbols_of(a) | symbols_of(b)
    if not names:
        return ALWAYS if _agree_ints(int(a), int(b), broadcast) else NEVER
    if len(names) != 1 or not (is_affine(a) and is_affine(b)):
        return UNKNOWN
    (name,) = names
    bounds = [c for c in positive if symbols_of(c) <= names and is_affine(c)]
    m = _lcm_all([period(a), period(b), *(period(c) for c in bounds)])
    diffs = [a - b] + ([a - 1, b - 1] if broadcast else [])
    full: list[int] = []
    points: list[int] = []
    admissible: list[int] = []
    for r in range(m):
        lo, hi = _admissible(bounds, name, r, m)
        if hi is not None and lo > hi:
            continue
        admissible.append(r)
        agreed = [_solve(d, name, r, m) for d in diffs]
        if any(k == "all" for k in agreed):
            full.append(r)
            continue
        for k in agreed:
            if isinstance(k, int) and k >= lo and (hi is None or k <= hi):
                points.append(r + m * k)
    if not admissible:
        return UNKNOWN
    if len(full) == len(admissible):
        return ALWAYS
    if not full and not points:
        return Agreement("never", name)
    first = sorted(set(points) | {s for r in full for s in _class_sizes(bounds, name, r, m, 3)})
    return Agreement("some", name, _describe(name, m, full, admissible, sorted(set(points)),
                                            bounds), tuple(first[:3]))


def agrees_at(
    a: SymInt, b: SymInt, positive: Iterable[SymInt], sizes: Mapping[str, int],
    *, broadcast: bool = False,
) -> bool:
    """At these concrete sizes: every size in `positive` is at least 1 and `a`, `b` agree."""
    if any(evaluate(c, sizes) < 1 for c in positive):
        return False
    return _agree_ints(evaluate(a, sizes), evaluate(b, sizes), broadcast)


def _agree_ints(x: int, y: int, broadcast: bool) -> bool:
    return x == y or (broadcast and 1 in (x, y))


def _lcm_all(values: list[int]) -> int:
    result = 1
    for v in values:
        result = result * v // _gcd(result, v)
    return result


def _gcd(x: int, y: int) -> int:
    while y:
        x, y = y, x % y
    return x


def _line(value: SymInt, name: str, r: int, m: int) -> tuple[int, int]:
    """(A, B) with value(r + m*k) = A*k + B for every integer k."""
    return _lines(value, name, m)[r]


@functools.lru_cache(maxsize=8192)
def _lines(value: SymInt, name: str, m: int) -> tuple[tuple[int, int], ...]:
    """`_line` for every residue class: a model's merges share most of their bounds, so each
    bound's lines are computed once (the cache holds a few thousand, a few hundred KB)."""
    lines = []
    for r in range(m):
        v0 = evaluate(value, {name: r})
        lines.append((evaluate(value, {name: r + m}) - v0, v0))
    return tuple(lines)


def _admissible(bounds: list[SymInt], name: str, r: int, m: int) -> _Interval:
    """The k for which every bound is at least 1 and the size itself r + m*k is at least 1."""
    lo = -(-(1 - r) // m)
    hi: int | None = None
    for c in bounds:
        slope, base = _line(c, name, r, m)
        if slope > 0:
            lo = max(lo, -(-(1 - base) // slope))
        elif slope < 0:
            top = (base - 1) // (-slope)
            hi = top if hi is None else min(hi, top)
        elif base < 1:
            return 1, 0
    return lo, hi


def _solve(diff: SymInt, name: str, r: int, m: int) -> str | int | None:
    """'all' if diff is 0 on the whole class, the one k where it is, or None."""
    slope, base = _line(diff, name, r, m)
    if slope == 0:
        return "all" if base == 0 else None
    return -base // slope if base % slope == 0 else None


def _class_sizes(bounds: list[SymInt], name: str, r: int, m: int, count: int) -> list[int]:
    lo, hi = _admissible(bounds, name, r, m)
    last = lo + count - 1 if hi is None else min(hi, lo + count - 1)
    return [r + m * k for k in range(lo, last + 1)]


def _describe(
    name: str, m: int, full: list[int], admissible: list[int], points: list[int],
    bounds: list[SymInt],
) -> str:
    parts: list[str] = []
    if full:
        step = next(
            d for d in range(1, m + 1)
            if m % d == 0 and set(full) == {r for r in admissible if r % d in {f % d for f in full}}
        )
        residues = sorted({f % step for f in full})
        text = f"{name} ≡ {' or '.join(map(str, residues))} (mod {step})" if step > 1 else ""
        start = min(s for r in full for s in _class_sizes(bounds, name, r, m, 1))
        if start > min(x for x in range(1, step + 1) if x % step in residues):
            text = f"{text} and {name} >= {start}" if text else f"{name} >= {start}"
        parts.append(text)
    if points:
        shown = ", ".join(map(str, points[:4])) + (", ..." if len(points) > 4 else "")
        parts.append(f"{name} = {shown}" if len(points) == 1 else f"{name} in {{{shown}}}")
    return " or ".join(parts)


__all__ = ["ALWAYS", "NEVER", "UNKNOWN", "Agreement", "agreement", "agrees_at"]
