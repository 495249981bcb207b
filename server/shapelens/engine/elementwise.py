"""Element-wise unary functions (activations, math): the output has the input's shape.

Registered for the spellings model code uses outside keras.ops: keras.activations, tf, tf.math,
tf.nn, keras.backend; the keras.ops functions are bound against their signatures in `ops_unary`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .registry import register_op
from .types import Result, Tensor, fmt_shape

UNARY = (
    "relu", "relu6", "elu", "selu", "gelu", "silu", "swish", "sigmoid", "hard_sigmoid", "tanh",
    "softplus", "softsign", "leaky_relu", "log_sigmoid", "exp", "log", "log1p", "expm1", "sqrt",
    "rsqrt", "square", "abs", "negative", "sign", "floor", "ceil", "round", "sin", "cos", "tan",
    "erf", "reciprocal", "cast", "stop_gradient", "identity", "softmax", "log_softmax",
    "l2_normalize", "clip_by_value", "clip", "dropout", "mish", "exponential", "linear",
    "nan_to_num", "logical_not", "isnan", "isfinite", "real", "imag", "conj", "bias_add",
)  # fmt: skip
_PREFIXES = (
    "keras.activations.",
    "tf.",
    "tf.math.",
    "tf.nn.",
    "tf.keras.activations.",
    "keras.backend.",
)


def _unary(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Result:
    x = args[0] if args else next(iter(kwargs.values()), None)
    if not isinstance(x, Tensor):
        return Result.of_unknown("the argument is not a tensor")
    return Result(
        outputs=x.shape,
        params=0,
        derivation=[f"element-wise: the shape is kept, {fmt_shape(x.shape)}"],
    )


for _name in UNARY:
    register_op(*(p + _name for p in _PREFIXES), fn=_unary)
