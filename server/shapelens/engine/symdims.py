"""Symbolic sizes: an axis an Input leaves open (H, W, T), carried through Keras' own formulas.

A `Sym` is an integer polynomial over symbols and floor divisions by a positive int, kept in one
canonical form, so the engine's `(n - k) // s + 1` works on it unchanged and prints `ceil(H/2) - 1`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union


class Undecidable(ArithmeticError):
    """A question about a symbolic size that has no single answer (`H - 4 < 7`, `bool(H)`).

    The engine's formulas that ask one get no symbolic result; never a wrong one.
    """


@dataclass(frozen=True)
class Symbol:
    """An open size, named after its axis (`H`) or the variable that sized it (`seq_len`)."""

    name: str

    @property
    def key(self) -> tuple[int, str]:
        return (0, self.name)

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class FloorDiv:
    """floor(num / den) with den >= 2 and num already reduced (see `floordiv`)."""

    num: Sym
    den: int

    @property
    def key(self) -> tuple[int, str]:
        return (1, f"{self.num.text()}/{self.den}")

    def __str__(self) -> str:
        const = self.num.constant()  # in [0, den) by construction
        if const == self.den - 1:  # floor((A + d - 1)/d) is ceil(A/d)
            return f"ceil({_grouped(self.num - const)}/{self.den})"
        return f"floor({_grouped(self.num)}/{self.den})"


Atom = Symbol | FloorDiv
Monomial = tuple[tuple[Atom, int], ...]
SymInt = Union["Sym", int]


def _mono_key(mono: Monomial) -> tuple[int, tuple[tuple[tuple[int, str], int], ...]]:
    degree = sum(power for _, power in mono)
    return (-degree, tuple((atom.key, power) for atom, power in mono))


def _normal(terms: Mapping[Monomial, int]) -> SymInt:
    """The canonical value of a sum of terms: an int when no atom is left."""
    kept = {mono: coef for mono, coef in terms.items() if coef != 0}
    if not kept or list(kept) == [()]:
        return kept.get((), 0)
    return Sym(tuple(sorted(kept.items(), key=lambda item: _mono_key(item[0]))))


def _terms(value: SymInt) -> dict[Monomial, int]:
    if isinstance(value, Sym):
        return dict(value.terms)
    return {(): int(value)}


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    powers: dict[Atom, int] = dict(a)
    for atom, power in b:
        powers[atom] = powers.get(atom, 0) + power
    return tuple(sorted(powers.items(), key=lambda item: item[0].key))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Sym:
    """A symbolic size in canonical form; arithmetic with ints and other Syms stays exact."""

    __slots__ = ("_hash", "_text", "terms")

    def __init__(self, terms: tuple[tuple[Monomial, int], ...]):
        self.terms = terms
        # By its canonical text: hashing the terms collides (hash(-1) == hash(-2) in CPython),
        # and a collision in a dict or set asks `==`, which may have no single answer.
        self._text: str | None = None
        self._hash = hash(self.text())

    # -- arithmetic -------------------------------------------------------------------------
    def __add__(self, other: object) -> SymInt:
        if not isinstance(other, Sym) and not _is_int(other):
            return NotImplemented
        total = _terms(self)
        for mono, coef in _terms(other).items():  # type: ignore[arg-type]
            total[mono] = total.get(mono, 0) + coef
        return _normal(total)

    __radd__ = __add__

    def __neg__(self) -> SymInt:
        return _normal({mono: -coef for mono, coef in self.terms})

    def __pos__(self) -> Sym:
        return self

    def __sub__(self, other: object) -> SymInt:
        if not isinstance(other, Sym) and not _is_int(other):
            return NotImplemented
        return self + (-other)  # type: ignore[operator]

    def __rsub__(self, other: object) -> SymInt:
        if not _is_int(other):
            return NotImplemented
        return (-self) + other  # type: ignore[operator]

    def __mul__(self, other: object) -> SymInt:
        if not isinstance(other, Sym) and not _is_int(other):
            return NotImplemented
        product: dict[Monomial, int] = {}
        for ma, ca in self.terms:
            for mb, cb in _terms(other).items():  # type: ignore[arg-type]
                mono = _mono_mul(ma, mb)
                product[mono] = product.get(mono, 0) + ca * cb
        return _normal(product)

    __rmul__ = __mul__

    def __pow__(self, exponent: int) -> SymInt:
        if not _is_int(exponent) or exponent < 0:
            raise Undecidable(f"({self}) ** {exponent}")
        result: SymInt = 1
        for _ in range(exponent):
            result = result * self
        return result

    def __floordiv__(self, other: object) -> SymInt:
        if not _is_int(other) or other == 0:
            raise Undecidable(f"({self}) // {other}")
        return floordiv(self, other)  # type: ignore[arg-type]

    def __rfloordiv__(self, other: object) -> SymInt:
        raise Undecidable(f"{other} // ({self})")

    def __mod__(self, other: object) -> SymInt:
        if not isinstance(other, int) or isinstance(other, bool) or other == 0:
            raise Undecidable(f"({self}) % {other}")
        return self - other * floordiv(self, other)

    def __rmod__(self, other: object) -> SymInt:
        raise Undecidable(f"{other} % ({self})")

    def __truediv__(self, other: object) -> Ratio:
        if not _is_int(other) or other == 0:
            raise Undecidable(f"({self}) / {other}")
        return Ratio(self, other)  # type: ignore[arg-type]

    def __rtruediv__(self, other: object) -> Ratio:
        raise Undecidable(f"{other} / ({self})")

    # -- questions ---------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sym) and other.terms == self.terms:
            return True
        if not isinstance(other, Sym) and not _is_int(other):
            return NotImplemented
        return _holds(self, other, {0}, "==")

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: object) -> bool:
        return _holds(self, other, {-1}, "<")

    def __le__(self, other: object) -> bool:
        return _holds(self, other, {-1, 0}, "<=")

    def __gt__(self, other: object) -> bool:
        return _holds(self, other, {1}, ">")

    def __ge__(self, other: object) -> bool:
        return _holds(self, other, {0, 1}, ">=")

    def __bool__(self) -> bool:
        raise Undecidable(f"the truth of {self}")

    def __index__(self) -> int:
        raise Undecidable(f"{self} as a number")

    __int__ = __index__

    def __float__(self) -> float:
        raise Undecidable(f"{self} as a number")

    # -- reading -----------------------------------------------------------------------------
    def constant(self) -> int:
        return dict(self.terms).get((), 0)

    def atoms(self) -> Iterator[Atom]:
        for mono, _ in self.terms:
            for atom, _power in mono:
                yield atom

    def text(self) -> str:
        if self._text is None:
            self._text = _render(self)
        return self._text

    def __str__(self) -> str:
        return self.text()

    def __format__(self, spec: str) -> str:
        # Inside a formula's text (`f"{n} * {stride}"`) a sum keeps its parentheses.
        return format(_grouped(self), spec)

    def __repr__(self) -> str:
        return f"Sym({self.text()!r})"


@dataclass(frozen=True)
class Ratio:
    """`n / s` as a formula writes it before `math.ceil` or `math.floor` takes it."""

    num: Sym
    den: int

    def __ceil__(self) -> SymInt:
        return _ceildiv(self.num, self.den)

    def __floor__(self) -> SymInt:
        return floordiv(self.num, self.den)

    def __str__(self) -> str:
        return f"{_grouped(self.num)}/{self.den}"


def _ceildiv(num: SymInt, den: int) -> SymInt:
    return -floordiv(-num, den)


def floordiv(num: SymInt, den: int) -> SymInt:
    """floor(num / den) in canonical form: whole multiples of den out, nested floors merged."""
    if den < 0:
        return floordiv(-num, -den)
    if not isinstance(num, Sym):
        return num // den
    if den == 1:
        return num
    lead = next(coef for mono, coef in num.terms if mono != ())
    if lead < 0:  # floor(x/d) = -floor((-x + d - 1)/d): one form, its first term positive
        return -floordiv(-num + (den - 1), den)
    outside: dict[Monomial, int] = {}
    inside: dict[Monomial, int] = {}
    for mono, coef in num.terms:
        if mono == ():
            outside[()] = coef // den
            inside[()] = coef % den
        elif coef % den == 0:
            outside[mono] = coef // den
        else:
            inside[mono] = coef
    const = inside.pop((), 0)
    if not inside:
        return _normal(outside)
    g = math.gcd(den, *inside.values())
    if g > 1:
        inside = {mono: coef // g for mono, coef in inside.items()}
        const, den = const // g, den // g
    rest = _normal(outside)
    if den == 1:
        return rest + _normal(inside) + const
    if len(inside) == 1:
        (mono, coef), = inside.items()
        if coef == 1 and len(mono) == 1 and mono[0][1] == 1 and isinstance(mono[0][0], FloorDiv):
            inner = mono[0][0]
            # floor((floor(A/a) + c)/d) = floor((A + a*c)/(a*d))
            return rest + floordiv(inner.num + inner.den * const, inner.den * den)
    reduced = _normal({**inside, (): const})
    assert isinstance(reduced, Sym)
    if reduced.terms[0][1] < 0:  # the lead term went out as a multiple: the rest leads, negative
        return rest + floordiv(reduced, den)
    return rest + Sym(((((FloorDiv(reduced, den), 1),), 1),))


def symbol(name: str) -> Sym:
    """The open size `name` as an expression."""
    return Sym(((((Symbol(name), 1),), 1),))


def is_sym(value: object) -> bool:
    return isinstance(value, Sym)


def evaluate(value: SymInt, sizes: Mapping[str, int]) -> int:
    """The size for concrete values of the symbols (KeyError if one is missing)."""
    if not isinstance(value, Sym):
        return value
    total = 0
    for mono, coef in value.terms:
        term = coef
        for atom, power in mono:
            term *= _atom_value(atom, sizes) ** power
        total += term
    return total


def _atom_value(atom: Atom, sizes: Mapping[str, int]) -> int:
    if isinstance(atom, Symbol):
        return sizes[atom.name]
    return evaluate(atom.num, sizes) // atom.den


def same(a: object, b: object) -> bool:
    """Equal as written down: the same int, or the same canonical formula (never Undecidable)."""
    if isinstance(a, Sym) or isinstance(b, Sym):
        return isinstance(a, Sym) and isinstance(b, Sym) and a.terms == b.terms
    return a == b


def broadcast_open(a: Any, b: Any) -> Any:
    """Two sizes, one or both open, broadcast: an equal formula, or the size a 1 meets; a
    formula against another size runs only where it is 1 or that size, which the output then
    is. Other pairs agree only for some sizes (the analyser's merge check says which)."""
    if same(a, b):
        return a
    for x, y in ((a, b), (b, a)):
        if not is_sym(x):
            return y if x == 1 else x
    raise Undecidable(f"{a} broadcast with {b}")


def symbols_of(value: object) -> frozenset[str]:
    """The names a size depends on (none for an int)."""
    if not isinstance(value, Sym):
        return frozenset()
    names: set[str] = set()
    for atom in value.atoms():
        names |= {atom.name} if isinstance(atom, Symbol) else symbols_of(atom.num)
    return frozenset(names)


def period(value: object) -> int:
    """A period after which every floor in the size repeats its remainder (1 for a polynomial)."""
    if not isinstance(value, Sym):
        return 1
    result = 1
    for atom in value.atoms():
        if isinstance(atom, FloorDiv):
            result = math.lcm(result, atom.den * period(atom.num))
    return result


def is_affine(value: object) -> bool:
    """True for sums of symbols and floors of such sums, each to the first power (no products)."""
    if not isinstance(value, Sym):
        return True
    for mono, _ in value.terms:
        if sum(power for _, power in mono) > 1:
            return False
        for atom, _power in mono:
            if isinstance(atom, FloorDiv) and not is_affine(atom.num):
                return False
    return True


def _holds(a: Sym, b: object, wanted: set[int], op: str) -> bool:
    """`a op b` where the sign of a - b is in `wanted`: True or False only when that is the
    answer for every size of every symbol (each at least 1); else Undecidable."""
    if not isinstance(b, Sym) and not _is_int(b):
        raise TypeError(f"cannot compare a size with {b!r}")
    taken = signs(a - b)
    if taken is not None and taken <= wanted:
        return True
    if taken is not None and not taken & wanted:
        return False
    raise Undecidable(f"{a} {op} {b}")


def signs(value: SymInt) -> frozenset[int] | None:
    """The signs (-1, 0, 1) `value` takes over every size of its symbols (each at least 1);
    None when that is not known (several symbols, or products, that are not plainly positive).

    One symbol, affine: exact, per residue class r + M*k of its period M, where it is a line in k.
    """
    if not isinstance(value, Sym):
        return frozenset({(value > 0) - (value < 0)})
    names = symbols_of(value)
    if len(names) == 1 and is_affine(value):
        (name,) = names
        m = period(value)
        taken: set[int] = set()
        for r in range(m):
            k0 = -(-(1 - r) // m)  # the first k with r + m*k >= 1
            v0 = evaluate(value, {name: r + m * k0})
            slope = evaluate(value, {name: r + m * (k0 + 1)}) - v0
            taken.add((v0 > 0) - (v0 < 0))
            if slope:
                step = 1 if slope > 0 else -1
                taken.add(step)  # the line goes on to that side forever
                if v0 * step < 0 and v0 % slope == 0:
                    taken.add(0)  # it passes through 0 on a size
        return frozenset(taken)
    return _plain_sign(value)


def _plain_sign(value: Sym) -> frozenset[int] | None:
    """A sum whose terms all have one sign, each a product of positive symbols and floors of
    such sums (`64*H*W`, `H + floor(W/2) + 3`): that sign, or 0 too where a floor may be 0."""
    coefs = [coef for _, coef in value.terms]
    side = 1 if all(c > 0 for c in coefs) else -1 if all(c < 0 for c in coefs) else 0
    if side == 0:
        return None
    strict = value.constant() != 0
    for mono, _ in value.terms:
        if not mono:
            continue
        floors = [atom for atom, _ in mono if isinstance(atom, FloorDiv)]
        for atom in floors:
            inner = signs(atom.num)
            if inner is None or -1 in inner:
                return None
        strict = strict or not floors
    return frozenset({side} if strict else {side, 0})


def _render(value: Sym) -> str:
    parts: list[str] = []
    for mono, coef in value.terms:
        body = "*".join(str(atom) if p == 1 else f"{atom}^{p}" for atom, p in mono)
        if not body:
            text, sign = str(abs(coef)), coef < 0
        elif abs(coef) == 1:
            text, sign = body, coef < 0
        else:
            text, sign = f"{abs(coef)}*{body}", coef < 0
        if not parts:
            parts.append(f"-{text}" if sign else text)
        else:
            parts.append(f" - {text}" if sign else f" + {text}")
    return "".join(parts)


def _grouped(value: SymInt) -> str:
    text = str(value)
    if isinstance(value, Sym) and (len(value.terms) > 1 or value.terms[0][1] < 0):
        return f"({text})"
    return text


__all__ = [
    "FloorDiv",
    "Ratio",
    "Sym",
    "SymInt",
    "Symbol",
    "Undecidable",
    "broadcast_open",
    "evaluate",
    "floordiv",
    "is_affine",
    "is_sym",
    "period",
    "signs",
    "symbol",
    "symbols_of",
]
