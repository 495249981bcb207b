"""Named cases for array ops (keras.ops on KerasTensors, tf.* traced with TensorSpecs)."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.engine.registry import apply_op, known_ops
from shapelens.engine.types import Result, ShapeError, Tensor, Unknown
from support.op_truth import truth

T = Tensor
X = T((None, 4, 6))

CASES: list[tuple[str, str, list[Any], dict[str, Any]]] = [
    ("reshape -1 with None batch", "keras.ops.reshape", [X, (-1, 24)], {}),
    ("reshape fixed on None input (keras trusts it)", "keras.ops.reshape", [X, (5, 7)], {}),
    ("tf.reshape fixed on None input (TF checks divisibility)", "tf.reshape", [X, (5, 7)], {}),
    ("reshape size mismatch", "keras.ops.reshape", [T((2, 4, 6)), (5, 7)], {}),
    ("tf.reshape -1 computed", "tf.reshape", [T((2, 4, 6)), (-1, 8)], {}),
    ("tf.reshape -1 indivisible", "tf.reshape", [T((2, 4, 6)), (5, -1)], {}),
    ("keras.ops.reshape two -1", "keras.ops.reshape", [T((2, 4, 6)), (-1, -1)], {}),
    ("transpose default", "keras.ops.transpose", [X], {}),
    ("tf.transpose perm", "tf.transpose", [X], {"perm": [0, 2, 1]}),
    ("transpose bad perm", "keras.ops.transpose", [X, (0, 1)], {}),
    ("concatenate last axis", "keras.ops.concatenate", [[X, T((None, 4, 2))]], {"axis": -1}),
    ("tf.concat merges None", "tf.concat", [[T((None, 1, 6)), T((2, None, 3))], -1], {}),
    ("keras concatenate keeps the first shape", "keras.ops.concatenate",
     [[T((None, 1, 6)), T((2, None, 3))]], {"axis": -1}),
    ("concat mismatch", "tf.concat", [[T((None, 1, 6)), T((2, 2, 3))], -1], {}),
    ("stack axis 1", "keras.ops.stack", [[X, X]], {"axis": 1}),
    ("tf.stack", "tf.stack", [[X, X, X]], {"axis": -1}),
    ("expand_dims", "tf.expand_dims", [X, -1], {}),
    ("expand_dims tuple axis", "keras.ops.expand_dims", [X, (0, -1)], {}),
    ("expand_dims out of range", "tf.expand_dims", [X, 4], {}),
    ("squeeze all", "keras.ops.squeeze", [T((None, 1, 6))], {}),
    ("tf.squeeze all with None: unknown rank", "tf.squeeze", [T((None, 1, 6))], {}),
    ("squeeze not 1", "tf.squeeze", [T((None, 1, 6))], {"axis": 2}),
    ("keras squeeze a None axis", "keras.ops.squeeze", [T((None, 1, 6))], {"axis": 0}),
    ("matmul batch broadcast", "keras.ops.matmul", [T((None, 3, 4)), T((7, 4, 5))], {}),
    ("matmul vector", "keras.ops.matmul", [T((4,)), T((4, 5))], {}),
    ("tf.matmul rank 1", "tf.matmul", [T((4,)), T((4, 5))], {}),
    ("tf.matmul transpose_a", "tf.matmul", [T((None, 4, 3)), T((4, 5))], {"transpose_a": True}),
    ("matmul inner mismatch", "tf.matmul", [T((2, 3)), T((4, 5))], {}),
    ("add broadcast", "keras.ops.add", [T((None, 3)), T((4, 1))], {}),
    ("tf.add broadcast", "tf.add", [T((None, 3)), T((4, 1))], {}),
    ("multiply by scalar", "tf.multiply", [X, 2.0], {}),
    ("incompatible broadcast", "keras.ops.add", [T((2, 3)), T((4, 1))], {}),
    ("tf.maximum", "tf.maximum", [X, T((6,))], {}),
    ("power", "keras.ops.power", [X, T((4, 1))], {}),
    ("sum axis keepdims", "keras.ops.sum", [X], {"axis": 1, "keepdims": True}),
    ("reduce_mean list", "tf.reduce_mean", [X], {"axis": [0, -1]}),
    ("reduce_max all", "tf.reduce_max", [X], {}),
    ("std", "keras.ops.std", [X], {"axis": -1}),
    ("reduce_std", "tf.math.reduce_std", [X, 1], {}),
    ("reduce axis out of range", "tf.reduce_sum", [X], {"axis": 3}),
    ("argmax None (keras flattens)", "keras.ops.argmax", [X], {}),
    ("tf.argmax None (axis 0)", "tf.argmax", [X], {}),
    ("tile", "keras.ops.tile", [X, (2, 1, 3)], {}),
    ("tf.tile wrong length", "tf.tile", [X, [2, 3]], {}),
    ("repeat axis", "keras.ops.repeat", [X, 3], {"axis": 1}),
    ("tf.repeat flat", "tf.repeat", [T((2, 3)), 2], {}),
    ("split sections", "keras.ops.split", [X, 2], {"axis": -1}),
    ("split indices", "keras.ops.split", [T((None, 7)), [2, 4]], {"axis": 1}),
    ("tf.split sizes with -1", "tf.split", [T((None, 6)), [1, -1, 2]], {"axis": 1}),
    ("tf.split uneven", "tf.split", [T((None, 6)), 4], {"axis": 1}),
    ("pad", "keras.ops.pad", [X, [(0, 0), (1, 2), (3, 4)]], {}),
    ("tf.pad", "tf.pad", [X, [[0, 0], [1, 1], [2, 2]]], {}),
    ("tf.pad wrong rank", "tf.pad", [X, [[1, 1]]], {}),
    ("broadcast_to", "keras.ops.broadcast_to", [T((None, 6)), (3, 5, 6)], {}),
    ("tf.broadcast_to mismatch", "tf.broadcast_to", [T((None, 6)), [4, 5, 7]], {}),
    ("swapaxes", "keras.ops.swapaxes", [X, 0, -1], {}),
    ("moveaxis", "keras.ops.moveaxis", [X, 0, -1], {}),
    ("zeros", "keras.ops.zeros", [(2, 3)], {}),
    ("tf.ones", "tf.ones", [[4]], {}),
    ("zeros_like", "keras.ops.zeros_like", [X], {}),
    ("cast", "tf.dtypes.cast", [X, "int32"], {}),
    ("ones_like", "tf.ones_like", [X], {}),
]

GETITEM: list[tuple[str, tuple[Any, ...], Any]] = [
    ("int", (None, 5, 6), 0),
    ("tuple of slices", (None, 5, 6), (slice(None), slice(1, None))),
    ("ellipsis newaxis negative step", (None, 5, 6), (Ellipsis, None, slice(None, None, -2))),
    ("negative start", (None, 5, 6), (slice(None), slice(-3, None))),
    ("empty slice", (None, 5, 6), (slice(1, None), slice(3, 1))),
    ("out of bounds", (None, 5, 6), (slice(None), 7)),
    ("too many indices", (None, 5, 6), (0, 0, 0, 0)),
    ("bare slice (Keras rejects)", (None, 5, 6), slice(1, None)),
    ("int on None axis", (None, 5, 6), (3, 1)),
    ("step zero", (None, 5, 6), (slice(None), slice(None, None, 0))),
]


def run(q: str, args: list[Any], kwargs: dict[str, Any]) -> Result | ShapeError:
    try:
        r = apply_op(q, args, kwargs)
    except ShapeError as e:
        return e
    assert r is not None, f"{q} is not registered"
    return r


def _norm(o: Any) -> Any:
    if isinstance(o, list):
        return [tuple(s) for s in o]
    return o


def check(label: str, q: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    t = truth(q, args, kwargs)
    r = run(q, args, kwargs)
    if t.ok:
        assert isinstance(r, Result), f"{label}: engine rejected: {r}; truth {t.outputs}"
        assert r.unknown is None
        assert _norm(r.outputs) == _norm(t.outputs), label
    else:
        assert isinstance(r, ShapeError), f"{label}: engine gives {r.outputs}; TF: {t.message}"
        assert r.message


@pytest.mark.parametrize(("label", "q", "args", "kwargs"), CASES, ids=[c[0] for c in CASES])
def test_named_case(label: str, q: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    check(label, q, args, kwargs)


@pytest.mark.parametrize(("label", "shape", "key"), GETITEM, ids=[c[0] for c in GETITEM])
def test_getitem(label: str, shape: tuple[Any, ...], key: Any) -> None:
    check(label, "getitem", [T(shape), key], {})


def test_error_codes_and_messages() -> None:
    e = run("keras.ops.add", [T((2, 3)), T((4, 1))], {})
    assert isinstance(e, ShapeError) and e.code == "shape-mismatch"
    assert "(2, 3)" in e.message and "(4, 1)" in e.message
    e = run("keras.ops.reshape", [T((2, 4, 6)), (5, 7)], {})
    assert isinstance(e, ShapeError) and e.code == "incompatible-shape"
    assert "48" in e.message and "35" in e.message
    e = run("tf.reduce_sum", [X], {"axis": 3})
    assert isinstance(e, ShapeError) and e.code == "incompatible-shape"
    assert "rank 3" in e.message


def test_derivation_has_numbers() -> None:
    r = run("tf.reshape", [T((2, 4, 6)), (-1, 8)], {})
    assert isinstance(r, Result) and r.derivation == ["-1 = 48 / 8 = 6"]
    r = run("keras.ops.concatenate", [[X, T((None, 4, 2))]], {"axis": -1})
    assert isinstance(r, Result) and "6 + 2 = 8" in r.derivation[0]


def test_unknown_values() -> None:
    r = run("keras.ops.reshape", [X, Unknown("computed")], {})
    assert isinstance(r, Result) and r.unknown
    r = run("keras.ops.add", [T(None), X], {})
    assert isinstance(r, Result) and r.unknown


def test_registered_names() -> None:
    ops = set(known_ops())
    for name in ("keras.ops.reshape", "tf.keras.ops.reshape", "tf.reshape", "tf.concat",
                 "keras.ops.concatenate", "tf.reduce_sum", "tf.math.reduce_std", "getitem",
                 "tf.linalg.matmul", "keras.ops.get_item", "keras.ops.matmul"):
        assert name in ops, name


def test_signatures_match_the_real_functions() -> None:
    """Positional order and names of every registered op == TF / Keras (extra parameters of
    shape-preserving element-wise ops are accepted leniently: only the first must match)."""
    from shapelens.engine.opargs import SIGNATURES
    from support.op_truth import positional_names

    known_ops()  # the families register their ops (and fill SIGNATURES) when first asked
    assert SIGNATURES
    for q, ours in SIGNATURES.items():
        named = tuple(p for p in ours if p not in ("*", "**"))
        theirs = positional_names(q)
        if "**" in ours and named != theirs:
            assert named == theirs[:1], q
        else:
            assert named == theirs, q
