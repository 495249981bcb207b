"""Symbolic shapes on tensors: the sizes an Input leaves open get names (H, W, T, seq_len), and
each engine call on them runs a second time on those names, so a tensor carries `ceil(H/2)`.

The Keras shape (with None) stays what decides Keras' behaviour; the symbolic one is for hover,
the optional hints and the merge check (`mergecheck.py`). A re-run that fails leaves none.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ...engine.symdims import Sym, symbol
from ...engine.symtext import residue_text
from ..core.context import Host
from ..core.dispatch import SYMBOLIC_JSON
from .values import SymShape, TensorVal

# The open axes' names after the batch axis, by rank (batch included): channels last, and
# channels first where the first axis is sized and the last is not.
_LAST = {2: ("T",), 3: ("T", "F"), 4: ("H", "W", "C"), 5: ("D", "H", "W", "C")}
_FIRST = {4: ("C", "H", "W"), 5: ("C", "D", "H", "W")}

# Constraints kept per tensor (every size along its history must be at least 1); beyond this
# the oldest are dropped, which only widens the sizes the merge check admits (never an error).
MAX_POSITIVE = 256


@dataclass
class OpenSizes:
    """Per analysis: the names the Inputs took, so a second Input's open height is `H2`."""

    used: set[str] = field(default_factory=set)

    def fresh(self, name: str) -> str:
        n, candidate = 1, name
        while candidate in self.used:
            n += 1
            candidate = f"{name}{n}"
        self.used.add(candidate)
        return candidate


def input_symbols(an: Host, shape: Any, node: ast.AST | None) -> SymShape | None:
    """The symbolic shape of `keras.Input(...)` whose Keras shape is `shape`: each open axis
    after the batch axis named after the variable written there, else after its axis."""
    if not isinstance(shape, tuple) or len(shape) < 2 or None not in shape[1:]:
        return None
    channels_first = len(shape) in _FIRST and shape[1] is not None and shape[-1] is None
    axes = (_FIRST if channels_first else _LAST).get(len(shape), ())
    written = _written_names(node, len(shape))
    sizes = an.state(OpenSizes)
    dims: list[Any] = [None]
    for i, d in enumerate(shape[1:]):
        if d is not None:
            dims.append(d)
            continue
        base = written[i] or (axes[i] if i < len(axes) else f"N{i + 1}")
        dims.append(symbol(sizes.fresh(base)))
    syms = tuple(dims)
    return SymShape(syms, frozenset(d for d in syms if isinstance(d, Sym)))


def _written_names(node: ast.AST | None, rank: int) -> list[str | None]:
    """`Input((seq_len, 64))` -> ['seq_len', None]: the names in the shape tuple as written."""
    names: list[str | None] = [None] * (rank - 1)
    if not isinstance(node, ast.Call):
        return names
    written: ast.AST | None = node.args[0] if node.args else None
    skip = 0
    for kw in node.keywords:
        if kw.arg == "shape":
            written = kw.value
        elif kw.arg == "batch_shape":
            written, skip = kw.value, 1
    if not isinstance(written, (ast.Tuple, ast.List)):
        return names
    elts = written.elts[skip:]
    if len(elts) != rank - 1:
        return names
    for i, e in enumerate(elts):
        if isinstance(e, ast.Name):
            names[i] = e.id
        elif isinstance(e, ast.Attribute):
            names[i] = e.attr
    return names


def symbolic_view(values: Any) -> Any | None:
    """`values` with each tensor that has a symbolic shape replaced by one of that shape; None
    when none has one (nothing to re-run)."""
    if isinstance(values, TensorVal) and values.sym is None:
        return None  # one tensor, no symbolic shape: most layer calls
    found: list[bool] = []
    view = _substituted(values, found)
    return view if found else None


def _substituted(v: Any, found: list[bool]) -> Any:
    # A module function, not a recursive closure (a reference cycle the cyclic collector frees).
    if isinstance(v, TensorVal):
        if v.sym is None:
            return v
        found.append(True)
        return TensorVal(v.sym.dims)
    if isinstance(v, list):
        return [_substituted(x, found) for x in v]
    if isinstance(v, tuple):
        return tuple(_substituted(x, found) for x in v)
    if isinstance(v, dict):
        return {k: _substituted(x, found) for k, x in v.items()}
    return v


def rerun(values: Any, attempt: Callable[[Any], Any]) -> Any | None:
    """`attempt` (an engine call) on the symbolic shapes of `values`, or None."""
    view = symbolic_view(values)
    return None if view is None else run_on(view, attempt)


def run_on(view: Any, attempt: Callable[[Any], Any]) -> Any | None:
    """`attempt` on inputs whose shapes hold formulas, or None where it fails."""
    try:
        return attempt(view)
    except Exception:  # The formulas were written for ints: any failure on a symbol
        # (Undecidable, a TypeError, a check it cannot pass) means no symbolic shape.
        return None


def attach(out: Any, outputs: Any, inputs: Any, derivation: Iterable[str] = ()) -> None:
    """Give each output tensor the symbolic shape the re-run computed for it, where that shape
    agrees with the Keras one (a sized axis the same int, an open one a formula)."""
    before = positive_of(inputs)
    lines = list(derivation)

    def walk(t: Any, s: Any) -> None:
        if isinstance(t, list) and isinstance(s, list) and len(t) == len(s):
            for a, b in zip(t, s):
                walk(a, b)
            return
        if not isinstance(t, TensorVal) or not isinstance(s, tuple) or t.shape is None:
            return
        if len(s) != len(t.shape):
            return
        dims: list[Any] = []
        for k, d in zip(t.shape, s):
            if k is not None:
                if isinstance(d, Sym) or d != k:
                    return
                dims.append(k)
            else:
                dims.append(d if isinstance(d, Sym) else None)
        new = frozenset(d for d in dims if isinstance(d, Sym))
        if not new:
            return
        positive = before | new
        if len(positive) > MAX_POSITIVE:
            positive = new
        simple = [f"axis {i}: {text}" for i, d in enumerate(dims)
                  if isinstance(d, Sym) and (text := residue_text(d)) is not None]
        t.sym = SymShape(tuple(dims), positive, lines + simple)

    walk(out, outputs)


def positive_of(values: Any) -> frozenset[Sym]:
    """Every symbolic size along the histories of `values` (each must be at least 1)."""
    result: frozenset[Sym] = frozenset()
    stack = [values]
    while stack:
        v = stack.pop()
        if isinstance(v, TensorVal):
            if v.sym is not None:
                result |= v.sym.positive
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return result


def follow(out: Any, inputs: Any, attempt: Callable[[Any], Any]) -> None:
    """After an engine call that Keras accepts: the same call on the symbolic shapes, attached."""
    if isinstance(inputs, TensorVal) and inputs.sym is None:
        return  # one input with no symbolic shape (most layer calls): nothing to re-run
    result = rerun(inputs, attempt)
    if result is not None:
        attach(out, getattr(result, "outputs", None), inputs, getattr(result, "derivation", ()))


@SYMBOLIC_JSON.register(TensorVal)
def _tensor_symbolic_json(value: TensorVal) -> Any:
    """A tensor's symbolic shape in the CLI JSON form: ints, null (batch) and formulas as
    strings; None where it has none."""
    if value.sym is None:
        return None
    return [str(d) if isinstance(d, Sym) else d for d in value.sym.dims]


def symbolic_derivation(value: Any) -> list[str]:
    """How a tensor's symbolic shape was computed (the engine's lines, in the open sizes)."""
    return list(value.sym.derivation) if isinstance(value, TensorVal) and value.sym else []

