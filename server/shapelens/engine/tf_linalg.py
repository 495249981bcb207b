"""tf.linalg: matrix transposes, diagonals, determinants, decompositions (cholesky, qr, svd, eig,
lu), solves, matvec, trace, tensor diagonals, as TF's static shapes (matmul is in ops_math).
"""

from __future__ import annotations

from typing import Any

from .args import known
from .opargs import broadcast, dstr, outcome, shape_of
from .tfargs import register_keeping, tf_op
from .types import Dim, NotKnown, Result, Shape, ShapeError, fmt_shape

register_keeping("tf.linalg.band_part", "tf.linalg.set_diag", "tf.linalg.l2_normalize",
                 "tf.linalg.cross", "tf.linalg.expm")


def _matrix(a: dict[str, Any], name: str, square: bool = False) -> Shape:
    x = shape_of(a[name], name)
    if len(x) < 2:
        raise ShapeError("invalid-input-rank", f"`{name}` must have rank at least 2; got "
                         f"{fmt_shape(x)}", arg=name)
    if square and x[-1] is not None and x[-2] is not None and x[-1] != x[-2]:
        raise ShapeError("incompatible-shape", f"`{name}` must be a batch of square matrices; "
                         f"got {fmt_shape(x)}", arg=name)
    return x


def _merge(a: Dim, b: Dim) -> Dim:
    return a if a is not None else b


def _sq(x: Shape) -> Dim:
    return _merge(x[-1], x[-2])


_SQUARE_KEEP = {"cholesky": "input", "inv": "input", "logm": "input",
                "sqrtm": "input", "lu_matrix_inverse": "lower_upper",
                "lu_reconstruct": "lower_upper"}


def _square_keep(name: str) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        x = _matrix(a, name, square=True)
        n = _sq(x)
        out = (*x[:-2], n, n)
        return outcome(x, out, "a square matrix per batch entry: the shape is kept")

    return impl


for _fn, _arg in _SQUARE_KEEP.items():
    tf_op(f"tf.linalg.{_fn}")(_square_keep(_arg))


@tf_op("tf.linalg.adjoint", "tf.linalg.matrix_transpose")
def _transpose(owner: str, mode: str, a: dict[str, Any]) -> Result:
    name = "matrix" if "matrix" in a else "a"
    x = _matrix(a, name)
    return outcome(x, (*x[:-2], x[-1], x[-2]), "the last two axes swapped")


@tf_op("tf.linalg.det", "tf.linalg.logdet", "tf.linalg.matrix_rank", "tf.linalg.trace")
def _batch_scalar(owner: str, mode: str, a: dict[str, Any]) -> Result:
    name = next(iter(a))
    x = _matrix(a, name, square=not owner.endswith(("matrix_rank", "trace")))
    return outcome(x, x[:-2], "one value per matrix")


@tf_op("tf.linalg.slogdet")
def _slogdet(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "input", square=True)
    return outcome(x, [x[:-2], x[:-2]], "sign and log|det| per matrix")


@tf_op("tf.linalg.diag_part")
def _diag_part(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "input")
    if known(a["k"], "k") != 0:
        raise NotKnown("diag_part with k != 0: not modelled")
    m, n = x[-2], x[-1]
    d = None if m is None or n is None else min(m, n)
    return outcome(x, (*x[:-2], d), f"min({dstr(m)}, {dstr(n)}) = {dstr(d)} diagonal entries")


@tf_op("tf.linalg.diag")
def _diag(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["diagonal"], "diagonal")
    if not x:
        raise ShapeError("invalid-input-rank", "diagonal must be at least rank 1", arg="diagonal")
    if (known(a["k"], "k"), known(a["num_rows"], "num_rows"),
            known(a["num_cols"], "num_cols")) != (0, -1, -1):
        raise NotKnown("diag with k, num_rows or num_cols: not modelled")
    return outcome(x, (*x, x[-1]), "a square matrix per diagonal")


def _eig(values_only: bool) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        name = "tensor" if "tensor" in a else "input"
        x = _matrix(a, name, square=True)
        n = _sq(x)
        vals = (*x[:-2], n)
        if values_only:
            return outcome(x, vals, "the eigenvalues")
        return outcome(x, [vals, (*x[:-2], n, n)], "eigenvalues and eigenvectors")

    return impl


tf_op("tf.linalg.eig", "tf.linalg.eigh")(_eig(False))
tf_op("tf.linalg.eigvals", "tf.linalg.eigvalsh")(_eig(True))


@tf_op("tf.linalg.qr")
def _qr(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "input")
    m, n = x[-2], x[-1]
    full = bool(known(a["full_matrices"], "full_matrices"))
    k = None if m is None or n is None else min(m, n)
    if full:
        return outcome(x, [(*x[:-2], m, m), (*x[:-2], m, n)], "full q and r")
    return outcome(x, [(*x[:-2], m, k), (*x[:-2], k, n)], f"k = min(m, n) = {dstr(k)}")


@tf_op("tf.linalg.svd")
def _svd(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "tensor")
    m, n = x[-2], x[-1]
    k = None if m is None or n is None else min(m, n)
    s = (*x[:-2], k)
    if not known(a["compute_uv"], "compute_uv"):
        return outcome(x, s, f"{dstr(k)} singular values")
    full = bool(known(a["full_matrices"], "full_matrices"))
    u = (*x[:-2], m, m if full else k)
    v = (*x[:-2], n, n if full else k)
    return outcome(x, [s, u, v], f"s, u, v with k = {dstr(k)}")


