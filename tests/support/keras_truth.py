"""Ask real Keras (TensorFlow 2.21) what a layer or op does: the expected values of engine tests.

`layer_truth` builds `name(*args, **kwargs)` and calls it on symbolic inputs with the given batch
shapes (None dims allowed), returning outputs + params, or the stage and message of the error.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Filled by the engine property tests; printed in the terminal summary (tests/conftest.py).
FAMILY_COUNTS: Counter[str] = Counter()


@dataclass
class Truth:
    ok: bool
    outputs: Any = None  # tuple shape, or nested lists of them
    params: int | None = None
    stage: str | None = None  # 'init' | 'call' when not ok
    message: str = ""


def _shape(t: Any) -> Any:
    if isinstance(t, (list, tuple)) and not hasattr(t, "shape"):
        return [_shape(x) for x in t]
    return tuple(None if d is None else int(d) for d in t.shape)


def _keras() -> Any:
    import keras

    return keras


def layer_truth(
    name: str,
    args: tuple[Any, ...] | list[Any],
    kwargs: dict[str, Any],
    input_shapes: Any,
    call_kwargs: dict[str, Any] | None = None,
) -> Truth:
    """`input_shapes`: one batch shape tuple, or a list of them for list-input layers."""
    keras = _keras()
    try:
        layer = getattr(keras.layers, name)(*args, **kwargs)
    except Exception as e:
        return Truth(False, stage="init", message=f"{type(e).__name__}: {e}")
    try:
        if isinstance(input_shapes, list):
            xs: Any = [keras.Input(batch_shape=s) for s in input_shapes]
        else:
            xs = keras.Input(batch_shape=input_shapes)
        y = layer(xs, **(call_kwargs or {}))
        return Truth(True, outputs=_shape(y), params=int(layer.count_params()))
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}")


def op_truth(fn: Any, *args: Any, **kwargs: Any) -> Truth:
    """Run a TF/keras.ops function (tensor args concrete or symbolic) and record the shapes."""
    try:
        y = fn(*args, **kwargs)
        return Truth(True, outputs=_shape(y), params=0)
    except Exception as e:
        return Truth(False, stage="call", message=f"{type(e).__name__}: {e}")
