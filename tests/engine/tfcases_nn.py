"""TF cases: the tf.nn functions the engine covers, as (args, kwargs) per path;
the expected shapes come from tracing each in TensorFlow."""

from __future__ import annotations

from typing import Any

from shapelens.engine.types import Tensor
from support.op_truth import Typed

T = Tensor
CASES: dict[str, list[tuple[list[Any], dict[str, Any]]]] = {}

X = T((None, 8, 8, 3))
L = T((None, 10))

CASES["tf.nn.bias_add"] = [([T((None, 3, 4)), T((4,))], {}), ([T((None, 3, 4)), T((3,))], {}),
                           ([T((2, 3, 8, 8)), T((3,))], {"data_format": "NCHW"}),
                           ([T((2, None)), T((5,))], {})]
CASES["tf.nn.local_response_normalization"] = [([X], {})]
CASES["tf.nn.batch_norm_with_global_normalization"] = [
    ([X, T((3,)), T((3,)), T((3,)), T((3,)), 1e-3, True], {}),
    ([T((None, 8, 8, 1)), T((3,)), T((3,)), T((3,)), T((3,)), 1e-3, True], {})]
CASES["tf.nn.moments"] = [([X, [0, 1, 2]], {}), ([X, [1, 2]], {"keepdims": True})]
CASES["tf.nn.weighted_moments"] = [([X, [0], T((None, 8, 8, 1))], {}),
                                   ([T((None, 1, 8, 3)), [0], T((None, 8, 8, 1))], {})]
CASES["tf.nn.sufficient_statistics"] = [([T((4, 8, 8, 3)), [0, 1, 2], T((3,))], {}),
                                        ([T((4, 8, 8, 1)), [0, 1, 2], T((3,))], {})]
CASES["tf.nn.normalize_moments"] = [([5.0, T((3,)), T((3,)), None], {})]
CASES["tf.nn.batch_normalization"] = [([X, T((3,)), T((3,)), T((3,)), T((3,)), 1e-3], {}),
                                      ([X, T((3,)), T((3,)), None, None, 1e-3], {})]
CASES["tf.nn.embedding_lookup"] = [([T((1000, 64)), Typed((None, 20), "int32")], {}),
                                   ([T((1000,)), Typed((5,), "int32")], {})]
CASES["tf.nn.l2_loss"] = [([X], {})]
CASES["tf.nn.compute_average_loss"] = [([T((8,))], {"global_batch_size": 8})]
CASES["tf.nn.scale_regularization_loss"] = [([T(())], {})]
CASES["tf.nn.sigmoid_cross_entropy_with_logits"] = [([L, L], {}), ([T((2, 10)), T((2, 9))], {})]
CASES["tf.nn.weighted_cross_entropy_with_logits"] = [([L, L, 2.0], {})]
CASES["tf.nn.log_poisson_loss"] = [([L, L], {})]
CASES["tf.nn.softmax_cross_entropy_with_logits"] = [([L, L], {}),
                                                    ([T((2, 5, 3)), T((2, 5, 3))], {"axis": 1})]
CASES["tf.nn.sparse_softmax_cross_entropy_with_logits"] = [
    ([Typed((None,), "int32"), L], {}), ([Typed((2, 7), "int32"), T((2, 7, 10))], {}),
    ([Typed((2,), "int32"), T((2, 7, 10))], {})]
CASES["tf.nn.crelu"] = [([X], {}), ([X], {"axis": 1}), ([T((None, None))], {})]
CASES["tf.nn.isotonic_regression"] = [([T((4, 10))], {})]
CASES["tf.nn.ctc_loss"] = [
    ([Typed((4, 5), "int32"), T((50, 4, 20)), Typed((4,), "int32"), Typed((4,), "int32")], {}),
    ([Typed((4, 5), "int32"), T((4, 50, 20)), Typed((4,), "int32"), Typed((4,), "int32")],
     {"logits_time_major": False}),
]
CASES["tf.nn.nce_loss"] = [([T((100, 16)), T((100,)), Typed((None, 1), "int64"), T((None, 16)), 5,
                             100], {})]
CASES["tf.nn.sampled_softmax_loss"] = [([T((100, 16)), T((100,)), Typed((8, 1), "int64"),
                                         T((8, 16)), 5, 100], {})]
