"""Coverage cases for the element-wise keras.ops (one shape in, the same shape out) and the
broadcasting ones; the expected shapes come from Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.ops_unary import CORE, MATH, NN, NUMPY
from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

X = T((None, 3, 4))
# Extra arguments some unary ops require (the rest take only the tensor).
_EXTRA: dict[str, Case] = {
    "full_like": ([X, 2.0], {}),
    "clip": ([X, 0.0, 1.0], {}),
    "threshold": ([X, 0.5, 0.0], {}),
    "cast": ([X, "int32"], {}),
    "saturate_cast": ([X, "int8"], {}),
}

CASES: dict[str, list[Case]] = {}
for _name in (*NUMPY, *NN, *MATH, *CORE):
    _args, _kw = _EXTRA.get(_name, ([X], {}))
    CASES[_name] = [(_args, _kw), ([T((2,)), *_args[1:]], _kw)]
for _name in ("softmax", "log_softmax", "normalize"):
    CASES[_name] = [([X], {}), ([X], {"axis": 1}), ([X], {"axis": 5}), ([T((2,))], {})]
CASES["glu"] = [([T((None, 3, 4))], {}), ([X], {"axis": 1}), ([X], {"axis": 4})]
CASES["batch_normalization"] = [
    ([X, T((4,)), T((4,))], {"axis": -1}), ([X, T((3,)), T((3,))], {"axis": 1}),
    ([X, T((3,)), T((4,))], {"axis": -1}), ([X, T((4,)), T((4,))], {"axis": -1, "scale": T((2,))}),
]
