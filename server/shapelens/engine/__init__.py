"""The shape engine: Keras 3 layer and op output shapes, parameter counts and derivations.

Pure functions over plain values; never imports TensorFlow or Keras, never reads syntax.
"""

from .opargs import operation_name
from .registry import (
    Constructed,
    LayerSpec,
    apply_op,
    call,
    construct,
    known_layers,
    known_ops,
    layer_spec,
)
from .types import Dim, MaybeShape, NotKnown, Result, Shape, ShapeError, Tensor, Unknown, fmt_shape

__all__ = [
    "Constructed", "Dim", "LayerSpec", "MaybeShape", "NotKnown", "Result", "Shape", "ShapeError",
    "Tensor", "Unknown", "apply_op", "call", "construct", "fmt_shape", "known_layers", "known_ops",
    "layer_spec", "operation_name",
]
