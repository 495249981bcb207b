"""Keras models: Sequential (shapes flow layer to layer), functional graphs (re-run on new
inputs), custom weights, Lambda, and the wording of errors with the fix a user needs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine import ShapeError, Unknown, fmt_shape
from . import whatif
from .builtins import Builtin
from .sites import Evaluation, Pos, shape_json
from .values import Instance, LayerObj, ModelObj, TensorVal

if TYPE_CHECKING:
    from .analyzer import Analyzer


def _kw_input_shape(lo: Any) -> Any:
    """The Keras-2 `input_shape=` / `batch_input_shape=` / `input_dim=` on a first layer."""
    kw = getattr(lo, "kwargs", {}) or {}
    if "batch_input_shape" in kw and isinstance(kw["batch_input_shape"], (list, tuple)):
        return tuple(kw["batch_input_shape"])
    if "input_shape" in kw and isinstance(kw["input_shape"], (list, tuple)):
        return (kw.get("batch_size"), *kw["input_shape"])
    if "input_dim" in kw and isinstance(kw["input_dim"], int):
        return (None, kw["input_dim"])
    return None


def make_sequential(an: Analyzer, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> Any:
    layers = args[0] if args else kwargs.get("layers")
    name = kwargs.get("name")
    model = ModelObj(
        "Sequential", pos, name if isinstance(name, str) else an.auto_name("sequential")
    )
    an.models.append(model)
    if isinstance(layers, (list, tuple)):
        for layer in layers:
            sequential_add(an, model, layer)
    return model


def sequential_add(an: Analyzer, model: ModelObj, layer: Any) -> None:
    if isinstance(layer, TensorVal):  # keras.Input(...) as the first entry
        model.inputs = [layer]
        model.outputs = layer
        return
    if isinstance(layer, LayerObj) and layer.kind == "InputLayer":
        model.inputs = [layer.output] if isinstance(layer.output, TensorVal) else []
        model.outputs = layer.output
        return
    model.layers.append(layer)
    if model.outputs is None and not model.layers[:-1]:
        shape = _kw_input_shape(layer)
        if shape is not None:
            t = TensorVal(shape)
            model.inputs = [t]
            model.outputs = t
    if model.outputs is not None:
        model.outputs = _apply(an, layer, model.outputs)
        model.built = True


def _apply(an: Analyzer, layer: Any, x: Any, record: bool = True) -> Any:
    """A layer called by Keras itself (inside a Sequential): its site is its constructor."""
    from . import calls, keras_api

    if isinstance(layer, LayerObj):
        return keras_api.call_layer(
            an, layer, [x], {}, None, None, site=layer.pos, record=record and not layer.called
        )
    if isinstance(layer, ModelObj):
        return call_model(
            an, layer, [x], {}, layer.pos, record=record and not layer.called, direct=False
        )
    if isinstance(layer, Instance):
        return calls.call_instance(
            an,
            layer,
            [x],
            {},
            _PosNode(layer.pos),
            _ctx_for(layer.pos),
            record=record and not layer.called,
        )
    return keras_api.unknown_tensor("a Sequential entry that is not a layer")


def _PosNode(pos: Pos | None) -> ast.AST:
    """A node carrying a recorded position (the site of a layer Keras calls itself)."""
    assert pos is not None
    return ast.Pass(lineno=pos.line, col_offset=pos.column - 1, end_lineno=pos.end_line,
                    end_col_offset=pos.end_column - 1)


class _Ctx:
    def __init__(self, path: str):
        self.path = path


def _ctx_for(pos: Pos | None) -> Any:
    return _Ctx(pos.path if pos else "")


def make_functional(an: Analyzer, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> Any:
    kwargs = dict(kwargs)
    inputs = args[0] if args else kwargs.pop("inputs", None)
    outputs = args[1] if len(args) > 1 else kwargs.pop("outputs", None)
    name = kwargs.pop("name", None)
    if inputs is None or outputs is None:
        bad = {k: "..." for k in kwargs if k not in ("trainable",)}
        if bad:
            an.report(
                pos,
                "unknown-argument",
                f"Unrecognized keyword arguments passed to Model: {bad}. "
                "Keras 3 builds a functional model from `Model(inputs=..., outputs=...)`"
                " (Keras 1 spelled them `input=`/`output=`).",
            )
            return ModelObj("Functional", pos, "functional", error="rejected by Keras")
    model = ModelObj(
        "Functional", pos, name if isinstance(name, str) else an.auto_name("functional")
    )
    model.inputs = _flat(inputs)
    model.outputs = outputs
    model.built = True
    stray = _stray_inputs(model)
    if stray:
        t = stray[0]
        where = f" (line {t.layer.pos.line})" if isinstance(t.layer, LayerObj) else ""
        an.report(pos, "model-wiring",
                  f"Model: an output depends on the Input {fmt_shape(t.shape)}{where}, which is "
                  "not among the model's inputs; Keras rejects it: the output is not connected "
                  "to `inputs`")
    whatif.offer_fixes(an, model)
    an.models.append(model)
    return model


def _stray_inputs(model: ModelObj) -> list[TensorVal]:
    """Inputs an output depends on that the model does not list (only when the graph is known)."""
    if not all(isinstance(t, TensorVal) for t in model.inputs):
        return []
    declared = {id(t) for t in model.inputs}
    stray: list[TensorVal] = []
    seen: set[int] = set()
    stack = list(_flat(model.outputs))
    while stack:
        t = stack.pop()
        if not isinstance(t, TensorVal):
            return []  # something we cannot follow: say nothing rather than something wrong
        if id(t) in seen or id(t) in declared:
            continue
        seen.add(id(t))
        if isinstance(t.layer, LayerObj) and t.layer.kind == "InputLayer":
            stray.append(t)
        elif t.layer is None or t.inputs is None:
            return []
        else:
            stack.extend(_flat(t.inputs))
    return stray


def _flat(v: Any) -> list[Any]:
    if isinstance(v, (list, tuple)):
        return [x for item in v for x in _flat(item)]
    if isinstance(v, dict):
        return [x for item in v.values() for x in _flat(item)]
    return [v]


def call_model(
    an: Analyzer,
    model: ModelObj,
    args: list[Any],
    kwargs: dict[str, Any],
    pos: Pos,
    record: bool = True,
    direct: bool = True,
) -> Any:
    x = args[0] if args else kwargs.get("inputs")
    if model.kind == "Sequential":
        if not model.inputs and isinstance(x, TensorVal):
            model.inputs = [x]
        out = x
        for layer in model.layers:
            out = _apply(an, layer, out)
        if model.outputs is None:
            model.outputs = out
            model.built = True
    else:
        out = rerun(an, model, x)
    # A model called as a layer is one node of the outer graph: its outputs come from it.
    from .keras_api import as_tensors

    out = as_tensors(out, model, x)
    if record:
        an.record(
            pos,
            model.kind,
            model.name,
            Evaluation(shape_json(out), shape_json(x)),
            model_params(model),
        )
    if direct:
        model.called = True
    return out


def rerun(an: Analyzer, model: ModelObj, x: Any) -> Any:
    """The functional graph evaluated on new inputs (Keras re-runs its layers)."""
    from . import calls, keras_api

    new_inputs = _flat(x)
    if [getattr(t, "shape", None) for t in new_inputs] == [
        getattr(t, "shape", None) for t in model.inputs
    ]:
        return model.outputs  # same input shapes: the graph gives the same outputs
    memo: dict[int, Any] = {id(old): new for old, new in zip(model.inputs, new_inputs)}

    def ev(t: Any) -> Any:
        if isinstance(t, (list, tuple)):
            return [ev(v) for v in t]
        if not isinstance(t, TensorVal):
            return t
        if id(t) in memo:
            return memo[id(t)]
        layer = t.layer
        if layer is None or t.inputs is None:
            return t
        ins = ev(t.inputs)
        if isinstance(layer, LayerObj):
            outs = keras_api.call_layer(
                an, layer, [ins], dict(t.call_kwargs), None, None, site=layer.pos, record=False
            )
        elif isinstance(layer, ModelObj):
            outs = call_model(an, layer, [ins], {}, layer.pos, record=False)
        elif isinstance(layer, Instance):
            outs = calls.call_instance(
                an, layer, [ins], {}, _PosNode(layer.pos), _ctx_for(layer.pos), record=False
            )
        else:
            return keras_api.unknown_tensor("a graph step ShapeLens cannot replay")
        res = outs[t.index] if isinstance(outs, list) and t.index < len(outs) else outs
        memo[id(t)] = res
        return res

    return ev(model.outputs)


def graph_layers(model: ModelObj) -> list[Any]:
    """The layers of a model in the order Keras lists them (Sequential: as added)."""
    if model.kind == "Sequential":
        return list(model.layers)
    seen: dict[int, Any] = {}
    order: list[Any] = []

    def visit(t: Any) -> None:
        if isinstance(t, (list, tuple)):
            for v in t:
                visit(v)
            return
        if not isinstance(t, TensorVal) or id(t) in seen:
            return
        seen[id(t)] = True
        if t.inputs is not None:
            visit(t.inputs)
        if t.layer is not None and all(t.layer is not o for o in order):
            order.append(t.layer)

    visit(model.outputs)
    return order


def model_params(model: ModelObj) -> int | None:
    total = 0
    for layer in graph_layers(model):
        p = model_params(layer) if isinstance(layer, ModelObj) else getattr(layer, "params", 0)
        if p is None:
            return None
        total += p
    return total


def model_attr(an: Analyzer, model: ModelObj, attr: str) -> Any:
    if attr == "add" and model.kind == "Sequential":
        return Builtin(
            "add", lambda an_, a, k, n, c, e: sequential_add(an_, model, a[0]) if a else None
        )
    if attr == "output":
        return model.outputs
    if attr == "outputs":
        return model.outputs if isinstance(model.outputs, list) else [model.outputs]
    if attr == "input":
        return model.inputs[0] if len(model.inputs) == 1 else list(model.inputs)
    if attr == "inputs":
        return list(model.inputs)
    if attr == "name":
        return model.name
    if attr == "layers":
        return graph_layers(model)
    if attr == "count_params":
        return Builtin("count_params", lambda *a: model_params(model))
    if attr == "output_shape":
        return (
            tuple(model.outputs.shape)
            if isinstance(model.outputs, TensorVal) and model.outputs.shape is not None
            else Unknown("output shape not known")
        )
    if attr in (
        "compile",
        "summary",
        "fit",
        "save",
        "load_weights",
        "save_weights",
        "build",
        "evaluate",
        "predict",
    ):
        return Builtin(attr, lambda *a: None)
    return Unknown(f"model attribute `{attr}` is not modelled")


def add_weight(inst: Instance, args: list[Any], kwargs: dict[str, Any]) -> Any:
    shape = args[0] if args else kwargs.get("shape")
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(shape, (list, tuple)) and all(isinstance(d, int) for d in shape):
        n = 1
        for d in shape:
            n *= d
        inst.attrs.setdefault("__weights__", []).append(n)
        return TensorVal(tuple(shape))
    inst.attrs.setdefault("__weights__", []).append(None)
    return TensorVal(None, why="a weight whose shape is not known statically")


def call_lambda(
    an: Analyzer, lo: LayerObj, x: Any, call_kwargs: dict[str, Any], pos: Pos, record: bool
) -> Any:
    """A Lambda layer: with `output_shape` Keras takes that; otherwise it traces the function."""
    from . import calls, keras_api
    from .values import FuncVal

    fn = lo.args[0] if lo.args else lo.kwargs.get("function")
    lo.params = 0
    traced: Any = None
    if isinstance(fn, FuncVal):
        ctx = fn.module
        extra = lo.kwargs.get("arguments")
        traced = calls.call_function(an, fn, [x], dict(extra) if isinstance(extra, dict) else {},
                                     ctx.tree, ctx)
    declared = None
    if lo.constructed is not None and lo.kwargs.get("output_shape") is not None:
        try:
            res = engine_call(lo, x)
        except ShapeError as e:
            an.report(pos, e.code, f"Lambda: {e.message}")
            return keras_api.unknown_tensor(e.message, lo, x)
        if res.unknown is None:
            declared = keras_api.tensors_from(res, lo, x, {})
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
        out = keras_api.as_tensors(traced, lo, x) if traced is not None else \
            keras_api.unknown_tensor("the Lambda's function is not known statically", lo, x)
    if record:
        lo.called = True
        an.record(pos, "Lambda", lo.name, Evaluation(shape_json(out), shape_json(x)), 0)
    lo.output = out
    return out


def engine_call(lo: LayerObj, x: Any) -> Any:
    from .. import engine
    from .keras_api import shape_of

    assert lo.constructed is not None
    return engine.call(lo.constructed, shape_of(x))


def _fmt(shape: Any) -> str:
    if isinstance(shape, list) and all(isinstance(d, int) or d is None for d in shape):
        return fmt_shape(tuple(shape))
    return str(shape)


@dataclass
class Explained:
    text: str
    data: dict[str, Any] | None = None


def explain_error(lo: LayerObj, inputs: Any, e: ShapeError) -> Explained:
    """The engine's message, plus what to do where the fix is certain (crop a U-Net skip)."""
    text = e.message if e.message.startswith(lo.kind) else f"{lo.kind}: {e.message}"
    if lo.kind == "Concatenate" and e.code == "shape-mismatch" and isinstance(inputs, list):
        crop = _crop_fix(inputs, lo)
        if crop is not None:
            return crop
    return Explained(text, {"arg": e.arg} if e.arg else None)


