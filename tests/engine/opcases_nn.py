"""Coverage cases for keras.ops.nn functions that change shape and for the gather/scatter ops;
the expected shapes come from Keras itself in test_ops_coverage.py.
"""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor as T

Case = tuple[list[Any], dict[str, Any]]

IMG = T((None, 32, 32, 3))
X = T((None, 3, 4))

NN: dict[str, list[Case]] = {
    "conv": [([IMG, T((3, 3, 3, 8))], {}),
             ([IMG, T((3, 3, 3, 8))], {"strides": 2, "padding": "same"}),
             ([IMG, T((5, 5, 3, 8))], {"dilation_rate": 2}), ([IMG, T((3, 3, 4, 8))], {}),
             ([T((None, 3, 32, 32)), T((3, 3, 3, 8))], {"data_format": "channels_first"}),
             ([T((None, 20, 4)), T((3, 4, 6))], {"padding": "causal"}),
             ([T((None, 2, 2, 3)), T((3, 3, 3, 8))], {}), ([IMG, T((3, 3, 8))], {}),
             ([T((None, 8, 8, 8, 1)), T((3, 3, 3, 1, 4))], {"strides": (1, 2, 2)})],
    "depthwise_conv": [([IMG, T((3, 3, 3, 2))], {}), ([IMG, T((3, 3, 3, 1))], {"padding": "same",
                                                                              "strides": 2})],
    "separable_conv": [([IMG, T((3, 3, 3, 2)), T((1, 1, 6, 16))], {}),
                       ([IMG, T((3, 3, 3, 2)), T((1, 1, 6, 16))], {"padding": "same"})],
    "conv_transpose": [([T((None, 8, 8, 16)), T((3, 3, 4, 16))], {"strides": 2}),
                       ([T((None, 8, 8, 16)), T((3, 3, 4, 16))], {"strides": 2,
                                                                  "padding": "same"}),
                       ([T((None, 8, 8, 16)), T((3, 3, 4, 16))], {"strides": 2,
                                                                  "output_padding": 1}),
                       ([T((None, 8, 8, 16)), T((3, 3, 4, 8))], {})],
    "max_pool": [([IMG, 2], {}), ([IMG, (3, 3)], {"strides": 2, "padding": "same"}),
                 ([T((None, 10, 4)), 3], {}), ([T((None, 1, 1, 3)), 2], {})],
    "average_pool": [([IMG, 2], {}), ([IMG, 3], {"strides": 1})],
    "one_hot": [([T((None, 5)), 10], {}), ([T((None, 5)), 10], {"axis": 0}),
                ([T((None, 5)), 10], {"axis": 5})],
    "multi_hot": [([T((None, 5)), 10], {}), ([T((2, 3, 5)), 10], {}), ([T((4,)), 10], {})],
    "moments": [([X, [1]], {}), ([X, [0, 1, 2]], {"keepdims": True}), ([X, 3], {})],
    "depth_to_space": [([T((None, 4, 4, 8)), 2], {}), ([T((None, 4, 4, 6)), 2], {}),
                       ([T((None, 8, 4, 4)), 2], {"data_format": "channels_first"})],
    "space_to_depth": [([T((None, 4, 4, 8)), 2], {}), ([T((None, 5, 4, 8)), 2], {})],
    "binary_crossentropy": [([X, X], {}), ([X, T((None, 3, 5))], {})],
    "categorical_crossentropy": [([X, X], {}), ([T((2, 3)), T((2, 4))], {})],
    "sparse_categorical_crossentropy": [([T((None, 3)), X], {}), ([T((None, 3, 1)), X], {}),
                                        ([T((None, 5)), X], {})],
    "psnr": [([X, X, 1.0], {}), ([X, T((3, 4)), 1.0], {})],
    "polar": [([X, X], {})],
}
GATHER: dict[str, list[Case]] = {
    "take": [([X, T((5,))], {"axis": 1}), ([X, [0, 2]], {"axis": -1}), ([X, T((2, 2))], {}),
             ([X, 1], {"axis": 1}), ([X, T((5,))], {"axis": 3})],
    "take_along_axis": [([X, T((None, 2, 4))], {"axis": 1}), ([X, T((1, 3, 2))], {"axis": -1}),
                        ([T((2, 3)), T((4,))], {}), ([X, T((4,))], {"axis": 1})],
    "top_k": [([X, 2], {}), ([T((10,)), 3], {})],
    "in_top_k": [([T((None,)), T((None, 10)), 3], {})],
    "searchsorted": [([T((5,)), X], {}), ([T((2, 5)), X], {})],
    "digitize": [([X, T((5,))], {}), ([X, T((2, 5))], {})],
    "isin": [([X, T((5,))], {})],
    "select": [([[T((None, 4))], [X]], {})],
    "unravel_index": [([T((5,)), (3, 4)], {}), ([7, (3, 4)], {})],
    "nonzero": [([X], {})],
    "unique": [([X], {}), ([X], {"size": 5, "return_counts": True}),
               ([T((3, 4))], {"axis": 1, "return_inverse": True, "return_index": True})],
    "bincount": [([T((10,))], {})],
    "histogram": [([T((10,))], {}), ([X], {"bins": 5})],
    "slice": [([T((5, 6)), [1, 2], [2, 3]], {}), ([T((5, 6)), [1, 2], [2, -1]], {}),
              ([T((5, 6)), [1, 2], [2]], {})],
    "slice_update": [([T((5, 6)), [1, 2], T((2, 2))], {})],
    "scatter": [([T((3, 2)), T((3,)), (4, 5)], {})],
    "scatter_update": [([T((4, 5)), T((3, 2)), T((3,))], {})],
    "unstack": [([X], {"axis": 1}), ([X], {}), ([X], {"num": 3})],
}
CASES = {**NN, **GATHER}

CASES.update({
    "adaptive_average_pool": [([IMG, (4, 4)], {}), ([IMG, 7], {}),
                              ([T((None, 3, 32, 32)), (4, 4)], {"data_format": "channels_first"})],
    "adaptive_max_pool": [([IMG, (4, 5)], {}), ([T((None, 20, 3)), (4,)], {})],
    "dot_product_attention": [([T((None, 10, 8, 16)), T((None, 12, 8, 16)),
                                T((None, 12, 8, 16))], {}),
                              ([T((None, 10, 16)), T((None, 12, 16)), T((None, 12, 16))], {})],
    "ctc_loss": [([T((4, 5)), T((4, 10, 6)), T((4,)), T((4,))], {}),
                 ([T((4, 5)), T((3, 10, 6)), T((4,)), T((3,))], {})],
    "ctc_decode": [([T((4, 10, 6)), T((4,))], {}),
                   ([T((4, 10, 6)), T((4,))], {"strategy": "beam_search", "top_paths": 2})],
    "unfold": [([T((2, 3, 8, 8)), 2], {}), ([T((2, 3, 8, 8)), 3], {"padding": 1, "stride": 2}),
               ([T((2, 8, 8)), 2], {})],
    "fold": [([T((2, 12, 16)), (8, 8), 2], {"stride": 2}), ([T((2, 10, 16)), (8, 8), 2], {})],
})
