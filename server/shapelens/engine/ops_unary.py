"""keras.ops functions whose output has their first argument's shape: activations, element-wise
math, casts, `*_like` and the normalisations, each bound against its generated signature.
"""

from __future__ import annotations

from typing import Any

from .args import known
from .opargs import (
    canon_axes,
    canon_axis,
    dstr,
    keras_op,
    keras_params,
    outcome,
    qualnames,
    register,
    shape_of,
)
from .types import Result, ShapeError, fmt_shape

# By family, as keras.ops defines them; every other argument (axis, dtype, epsilon) leaves the
# shape alone in Keras' compute_output_spec.
NUMPY = (
    "abs", "absolute", "angle", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh",
    "bitwise_invert", "bitwise_not", "cbrt", "ceil", "conj", "conjugate", "copy", "cos", "cosh",
    "deg2rad", "empty_like", "exp", "exp2", "expm1", "fabs", "floor", "full_like", "i0", "imag",
    "isfinite", "isinf", "isnan", "isneginf", "isposinf", "isreal", "log", "log10", "log1p",
    "log2", "logical_not", "nan_to_num", "negative", "ones_like", "rad2deg", "real",
    "reciprocal", "round", "sign", "signbit", "sin", "sinc", "sinh", "sqrt", "square", "tan",
    "tanh", "trunc", "zeros_like", "clip",
)  # fmt: skip
NN = (
    "celu", "elu", "gelu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
    "leaky_relu", "log_sigmoid", "log_softmax", "relu", "relu6", "selu", "sigmoid", "silu",
    "soft_shrink", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "swish", "tanh_shrink", "threshold", "layer_normalization",
    "rms_normalization",
)  # fmt: skip
MATH = ("erf", "erfc", "erfinv", "rsqrt")
CORE = ("cast", "saturate_cast", "stop_gradient", "convert_to_tensor")


def _keeps(first: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        x = shape_of(a[first], first)
        return outcome(x, x, "element-wise: the shape is kept")

    return impl


for _name in (*NUMPY, *NN, *MATH, *CORE):
    _params = keras_params(_name)
    register(qualnames([_name]), _params, None, _keeps(_params[0][0]))


@keras_op("softmax", "log_softmax", "normalize")
def _along_axis(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    if axis is not None:
        canon_axes(axis, len(x))
    return outcome(x, x, f"along axis {axis}: the shape is kept")


@keras_op("glu")
def _glu(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = canon_axis(known(a["axis"], "axis"), len(x))
    out = list(x)
    d = out[axis]
    if d is not None:
        if d % 2:
            raise ShapeError("incompatible-shape",
                             f"axis size must be divisible by 2. Received: x.shape={fmt_shape(x)} "
                             f"with axis={axis}", arg="axis")
        out[axis] = d // 2
    return outcome(x, tuple(out), f"axis {axis}: {dstr(d)} / 2 = {dstr(out[axis])} (two halves)")


@keras_op("batch_normalization")
def _batch_norm(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    want = (x[canon_axis(known(a["axis"], "axis"), len(x))],)
    for arg in ("mean", "variance", "offset", "scale"):
        if a[arg] is None:
            continue
        got = shape_of(a[arg], arg)
        if got != want:
            raise ShapeError("shape-mismatch",
                             f"Arguments `{arg}` must be a vector of length `x.shape[axis]`. "
                             f"Expected: `{fmt_shape(want)}`. Received: `{fmt_shape(got)}`.",
                             arg=arg)
    return outcome(x, x, "normalised: the shape is kept")
