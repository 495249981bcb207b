"""TF cases: the tf.keras.backend functions the engine covers (as the analyser names them,
`keras.backend.X`), as (args, kwargs) per path; the expected shapes come from TF."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

X = T((None, 4, 6))
K = "keras.backend."

for _n in ("max", "min", "sum", "prod", "mean", "std", "var"):
    CASES[K + _n] = [([X], {}), ([X, 1], {}), ([X], {"axis": [1, 2], "keepdims": True})]
for _n in ("any", "all"):
    CASES[K + _n] = [([Typed((None, 4), "bool"), -1], {})]
for _n in ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum",
           "minimum"):
    CASES[K + _n] = [([X, T((6,))], {}), ([T((2, 3)), T((4, 3))], {})]
CASES[K + "pow"] = [([X, 2.0], {})]
CASES[K + "argmax"] = [([X], {}), ([X, 1], {})]
CASES[K + "argmin"] = [([X, 0], {})]
CASES[K + "concatenate"] = [([[X, T((None, 4, 2))]], {}), ([[X, X], 1], {}),
                            ([[X, T((None, 5, 2))]], {})]
CASES[K + "stack"] = [([[X, X]], {}), ([[X, X], -1], {})]
CASES[K + "expand_dims"] = [([X], {}), ([X, 1], {})]
CASES[K + "squeeze"] = [([T((None, 1, 6)), 1], {}), ([X, 1], {})]
CASES[K + "reshape"] = [([X, (-1, 24)], {}), ([T((2, 4, 6)), (8, -1)], {})]
CASES[K + "permute_dimensions"] = [([X, (0, 2, 1)], {}), ([X, (0, 1)], {})]
CASES[K + "transpose"] = [([X], {})]
CASES[K + "tile"] = [([X, (1, 2, 3)], {}), ([T((3,)), 4], {})]
CASES[K + "reverse"] = [([X, 1], {}), ([X, [1, 2]], {})]
CASES[K + "gather"] = [([T((100, 8)), Typed((None, 5), "int32")], {})]
CASES[K + "one_hot"] = [([Typed((None, 5), "int32"), 10], {})]
CASES[K + "flatten"] = [([T((2, 4, 6))], {}), ([X], {})]
CASES[K + "batch_flatten"] = [([X], {}), ([T((None, 4, None))], {})]
CASES[K + "repeat"] = [([T((None, 8)), 5], {})]
CASES[K + "repeat_elements"] = [([X, 3, 1], {}), ([T((None, None, 6)), 2, 1], {})]
CASES[K + "dot"] = [([T((None, 4)), T((4, 5))], {}), ([X, T((6, 5))], {}),
                    ([T((2, 3)), T((7, 6, 5))], {})]
CASES[K + "batch_dot"] = [
    ([T((None, 3, 4)), T((None, 4, 5))], {}), ([T((32, 20)), T((32, 20))], {"axes": 1}),
    ([T((32, 20, 1)), T((32, 30, 20))], {"axes": [1, 2]}), ([T((None, 5)), T((None, 5, 3))], {}),
    ([T((4, 3, 4)), T((4, 5, 5))], {}),
]
for _n in ("random_normal", "random_uniform", "truncated_normal"):
    CASES[K + _n] = [([(2, 3)], {})]
CASES[K + "random_bernoulli"] = [([(2, 3)], {"p": 0.5})]
CASES[K + "arange"] = [([10], {}), ([2, 11, 3], {})]
CASES[K + "ones_like"] = [([X], {})]
CASES[K + "zeros_like"] = [([X], {})]
CASES[K + "cumsum"] = [([X, 1], {})]
CASES[K + "cumprod"] = [([X], {})]
CASES[K + "batch_normalization"] = [([X, T((6,)), T((6,)), T((6,)), T((6,))], {}),
                                    ([T((None, 4, 1)), T((6,)), T((6,)), T((6,)), T((6,))], {})]
CASES[K + "binary_crossentropy"] = [([T((None, 5)), T((None, 5))], {}),
                                    ([T((None, 1)), T((None, 5))], {})]
CASES[K + "binary_focal_crossentropy"] = [([T((None, 5)), T((None, 5))], {}),
                                          ([T((None, 5)), T((None, 1))], {})]
CASES[K + "categorical_crossentropy"] = [([T((None, 5)), T((None, 5))], {}),
                                         ([T((None, 7, 5)), T((None, 7, 5))], {"axis": 1})]
CASES[K + "categorical_focal_crossentropy"] = [([T((None, 5)), T((None, 5))], {})]
CASES[K + "sparse_categorical_crossentropy"] = [([Typed((None,), "int32"), T((None, 5))], {}),
                                                ([Typed((None, 7), "int32"), T((None, 7, 5))], {})]
CASES[K + "in_top_k"] = [([T((None, 10)), Typed((None,), "int32"), 3], {})]
CASES[K + "ctc_batch_cost"] = [([T((4, 5)), T((4, 50, 20)), Typed((4, 1), "int32"),
                                 Typed((4, 1), "int32")], {})]
CASES[K + "conv1d"] = [([T((None, 20, 3)), T((5, 3, 8))], {}),
                       ([T((None, 20, 3)), T((5, 3, 8))], {"strides": 2, "padding": "same"})]
CASES[K + "conv2d"] = [([T((None, 32, 32, 3)), T((3, 3, 3, 16))], {}),
                       ([T((None, 32, 32, 3)), T((3, 3, 3, 16)), (2, 2), "same"], {})]
CASES[K + "conv3d"] = [([T((2, 8, 8, 8, 1)), T((3, 3, 3, 1, 4))], {})]
CASES[K + "pool2d"] = [([T((None, 32, 32, 3)), (2, 2)], {"strides": (2, 2)}),
                       ([T((None, 32, 32, 3)), (3, 3), (2, 2), "same"], {"pool_mode": "avg"})]
CASES[K + "pool3d"] = [([T((2, 8, 8, 8, 1)), (2, 2, 2)], {"strides": (2, 2, 2)})]
CASES[K + "temporal_padding"] = [([X], {}), ([X, (2, 3)], {})]
CASES[K + "spatial_2d_padding"] = [([T((None, 8, 8, 3))], {}),
                                   ([T((None, 8, 8, 3)), ((1, 2), (0, 3))], {})]
CASES[K + "spatial_3d_padding"] = [([T((None, 8, 8, 8, 3))], {})]
CASES[K + "resize_images"] = [([T((None, 8, 8, 3)), 2, 3, "channels_last"], {}),
                              ([T((None, 3, 8, 8)), 2, 2, "channels_first"], {}),
                              ([T((None, None, 8, 3)), 2, 2, "channels_last"], {})]
CASES[K + "depthwise_conv2d"] = [([T((None, 8, 8, 3)), T((3, 3, 3, 2))], {}),
                                 ([T((None, 8, 8, 3)), T((3, 3, 3, 2)), (2, 2), "same"], {})]
CASES[K + "separable_conv2d"] = [([T((None, 8, 8, 3)), T((3, 3, 3, 2)), T((1, 1, 6, 8))], {})]
CASES[K + "resize_volumes"] = [([T((None, 4, 4, 4, 3)), 2, 2, 2, "channels_last"], {}),
                               ([T((None, 3, 4, None, 4)), 2, 3, 1, "channels_first"], {})]
CASES[K + "conv2d_transpose"] = [
    ([T((None, 4, 4, 8)), T((3, 3, 3, 8)), (None, 8, 8, 3), (2, 2), "same"], {}),
    ([T((2, 4, 4, 8)), T((3, 3, 3, 8)), (2, 8, 8, 3), (2, 2), "same"], {}),
]
CASES[K + "categorical_crossentropy"].append(([T((None, 4)), T((None, 5))], {}))
CASES[K + "repeat"].append(([T((None, 4, 3)), 2], {}))
CASES[K + "batch_dot"] += [([T((2, 3, 4)), T((3, 4, 5))], {}),
                           ([T((2, 3, 4)), T((2, 4, 5))], {"axes": [0, 0]})]
CASES[K + "dot"].append(([T((2, 3, 4)), T((5, 6))], {}))