CASES["tf.nn.convolution"] = [([X, T((3, 3, 3, 16))], {}),
                              ([X, T((3, 3, 3, 16))], {"strides": 2, "padding": "SAME"}),
                              ([T((None, 20, 3)), T((5, 3, 8))], {"strides": 2}),
                              ([T((2, 8, 8, 8, 1)), T((3, 3, 3, 1, 4))], {"padding": "SAME"})]
CASES["tf.nn.conv_transpose"] = [([T((2, 4, 4, 8)), T((3, 3, 3, 8)), [2, 8, 8, 3], 2], {}),
                                 ([T((2, 4, 8)), T((3, 3, 8)), [2, 8, 3], 2], {})]
CASES["tf.nn.pool"] = [([X, [2, 2], "MAX"], {"strides": [2, 2]}), ([X, [3, 3], "AVG"], {}),
                       ([X, [2, 2], "MAX"], {"padding": "SAME", "strides": [2, 2]}),
                       ([T((None, 20, 3)), [2], "AVG"], {"strides": [2]})]
CASES["tf.nn.atrous_conv2d_transpose"] = [([T((2, 4, 4, 8)), T((3, 3, 3, 8)), [2, 4, 4, 3], 2,
                                           "SAME"], {})]
CASES["tf.nn.depthwise_conv2d_backprop_input"] = [
    ([[2, 8, 8, 3], T((3, 3, 3, 2)), T((2, 8, 8, 6)), [1, 1, 1, 1], "SAME"], {})]
CASES["tf.nn.depthwise_conv2d_backprop_filter"] = [
    ([T((2, 8, 8, 3)), [3, 3, 3, 2], T((2, 8, 8, 6)), [1, 1, 1, 1], "SAME"], {})]
CASES["tf.nn.dilation2d"] = [([X, T((3, 3, 3)), [1, 1, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]], {}),
                             ([X, T((3, 3, 3)), [1, 2, 2, 1], "SAME", "NHWC", [1, 2, 2, 1]], {})]
CASES["tf.nn.erosion2d"] = [([X, T((3, 3, 3)), [1, 1, 1, 1], "VALID", "NHWC", [1, 2, 2, 1]], {})]
CASES["tf.nn.max_pool_with_argmax"] = [([T((2, 8, 8, 3)), 2, 2, "VALID"], {}),
                                       ([T((2, 9, 9, 3)), [1, 3, 3, 1], [1, 2, 2, 1], "SAME"], {})]
CASES["tf.nn.depth_to_space"] = [([T((None, 4, 4, 8)), 2], {})]
CASES["tf.nn.space_to_depth"] = [([T((None, 4, 4, 8)), 2], {})]
CASES["tf.nn.avg_pool1d"] = [([T((None, 20, 3)), 2, 2, "VALID"], {})]
CASES["tf.nn.max_pool3d"] = [([T((None, 8, 8, 8, 3)), 2, 2, "VALID"], {})]
CASES["tf.nn.dropout"] = [([X, 0.5], {})]
CASES["tf.nn.collapse_repeated"] = [([Typed((4, 10), "int32"), Typed((4,), "int32")], {})]
CASES["tf.nn.fractional_max_pool"] = [([T((2, 25, 25, 3)), [1.0, 1.44, 1.73, 1.0]], {})]
CASES["tf.nn.fractional_avg_pool"] = [([T((2, 25, 25, 3)), [1.0, 1.5, 1.5, 1.0]], {})]
CASES["tf.conv"] = [([T((2, 8, 8, 3)), T((3, 3, 3, 4)), [1, 1, 1, 1], "SAME"], {}),
                    ([T((None, 9, 9, 3)), T((3, 3, 3, 4)), [1, 2, 2, 1], "VALID"], {}),
                    ([T((2, 8, 8, 8, 1)), T((3, 3, 3, 1, 4)), [1, 2, 2, 2, 1], "SAME"], {})]
CASES["tf.nn.softmax_cross_entropy_with_logits"].append(([T((2, 5)), T((3, 5))], {}))
CASES["tf.nn.bias_add"] += [([T((2, 3)), T((1, 3))], {}), ([T((3,)), T((3,))], {})]
