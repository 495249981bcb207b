"""TF cases: the tf.linalg functions the engine covers, as (args, kwargs) per path;
the expected shapes come from tracing each in TensorFlow."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

M = T((None, 4, 4))
R = T((None, 4, 3))
W = T((2, 5, 3))
PERM = Typed((None, 4), "int32")

CASES["tf.linalg.matmul"] = [([T((None, 3, 4)), T((4, 5))], {}),
                             ([T((2, 3, 4)), T((2, 3, 5))], {"transpose_a": True})]
CASES["tf.linalg.band_part"] = [([M, 1, -1], {})]
CASES["tf.linalg.set_diag"] = [([M, T((None, 4))], {})]
CASES["tf.linalg.l2_normalize"] = [([M], {"axis": -1})]
CASES["tf.linalg.cross"] = [([T((None, 3)), T((None, 3))], {})]
for _n in ("cholesky", "inv", "expm", "logm", "sqrtm"):
    _dtype = "complex64" if _n == "logm" else "float32"
    CASES[f"tf.linalg.{_n}"] = [([Typed((None, 4, 4), _dtype)], {}),
                                ([Typed((2, None, 4), _dtype)], {})]
CASES["tf.linalg.lu_matrix_inverse"] = [([M, PERM], {})]
CASES["tf.linalg.lu_reconstruct"] = [([M, PERM], {})]
CASES["tf.linalg.adjoint"] = [([W], {})]
CASES["tf.linalg.matrix_transpose"] = [([W], {}), ([T((3,))], {})]
for _n in ("det", "logdet", "trace"):
    CASES[f"tf.linalg.{_n}"] = [([M], {}), ([T((3, 3))], {})]
CASES["tf.linalg.det"].append(([W], {}))
CASES["tf.linalg.matrix_rank"] = [([W], {})]
CASES["tf.linalg.slogdet"] = [([M], {})]
CASES["tf.linalg.diag_part"] = [([W], {}), ([T((None, 3, None))], {})]
CASES["tf.linalg.diag"] = [([T((None, 4))], {}), ([T((3,))], {})]
for _n in ("eig", "eigvals"):
    CASES[f"tf.linalg.{_n}"] = [([M], {})]
for _n in ("eigh", "eigvalsh"):
    CASES[f"tf.linalg.{_n}"] = [([M], {}), ([T((3, None))], {})]
CASES["tf.linalg.qr"] = [([W], {}), ([W], {"full_matrices": True}), ([T((None, 3, 5))], {})]
CASES["tf.linalg.svd"] = [([W], {}), ([W], {"compute_uv": True}),
                          ([W], {"compute_uv": True, "full_matrices": True})]
CASES["tf.linalg.lu"] = [([M], {})]
CASES["tf.linalg.solve"] = [([M, R], {}), ([T((2, 4, 4)), T((2, 4, 3))], {}),
                            ([T((4, 4)), T((5, 3))], {})]
CASES["tf.linalg.triangular_solve"] = [([M, R], {}), ([T((4, 4)), T((2, 4, 3))], {})]
CASES["tf.linalg.cholesky_solve"] = [([M, R], {})]
CASES["tf.linalg.lstsq"] = [([T((2, 5, 3)), T((2, 5, 2))], {})]
CASES["tf.linalg.matvec"] = [([T((None, 3, 4)), T((None, 4))], {}),
                             ([T((3, 4)), T((3,))], {"transpose_a": True}),
                             ([T((3, 4)), T((5,))], {})]
CASES["tf.linalg.normalize"] = [([M], {}), ([M], {"axis": -1})]
CASES["tf.linalg.pinv"] = [([W], {})]
CASES["tf.linalg.tensor_diag"] = [([T((2, 3))], {})]
CASES["tf.linalg.tensor_diag_part"] = [([T((2, 3, 2, 3))], {})]
CASES["tf.linalg.lu_solve"] = [([M, PERM, R], {})]
CASES["tf.linalg.tridiagonal_matmul"] = [([T((None, 3, 4)), R], {})]
CASES["tf.linalg.tridiagonal_solve"] = [([T((None, 3, 4)), R], {})]
CASES["tf.linalg.banded_triangular_solve"] = [([T((None, 2, 4)), R], {})]
CASES["tf.linalg.eye"] = [([4], {"batch_shape": [2, 3]})]
CASES["tf.linalg.norm"] = [([M], {"axis": [-2, -1]})]
CASES["tf.linalg.tensordot"] = [([M, R, [[2], [1]]], {})]
CASES["tf.linalg.solve"].append(([T((4, 4)), T((2, 4, 3))], {}))
CASES["tf.linalg.cholesky_solve"] += [([T((4, 4)), T((2, 4, 3))], {}),
                                      ([T((3, 4, 4)), T((2, 4, 3))], {})]
CASES["tf.linalg.lstsq"].append(([T((5, 3)), T((2, 5, 2))], {}))
CASES["tf.linalg.matvec"].append(([T((2, 3, 4)), T((5, 4))], {}))
