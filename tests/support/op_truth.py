"""Ask real TensorFlow / Keras what an op gives, with the engine's calling convention.

`truth(qualname, args, kwargs)` takes the same arguments as `registry.apply_op` (tensors as
`types.Tensor(shape)`, None dims allowed) and answers with a `Truth`:
- `keras.ops.*` / `tf.keras.ops.*`: called on symbolic `keras.KerasTensor`s (compute_output_spec);
- `tf.*`: traced with `tf.function(...).get_concrete_function(tf.TensorSpec(...))`, i.e. the static
  shape TensorFlow's graph shape functions infer (None dims stay None);
- `getitem`: `x[key]` on a KerasTensor.
Unknown rank comes back as outputs None.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from shapelens.engine.types import Tensor
from support.keras_truth import Truth

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass(frozen=True)
class Typed(Tensor):
    """A tensor argument with a dtype for TensorFlow (the engine sees only its shape)."""

    dtype: str = "float32"


def _shape(t: Any) -> Any:
    if isinstance(t, (list, tuple)) and not hasattr(t, "shape"):
        return [_shape(x) for x in t]
    shape = t.shape
    if getattr(shape, "rank", 0) is None:
        return None
    return tuple(None if d is None else int(d) for d in shape)


def _resolve(root: Any, dotted: str) -> Any:
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _map(value: Any, leaf: Any) -> Any:
    if isinstance(value, Tensor):
        return leaf(value)
    if isinstance(value, list):
        return [_map(v, leaf) for v in value]
    if isinstance(value, tuple):
        return tuple(_map(v, leaf) for v in value)
    return value


def _err(e: Exception) -> Truth:
    msg = str(e)
    i = msg.find("Error: ")
    if i >= 0:
        msg = msg[i + 7:]
    return Truth(False, stage="call", message=f"{type(e).__name__}: {msg[:300]}")


def keras_truth(name: str, args: Any, kwargs: dict[str, Any]) -> Truth:
    import keras

    fn = _resolve(keras.ops, name)

    def leaf(t: Tensor) -> Any:
        return keras.KerasTensor(t.shape)

    try:
        y = fn(*_map(list(args), leaf), **_map(dict(kwargs), leaf))
        return Truth(True, outputs=_shape(y), params=0)
    except Exception as e:
        return _err(e)


class _Slot:
    def __init__(self, i: int):
        self.i = i


def tf_truth(name: str, args: Any, kwargs: dict[str, Any]) -> Truth:
    """Trace `tf.<name>` with TensorSpecs for every `Tensor` argument (lists of them too)."""
    import tensorflow as tf

    fn = _resolve(tf, name)
    specs: list[Any] = []

    def leaf(t: Tensor) -> _Slot:
        specs.append(tf.TensorSpec(t.shape, getattr(t, "dtype", "float32")))
        return _Slot(len(specs) - 1)

    a = _map(list(args), leaf)
    k = {kk: _map(v, leaf) for kk, v in kwargs.items()}

    def fill(value: Any, xs: Any) -> Any:
        if isinstance(value, _Slot):
            return xs[value.i]
        if isinstance(value, list):
            return [fill(v, xs) for v in value]
        if isinstance(value, tuple):
            return tuple(fill(v, xs) for v in value)
        return value

    def traced(*xs: Any) -> Any:
        return fn(*fill(a, xs), **{kk: fill(v, xs) for kk, v in k.items()})

    try:
        cf = tf.function(traced).get_concrete_function(*specs)
        return Truth(True, outputs=_shape(cf.structured_outputs), params=0)
    except Exception as e:
        return _err(e)


def getitem_truth(shape: Any, key: Any) -> Truth:
    import keras

    try:
        y = keras.KerasTensor(shape)[key]
        return Truth(True, outputs=_shape(y), params=0)
    except Exception as e:
        return _err(e)


def tf_getitem_truth(shape: Any, key: Any) -> Truth:
    """`x[key]` on a tf.Tensor inside tf.function (strided_slice's static shape)."""
    import tensorflow as tf

    @tf.autograph.experimental.do_not_convert
    def sliced(x: Any) -> Any:
        return x[key]

    try:
        cf = tf.function(sliced).get_concrete_function(tf.TensorSpec(shape, tf.float32))
        return Truth(True, outputs=_shape(cf.structured_outputs), params=0)
    except Exception as e:
        return _err(e)


def real_function(qualname: str) -> Any:
    """The TF / Keras function a registered op name stands for."""
    import keras
    import tensorflow as tf

    for prefix in ("tf.keras.ops.", "keras.ops."):
        if qualname.startswith(prefix):
            return _resolve(keras.ops, qualname[len(prefix):])
    if qualname.startswith("keras.backend."):  # the analyser's name for tf.keras.backend.X
        return _resolve(tf, qualname)
    return _resolve(tf, qualname[3:])


def positional_names(qualname: str) -> tuple[str, ...]:
    import inspect

    sig = inspect.signature(real_function(qualname))
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple(p.name for p in sig.parameters.values() if p.kind in kinds)


def truth(qualname: str, args: Any, kwargs: dict[str, Any]) -> Truth:
    if qualname == "getitem":
        return getitem_truth(args[0].shape, args[1])
    if qualname == "tf.Tensor.__getitem__":
        return tf_getitem_truth(args[0].shape, args[1])
    for prefix in ("tf.keras.ops.", "keras.ops."):
        if qualname.startswith(prefix):
            return keras_truth(qualname[len(prefix):], args, kwargs)
    if qualname.startswith("tf."):
        return tf_truth(qualname[3:], args, kwargs)
    if qualname.startswith("keras.backend."):  # tf.keras.backend.X, traced as tf functions are
        return tf_truth(qualname, args, kwargs)
    raise KeyError(qualname)
