"""tf.* functions on symbolic sizes: for every TF coverage case (tests/engine/tfcases_*.py), each
sized axis past the first of each tensor argument is opened (`N`; the same axis of every tensor
argument together too, as where branches of one Input meet), and the formula the engine gives,
at three sizes from the smallest the engine builds on, is the static shape TensorFlow infers.

Expected shapes come from TensorFlow, never from our formulas: each size is traced in one graph
with placeholders (the static shape functions `tf.function` tracing runs too, at a fraction of its
cost), and a disagreement is traced again with `tf.function` and `tf.TensorSpec`s
(support/op_truth.truth, what test_tf_ops_coverage checks with) before it fails. A case that gives
no formula is counted per namespace (printed in the terminal summary), not failed.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from engine.test_symbolic_ops import at, norm, openable, opened
from engine.test_tf_ops_coverage import CASES
from shapelens.engine.registry import apply_op
from shapelens.engine.symdims import symbol
from shapelens.engine.types import Result, Tensor
from support.keras_truth import Truth
from support.op_truth import _map, _shape, real_function, truth

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
N = symbol("N")
_GRAPH: list[Any] = []
# Where TF's static shape says None though the size is known (the run gives ours): (function,
# size) -> why. Not a claim against the formula; the concrete engine answers the same there.
QUIRKS = {("tf.linalg.expm", 1): "a 1x1 matrix beside a None axis: TF's static shape loses "
          "both matrix sizes (its shape function special-cases size 1)"}


def fast_truth(name: str, args: list[Any], kwargs: dict[str, Any]) -> Truth:
    """The static shape TF infers, building the call in one long-lived graph on placeholders."""
    import tensorflow as tf

    if not _GRAPH:
        _GRAPH.append(tf.Graph())
    fn = real_function(name)

    def leaf(t: Tensor) -> Any:
        return tf.compat.v1.placeholder(getattr(t, "dtype", "float32"), t.shape)

    try:
        with _GRAPH[0].as_default():
            y = fn(*_map(list(args), leaf), **{k: _map(v, leaf) for k, v in kwargs.items()})
            return Truth(True, outputs=_shape(y), params=0)
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}"[:300])


def tensor_count(value: Any) -> int:
    if isinstance(value, Tensor):
        return 1
    if isinstance(value, (list, tuple)):
        return sum(tensor_count(v) for v in value)
    if isinstance(value, dict):
        return sum(tensor_count(v) for v in value.values())
    return 0


def openings(args: list[Any], kwargs: dict[str, Any]) -> list[list[list[int]]]:
    """Each sized axis alone; an axis sized in every tensor argument opened in all together."""
    alone = openable(args, kwargs)
    found = [[w] for w in alone]
    count = tensor_count([args, kwargs])
    if count >= 2:
        for axis in sorted({a for _, a in alone}):
            together = [w for w in alone if w[1] == axis]
            if len(together) == count:
                found.append(together)
    return found


def with_size(args: list[Any], kwargs: dict[str, Any], where: list[list[int]],
              size: Any) -> tuple[list[Any], dict[str, Any]]:
    value: Any = [args, kwargs]
    for w in where:
        value = opened(value, w, size)
    return value[0], value[1]


def complete(outputs: Any, concrete: Any) -> bool:
    """Every axis the concrete sizes size has a size here too: an int or a formula."""
    if isinstance(concrete, list):
        return isinstance(outputs, list) and len(outputs) == len(concrete) and all(
            complete(o, c) for o, c in zip(outputs, concrete, strict=True))
    if concrete is None:
        return True
    return isinstance(outputs, tuple) and len(outputs) == len(concrete) and all(
        d is not None or c is None for d, c in zip(outputs, concrete, strict=True))


def first_size(name: str, args: list[Any], kwargs: dict[str, Any],
               where: list[list[int]]) -> int:
    for n in range(1, 40):
        try:
            got = apply_op(name, *with_size(args, kwargs, where, n))
        except Exception:
            continue
        if isinstance(got, Result) and got.unknown is None:
            return n
    return 1


def _looser(theirs: Any, ours: Any) -> bool:
    """TF's shape is ours with some sizes None."""
    return isinstance(theirs, tuple) and isinstance(ours, tuple) and len(theirs) == len(
        ours) and all(t is None or t == o for t, o in zip(theirs, ours, strict=True))


PARAMS = [(name, i, call) for name, calls in sorted(CASES.items()) for i, call in enumerate(calls)
          if not name.startswith(("getitem", "tf.Tensor.", "keras.ops.", "tf.keras.ops."))]


def _namespace(name: str) -> str:
    if name.startswith("keras.backend."):
        return "tf.keras.backend"
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 else "tf"


@pytest.mark.parametrize(("name", "i", "call"), PARAMS, ids=[f"{n}-{i}" for n, i, _ in PARAMS])
def test_an_opened_size_gives_the_static_shape_tf_infers(
    record_property: Any, name: str, i: int, call: tuple[list[Any], dict[str, Any]]
) -> None:
    args, kwargs = call
    try:
        concrete = apply_op(name, args, kwargs)
    except Exception:
        concrete = None
    formulas = tried = 0
    missing: list[str] = []
    if isinstance(concrete, Result) and concrete.unknown is None:
        for where in openings(args, kwargs):
            try:
                none = apply_op(name, *with_size(args, kwargs, where, None))
            except Exception:
                continue  # TF refuses None there (the engine says, checked against TF): not open
            if not isinstance(none, Result) or none.unknown is not None:
                continue
            tried += 1
            try:
                ours = apply_op(name, *with_size(args, kwargs, where, N))
            except Exception as e:
                missing.append(f"{name} {where}: {type(e).__name__}")
                continue
            if not isinstance(ours, Result) or ours.unknown is not None or not complete(
                    ours.outputs, concrete.outputs):
                missing.append(f"{name} {where}: no formula")
                continue
            formulas += 1
            n0 = first_size(name, args, kwargs, where)
            for n in (n0, n0 + 1, n0 + 6):
                ca, ck = with_size(args, kwargs, where, n)
                expected = fast_truth(name, ca, ck)
                if expected.ok and norm(at(ours.outputs, n)) == norm(expected.outputs):
                    continue
                expected = truth(name, ca, ck)  # the authoritative trace, as coverage tests do
                if not expected.ok or ((name, n) in QUIRKS and _looser(expected.outputs, at(
                        ours.outputs, n))):
                    continue  # TF refuses this size (not a claim), or a quirk listed above
                assert norm(at(ours.outputs, n)) == norm(expected.outputs), (
                    f"{name}(*{args}, **{kwargs}) opened at {where}, N={n}: {ours.outputs} vs "
                    f"TF {expected.outputs}")
    record_property("symbolic_tf", (_namespace(name), formulas, tried, missing))
