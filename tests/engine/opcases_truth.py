"""What a keras.ops function gives on symbolic KerasTensors: the expected values of the coverage
tests, with the engine's calling convention (tensors as `Tensor(shape)`, in keyword arguments too).
`keras` is the module the `keras_api` fixture (tests/conftest.py) loads.
"""

from __future__ import annotations

import os
from typing import Any

from shapelens.engine.types import Tensor
from support.keras_truth import Truth

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _symbolic(keras: Any, value: Any) -> Any:
    """Our `Tensor` placeholders as KerasTensors, inside lists, tuples and keyword arguments."""
    if isinstance(value, Tensor):
        return keras.KerasTensor(value.shape)
    if isinstance(value, (list, tuple)):
        return type(value)(_symbolic(keras, v) for v in value)
    return value


def _shapes(y: Any) -> Any:
    if isinstance(y, (list, tuple)):
        return [_shapes(v) for v in y]
    if not hasattr(y, "shape"):
        return ("not a tensor", y)
    return tuple(None if d is None else int(d) for d in y.shape)


def keras_truth(keras: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Truth:
    """What `keras.ops.<name>` gives on KerasTensors (Keras' compute_output_spec)."""
    fn: Any = keras.ops
    for part in name.split("."):
        fn = getattr(fn, part)
    try:
        y = fn(*_symbolic(keras, args), **{k: _symbolic(keras, v) for k, v in kwargs.items()})
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {str(e)[:300]}")
    return Truth(True, outputs=_shapes(y), params=0)