@tf_op("tf.linalg.lu")
def _lu(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "input", square=True)
    n = _sq(x)
    return outcome(x, [(*x[:-2], n, n), (*x[:-2], n)], "lu and the permutation")


def _solve(matrix: str, rhs: str, square: bool = True) -> Any:
    def impl(owner: str, mode: str, a: dict[str, Any]) -> Result:
        m = _matrix(a, matrix, square=square)
        r = _matrix(a, rhs)
        if m[-2] is not None and r[-2] is not None and m[-2] != r[-2]:
            raise ShapeError("shape-mismatch", f"`{matrix}` {fmt_shape(m)} and `{rhs}` "
                             f"{fmt_shape(r)} must have as many rows", arg=rhs)
        # MatrixSolve wants equal batch dims; the triangular solves (cholesky_solve is two of
        # them) broadcast them.
        lead = _batch_merge(m, r) if owner.endswith(".solve") else \
            broadcast(m[:-2], r[:-2], "the batch dims")
        out = (*lead, _merge(r[-2], m[-1] if square else r[-2]), r[-1])
        return outcome(r, out, "one solution per right-hand side")

    return impl


def _batch_merge(m: Shape, r: Shape) -> Shape:
    if len(m) != len(r):
        raise ShapeError("incompatible-shape", f"matrix {fmt_shape(m)} and rhs {fmt_shape(r)} "
                         "must have the same rank")
    out: list[Dim] = []
    for d, e in zip(m[:-2], r[:-2], strict=True):
        if d is not None and e is not None and d != e:
            raise ShapeError("shape-mismatch", f"the batch dims of {fmt_shape(m)} and "
                             f"{fmt_shape(r)} differ")
        out.append(_merge(d, e))
    return tuple(out)


tf_op("tf.linalg.solve")(_solve("matrix", "rhs"))
tf_op("tf.linalg.triangular_solve")(_solve("matrix", "rhs"))
tf_op("tf.linalg.cholesky_solve")(_solve("chol", "rhs"))


@tf_op("tf.linalg.lstsq")
def _lstsq(owner: str, mode: str, a: dict[str, Any]) -> Result:
    m = _matrix(a, "matrix")
    r = _matrix(a, "rhs")
    if m[-2] is not None and r[-2] is not None and m[-2] != r[-2]:
        raise ShapeError("shape-mismatch", f"matrix {fmt_shape(m)} and rhs {fmt_shape(r)} must "
                         "have as many rows", arg="rhs")
    lead = broadcast(m[:-2], r[:-2], "the batch dims")
    return outcome(m, (*lead, m[-1], r[-1]), "one solution per right-hand side")


@tf_op("tf.linalg.matvec")
def _matvec(owner: str, mode: str, a: dict[str, Any]) -> Result:
    m = _matrix(a, "a")
    v = shape_of(a["b"], "b")
    if not v:
        raise ShapeError("invalid-input-rank", "`b` must be at least a vector", arg="b")
    ta = bool(known(a["transpose_a"], "transpose_a") or known(a["adjoint_a"], "adjoint_a"))
    rows, cols = (m[-1], m[-2]) if ta else (m[-2], m[-1])
    if cols is not None and v[-1] is not None and cols != v[-1]:
        raise ShapeError("shape-mismatch", f"Dimensions must be equal, but are {cols} and "
                         f"{v[-1]}", arg="b")
    lead = broadcast(m[:-2], v[:-1], "the batch dims")
    return outcome(m, (*lead, rows), f"({dstr(rows)} x {dstr(cols)}) @ vector")


@tf_op("tf.linalg.normalize")
def _normalize(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["tensor"], "tensor")
    axis = known(a["axis"], "axis")
    if axis is None:
        norm: Shape = (1,) * len(x)
    else:
        axes = [axis] if isinstance(axis, int) else list(axis)
        axes = [i + len(x) if i < 0 else i for i in axes]
        norm = tuple(1 if i in axes else d for i, d in enumerate(x))
    return outcome(x, [x, norm], "the normalized tensor and its norm (kept dims)")


@tf_op("tf.linalg.pinv")
def _pinv(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = _matrix(a, "a")
    return outcome(x, (*x[:-2], x[-1], x[-2]), "the pseudo-inverse: (n, m)")


@tf_op("tf.linalg.tensor_diag")
def _tensor_diag(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["diagonal"], "diagonal")
    return outcome(x, (*x, *x), "the shape twice")


@tf_op("tf.linalg.tensor_diag_part")
def _tensor_diag_part(owner: str, mode: str, a: dict[str, Any]) -> Result:
    x = shape_of(a["input"], "input")
    if len(x) % 2:
        raise ShapeError("invalid-input-rank", f"Input must have even rank; got {fmt_shape(x)}",
                         arg="input")
    h = len(x) // 2
    return outcome(x, tuple(_merge(d, e) for d, e in zip(x[:h], x[h:], strict=True)),
                   "the first half of the axes")


@tf_op("tf.linalg.lu_solve")
def _lu_solve(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _matrix(a, "lower_upper", square=True)
    r = _matrix(a, "rhs")
    return outcome(r, r, "one solution per right-hand side")


@tf_op("tf.linalg.tridiagonal_matmul", "tf.linalg.tridiagonal_solve")
def _tridiagonal(owner: str, mode: str, a: dict[str, Any]) -> Result:
    r = _matrix(a, "rhs")
    return outcome(r, r, "the right-hand side's shape")


@tf_op("tf.linalg.banded_triangular_solve")
def _banded(owner: str, mode: str, a: dict[str, Any]) -> Result:
    _matrix(a, "bands")
    r = _matrix(a, "rhs")
    return outcome(r, r, "the right-hand side's shape")
