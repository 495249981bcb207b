"""Arithmetic ops: matmul, broadcasting binary functions, shape-keeping unary ones, reductions
and argmax/argmin, in the `keras.ops` and `tf` dialects (see `opargs`).
"""

from __future__ import annotations

from typing import Any

from .args import known
from .opargs import (
    REQ,
    broadcast,
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
from .types import NotKnown, Result, Shape, ShapeError, Tensor, fmt_shape

# --- matmul ------------------------------------------------------------------------------------


def _matmul(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1 = shape_of(a["x1" if mode == "keras" else "a"], "x1" if mode == "keras" else "a")
    s2 = shape_of(a["x2" if mode == "keras" else "b"], "x2" if mode == "keras" else "b")
    if mode == "tf":
        for s, name in ((s1, "a"), (s2, "b")):
            if len(s) < 2:
                raise ShapeError("invalid-input-rank",
                                 f"`tf.matmul` needs tensors of rank >= 2; `{name}` has shape "
                                 f"{fmt_shape(s)} (rank {len(s)}).", arg=name)
        ta = bool(known(a["transpose_a"], "transpose_a") or known(a["adjoint_a"], "adjoint_a"))
        tb = bool(known(a["transpose_b"], "transpose_b") or known(a["adjoint_b"], "adjoint_b"))
        m1 = (*s1[:-2], s1[-1], s1[-2]) if ta else s1
        m2 = (*s2[:-2], s2[-1], s2[-2]) if tb else s2
        one1 = one2 = False
    else:
        one1, one2 = len(s1) == 1, len(s2) == 1
        if len(s1) == 0 or len(s2) == 0:
            raise ShapeError("invalid-input-rank", "matmul does not take scalars")
        m1 = (1, s1[0]) if one1 else s1
        m2 = (s2[0], 1) if one2 else s2
    k1, k2 = m1[-1], m2[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("shape-mismatch",
                         f"Inner dimensions must be equal: {k1} (last axis of {fmt_shape(s1)}) "
                         f"vs {k2} (second-to-last axis of {fmt_shape(s2)}).")
    if mode == "tf" and len(m1) == 2 and len(m2) == 2:
        lead: Shape = ()
    else:
        lead = broadcast(m1[:-2], m2[:-2], "the batch dims of matmul")
    out = [*lead, m1[-2], m2[-1]]
    if one1:
        del out[-2]
    if one2:
        del out[-1]
    rows, cols = dstr(m1[-2]), dstr(m2[-1])
    return outcome(s1, tuple(out), f"({rows} x {dstr(k1)}) @ ({dstr(k2)} x {cols}) -> "
                                   f"({rows} x {cols}), batch dims {fmt_shape(lead)}")


register(qualnames(["matmul"], ["tf.matmul", "tf.linalg.matmul", "tf.compat.v1.matmul"]),
          [("x1", REQ), ("x2", REQ)],
          [("a", REQ), ("b", REQ), ("transpose_a", False), ("transpose_b", False),
           ("adjoint_a", False), ("adjoint_b", False), ("a_is_sparse", False),
           ("b_is_sparse", False), ("output_type", None), ("grad_a", False), ("grad_b", False),
           ("name", None)], _matmul)


# --- element-wise ------------------------------------------------------------------------------


def _binary(owner: str, mode: str, a: dict[str, Any]) -> Result:
    n1, n2 = ("x1", "x2") if mode == "keras" else ("x", "y")
    s1, s2 = shape_of(a[n1], n1), shape_of(a[n2], n2)
    out = broadcast(s1, s2, f"{n1}.shape={fmt_shape(s1)}, {n2}.shape={fmt_shape(s2)}")
    return outcome(s1, out, f"broadcast {fmt_shape(s1)} with {fmt_shape(s2)} -> {fmt_shape(out)}")


_BINARY = {
    "add": ["tf.add", "tf.math.add"],
    "subtract": ["tf.subtract", "tf.math.subtract"],
    "multiply": ["tf.multiply", "tf.math.multiply"],
    "divide": ["tf.divide", "tf.math.divide", "tf.truediv", "tf.math.truediv"],
    "true_divide": [],
    "floor_divide": ["tf.math.floordiv"],
    "maximum": ["tf.maximum", "tf.math.maximum"],
    "minimum": ["tf.minimum", "tf.math.minimum"],
    "power": ["tf.pow", "tf.math.pow"],
    "mod": ["tf.math.floormod", "tf.math.mod"],
    "equal": ["tf.equal", "tf.math.equal"],
    "not_equal": ["tf.not_equal", "tf.math.not_equal"],
    "greater": ["tf.greater", "tf.math.greater"],
    "less": ["tf.less", "tf.math.less"],
    "greater_equal": ["tf.greater_equal", "tf.math.greater_equal"],
    "less_equal": ["tf.less_equal", "tf.math.less_equal"],
    "logical_and": ["tf.logical_and", "tf.math.logical_and"],
    "logical_or": ["tf.logical_or", "tf.math.logical_or"],
    "squared_difference": ["tf.math.squared_difference"],
}
for _k, _t in _BINARY.items():
    register(qualnames([_k] if _k != "squared_difference" else [], _t),
              [("x1", REQ), ("x2", REQ)], [("x", REQ), ("y", REQ), ("name", None)], _binary)


def _unary(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, x, "element-wise: shape unchanged")


# Element-wise activations and math (relu, exp, softmax, cast, identity, ...) are registered by
# engine/elementwise.py (tf spellings) and engine/ops_unary.py (keras.ops); only the tf functions
# neither covers are here.
_UNARY_TF = ["tf.zeros_like", "tf.ones_like", "tf.math.is_nan", "tf.math.is_finite"]
# The first parameter's public name where it is not `x` (extra parameters never change shape).
_FIRST = {"tf.zeros_like": "input", "tf.ones_like": "input"}
for _tname in _UNARY_TF:
    _first = _FIRST.get(_tname, "x")
    register(qualnames([], [_tname]), None, [(f"{_first}>x", REQ), ("*", None), ("**", None)],
              _unary)
register(qualnames([], ["tf.dtypes.cast"]), None, [("x", REQ), ("dtype", REQ), ("name", None)],
          _unary)


# --- reductions --------------------------------------------------------------------------------


def _reduce(owner: str, mode: str, a: dict[str, Any]) -> Result:
    xname = "x" if mode == "keras" else "input_tensor"
    x = shape_of(a[xname], xname)
    axis = known(a["axis"], "axis")
    keep = bool(known(a.get("keepdims", False), "keepdims"))
    n = len(x)
    if axis is None:
        out: Shape = (1,) * n if keep else ()
        return outcome(x, out, "all axes reduced")
    axes = canon_axes(axis, n)
    lst = list(x)
    if keep:
        for c in axes:
            lst[c] = 1
    elif mode == "keras":
        # Keras deletes once per listed axis, duplicates included (as `reduce_shape` does).
        for c in sorted(axes, reverse=True):
            if c >= len(lst):
                raise ShapeError("invalid-argument",
                                 f"`axis` lists an axis twice. Received: axis={axis!r}", arg="axis")
            del lst[c]
    else:
        for c in sorted(set(axes), reverse=True):
            del lst[c]
    kept = "kept as 1" if keep else "removed"
    return outcome(x, tuple(lst), f"axes {sorted(set(axes))} reduced ({kept})")


_REDUCE = {
    "sum": ["tf.reduce_sum", "tf.math.reduce_sum"],
    "mean": ["tf.reduce_mean", "tf.math.reduce_mean"],
    "max": ["tf.reduce_max", "tf.math.reduce_max"],
    "min": ["tf.reduce_min", "tf.math.reduce_min"],
    "prod": ["tf.reduce_prod", "tf.math.reduce_prod"],
    "any": ["tf.reduce_any", "tf.math.reduce_any"],
    "all": ["tf.reduce_all", "tf.math.reduce_all"],
    "std": ["tf.math.reduce_std"],
    "var": ["tf.math.reduce_variance"],
    "logsumexp": ["tf.reduce_logsumexp", "tf.math.reduce_logsumexp"],
}
_KERAS_REDUCE_EXTRA = {"max": [("initial", None)], "min": [("initial", None)],
                       "prod": [("dtype", None)]}
for _k, _t in _REDUCE.items():
    register(qualnames([_k], _t),
              [("x", REQ), ("axis", None), ("keepdims", False), *_KERAS_REDUCE_EXTRA.get(_k, [])],
              [("input_tensor", REQ), ("axis", None), ("keepdims", False), ("name", None)],
              _reduce)


def _argminmax(owner: str, mode: str, a: dict[str, Any]) -> Result:
    if mode == "keras":
        return _reduce(owner, mode, a)
    x = shape_of(a["input"], "input")
    axis = known(a["axis"], "axis")
    if axis is None:
        axis = 0
    if len(x) <= 1:
        # TF's ArgMax shape function returns a scalar for rank <= 1 without checking `axis`.
        return outcome(x, (), "rank <= 1: the result is a scalar")
    ax = canon_axis(axis, len(x))
    out = tuple(d for i, d in enumerate(x) if i != ax)
    why = "  (axis=None -> 0)" if a["axis"] is None else ""
    return outcome(x, out, f"axis {ax} reduced{why}")


register(qualnames(["argmax"], ["tf.argmax", "tf.math.argmax"]),
          [("x", REQ), ("axis", None), ("keepdims", False)],
          [("input", REQ), ("axis", None), ("output_type", "int64"), ("name", None)], _argminmax)
register(qualnames(["argmin"], ["tf.argmin", "tf.math.argmin"]),
          [("x", REQ), ("axis", None), ("keepdims", False)],
          [("input", REQ), ("axis", None), ("output_type", "int64"), ("name", None)], _argminmax)



# keras.ops functions that broadcast their two tensor arguments (the rest never change shape).
_BINARY_KERAS_ONLY = (
    "arctan2", "divide_no_nan", "fmax", "fmin", "fmod", "gcd", "heaviside", "hypot", "isclose",
    "lcm", "ldexp", "logaddexp", "logaddexp2", "logical_xor", "nextafter",
)  # fmt: skip
# The bitwise functions keep the first argument's shape: Keras never broadcasts them.
_FIRST_SHAPE = ("bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
                "bitwise_right_shift", "left_shift", "right_shift")
# Keras reads `.dtype` of both arguments here, so a Python number fails on a KerasTensor.
_TENSORS_ONLY = {"heaviside", "hypot", "bitwise_and", "bitwise_or", "bitwise_xor"}


def _both_tensors(owner: str, a: dict[str, Any], names: tuple[str, str]) -> None:
    if owner.rsplit(".", 1)[-1] in _TENSORS_ONLY:
        for n in names:
            if not isinstance(a[n], Tensor):
                raise NotKnown(f"Keras needs `{n}` of `{owner}` as a tensor (it reads its dtype)")


def _first_shape(first: str, second: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        _both_tensors(owner, a, (first, second))
        x = shape_of(a[first], first)
        shape_of(a[second], second)
        return outcome(x, x, f"the shape of `{first}` is kept (no broadcasting)")

    return impl


def _broadcasting(first: str, second: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        _both_tensors(owner, a, (first, second))
        s1, s2 = shape_of(a[first], first), shape_of(a[second], second)
        out = broadcast(s1, s2, f"{first}.shape={fmt_shape(s1)}, {second}.shape={fmt_shape(s2)}")
        return outcome(s1, out, f"broadcast {fmt_shape(s1)} with {fmt_shape(s2)} -> "
                                f"{fmt_shape(out)}")

    return impl


for _k in _BINARY_KERAS_ONLY:
    _params = keras_params(_k)
    register(qualnames([_k]), _params, None, _broadcasting(_params[0][0], _params[1][0]))
for _k in _FIRST_SHAPE:
    _params = keras_params(_k)
    register(qualnames([_k]), _params, None, _first_shape(_params[0][0], _params[1][0]))


@keras_op("where")
def _where(owner: str, mode: str, a: dict[str, Any]) -> Result:
    cond = shape_of(a["condition"], "condition")
    if a["x1"] is None and a["x2"] is None:
        # On a KerasTensor, Keras gives where(condition) the condition's shape (it runs nonzero
        # only on real data).
        return outcome(cond, cond, "where(condition): the condition's shape")
    if a["x1"] is None or a["x2"] is None:
        raise ShapeError("invalid-argument",
                         "`x1` and `x2` either both should be `None` or both should have non-None "
                         "value.", arg="x2")
    s1, s2 = shape_of(a["x1"], "x1"), shape_of(a["x2"], "x2")
    out = broadcast(cond, s1, f"condition.shape={fmt_shape(cond)}, x1.shape={fmt_shape(s1)}")
    out = broadcast(out, s2, f"x2.shape={fmt_shape(s2)}")
    return outcome(cond, out, f"condition, x1 and x2 broadcast -> {fmt_shape(out)}")
