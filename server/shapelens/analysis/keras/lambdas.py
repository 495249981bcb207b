"""Lambda layers: with `output_shape` Keras reports that shape (and we warn when the function
disagrees); without it Keras traces the function on the inputs, and so do we.
"""

from __future__ import annotations

from typing import Any

from ... import engine
from ...engine import ShapeError, fmt_shape
from ..core.calls import call_function
from ..core.context import Host
from ..core.sites import Evaluation, Pos, shape_json
from ..core.values import FuncVal
from .symbolic import tracing
from .tensors import as_tensors, shape_of, tensors_from, unknown_tensor
from .values import LayerObj, TensorVal


def call_lambda(
    an: Host, lo: LayerObj, x: Any, call_kwargs: dict[str, Any], pos: Pos, record: bool
) -> Any:
    """A Lambda layer: with `output_shape` Keras takes that; otherwise it traces the function."""
    fn = lo.args[0] if lo.args else lo.kwargs.get("function")
    lo.params = 0
    traced: Any = None
    if isinstance(fn, FuncVal):
        ctx = fn.module
        extra = lo.kwargs.get("arguments")
        with tracing(an):  # Keras runs the function on tf tensors
            traced = call_function(an, fn, [x], dict(extra) if isinstance(extra, dict) else {},
                                   ctx.tree, ctx)
    declared = None
    if lo.constructed is not None and lo.kwargs.get("output_shape") is not None:
        try:
            res = engine_call(lo, x)
        except ShapeError as e:
            an.report(pos, e.code, f"Lambda: {e.message}")
            return unknown_tensor(e.message, lo, x)
        if res.unknown is None:
            declared = tensors_from(res, lo, x, {})
    if declared is not None:
        out = declared
        t_shape, d_shape = shape_json(traced), shape_json(declared)
        if isinstance(traced, TensorVal) and traced.shape is not None and t_shape != d_shape:
            an.report(pos, "lambda-shape-mismatch",
                      f"Lambda: output_shape gives {_fmt(d_shape)} but the function returns "
                      f"{_fmt(t_shape)}; Keras reports the declared shape")
    elif isinstance(traced, TensorVal):
        out = TensorVal(traced.shape, lo, x, why=traced.why)
    else:
        out = as_tensors(traced, lo, x) if traced is not None else \
            unknown_tensor("the Lambda's function is not known statically", lo, x)
    if record:
        lo.called = True
        an.record(pos, "Lambda", lo.name, Evaluation(shape_json(out), shape_json(x)), 0)
    lo.output = out
    return out


def engine_call(lo: LayerObj, x: Any) -> Any:
    assert lo.constructed is not None
    return engine.call(lo.constructed, shape_of(x))


def _fmt(shape: Any) -> str:
    if isinstance(shape, list) and all(isinstance(d, int) or d is None for d in shape):
        return fmt_shape(tuple(shape))
    return str(shape)
