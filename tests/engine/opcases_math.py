"""Coverage cases for keras.ops arithmetic: broadcasting binary functions, where, reductions and
the ops along one axis; the expected shapes come from Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

X = T((None, 3, 4))
BINARY = (
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "maximum", "minimum",
    "power", "mod", "equal", "not_equal", "greater", "less", "greater_equal", "less_equal",
    "logical_and", "logical_or", "arctan2", "bitwise_and", "bitwise_left_shift", "bitwise_or",
    "bitwise_right_shift", "bitwise_xor", "divide_no_nan", "fmax", "fmin", "fmod", "gcd",
    "heaviside", "hypot", "isclose", "lcm", "ldexp", "left_shift", "right_shift", "logaddexp",
    "logaddexp2", "logical_xor", "nextafter",
)  # fmt: skip
REDUCE = (
    "sum", "mean", "max", "min", "prod", "any", "all", "std", "var", "logsumexp", "amax", "amin",
    "median", "nanmax", "nanmin", "nanmean", "nanmedian", "nansum", "nanprod", "nanstd", "nanvar",
    "ptp",
)  # fmt: skip
ALONG = ("cumsum", "cumprod", "nancumsum", "nancumprod", "sort", "argsort")

CASES: dict[str, list[Case]] = {}
for _n in BINARY:
    CASES[_n] = [([X, T((4,))], {}), ([T((2, 1, 5)), T((3, 1))], {}), ([X, T((3, 5))], {}),
                 ([T((None, 1)), 2], {})]
for _n in REDUCE:
    CASES[_n] = [([X], {}), ([X], {"axis": 1}), ([X], {"axis": -1, "keepdims": True}),
                 ([X], {"axis": (0, 2)}), ([X], {"axis": 3}), ([X], {"keepdims": True})]
for _n in ("argmax", "argmin", "nanargmax", "nanargmin"):
    CASES[_n] = [([X], {}), ([X], {"axis": 1}), ([X], {"axis": -1, "keepdims": True}),
                 ([X], {"axis": -4})]
for _n in ALONG:
    CASES[_n] = [([X], {}), ([X], {"axis": None}), ([T((2, 3))], {"axis": None}),
                 ([X], {"axis": 3})]
CASES["count_nonzero"] = [([X], {}), ([X], {"axis": (1, 2)}), ([X], {"axis": 5})]
for _n in ("quantile", "percentile", "nanquantile", "nanpercentile"):
    CASES[_n] = [([X, 0.5], {}), ([X, [0.1, 0.5, 0.9]], {"axis": 1}),
                 ([X, T((2,))], {"axis": -1, "keepdims": True})]
CASES["average"] = [([X], {}), ([X], {"axis": 1}), ([X], {"axis": 1, "weights": T((3,))}),
                    ([T((2, 3))], {"axis": None, "weights": T((2, 3))}),
                    ([T((2, 3))], {"axis": 0, "weights": T((3,))})]
CASES["argpartition"] = [([X, 1], {}), ([T((2, 3)), 1], {"axis": None})]
CASES["flip"] = [([X], {}), ([X], {"axis": (0, 1)}), ([X], {"axis": 4})]
CASES["roll"] = [([X, 1], {}), ([X, 2], {"axis": 1}), ([X, 2], {"axis": -5})]
CASES["diff"] = [([X], {}), ([X], {"n": 5}), ([X], {"axis": 1, "n": 2}), ([X], {"axis": 3})]
CASES["trace"] = [([X], {}), ([X], {"axis1": 1, "axis2": 2}), ([X], {"axis1": 1, "axis2": 1})]
CASES["where"] = [([T((None, 1, 4)), X, 0.0], {}), ([T((2, 3)), T((4, 3)), T((3,))], {}),
                  ([T((None, 4))], {}), ([X, X], {})]
CASES["matmul"] = [([T((None, 3, 4)), T((7, 4, 5))], {}), ([T((4,)), T((4, 5))], {}),
                   ([T((2, 3)), T((4, 5))], {})]
