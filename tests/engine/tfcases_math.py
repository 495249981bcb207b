"""TF cases for tf.math and the element-wise functions of tf / tf.nn / tf.keras.backend, as
(args, kwargs) per path; the expected shapes come from tracing each in TensorFlow.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
X = T((None, 3, 4))
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

# Element-wise: one case each on a tensor with a None dim (the dtype TF needs where not float).
UNARY = {
    "tf.math": (
        "abs", "acos", "acosh", "angle", "asin", "asinh", "atan", "atanh", "bessel_i0",
        "bessel_i0e", "bessel_i1", "bessel_i1e", "ceil", "conj", "cos", "cosh", "cumprod",
        "cumsum", "cumulative_logsumexp", "digamma", "erf", "erfc", "erfcinv", "erfinv", "exp",
        "expm1", "floor", "imag", "is_finite", "is_inf", "is_nan", "l2_normalize", "lgamma", "log",
        "log1p", "log_sigmoid", "log_softmax", "ndtri", "negative", "real", "reciprocal",
        "reciprocal_no_nan", "rint", "round", "rsqrt", "sigmoid", "sign", "sin", "sinh", "softmax",
        "softplus", "softsign", "sqrt", "square", "tan", "tanh",
    ),
    "tf": (
        "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "clip_by_norm", "cos", "cosh",
        "cumsum", "exp", "floor", "guarantee_const", "identity", "negative", "round", "sigmoid",
        "sign", "sin", "sinh", "sqrt", "square", "stop_gradient", "tan", "tanh", "zeros_like",
    ),
    "tf.nn": (
        "elu", "gelu", "l2_normalize", "leaky_relu", "log_softmax", "relu", "relu6", "selu",
        "sigmoid", "silu", "softmax", "softplus", "softsign", "swish", "tanh",
    ),
    "keras.backend": (
        "abs", "cos", "elu", "exp", "hard_sigmoid", "l2_normalize", "log", "relu", "round",
        "sigmoid", "sign", "sin", "softmax", "softplus", "softsign", "sqrt", "square",
        "stop_gradient", "tanh",
    ),
}  # fmt: skip
# The extra arguments some element-wise functions need.
EXTRA: dict[str, tuple[list[Any], dict[str, Any]]] = {
    "tf.clip_by_norm": ([1.0], {}),
}
for _ns, _names in UNARY.items():
    for _n in _names:
        _path = f"{_ns}.{_n}"
        _more, _kw = EXTRA.get(_path, ([], {}))
        CASES.setdefault(_path, []).append(([X, *_more], _kw))
CASES["tf.math.logical_not"] = [([Typed((None, 3), "bool")], {})]
CASES["tf.logical_not"] = [([Typed((2, 3), "bool")], {})]
CASES["tf.cast"] = [([X, "int32"], {})]
CASES["keras.backend.cast"] = [([X, "int32"], {})]
CASES["tf.saturate_cast"] = [([X, "int8"], {})]
CASES["keras.backend.clip"] = [([X, 0.0, 1.0], {})]
CASES["tf.clip_by_value"] = [([X, 0.0, 1.0], {})]
CASES["tf.nn.dropout"] = [([X, 0.5], {})]
CASES["keras.backend.dropout"] = [([X, 0.5], {})]
CASES["tf.nn.bias_add"] = [([X, T((4,))], {}), ([X, T((3,))], {})]
CASES["keras.backend.bias_add"] = [([X, T((4,))], {})]
CASES["tf.math.cumsum"].append(([X], {"axis": 1, "reverse": True}))

BINARY = {
    "tf.math": (
        "atan2", "divide", "divide_no_nan", "equal", "floordiv", "floormod", "greater",
        "greater_equal", "igamma", "igammac", "less", "less_equal", "minimum", "mod",
        "multiply_no_nan", "nextafter", "not_equal", "polygamma", "pow", "squared_difference",
        "subtract", "truediv", "xdivy", "xlog1py", "xlogy", "zeta",
    ),
    "tf": (
        "atan2", "divide", "equal", "greater", "greater_equal", "less", "less_equal", "minimum",
        "not_equal", "pow", "realdiv", "subtract", "truediv", "complex",
    ),
}  # fmt: skip
for _ns, _names in BINARY.items():
    for _n in _names:
        CASES.setdefault(f"{_ns}.{_n}", []).extend([
            ([T((None, 1, 4)), T((3, 1))], {}),
            ([T((2, 3)), T((4, 3))], {}),
        ])
for _p in ("tf.math.logical_and", "tf.math.logical_or", "tf.math.logical_xor", "tf.logical_and",
           "tf.logical_or"):
    CASES[_p] = [([Typed((None, 1, 4), "bool"), Typed((3, 1), "bool")], {})]
for _p in ("tf.truncatediv", "tf.truncatemod"):
    CASES[_p] = [([Typed((None, 1, 4), "int32"), Typed((3, 1), "int32")], {})]

_R = [([X], {}), ([X], {"axis": 1}), ([X], {"axis": [0, -1], "keepdims": True}),
      ([X], {"axis": 3})]
for _p in ("tf.math.reduce_euclidean_norm", "tf.math.reduce_min", "tf.math.reduce_prod",
           "tf.math.reduce_logsumexp", "tf.math.reduce_variance", "tf.math.count_nonzero"):
    CASES[_p] = list(_R)
CASES["tf.math.reduce_all"] = [([Typed((None, 3, 4), "bool")], {"axis": -1})]
CASES["tf.math.reduce_any"] = [([Typed((None, 3, 4), "bool")], {"axis": [1, 2]})]
CASES["tf.math.argmin"] = [([X], {"axis": 1}), ([X], {})]
CASES["tf.math.top_k"] = [([X], {"k": 2}), ([X, 5], {}), ([T((None, 3, None)), 2], {})]
CASES["tf.math.approx_max_k"] = [([X, 2], {}), ([X, 2], {"reduction_dimension": 1})]
CASES["tf.math.approx_min_k"] = [([T((5, 8)), 3], {})]
CASES["tf.math.in_top_k"] = [([Typed((None,), "int32"), T((None, 10)), 3], {}),
                             ([Typed((4,), "int32"), T((5, 10)), 3], {})]
_SEG = [([T((6, 3)), Typed((6,), "int32"), 4], {}), ([T((2, 3, 5)), Typed((2, 3), "int32"), 7], {}),
        ([T((6, 3)), Typed((5,), "int32"), 4], {})]
for _s in ("max", "mean", "min", "prod", "sqrt_n", "sum"):
    CASES[f"tf.math.unsorted_segment_{_s}"] = list(_SEG)
CASES["tf.math.add_n"] = [([[X, X, T((2, 3, None))]], {}), ([[T((2, 3)), T((3, 3))]], {})]
CASES["tf.math.accumulate_n"] = [([[T((2, 3)), T((2, 3))]], {})]
CASES["tf.math.polyval"] = [([[1.0, T((3,)), 2.0], X], {})]
CASES["tf.math.scalar_mul"] = [([T(()), X], {}), ([2.0, X], {})]
CASES["tf.math.zero_fraction"] = [([X], {})]
CASES["tf.math.is_non_decreasing"] = [([X], {})]
CASES["tf.math.is_strictly_increasing"] = [([T((5,))], {})]
CASES["tf.math.lbeta"] = [([X], {})]
CASES["tf.math.betainc"] = [([T((2, 3)), T((2, 3)), T((2, 3))], {}), ([1.0, 2.0, T((None, 3))], {}),
                           ([T((2, 3)), T((3, 3)), T((2, 3))], {})]
CASES["tf.math.sobol_sample"] = [([3, 10], {})]
CASES["tf.math.approx_max_k"].append(([T((5, 2)), 3], {}))
CASES["tf.math.scalar_mul"].append(([T((3,)), T((2, 3))], {}))
CASES["tf.math.top_k"].append(([T((3, 4)), -1], {}))
CASES["tf.math.add_n"].append(([[T((2, 3)), T((2, 3, 1))]], {}))
