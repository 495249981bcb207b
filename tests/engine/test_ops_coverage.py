"""Op coverage, measured: every keras.ops function the engine covers is checked against Keras.

The list of functions is `engine/data/keras_ops.json` (tools/gen_ops_list.py); each covered one
needs cases here, whose expected shapes come from Keras 3 on symbolic `KerasTensor`s, never from
our formulas. Where Keras raises, the engine raises a ShapeError or answers unknown.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.opcases_arrays import CASES as ARRAYS
from engine.opcases_elementwise import CASES as ELEMENTWISE
from engine.opcases_image import CASES as IMAGE
from engine.opcases_linalg import CASES as LINALG
from engine.opcases_math import CASES as MATH
from engine.opcases_nn import CASES as NN
from engine.opcases_shape import CASES as SHAPE
from engine.opcases_signal import CASES as SIGNAL
from engine.opcases_truth import keras_truth
from shapelens.engine.opargs import exported, keras_ops
from shapelens.engine.registry import apply_op, known_ops
from shapelens.engine.types import Result, ShapeError

TABLES = [ARRAYS, ELEMENTWISE, IMAGE, LINALG, MATH, NN, SHAPE, SIGNAL]
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}
for _table in TABLES:
    for _name, _calls in _table.items():
        CASES.setdefault(_name, []).extend(_calls)


def covered() -> list[str]:
    ops = set(known_ops())
    return [name for name in keras_ops() if f"keras.ops.{name}" in ops]


def _norm(o: Any) -> Any:
    if isinstance(o, (list, tuple)) and o and isinstance(o[0], (list, tuple)):
        return [_norm(s) for s in o]
    return None if o is None else tuple(o)


PARAMS = [(name, i, call) for name, calls in sorted(CASES.items()) for i, call in enumerate(calls)]


@pytest.mark.parametrize(("name", "i", "call"), PARAMS, ids=[f"{n}-{i}" for n, i, _ in PARAMS])
def test_op_matches_keras(keras_api: Any, name: str, i: int,
                          call: tuple[list[Any], dict[str, Any]]) -> None:
    args, kwargs = call
    truth = keras_truth(keras_api, name, args, kwargs)
    try:
        ours: Result | ShapeError | None = apply_op(f"keras.ops.{name}", args, kwargs)
    except ShapeError as e:
        ours = e
    assert ours is not None, f"keras.ops.{name} is not registered"
    where = f"keras.ops.{name}(*{args}, **{kwargs})"
    if truth.ok:
        assert isinstance(ours, Result), f"{where}: we reject ({ours}); Keras gives {truth.outputs}"
        assert ours.unknown is None, f"{where}: unknown ({ours.unknown}); Keras {truth.outputs}"
        assert _norm(ours.outputs) == _norm(truth.outputs), f"{where}: {ours.outputs} != Keras"
    else:
        claimed = isinstance(ours, Result) and ours.unknown is None
        assert not claimed, f"{where}: we give {ours.outputs}; Keras: {truth.message}"


def test_every_covered_op_has_cases() -> None:
    missing = [name for name in covered() if name not in CASES]
    assert not missing, f"covered without a case checked against Keras: {missing}"


def test_every_exported_path_is_registered() -> None:
    ops = set(known_ops())
    for name in covered():
        for path in exported(name):
            assert path in ops, path


def test_the_generated_list_matches_the_installed_keras(keras_api: Any) -> None:
    """engine/data/keras_ops.json is current: every public function of keras.ops and of its
    sub-namespaces, under every path (re-run server/tools/gen_ops_list.py when this fails)."""
    live: set[str] = set()
    ops = keras_api.ops
    for prefix, module in [("keras.ops", ops),
                           *((f"keras.ops.{s}", getattr(ops, s))
                             for s in ("nn", "numpy", "image", "linalg"))]:
        for n in dir(module):
            f = getattr(module, n)
            if not n.startswith("_") and callable(f) and not isinstance(f, type):
                live.add(f"{prefix}.{n}")
    listed = {p for entry in keras_ops().values() for p in entry["exported"]}
    assert listed == live
