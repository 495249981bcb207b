"""Keras/TF functions whose answer is not a layer call: `tf.shape`, `K.int_shape`, `tf.range`,
configuration constants. (Concrete data, `tf.zeros` or `np.ones`, is the host plug-in's.)

Each is registered by its canonical name in the core's `EXTERNAL_CALLS`.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from ...engine import Unknown
from ..core.context import Host, ModuleCtx
from ..core.dispatch import EXTERNAL_CALLS, SHAPE_JSON
from .symbolic import Tracing, is_symbolic
from .values import DynamicDim, KerasConfig, TensorVal


def _int_shape(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    t = args[0] if args else None
    if isinstance(t, TensorVal) and t.shape is not None:
        return tuple(t.shape)
    return Unknown("the shape of a tensor not known statically")


def _keras_shape(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """keras.ops.shape(x) on a symbolic tensor: its static shape, None for dynamic dims; in code
    Keras traces (a Layer's `call`) the TF backend gives tf.shape's run-time scalars for those."""
    if an.state(Tracing).depth:
        return _tf_shape(an, args, kwargs, node, ctx)
    return _int_shape(an, args, kwargs, node, ctx)


def _tf_shape(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """tf.shape(x): a tensor of the run-time dims; statically only the defined ones are known."""
    shape = _int_shape(an, args, kwargs, node, ctx)
    if isinstance(shape, tuple):
        return tuple(
            DynamicDim("a dynamic dimension (known only at run time)") if d is None else d
            for d in shape
        )
    return shape


def _arange(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    names = ("start", "stop", "step")
    vals = dict(zip(names, args))
    vals.update({k: v for k, v in kwargs.items() if k in names or k == "limit" or k == "delta"})
    if "limit" in vals:
        vals["stop"] = vals.pop("limit")
    if "delta" in vals:
        vals["step"] = vals.pop("delta")
    if len(args) == 1 and "stop" not in kwargs:
        vals = {"start": 0, "stop": args[0]}
    start, stop, step = vals.get("start", 0), vals.get("stop"), vals.get("step", 1)
    if stop is None and "start" in vals and len(args) <= 1:
        start, stop = 0, vals["start"]
    if (
        all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop, step))
        and step != 0
    ):
        return TensorVal((max(0, math.ceil((stop - start) / step)),))
    return TensorVal((None,), why="the range's bounds are not known statically")


def image_data_format(an: Host) -> str:
    """Keras' `image_data_format()`: what the file set, else the configured default."""
    return an.state(KerasConfig).image_data_format or an.options.image_data_format


def _image_data_format(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    return image_data_format(an)


def _set_image_data_format(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    fmt = args[0] if args else kwargs.get("data_format")
    if isinstance(fmt, str) and fmt.lower() in ("channels_first", "channels_last"):
        an.state(KerasConfig).image_data_format = fmt.lower()
    return None


def _none(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    return None


def _is_keras_tensor(
    an: Host, args: list[Any], kwargs: dict[str, Any], node: ast.Call, ctx: ModuleCtx
) -> Any:
    """`keras.backend.is_keras_tensor(x)` (keras.applications asks it of `input_tensor`): a
    tensor certainly from a `keras.Input` is; concrete data, or anything inside code Keras runs
    on tf tensors, is not; else unknown."""
    x = args[0] if args else kwargs.get("x")
    if isinstance(x, TensorVal):
        if an.state(Tracing).depth:
            return False
        return True if is_symbolic(an, x) else Unknown("whether this tensor is a KerasTensor")
    if SHAPE_JSON.find(x) is not None:  # concrete data (a numpy array, an eager tensor)
        return False
    return Unknown("whether this value is a KerasTensor is not known statically")


def _const(value: Any) -> Any:
    return lambda an, args, kwargs, node, ctx: value


_SPECIAL: dict[str, Any] = {
    "keras.ops.shape": _keras_shape,
    "tf.shape": _tf_shape,
    "keras.ops.arange": _arange,
    "tf.range": _arange,
    "keras.backend.epsilon": _const(1e-7),
    "keras.config.epsilon": _const(1e-7),
    "keras.backend.floatx": _const("float32"),
    "keras.config.floatx": _const("float32"),
    "keras.backend.int_shape": _int_shape,
    "keras.backend.is_keras_tensor": _is_keras_tensor,
    "keras.backend.image_data_format": _image_data_format,
    "keras.config.image_data_format": _image_data_format,
    "keras.backend.set_image_data_format": _set_image_data_format,
    "keras.config.set_image_data_format": _set_image_data_format,
    "keras.backend.clear_session": _none,
    "keras.utils.set_random_seed": _none,
    "keras.utils.plot_model": _none,
    "tf.random.set_seed": _none,
}


def _adapt(fn: Any) -> Any:
    return lambda an, qualname, args, kwargs, node, ctx: fn(an, args, kwargs, node, ctx)


for _qualname, _fn in _SPECIAL.items():
    EXTERNAL_CALLS.register(_qualname)(_adapt(_fn))
