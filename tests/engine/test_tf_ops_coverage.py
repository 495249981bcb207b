"""TF op coverage, measured: every function of tf.image, tf.signal, tf.linalg, tf.math, tf.nn, the
tf top level and tf.keras.backend the engine covers is checked against TensorFlow 2.21.

The list is `engine/data/tf_ops.json` (tools/gen_tf_ops_list.py). Each covered function needs
cases here (tables in tfcases_*.py, or the named cases of test_ops.py / test_tfnn.py), whose
expected shapes come from tracing the real function with `tf.TensorSpec`s (support/op_truth.py),
never from our formulas. Where TensorFlow raises, the engine raises a ShapeError or answers unknown.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from engine.test_ops import CASES as OPS_CASES
from engine.test_tfnn import CASES as TFNN_CASES
from engine.tfcases_array import CASES as ARRAY
from engine.tfcases_backend import CASES as BACKEND
from engine.tfcases_image import CASES as IMAGE
from engine.tfcases_left import LEFT
from engine.tfcases_linalg import CASES as LINALG
from engine.tfcases_math import CASES as MATH
from engine.tfcases_nn import CASES as NN
from engine.tfcases_signal import CASES as SIGNAL
from shapelens.engine.registry import apply_op, known_ops
from shapelens.engine.tfargs import aliases, tf_ops
from shapelens.engine.types import Result, ShapeError
from support.op_truth import truth

CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}
for _table in (ARRAY, BACKEND, IMAGE, LINALG, MATH, NN, SIGNAL):
    for _name, _calls in _table.items():
        CASES.setdefault(_name, []).extend(_calls)


def _norm(o: Any) -> Any:
    if isinstance(o, (list, tuple)) and o and isinstance(o[0], (list, tuple)):
        return [_norm(s) for s in o]
    return None if o is None else tuple(o)


PARAMS = [(name, i, call) for name, calls in sorted(CASES.items()) for i, call in enumerate(calls)]


@pytest.mark.parametrize(("name", "i", "call"), PARAMS, ids=[f"{n}-{i}" for n, i, _ in PARAMS])
def test_op_matches_tensorflow(name: str, i: int, call: tuple[list[Any], dict[str, Any]]) -> None:
    args, kwargs = call
    expected = truth(name, args, kwargs)
    try:
        ours: Result | ShapeError | None = apply_op(name, args, kwargs)
    except ShapeError as e:
        ours = e
    assert ours is not None, f"{name} is not registered"
    where = f"{name}(*{args}, **{kwargs})"
    if expected.ok:
        assert isinstance(ours, Result), f"{where}: we reject ({ours}); TF gives {expected.outputs}"
        if ours.unknown is not None and expected.outputs is not None:
            raise AssertionError(f"{where}: unknown ({ours.unknown}); TF {expected.outputs}")
        assert _norm(ours.outputs) == _norm(expected.outputs), \
            f"{where}: {ours.outputs} != TF {expected.outputs}"
    else:
        claimed = isinstance(ours, Result) and ours.unknown is None
        assert not claimed, f"{where}: we give {ours.outputs}; TF: {expected.message}"


def _checked_elsewhere() -> set[str]:
    """Qualified names the named cases of test_ops.py / test_tfnn.py check against TF."""
    return {q for _, q, _, _ in [*OPS_CASES, *TFNN_CASES]}


def test_every_covered_function_has_cases() -> None:
    ops = set(known_ops())
    checked = set(CASES) | _checked_elsewhere()
    missing = [path for path in tf_ops() if path in ops
               and not any(alias in checked for alias in aliases(path))]
    assert not missing, f"covered without a case checked against TensorFlow: {missing}"


def test_what_is_left_is_listed_with_why() -> None:
    """Every shape-determinable function not covered is in tfcases_left.LEFT, and only those."""
    ops = set(known_ops())
    left = {p for p, e in tf_ops().items() if e["shape"] == "determinable" and p not in ops}
    assert left == set(LEFT)


def test_every_alias_is_registered() -> None:
    ops = set(known_ops())
    for path in tf_ops():
        if path in ops:
            for alias in aliases(path):
                assert alias in ops, f"{path} is covered but not its alias {alias}"


def test_the_generated_list_matches_the_installed_tensorflow() -> None:
    """engine/data/tf_ops.json is current (re-run server/tools/gen_tf_ops_list.py if not)."""
    import tensorflow as tf  # here, not at collection: TF loads gast (see tests/conftest.py)

    live: set[str] = set()
    for ns in {e["namespace"] for e in tf_ops().values()}:
        module: Any = tf
        for part in ns.split(".")[1:]:
            module = getattr(module, part)
        prefix = "keras.backend" if ns == "tf.keras.backend" else ns
        for n in dir(module):
            f = getattr(module, n)
            if not n.startswith("_") and callable(f) and not inspect.isclass(f) \
                    and not inspect.ismodule(f):
                live.add(f"{prefix}.{n}")
    assert set(tf_ops()) == live
