"""`numpy.random` (the legacy functions, `default_rng()` / `RandomState()` generators) and the
random/creation functions of TF and Keras 3 that give eager tensors, with their real signatures.
"""

from __future__ import annotations

from typing import Any

from ...engine import Unknown
from ..core.context import Host, ModuleCtx
from ..core.values import ExternalRef
from ..keras.values import TensorVal
from . import dtypes, shapes
from .arrays import as_array
from .bind import REQ, register
from .numpy_api import array_arg, sized
from .values import HostArray, unknown_array

R = "numpy.random."
SCALAR = "a random number (its value is not known statically)"


def _drawn(size: Any, params: list[Any], dtype: str) -> Any:
    """`size=None` draws one number, or an array of the parameters' broadcast shape."""
    if size is not None:
        return sized(size, dtype, "size")
    arrays = [as_array(p) for p in params]
    if any(a is None for a in arrays):
        return unknown_array("the distribution's parameters are not known statically",
                             dtype=dtype)
    shape: Any = ()
    try:
        for a in arrays:
            shape = shapes.broadcast(shape, a.shape)  # type: ignore[union-attr]
    except shapes.NoShape as e:
        return unknown_array(str(e), dtype=dtype)
    return Unknown(SCALAR) if shape == () else HostArray(shape, dtype)


@register([R + "rand", R + "randn"], [("*dims", ())])
def _rand(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return sized(a["dims"], "float64") if a["dims"] else Unknown(SCALAR)


@register([R + "random", R + "random_sample", R + "ranf", R + "sample",
           R + "standard_normal"], [("size", None), ("**", None)])
def _random(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [], "float64")


@register([R + "normal", R + "logistic", R + "laplace", R + "gumbel"],
          [("loc", 0.0), ("scale", 1.0), ("size", None)])
def _normal(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["loc"], a["scale"]], "float64")


@register([R + "uniform"], [("low", 0.0), ("high", 1.0), ("size", None)])
def _uniform(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["low"], a["high"]], "float64")


@register([R + "lognormal"], [("mean", 0.0), ("sigma", 1.0), ("size", None)])
def _lognormal(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["mean"], a["sigma"]], "float64")


@register([R + "randint", R + "integers"], [("low", REQ), ("high", None), ("size", None),
                                            ("dtype", "int64"), ("**", None)])
def _randint(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["low"]], dtypes.dtype_name(a["dtype"]) or "int64")


@register([R + "binomial", R + "beta", R + "gamma", R + "f", R + "negative_binomial"],
          [("a", REQ), ("b", 1.0), ("size", None), ("**", None)])
def _two_params(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["a"], a["b"]], "float64")


@register([R + "poisson", R + "exponential", R + "standard_gamma", R + "chisquare",
           R + "geometric", R + "rayleigh"], [("lam", 1.0), ("size", None), ("**", None)])
def _one_param(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _drawn(a["size"], [a["lam"]], "float64")


@register([R + "choice"], [("a", REQ), ("size", None), ("replace", True), ("p", None),
                           ("**", None)])
def _choice(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    src = a["a"]
    dtype = "int64" if isinstance(src, int) else array_arg(src).dtype
    if a["size"] is None:
        return Unknown(SCALAR)
    return sized(a["size"], dtype, "size")


@register([R + "permutation"], [("x", REQ)])
def _permutation(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    x = a["x"]
    if isinstance(x, int) and not isinstance(x, bool):
        return sized((x,), "int64")
    src = array_arg(x)
    return HostArray(src.shape, src.dtype, why=src.why)


@register([R + "shuffle", R + "seed"], [("x", None), ("**", None)])
def _in_place(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return None


@register([R + "default_rng", R + "RandomState", R + "Generator"], [("seed", None),
                                                                     ("**", None)])
def _generator(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    # A generator's methods have the module functions' signatures (`rng.normal(0, 1, (4, 8))`,
    # `rng.integers(0, 10, size=3)`): the generator is read as the module itself.
    return ExternalRef("numpy.random")


# --- TF and Keras 3: eager tensors ------------------------------------------------------------

TF_RANDOM = ["tf.random.normal", "tf.random.uniform", "tf.random.truncated_normal",
             "tf.compat.v1.random_normal", "tf.compat.v1.random_uniform", "tf.random_normal",
             "tf.compat.v1.truncated_normal", "tf.truncated_normal", "tf.random_uniform"]


@register(TF_RANDOM, [("shape", REQ), ("**", None)])
def _tf_random(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _eager(sized(a["shape"], "float32"))


@register(["tf.zeros", "tf.ones"], [("shape", REQ), ("dtype", "float32"), ("name", None),
                                    ("layout", None)])
def _tf_zeros(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _eager(sized(a["shape"], dtypes.dtype_name(a["dtype"])))


@register(["keras.ops.zeros", "keras.ops.ones"], [("shape", REQ), ("dtype", None)])
def _keras_zeros(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    # Keras 3: `keras.ops.zeros((2, 3))` is an eager tensor, concrete data
    return _eager(sized(a["shape"], dtypes.dtype_name(a["dtype"]) or "float32"))


@register(["keras.random.normal", "keras.random.uniform", "keras.random.truncated_normal"],
          [("shape", REQ), ("**", None)])
def _keras_random(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    return _eager(sized(a["shape"], "float32"))


def _tf_dtype(v: Any) -> str | None:
    """TF's dtype for Python data: int32 and float32, where numpy says int64 and float64."""
    a = as_array(v)
    if a is None or a.dtype is None:
        return None
    return {"int64": "int32", "float64": "float32"}.get(a.dtype, a.dtype) if not isinstance(
        v, HostArray) else a.dtype


@register(["tf.constant"], [("value", REQ), ("dtype", None), ("shape", None), ("name", None)])
def _tf_constant(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    dtype = dtypes.dtype_name(a["dtype"]) or _tf_dtype(a["value"])
    if a["shape"] is not None:
        return _eager(sized(a["shape"], dtype))
    return _eager(_converted(a["value"], dtype))


@register(["tf.Variable", "tf.compat.v1.Variable"], [("initial_value", None), ("**", None)])
def _tf_variable(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    v = a["initial_value"]
    if isinstance(v, TensorVal):
        return TensorVal(v.shape)
    return _eager(_converted(v, _tf_dtype(v)))


@register(["tf.convert_to_tensor", "keras.ops.convert_to_tensor", "tf.identity"],
          [("value", REQ), ("dtype", None), ("**", None)])
def _convert(an: Host, a: dict[str, Any], ctx: ModuleCtx) -> Any:
    v = a["value"]
    if isinstance(v, TensorVal):
        return TensorVal(v.shape)  # a symbolic tensor stays symbolic
    return _eager(_converted(v, dtypes.dtype_name(a["dtype"]) or _tf_dtype(v)))


def _converted(v: Any, dtype: str | None) -> HostArray:
    arr = as_array(v)
    if arr is None:
        return unknown_array(v.reason if isinstance(v, Unknown) else
                             "a tensor made from a value ShapeLens cannot see", dtype=dtype)
    return HostArray(arr.shape, dtype or arr.dtype, arr.values, arr.why)


def _eager(a: HostArray) -> HostArray:
    a.eager = True
    return a
