"""Keras models as values: Sequential (shapes flow layer to layer as layers are added) and
functional models (built from their graph, re-run on new inputs when called), their attributes,
and a model called as a layer.
"""

from __future__ import annotations

import ast
from typing import Any

from ... import engine
from ...engine import Unknown, fmt_shape
from ..core.builtins import Builtin
from ..core.context import Host, ModuleCtx
from ..core.dispatch import ATTR, CALL, ENTER, TRUTH
from ..core.scope import Env
from ..core.sites import Evaluation, Pos, shape_json
from . import whatif
from .graph import APPLY, apply, graph_layers, model_params, rerun, stray_inputs
from .renamed import removed_method, rename_keywords
from .tensors import as_tensors, eager, shape_of
from .values import LayerObj, ModelObj, TensorVal, leaves


def _kw_input_shape(lo: Any) -> Any:
    """The Keras-2 `input_shape=` / `batch_input_shape=` / `input_dim=` on a first layer."""
    kw = getattr(lo, "kwargs", {}) or {}
    if "batch_input_shape" in kw and isinstance(kw["batch_input_shape"], (list, tuple)):
        return tuple(kw["batch_input_shape"])
    if "input_shape" in kw and isinstance(kw["input_shape"], (list, tuple)):
        return (kw.get("batch_size"), *kw["input_shape"])
    if "input_dim" in kw and isinstance(kw["input_dim"], int):
        return (None, kw["input_dim"])
    if isinstance(lo, ModelObj) and lo.built and len(lo.inputs) == 1:
        # A built model first: Keras builds the Sequential from its `input_shape`.
        return getattr(lo.inputs[0], "shape", None)
    return None


def make_sequential(an: Host, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> Any:
    layers = args[0] if args else kwargs.get("layers")
    name = kwargs.get("name")
    model = ModelObj(
        "Sequential", pos, name if isinstance(name, str) else an.auto_name("sequential")
    )
    an.models.append(model)
    if isinstance(layers, (list, tuple)):
        for layer in layers:
            sequential_add(an, model, layer, rebuild=False)
        _rebuilt(an, model)
    return model


def _rebuilt(an: Host, model: ModelObj) -> None:
    """Keras' `Sequential._maybe_rebuild`: with an input and a layer, `build` makes a new
    Functional, which takes the next automatic `functional` name."""
    if model.inputs and model.layers:
        an.auto_name("functional")


def sequential_add(an: Host, model: ModelObj, layer: Any, rebuild: bool = True) -> None:
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
            an.auto_name("input_layer")  # Keras adds an InputLayer for `input_shape=`
            # a dim of concrete data not known statically (`input_shape=x.shape[1:]`) is not
            # Keras' dynamic None: the input is then unknown, never a guessed shape
            unknown = next((d for d in shape if isinstance(d, Unknown)), None)
            t = TensorVal(shape) if unknown is None else TensorVal(None, why=unknown.reason)
            model.inputs = [t]
            model.outputs = t
    if model.outputs is not None:
        model.outputs = apply(an, layer, model.outputs)
        model.built = True
    if rebuild:
        _rebuilt(an, model)


def make_functional(an: Host, args: list[Any], kwargs: dict[str, Any], pos: Pos) -> Any:
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
                rename_keywords(an, "keras.Model", pos),
            )
            return ModelObj("Functional", pos, "functional", error="rejected by Keras")
    model = ModelObj(
        "Functional", pos, name if isinstance(name, str) else an.auto_name("functional")
    )
    model.inputs = leaves(inputs)
    model.outputs = outputs
    model.built = True
    stray = stray_inputs(model)
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


def call_model(
    an: Host,
    model: ModelObj,
    args: list[Any],
    kwargs: dict[str, Any],
    pos: Pos,
    record: bool = True,
    direct: bool = True,
) -> Any:
    x = args[0] if args else kwargs.get("inputs")
    concrete = not any(isinstance(t, TensorVal) for t in leaves(x))
    if model.kind == "Sequential":
        if concrete:
            # Keras builds a Sequential not built yet for the data's shape (its batch size
            # included), then runs it eagerly: its layers' sites are that build.
            shape = shape_of(x)
            if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
                build_sequential(an, model, shape)
        elif not model.inputs and isinstance(x, TensorVal):
            model.inputs = [x]
            _named_build(an, model)
        out = x
        for layer in model.layers:
            out = apply(an, layer, out, record=not concrete)
        if model.outputs is None and not concrete:
            model.outputs = out
            model.built = True
    else:
        out = rerun(an, model, x)
    if concrete:
        out = unpack_singleton(out)  # Functional.call on concrete data (Keras 3)
    # A model called as a layer is one node of the outer graph: its outputs come from it.
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


