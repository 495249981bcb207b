"""Imports every family module so that its layers and ops register; the registry loads this once."""

from . import (  # noqa: F401
    attention,
    conv,
    core,
    elementwise,
    merging,
    normalization,
    ops_index,
    ops_join,
    ops_linalg,
    ops_math,
    ops_reduce,
    ops_shape,
    ops_unary,
    pooling,
    preprocessing,
    recurrent,
    regularization,
    reshaping,
    space_depth,
    tfnn,
)
