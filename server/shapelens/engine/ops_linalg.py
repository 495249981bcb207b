"""keras.ops products and linear algebra: dot, tensordot, einsum, inner, outer, kron, cross, the
diagonals, and keras.ops.linalg (decompositions, solves, norms), as Keras' shape rules give them.
"""

from __future__ import annotations

from typing import Any

from .args import is_int, known
from .opargs import (
    broadcast,
    canon_axis,
    dstr,
    exported,
    flat_size,
    keras_op,
    outcome,
    reduce_shape,
    shape_of,
)
from .registry import register_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape


def _pair(a: dict[str, Any], n1: str = "x1", n2: str = "x2") -> tuple[Shape, Shape]:
    return shape_of(a[n1], n1), shape_of(a[n2], n2)


@keras_op("dot")
def _dot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    if not s1 or not s2:
        out = broadcast(s1, s2, "dot with a scalar multiplies")
        return outcome(s1, out, "a scalar operand: element-wise product")
    if len(s1) == 1 and len(s2) == 1:
        return outcome(s1, (), "vector . vector -> scalar")
    if len(s2) == 1:
        # Keras compares these strictly here: a None on either side is a mismatch.
        if s1[-1] != s2[0]:
            raise ShapeError("shape-mismatch",
                             "Shape must match on the last axis of `x1` and `x2` when `x1` is "
                             f"N-d array while `x2` is 1-D. Received: x1.shape={fmt_shape(s1)}, "
                             f"x2.shape={fmt_shape(s2)}")
        return outcome(s1, s1[:-1], f"the last axis ({dstr(s1[-1])}) summed")
    k1, k2 = s1[-1], s2[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ShapeError("shape-mismatch",
                         "Shape must match on the last axis of `x1` and second last axis of `x2`. "
                         f"Received: x1.shape={fmt_shape(s1)}, x2.shape={fmt_shape(s2)}")
    out = (*s1[:-1], *s2[:-2], s2[-1])
    return outcome(s1, out, f"x1's last axis ({dstr(k1)}) . x2's second last ({dstr(k2)})")


@keras_op("tensordot")
def _tensordot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    axes = known(a["axes"], "axes")
    if is_int(axes):
        # Keras takes the last `axes` of x1 and the first of x2 without comparing them.
        if axes <= 0:
            return outcome(s1, (*s1, *s2), "axes=0: outer product")
        return outcome(s1, (*s1[:-axes], *s2[axes:]), f"{axes} axes contracted")
    if (not isinstance(axes, (list, tuple)) or len(axes) != 2
            or not all(isinstance(x, (list, tuple)) for x in axes)):
        raise NotKnown(f"`axes`={axes!r} is not a pair of axis lists")
    ax1 = [canon_axis(v, len(s1), "axes") for v in axes[0]]
    ax2 = [canon_axis(v, len(s2), "axes") for v in axes[1]]
    d1, d2 = [s1[i] for i in ax1], [s2[i] for i in ax2]
    if len(d1) != len(d2) or any(p is not None and q is not None and p != q
                                 for p, q in zip(d1, d2, strict=False)):
        raise ShapeError("shape-mismatch",
                         f"Shape mismatch on `x1[axes[0]]` and `x2[axes[1]]`, received {d1} and "
                         f"{d2}.", arg="axes")
    out = (*(d for i, d in enumerate(s1) if i not in ax1),
           *(d for i, d in enumerate(s2) if i not in ax2))
    return outcome(s1, out, f"axes {ax1} of x1 contracted with axes {ax2} of x2")


def _einsum_operand(spec: str, x: Shape, target: str) -> list[Dim]:
    """One operand's shape laid out on the output target: its letters' sizes, its `...` dims, and
    1 for letters it lacks (Keras then broadcasts the operands' layouts together)."""
    sizes: dict[str, Dim] = {}
    wildcard: list[Dim] = []
    if "..." not in spec:
        if len(x) != len(spec):
            raise ShapeError("incompatible-shape",
                             "Number of dimensions in the subscript does not match the number of "
                             f"dimensions in the operand: subscript `{spec}`, operand of shape "
                             f"{fmt_shape(x)}.")
        for letter, d in zip(spec, x, strict=True):
            sizes.setdefault(letter, d)
    else:
        pre, post = spec.split("...")
        if len(x) < max(len(pre), len(post)):
            raise ShapeError("incompatible-shape",
                             f"Operand of shape {fmt_shape(x)} has fewer axes than the subscript "
                             f"`{spec}` names.")
        for i, letter in enumerate(pre):
            sizes.setdefault(letter, x[i])
        for i, letter in enumerate(reversed(post)):
            sizes.setdefault(letter, x[len(x) - 1 - i])
        wildcard = list(x[len(pre): len(x) - len(post)])
    out: list[Dim] = []
    rest = target
    while rest:
        if rest.startswith("..."):
            out += wildcard
            rest = rest[3:]
            continue
        letter, rest = rest[0], rest[1:]
        if letter in sizes:
            out.append(sizes[letter])
        elif "a" <= letter <= "z":
            out.append(1)
        else:
            raise ShapeError("invalid-argument",
                             f"einsum output subscript `{letter}` names no axis of any operand.")
    return out


def einsum(args: Any, kwargs: Any) -> Result:
    """Keras' Einsum.compute_output_spec: letters that repeat are summed unless the output names
    them; each operand is laid out on the output and the layouts broadcast (sizes of one letter in
    two operands are not compared: Keras does not)."""
    if not args:
        raise ShapeError("missing-argument", "einsum() missing 1 required positional argument: "
                         "'subscripts'", arg="subscripts")
    subscripts = known(args[0], "subscripts")
    if not isinstance(subscripts, str):
        raise ShapeError("invalid-argument", f"`subscripts` must be a string. Received: "
                         f"{subscripts!r}", arg="subscripts")
    if " " in subscripts:
        raise NotKnown("einsum subscripts with spaces are not covered")
    shapes = [shape_of(v, f"operands[{i}]") for i, v in enumerate(args[1:])]
    parts = subscripts.split("->")
    if len(parts) > 2:
        raise ShapeError("invalid-argument", "At most one '->' is supported in `einsum` "
                         f"subscripts, but received {subscripts}.", arg="subscripts")
    inputs, output = parts[0], (parts[1] if len(parts) == 2 else None)
    specs = inputs.split(",")
    if len(specs) != len(shapes):
        raise ShapeError("invalid-argument",
                         f"Number of operands ({len(shapes)}) does not match the number of input "
                         f"specs ({len(specs)}) in `einsum`, received subscripts={subscripts}.")
    if output is None:
        letters = [c for c in inputs if c.isalpha()]
        kept = sorted(c for c in set(letters) if letters.count(c) == 1)
        output = "..." + "".join(kept)
    layouts = [_einsum_operand(spec, s, output) for spec, s in zip(specs, shapes, strict=True)]
    out: Shape = tuple(layouts[0])
    for lay in layouts[1:]:
        out = broadcast(out, tuple(lay), f"einsum {subscripts}")
    return outcome(shapes[0] if shapes else None, out, f"{subscripts}: -> {fmt_shape(out)}")


@keras_op("inner")
def _inner(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    if not s1:
        return outcome(s1, s2, "scalar x1: a product")
    if not s2:
        return outcome(s1, s1, "scalar x2: a product")
    if s1[-1] is not None and s2[-1] is not None and s1[-1] != s2[-1]:
        raise ShapeError("shape-mismatch",
                         "`inner` requires the last dimension of `x1` and `x2` to match. "
                         f"Received: x1.shape={fmt_shape(s1)}, x2.shape={fmt_shape(s2)}.")
    return outcome(s1, (*s1[:-1], *s2[:-1]), "the last axes summed")


@keras_op("outer")
def _outer(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    out = (flat_size(s1), flat_size(s2))
    return outcome(s1, out, "both flattened: (size of x1, size of x2)")


@keras_op("vdot")
def _vdot(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, _ = _pair(a)
    return outcome(s1, (), "flattened dot product: a scalar")


@keras_op("kron")
def _kron(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    # Keras pairs the axes from the front and drops the longer shape's extra axes.
    out = tuple(None if p is None or q is None else p * q for p, q in zip(s1, s2, strict=False))
    return outcome(s1, out, "axis sizes multiplied pairwise")


@keras_op("cross")
def _cross(owner: str, mode: str, a: dict[str, Any]) -> Result:
    s1, s2 = _pair(a)
    l1, l2 = list(s1), list(s2)
    axis = known(a["axis"], "axis")
    # `axis`, when given, stands for all three.
    axisa, axisb, axisc = (axis,) * 3 if axis is not None else (a["axisa"], a["axisb"], a["axisc"])
    try:
        v1 = l1.pop(known(axisa, "axisa"))
        v2 = l2.pop(known(axisb, "axisb"))
    except IndexError as e:
        raise ShapeError("incompatible-shape", f"`axisa`/`axisb` out of range: {e}") from e
    out = list(broadcast(tuple(l1), tuple(l2), "cross"))
    for v, n in ((v1, "x1"), (v2, "x2")):
        if v is not None and v not in (2, 3):
            raise ShapeError("incompatible-shape",
                             f"`{n}`'s dim on the vector axis must be either 2 or 3, but "
                             f"received: {v}")
    value = [3] if 3 in (v1, v2) else []
    c = canon_axis(known(axisc, "axisc"), len(out) + len(value), "axisc")
    res = (*out[:c], *value, *out[c:])
    return outcome(s1, res, "vectors of 3 keep an axis of 3; of 2, a scalar per pair")


def _diag_len(m: Dim, n: Dim, k: int) -> Dim:
    if m is None or n is None:
        return None
    remaining = n - k if k > 0 else m + k
    return max(0, min(remaining, m, n))


@keras_op("diag")
def _diag(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    k = known(a["k"], "k")
    if len(x) == 1:
        side = None if x[0] is None else x[0] + abs(k)
        return outcome(x, (side, side), f"a vector of {dstr(x[0])} on diagonal {k}")
    if len(x) == 2:
        return outcome(x, (_diag_len(x[0], x[1], k),), f"diagonal {k} of the matrix")
    raise ShapeError("invalid-input-rank",
                     f"`x` must be 1-D or 2-D, but received shape {fmt_shape(x)}.")


@keras_op("diagonal")
def _diagonal(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if len(x) < 2:
        raise ShapeError("invalid-input-rank", "`diagonal` requires an array of at least two "
                         f"dimensions, but `x` is of shape {fmt_shape(x)}.")
    a1, a2 = known(a["axis1"], "axis1"), known(a["axis2"], "axis2")
    try:
        m, n = x[a1], x[a2]
    except IndexError as e:
        raise ShapeError("incompatible-shape", f"`axis1`/`axis2` out of range: {e}") from e
    drop = {a1 % len(x), a2 % len(x)}
    out = (*(d for i, d in enumerate(x) if i not in drop), _diag_len(m, n, known(a["offset"],
                                                                                  "offset")))
    return outcome(x, out, "the two axes replaced by their diagonal")


@keras_op("diagflat")
def _diagflat(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    size = flat_size(x)
    k = known(a["k"], "k")
    side = None if size is None else size + abs(k)
    return outcome(x, (side, side), f"the {dstr(size)} values on diagonal {k}")


@keras_op("tril", "triu")
def _tri_part(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    return outcome(x, x, "a triangle kept: the shape is kept")


# --- keras.ops.linalg --------------------------------------------------------------------------


def _matrix(x: Shape, square: bool) -> None:
    if len(x) < 2:
        raise ShapeError("invalid-input-rank", "Expected input to have rank >= 2. Received input "
                         f"with shape {fmt_shape(x)}.")
    if square and x[-2] != x[-1]:
        raise ShapeError("incompatible-shape", "Expected a square matrix. Received non-square "
                         f"input with shape {fmt_shape(x)}")


def _both(m: Dim, n: Dim, what: str) -> tuple[int, int]:
    if m is None or n is None:
        # Keras takes min(m, n) of the two, which fails on None.
        raise NotKnown(f"{what} needs both matrix dims; one is None")
    return m, n


@keras_op("cholesky", "cholesky_inverse", "inv", "det", "eig", "eigh", "logdet", "slogdet")
def _square(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    name = owner.rsplit(".", 1)[-1]
    if name in ("logdet", "slogdet"):
        # Keras checks nothing here: the determinant's batch shape.
        out: Any = x[:-2] if name == "logdet" else [(), x[:-2]]
        return outcome(x, out, "the last two axes reduced")
    _matrix(x, True)
    out = {"det": x[:-2], "eig": [x[:-1], x], "eigh": [x[:-1], x]}.get(name, x)
    return outcome(x, out, "a square matrix per batch entry")


@keras_op("lu_factor")
def _lu_factor(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    _matrix(x, False)
    m, n = _both(x[-2], x[-1], "lu_factor")
    return outcome(x, [(*x[:-2], m, n), (*x[:-2], min(m, n))], "LU and pivots")


@keras_op("qr")
def _qr(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    if len(x) < 2:
        raise ShapeError("invalid-input-rank",
                         f"Input should have rank >= 2. Received: input.shape = {fmt_shape(x)}")
    m, n = x[-2], x[-1]
    if m is None or n is None:
        raise ShapeError("incompatible-shape", "Input should have its last 2 dimensions "
                         f"fully-defined. Received: input.shape = {fmt_shape(x)}")
    k, base = min(m, n), x[:-2]
    if known(a["mode"], "mode") == "reduced":
        return outcome(x, [(*base, m, k), (*base, k, n)], f"reduced: k = min({m}, {n}) = {k}")
    return outcome(x, [(*base, m, m), (*base, m, n)], "complete: q is m x m")


@keras_op("svd")
def _svd(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    _matrix(x, False)
    m, n = _both(x[-2], x[-1], "svd")
    k, base = min(m, n), x[:-2]
    s = (*base, k)
    if not known(a["compute_uv"], "compute_uv"):
        return outcome(x, s, f"singular values: min({m}, {n}) = {k}")
    if known(a["full_matrices"], "full_matrices"):
        return outcome(x, [(*base, m, m), s, (*base, n, n)], "full matrices")
    return outcome(x, [(*base, m, k), s, (*base, k, n)], f"reduced: k = {k}")


@keras_op("solve", "solve_triangular")
def _solve(owner: str, mode: str, a: dict[str, Any]) -> Result:
    sa, sb = _pair(a, "a", "b")
    _matrix(sa, True)
    if not sb:
        raise ShapeError("invalid-input-rank", "Expected input to have rank >= 1. Received "
                         "scalar input.", arg="b")
    if len(sa) == len(sb) and sa[-2] != sb[-2]:
        raise ShapeError("shape-mismatch", "Incompatible shapes between `a` and `b`. Expected "
                         f"`a.shape[-2] == b.shape[-2]`. Received: a.shape={fmt_shape(sa)}, "
                         f"b.shape={fmt_shape(sb)}")
    if len(sa) == len(sb) - 1 and sa[-1] != sb[-1]:
        raise ShapeError("shape-mismatch", "Incompatible shapes between `a` and `b`. Expected "
                         f"`a.shape[-1] == b.shape[-1]`. Received: a.shape={fmt_shape(sa)}, "
                         f"b.shape={fmt_shape(sb)}")
    return outcome(sb, sb, "the solution has the shape of `b`")


@keras_op("lstsq")
def _lstsq(owner: str, mode: str, a: dict[str, Any]) -> Result:
    sa, sb = _pair(a, "a", "b")
    if len(sa) != 2:
        raise ShapeError("invalid-input-rank",
                         f"Expected a to have rank 2. Received: a.shape={fmt_shape(sa)}")
    if len(sb) not in (1, 2):
        raise ShapeError("invalid-input-rank",
                         f"Expected b to have rank 1 or 2. Received: b.shape={fmt_shape(sb)}")
    if sb[0] != sa[0]:
        raise ShapeError("shape-mismatch", "Expected b.shape[0] to be equal to a.shape[0]. "
                         f"Received: a.shape={fmt_shape(sa)}, b.shape={fmt_shape(sb)}")
    out = (sa[1], sb[1]) if len(sb) == 2 else (sa[1],)
    return outcome(sa, out, "(n,) or (n, k) for a of (m, n)")


@keras_op("matrix_rank")
def _matrix_rank(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    _matrix(x, False)
    return outcome(x, x[:-2], "one rank per matrix")


@keras_op("pinv")
def _pinv(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    _matrix(x, False)
    return outcome(x, (*x[:-2], x[-1], x[-2]), "(m, n) -> (n, m)")


_MATRIX_ORDS = (None, "fro", "nuc", float("inf"), float("-inf"), 1, -1, 2, -2)


@keras_op("norm")
def _norm(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["x"], "x")
    axis = known(a["axis"], "axis")
    order = known(a["ord"], "ord")
    n_axes = len(x) if axis is None else (1 if is_int(axis) else len(axis))
    if n_axes == 1 and isinstance(order, str):
        raise ShapeError("invalid-argument",
                         f"Invalid `ord` argument for vector norm. Received: ord={order}",
                         arg="ord")
    if n_axes == 2 and order not in _MATRIX_ORDS:
        raise ShapeError("invalid-argument",
                         f"Invalid `ord` argument for matrix norm. Received: ord={order}",
                         arg="ord")
    keep = bool(known(a["keepdims"], "keepdims"))
    return outcome(x, reduce_shape(x, axis, keep), f"norm over axis={axis!r}")


@keras_op("cdist")
def _cdist(owner: str, mode: str, a: dict[str, Any]) -> Result:
    sx, sy = _pair(a, "x", "y")
    if len(sx) < 2 or len(sy) < 2:
        raise ShapeError("invalid-input-rank", "Inputs to `cdist` must have rank >= 2. Received "
                         f"shapes: x.shape={fmt_shape(sx)}, y.shape={fmt_shape(sy)}")
    if sx[-1] is not None and sy[-1] is not None and sx[-1] != sy[-1]:
        raise ShapeError("shape-mismatch", "The last dimension of inputs to `cdist` must match. "
                         f"Received shapes: x.shape={fmt_shape(sx)}, y.shape={fmt_shape(sy)}")
    batch = broadcast(sx[:-2], sy[:-2], "the batch dims of cdist")
    return outcome(sx, (*batch, sx[-2], sy[-2]), "pairwise distances")


register_op(*exported("einsum"), fn=einsum)