def _crop_fix(inputs: list[Any], lo: LayerObj) -> Explained | None:
    shapes = [t.shape if isinstance(t, TensorVal) else None for t in inputs]
    if len(shapes) != 2 or any(s is None or len(s) != 4 for s in shapes):
        return None
    a, b = shapes
    assert a is not None and b is not None
    if any(s[i] is None for s in (a, b) for i in (1, 2)):
        return None
    ai, bi = [int(a[i] or 0) for i in (1, 2)], [int(b[i] or 0) for i in (1, 2)]
    axes = [i + 1 for i in range(2) if ai[i] != bi[i]]
    if not axes:
        return None
    big = 0 if all(x >= y for x, y in zip(ai, bi)) else 1
    diffs = [x - y for x, y in zip(*((ai, bi) if big == 0 else (bi, ai)))]
    if any(d < 0 for d in diffs):
        return None
    cropping = tuple((d // 2, d - d // 2) for d in diffs)
    valid = "with padding='valid' " if any(_valid_upstream(t) for t in inputs) else ""
    ax = "axes 1-2" if len(axes) == 2 else f"axis {axes[0]}"
    even = all(c[0] == c[1] for c in cropping) and cropping[0] == cropping[1]
    how = f"cropped by {cropping[0][0]} on each side" if even else f"cropped by {cropping}"
    arg = cropping[0][0] if even else cropping
    who = "the skip branch" if big == 0 else f"input {big}"
    text = (
        f"Concatenate: {fmt_shape(a)} and {fmt_shape(b)} differ on {ax}; {valid}{who} "
        f"must be {how}: Cropping2D(cropping={arg})"
    )
    return Explained(
        text, {"fix": "insert-crop", "input_index": big, "cropping": [list(c) for c in cropping]}
    )


def _valid_upstream(t: Any, depth: int = 4) -> bool:
    while isinstance(t, TensorVal) and depth > 0:
        layer = t.layer
        if isinstance(layer, LayerObj):
            pad = layer.constructed.bound.get("padding") if layer.constructed else None
            if isinstance(pad, str) and pad.lower() == "valid" and layer.kind.startswith("Conv"):
                return True
        t = t.inputs[0] if isinstance(t.inputs, list) and t.inputs else t.inputs
        depth -= 1
    return False
