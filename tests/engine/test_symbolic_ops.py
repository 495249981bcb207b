"""keras.ops on symbolic sizes: for every coverage case, each sized axis of each input is opened
(`N`), and the formula the engine gives, at several sizes, is what Keras gives at those sizes.

Expected shapes come from Keras on KerasTensors of each concrete size, never from our formulas.
A case that gives no formula is counted (printed), not failed: it keeps Keras' None.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from engine.opcases_truth import keras_truth
from engine.test_ops_coverage import CASES
from shapelens.engine.registry import apply_op
from shapelens.engine.symdims import Sym, evaluate, symbol
from shapelens.engine.types import Result, Tensor

N = symbol("N")
TALLY: Counter[str] = Counter()


def opened(value: Any, where: list[int], size: Any) -> Any:
    """`value` with the dim at `where` (tensor index, axis) set to `size`."""
    count = [0]

    def walk(v: Any) -> Any:
        if isinstance(v, Tensor):
            i = count[0]
            count[0] += 1
            if i != where[0] or v.shape is None:
                return v
            return Tensor(tuple(size if a == where[1] else d for a, d in enumerate(v.shape)))
        if isinstance(v, (list, tuple)):
            return type(v)(walk(x) for x in v)
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        return v

    return walk(value)


def openable(args: list[Any], kwargs: dict[str, Any]) -> list[list[int]]:
    """Each (tensor, axis) past the first axis with a size of 2 or more."""
    found: list[list[int]] = []
    index = [0]

    def walk(v: Any) -> None:
        if isinstance(v, Tensor):
            for a, d in enumerate(v.shape or ()):
                if a >= 1 and isinstance(d, int) and d >= 2:
                    found.append([index[0], a])
            index[0] += 1
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk([args, kwargs])
    return found


def at(outputs: Any, n: int) -> Any:
    if isinstance(outputs, list):
        return [at(o, n) for o in outputs]
    if outputs is None:
        return None
    return tuple(evaluate(d, {"N": n}) if isinstance(d, Sym) else d for d in outputs)


def norm(o: Any) -> Any:
    if isinstance(o, (list, tuple)) and o and isinstance(o[0], (list, tuple)):
        return [norm(s) for s in o]
    return None if o is None else tuple(o)


def has_sym(outputs: Any) -> bool:
    if isinstance(outputs, list):
        return any(has_sym(o) for o in outputs)
    return isinstance(outputs, tuple) and any(isinstance(d, Sym) for d in outputs)


PARAMS = [(name, i, call) for name, calls in sorted(CASES.items()) for i, call in enumerate(calls)]


@pytest.mark.parametrize(("name", "i", "call"), PARAMS, ids=[f"{n}-{i}" for n, i, _ in PARAMS])
def test_an_opened_size_gives_the_formula_keras_follows(
    keras_api: Any, name: str, i: int, call: tuple[list[Any], dict[str, Any]]
) -> None:
    args, kwargs = call
    for where in openable(args, kwargs):
        a, k = opened([args, kwargs], where, N)
        try:
            ours = apply_op(f"keras.ops.{name}", a, k)
        except Exception:
            ours = None
        if not isinstance(ours, Result) or ours.unknown or not has_sym(ours.outputs):
            TALLY["no formula"] += 1
            continue
        TALLY["formula"] += 1
        original = opened([args, kwargs], where, None)
        size = next(d for j, d in enumerate(_tensors(original)) if j == where[0])
        del size
        for n in (2, 3, 5, 8, 13):
            ca, ck = opened([args, kwargs], where, n)
            truth = keras_truth(keras_api, name, ca, ck)
            if not truth.ok:
                continue  # Keras refuses this size (a split that does not divide): not a claim
            assert norm(at(ours.outputs, n)) == norm(truth.outputs), (
                f"keras.ops.{name}{(a, k)} at N={n}: {ours.outputs} vs Keras {truth.outputs}")


def _tensors(value: Any) -> list[Any]:
    out: list[Any] = []
    if isinstance(value, Tensor):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out.extend(_tensors(v))
    elif isinstance(value, dict):
        for v in value.values():
            out.extend(_tensors(v))
    return out
