"""Coverage cases for the keras.ops NumPy array utilities and the ops that build a tensor from
sizes; the expected shapes come from Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

X = T((None, 4, 6))

CASES: dict[str, list[Case]] = {
    "append": [([X, X], {}), ([T((2, 3)), T((2, 3))], {}), ([X, T((None, 4, 2))], {"axis": 2}),
               ([T((2, 3)), T((5, 3))], {"axis": 0}), ([T((2, 3)), T((5, 4))], {"axis": 0})],
    "hstack": [([[X, T((None, 2, 6))]], {}), ([[X, T((None, 2, 5))]], {})],
    "vstack": [([[T((2, 3)), T((4, 3))]], {}), ([[X, X]], {}), ([[T((2, 3)), T((4, 5))]], {})],
    "dstack": [([[T((2, 3)), T((2, 3))]], {}), ([[T((3,)), T((3,))]], {}), ([[X, X]], {})],
    "hsplit": [([X, 2], {}), ([X, [1, 3]], {}), ([T((6,)), 3], {}), ([X, 3], {})],
    "vsplit": [([T((6, 4)), 3], {}), ([T((6,)), 3], {})],
    "dsplit": [([X, 3], {}), ([T((2, 3)), 3], {})],
    "array_split": [([T((7, 4)), 3], {}), ([X, 4], {"axis": 0}), ([X, 4], {"axis": -1})],
    "ravel": [([X], {}), ([T((2, 3))], {})],
    "rot90": [([X], {}), ([X], {"axes": (1, 2)}), ([X], {"axes": (1, 1)}), ([T((3,))], {})],
    "fliplr": [([X], {}), ([T((3,))], {})],
    "flipud": [([X], {}), ([T((3,))], {})],
    "meshgrid": [([T((3,)), T((4,))], {}), ([T((3,)), T((4,)), T((5,))], {"indexing": "ij"}),
                 ([T((None,)), T((2, 2))], {})],
    "ndim": [([X], {})],
    "size": [([X], {})],
    "view": [([X], {"dtype": "float16"}), ([X], {"dtype": "int32"}), ([T((3, 5))],
                                                                       {"dtype": "float64"})],
    "trapezoid": [([X], {}), ([X], {"axis": 1})],
    "correlate": [([T((5,)), T((3,))], {}), ([T((5,)), T((3,))], {"mode": "same"}),
                  ([T((5,)), T((3,))], {"mode": "full"}), ([T((5, 2)), T((3,))], {})],
    "corrcoef": [([T((3, 5))], {})],
    "vander": [([T((5,))], {}), ([T((5,))], {"N": 3})],
    "allclose": [([X, X], {})],
    "eye": [([3], {}), ([3, 5], {}), ([3], {"k": 1})],
    "tri": [([3], {}), ([3, 4], {})],
    "identity": [([4], {})],
    "linspace": [([0.0, 1.0], {}), ([0.0, 1.0, 7], {}), ([T((3,)), T((3,)), 5], {}),
                 ([T((3,)), T((3,)), 5], {"axis": -1})],
    "logspace": [([0.0, 1.0, 7], {})],
    "geomspace": [([1.0, 10.0, 7], {})],
    "bartlett": [([5], {})],
    "blackman": [([5], {})],
    "hamming": [([5], {})],
    "hanning": [([5], {})],
    "kaiser": [([5, 1.0], {})],
    "arange": [([5], {}), ([1, 10, 3], {}), ([0.0, 1.0, 0.3], {})],
    "array": [([[[1, 2], [3, 4], [5, 6]]], {}), ([X], {})],
}
