"""Which op calls are sites (shown with their shape): the shape functions model code calls.

Element-wise activations (`ops.relu`) keep their input's shape and are not sites. The truth
recorder in tests uses these same tables, so both sides agree on what a site is.
"""

from __future__ import annotations

KERAS_OPS = (
    "reshape", "transpose", "concatenate", "stack", "expand_dims", "squeeze", "matmul", "dot",
    "tensordot", "einsum", "tile", "repeat", "pad", "split", "mean", "sum", "max", "min", "prod",
    "any", "all", "argmax", "argmin", "add", "multiply", "subtract", "divide", "true_divide",
    "maximum", "minimum", "power", "broadcast_to", "swapaxes", "moveaxis", "flip", "take",
    "take_along_axis", "where", "cumsum", "unstack", "ravel", "outer", "slice", "conv",
    "conv_transpose", "depthwise_conv", "separable_conv", "max_pool", "average_pool",
    "one_hot", "softmax", "sort", "top_k", "image.resize",
    # Shape-changing keras.ops the engine covers since the op-coverage work (issue 11).
    "image.extract_patches", "image.crop_images", "image.pad_images", "rearrange", "segment_sum",
    "segment_max", "multi_hot", "moments", "norm", "meshgrid", "diagonal", "kron", "append",
    "hstack", "vstack", "array_split", "hsplit", "vsplit", "median", "quantile", "logsumexp",
    "std", "var", "depth_to_space", "space_to_depth", "adaptive_average_pool",
    "adaptive_max_pool", "stft", "rfft", "extract_sequences", "diff", "trace", "qr", "svd",
)  # fmt: skip
# Keras exports most keras.ops functions under a sub-namespace too (`keras.ops.nn.conv` is
# `keras.ops.conv`); the same call is a site under either spelling.
KERAS_SUBSPACES = ("nn", "numpy", "linalg")

TF_OPS = (
    "reshape", "transpose", "concat", "stack", "unstack", "expand_dims", "squeeze", "matmul",
    "tile", "pad", "split", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
    "reduce_any", "reduce_all", "reduce_logsumexp", "add", "add_n", "multiply", "subtract",
    "divide", "truediv", "maximum", "minimum", "pow", "einsum", "broadcast_to", "gather",
    "gather_nd", "slice", "strided_slice", "one_hot", "argmax", "argmin", "reverse", "repeat",
    "range", "zeros_like", "ones_like", "where", "cumsum", "tensordot", "boolean_mask",
    "linalg.matmul", "linalg.matvec", "linalg.einsum", "linalg.tensordot",
    "math.reduce_sum", "math.reduce_mean", "math.reduce_max", "math.reduce_min",
    "math.reduce_prod", "math.add", "math.multiply", "math.subtract", "math.divide",
    "math.maximum", "math.minimum", "math.argmax", "math.argmin", "math.cumsum",
    "image.resize", "image.extract_patches",
    # Shape-changing tf.image/signal/linalg/math and top-level ops (issue 11's TF coverage).
    "image.crop_to_bounding_box", "image.pad_to_bounding_box", "image.resize_with_pad",
    "image.resize_with_crop_or_pad", "image.central_crop", "image.rgb_to_grayscale",
    "image.grayscale_to_rgb", "image.crop_and_resize", "image.random_crop",
    "image.extract_glimpse", "image.sobel_edges", "signal.stft", "signal.inverse_stft",
    "signal.frame", "signal.overlap_and_add", "signal.rfft", "signal.irfft", "signal.rfft2d",
    "signal.mdct", "signal.dct", "linalg.adjoint", "linalg.matrix_transpose", "linalg.diag",
    "linalg.diag_part", "linalg.det", "linalg.trace", "linalg.svd", "linalg.qr", "linalg.eigh",
    "linalg.norm", "linalg.tensor_diag", "math.top_k", "math.reduce_std", "math.reduce_variance",
    "math.reduce_euclidean_norm", "math.count_nonzero", "math.unsorted_segment_sum",
    "math.unsorted_segment_mean", "math.unsorted_segment_max", "math.add_n", "math.in_top_k",
    "sequence_mask", "meshgrid", "norm", "unique", "scatter_nd", "space_to_batch_nd",
    "batch_to_space", "extract_volume_patches", "linspace", "eye",
)  # fmt: skip

TF_NN_OPS = (
    "conv1d", "conv2d", "conv3d", "convolution", "conv1d_transpose", "conv2d_transpose",
    "conv3d_transpose", "conv_transpose", "depthwise_conv2d", "separable_conv2d", "atrous_conv2d",
    "atrous_conv2d_transpose", "max_pool", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool",
    "avg_pool1d", "avg_pool2d", "avg_pool3d", "pool", "bias_add", "space_to_depth",
    "depth_to_space", "softmax", "moments", "embedding_lookup", "dropout", "top_k", "crelu",
    "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
    "sigmoid_cross_entropy_with_logits", "l2_loss", "max_pool_with_argmax", "dilation2d",
    "erosion2d",
)  # fmt: skip

# tf.keras.backend (Keras 2's backend, which TF 2.21 keeps): the shape-changing functions.
KERAS_BACKEND_OPS = (
    "permute_dimensions", "batch_dot", "concatenate", "expand_dims", "reshape", "squeeze",
    "stack", "tile", "repeat", "repeat_elements", "batch_flatten", "flatten", "one_hot", "gather",
    "dot", "mean", "sum", "max", "min", "std", "var", "prod", "argmax", "argmin",
    "resize_images", "spatial_2d_padding", "spatial_3d_padding", "temporal_padding", "pool2d",
    "pool3d", "conv1d", "conv2d", "conv3d", "transpose", "categorical_crossentropy",
    "sparse_categorical_crossentropy",
)  # fmt: skip

_SITES = (
    {f"keras.ops.{n}" for n in KERAS_OPS}
    | {f"keras.ops.{ns}.{n}" for ns in KERAS_SUBSPACES for n in KERAS_OPS}
    | {f"tf.{n}" for n in TF_OPS}
    | {f"tf.nn.{n}" for n in TF_NN_OPS}
    | {f"tf.compat.v1.nn.{n}" for n in TF_NN_OPS}
    | {f"tf.compat.v1.{n}" for n in TF_OPS}
    | {f"keras.backend.{n}" for n in KERAS_BACKEND_OPS}
)


def is_site_op(qualname: str) -> bool:
    return qualname in _SITES