@ATTR.register(ModelObj)
def model_attr(an: Host, model: ModelObj, attr: str, node: ast.AST | None = None,
               ctx: ModuleCtx | None = None) -> Any:
    gone = removed_method(an, "Model", model.kind, attr, node, ctx)
    if gone is not None:
        return gone
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
    if attr == "get_layer":
        return Builtin("get_layer", lambda an_, a, k, n, c, e: get_layer(model, a, k))
    if attr == "count_params":
        return Builtin("count_params", lambda *a: model_params(model))
    if attr == "output_shape":
        return (
            tuple(model.outputs.shape)
            if isinstance(model.outputs, TensorVal) and model.outputs.shape is not None
            else Unknown("output shape not known")
        )
    if attr == "build":
        return Builtin("build", lambda an_, a, k, n, c, e: build_sequential(
            an_, model, a[0] if a else k.get("input_shape")))
    if attr in BUILT_BY_DATA:
        return Builtin(attr, lambda an_, a, k, n, c, e: _build_from_data(
            an_, model, a[0] if a else k.get("x")))
    if attr in ("compile", "summary", "save", "load_weights", "save_weights"):
        return Builtin(attr, lambda *a: None)
    return Unknown(f"model attribute `{attr}` is not modelled")


def get_layer(model: ModelObj, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """`model.get_layer(name)` / `model.get_layer(index=i)`: one of `model.layers`."""
    name = args[0] if args else kwargs.get("name")
    index = args[1] if len(args) > 1 else kwargs.get("index")
    layers = graph_layers(model)
    if isinstance(name, str):
        found = [x for x in layers if getattr(x, "name", None) == name]
        return found[0] if len(found) == 1 else Unknown(f"no single layer named {name!r} known")
    if isinstance(index, int) and not isinstance(index, bool) and -len(layers) <= index \
            < len(layers):
        return layers[index]
    return Unknown("`get_layer`: the layer asked for is not known statically")


# Methods that run the model on data: a Sequential given no input shape is built on the first.
BUILT_BY_DATA = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch",
                  "predict_on_batch")


def build_sequential(an: Host, model: ModelObj, input_shape: Any) -> None:
    """`model.build((None, 28, 28, 1))`: a Sequential not built yet runs its layers on it."""
    if model.kind != "Sequential" or model.outputs is not None:
        return None
    if not isinstance(input_shape, (list, tuple)) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in input_shape):
        return None
    t = _input_layer(an, tuple(input_shape), model.pos)
    model.inputs = [t]
    _rebuilt(an, model)
    out: Any = t
    for layer in model.layers:
        out = apply(an, layer, out)
    model.outputs = out
    model.built = True
    return None


def _input_layer(an: Host, shape: tuple[Any, ...], pos: Pos) -> TensorVal:
    """The InputLayer `Sequential.build` puts first (auto-named; Keras' own, not a site)."""
    lo = LayerObj("InputLayer", engine.construct("Input", [], {"batch_shape": shape}), pos,
                  an.auto_name("input_layer"))
    t = TensorVal(shape, lo)
    lo.output = lo.node_output = t
    lo.called = True
    return t


def _named_build(an: Host, model: ModelObj) -> None:
    """`Sequential.build` on a shape: an InputLayer and a Functional, each auto-named."""
    an.auto_name("input_layer")
    _rebuilt(an, model)


def _build_from_data(an: Host, model: ModelObj, data: Any) -> None:
    """`model.fit(x_train, ...)` on a Sequential with no input shape: Keras builds it for the
    data's shape, the batch axis left open."""
    shape = shape_of(data)  # concrete data: None when a size past the batch axis is not known
    if isinstance(shape, tuple) and shape and all(d is None or isinstance(d, int) for d in shape):
        build_sequential(an, model, (None, *shape[1:]))


def unpack_singleton(x: Any) -> Any:
    """Keras 3's `Functional.call`: a one-element list of outputs is returned bare."""
    return x[0] if isinstance(x, (list, tuple)) and len(x) == 1 else x


@CALL.register(ModelObj)
def _call_model(an: Host, model: ModelObj, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST, ctx: ModuleCtx, env: Env) -> Any:
    return eager(call_model(an, model, args, kwargs, Pos.of(ctx.path, node)), args)


@APPLY.register(ModelObj)
def _apply_model(an: Host, model: ModelObj, x: Any, call_kwargs: dict[str, Any],
                 record: bool) -> Any:
    return call_model(an, model, [x], {}, model.pos, record=record and not model.called,
                      direct=False)


@TRUTH.register(ModelObj)
def _model_truth(model: ModelObj) -> bool:
    return True


@ENTER.register(ModelObj)
def _model_enter(model: ModelObj) -> ModelObj:
    return model
