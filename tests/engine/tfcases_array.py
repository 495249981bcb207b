"""TF cases: the tf top-level functions the engine covers, as (args, kwargs) per path;
the expected shapes come from tracing each in TensorFlow."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

X = T((None, 4, 6))
IDX = Typed((None, 3), "int32")

CASES["tf.gather"] = [
    ([X, Typed((5,), "int32")], {}), ([X, IDX], {"axis": 2}),
    ([X, Typed((2, 5), "int32")], {"axis": -2}),
    ([T((2, 4, 6)), Typed((2, 3), "int32")], {"axis": 1, "batch_dims": 1}),
    ([T((2, 4, 6)), Typed((3, 3), "int32")], {"axis": 1, "batch_dims": 1}),
    ([X, Typed((5,), "int32")], {"axis": 3}),
]
CASES["tf.gather_nd"] = [
    ([X, Typed((None, 2), "int32")], {}), ([T((5, 4, 6)), Typed((7, 3), "int32")], {}),
    ([T((2, 4, 6)), Typed((2, 3, 1), "int32")], {"batch_dims": 1}),
    ([T((2, 4)), Typed((7, 3), "int32")], {}),
]
CASES["tf.where"] = [
    ([Typed((None, 4, 6), "bool")], {}),
    ([Typed((None, 4, 1), "bool"), X, T((6,))], {}),
    ([Typed((None, 4, 6), "bool"), X, 0.0], {}),
    ([Typed((2, 3), "bool"), T((2, 4)), T((2, 4))], {}),
]
CASES["tf.boolean_mask"] = [([X, Typed((None, 4), "bool")], {}),
                            ([X, Typed((4,), "bool")], {"axis": 1}),
                            ([X, Typed((5,), "bool")], {"axis": 1})]
CASES["tf.unique"] = [([T((10,))], {})]
CASES["tf.unique_with_counts"] = [([T((None,))], {})]
CASES["tf.one_hot"] = [([Typed((None, 5), "int32"), 10], {}),
                       ([Typed((None, 5), "int32"), 10], {"axis": 1}),
                       ([Typed((None, 5), "int32"), 10], {"axis": 0}),
                       ([Typed((3,), "int32"), 4], {"axis": -2})]
CASES["tf.argsort"] = [([X], {}), ([X], {"axis": 1})]
CASES["tf.sort"] = [([X], {"direction": "DESCENDING"})]
CASES["tf.reverse"] = [([X, [1]], {}), ([X, [-1, 1]], {})]
CASES["tf.roll"] = [([X, 2, 1], {})]
CASES["tf.reverse_sequence"] = [([T((3, 4, 6)), Typed((3,), "int32"), 1], {})]
for _n in ("add", "max", "min", "sub", "update"):
    CASES[f"tf.tensor_scatter_nd_{_n}"] = [([T((8, 4)), Typed((3, 1), "int32"), T((3, 4))], {})]
CASES["tf.einsum"] = [
    (["bij,bjk->bik", T((None, 3, 4)), T((None, 4, 5))], {}),
    (["bhqd,bhkd->bhqk", T((2, 8, 10, 16)), T((2, 8, 12, 16))], {}),
    (["ij->ji", T((3, 4))], {}), (["ii->i", T((3, 3))], {}),
    (["...ij,jk->...ik", T((2, 7, 3, 4)), T((4, 5))], {}),
    (["ij,jk", T((3, 4)), T((4, 5))], {}),
]
CASES["tf.linalg.einsum"] = [(["bij,bjk->bik", T((2, 3, 4)), T((2, 4, 5))], {})]
CASES["tf.tensordot"] = [([T((3, 4, 5)), T((4, 5, 6)), 2], {}),
                         ([T((3, 4, 5)), T((5, 4, 6)), [[1, 2], [1, 0]]], {}),
                         ([T((3, 4)), T((5, 6)), 0], {}), ([T((3, 4)), T((5, 6)), 1], {})]
CASES["tf.meshgrid"] = [([T((3,)), T((4,))], {}), ([T((3,)), T((4,)), T((5,))], {"indexing": "ij"})]
CASES["tf.unstack"] = [([T((3, 4, 5))], {}), ([X], {"axis": 1}), ([T((3, 4)), 3], {})]
CASES["tf.slice"] = [([T((3, 4, 5)), [1, 0, 0], [1, 2, -1]], {}), ([X, [0, 1, 2], [-1, 2, 3]], {})]
CASES["tf.rank"] = [([X], {})]
CASES["tf.size"] = [([X], {})]
CASES["tf.linspace"] = [([0.0, 1.0, 50], {})]
CASES["tf.eye"] = [([3], {}), ([3, 4], {}), ([2], {"batch_shape": [5]})]
CASES["tf.sequence_mask"] = [([Typed((None,), "int32"), 20], {}),
                             ([Typed((2, 3), "int32"), 5], {})]
CASES["tf.scatter_nd"] = [([Typed((4, 1), "int32"), T((4,)), [8]], {}),
                          ([Typed((2, 1), "int32"), T((2, 4, 4)), [4, 4, 4]], {})]
CASES["tf.space_to_batch_nd"] = [([T((1, 4, 4, 3)), [2, 2], [[0, 0], [0, 0]]], {}),
                                 ([T((2, 5, 4, 3)), [2, 2], [[1, 0], [0, 0]]], {})]
CASES["tf.space_to_batch"] = [([T((None, 4, 4, 3)), [2, 2], [[0, 0], [2, 2]]], {})]
CASES["tf.batch_to_space"] = [([T((4, 2, 2, 3)), [2, 2], [[0, 0], [0, 0]]], {}),
                              ([T((8, 2, 2, 3)), [2, 2], [[0, 1], [1, 0]]], {})]
CASES["tf.identity_n"] = [([[X, T((3,))]], {})]
CASES["tf.ensure_shape"] = [([X, (5, 4, 6)], {}), ([X, (None, 4, None)], {}), ([X, (5, 5, 6)], {})]
CASES["tf.parallel_stack"] = [([[T((3, 4)), T((3, 4))]], {})]
CASES["tf.searchsorted"] = [([T((2, 10)), T((2, 4))], {})]
CASES["tf.histogram_fixed_width"] = [([X, [0.0, 1.0]], {"nbins": 7})]
CASES["tf.norm"] = [([X], {}), ([X], {"axis": -1}), ([X], {"axis": [1, 2], "keepdims": True}),
                    ([X], {"axis": 1, "keepdims": True})]
CASES["tf.clip_by_global_norm"] = [([[X, T((3,))], 1.0], {})]
CASES["tf.extract_volume_patches"] = [
    ([T((2, 8, 8, 8, 3)), [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"], {}),
    ([T((2, 9, 8, 7, 3)), [1, 3, 3, 3, 1], [1, 2, 2, 2, 1], "SAME"], {}),
]
CASES["tf.fill"] = [([[2, 3], 1.0], {})]
CASES["tf.zeros"] = [([[2, 3]], {}), ([(4,)], {})]
CASES["tf.range"] = [([10], {}), ([2, 11, 3], {}), ([0.0, 1.0, 0.25], {})]
CASES["tf.approx_top_k"] = [([T((5, 8)), 3], {})]
CASES["tf.required_space_to_batch_paddings"] = [([[4, 4], [2, 2]], {})]
CASES["tf.strided_slice"] = [
    ([T((None, 8, 6)), [0, 1, 0], [0, 7, 6], [1, 2, 1]], {"begin_mask": 1, "end_mask": 1}),
    ([T((4, 8, 6)), [1, 0], [2, 0]], {"shrink_axis_mask": 1, "end_mask": 2}),
    ([T((4, 8, 6)), [0, 0, 0], [0, 0, 0]], {"ellipsis_mask": 1, "new_axis_mask": 2}),
    ([T((4, 8, 6)), [0, 2], [4, 0], [1, -1]], {"end_mask": 2}),
]
CASES["tf.conv2d_backprop_input_v2"] = [([T((2, 8, 8, 3)), T((3, 3, 3, 4)), T((2, 8, 8, 4)),
                                          [1, 1, 1, 1], "SAME"], {})]
CASES["tf.conv2d_backprop_filter_v2"] = [([T((2, 8, 8, 3)), T((3, 3, 3, 4)), T((2, 8, 8, 4)),
                                           [1, 1, 1, 1], "SAME"], {})]
# TF checks these only at run time (its static shape answers): no error may be claimed.
CASES["tf.slice"].append(([T((3, 4)), [2, 0], [2, 4]], {}))
CASES["tf.unstack"].append(([T((3, 4)), 2], {}))
CASES["tf.gather_nd"].append(([T((2, 4)), Typed((7, 3), "int32")], {}))
CASES["tf.ensure_shape"].append(([T((None, 4)), (5, 5, 6)], {}))
CASES["tf.extract_volume_patches"].append(
    ([T((2, 2, 8, 8, 3)), [1, 3, 3, 3, 1], [1, 1, 1, 1, 1], "VALID"], {}))
CASES["tf.gather"].append(([T((2, 4, 6)), Typed((2, 3), "int32")], {"axis": 2, "batch_dims": 1}))
CASES["tf.tensordot"] += [([T((3, 4)), T((4, 5)), 3], {}), ([T((3, 4)), T((4, 5)), [[1], [1]]], {})]
CASES["tf.batch_to_space"].append(([T((3, 2, 2, 1)), [2, 2], [[0, 0], [0, 0]]], {}))
CASES["tf.space_to_batch_nd"].append(([T((1, 5, 4, 3)), [2, 2], [[0, 0], [0, 0]]], {}))
