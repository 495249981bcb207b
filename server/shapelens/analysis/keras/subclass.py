"""Subclassed `keras.layers.Layer` / `keras.Model`: named as Keras names them, `build` run once
with the input shape, `call` evaluated per call (its site is the call expression), a declared
`compute_output_shape` taking precedence, weights from `add_weight`, inherited methods.

Registered as the class protocol for user classes that derive from a Keras layer or model.
"""

from __future__ import annotations

import ast
from typing import Any

from ...engine import Unknown
from ..core.builtins import Builtin
from ..core.calls import call_function
from ..core.context import Host, ModuleCtx
from ..core.dispatch import CLASS_PROTOCOL
from ..core.modules import canonical
from ..core.sites import Evaluation, Pos, shape_json
from ..core.values import ClassVal, FuncVal, Instance
from . import masks
from .graph import APPLY, layer_params, model_params, tracked_layers
from .layers import call_layer, make_layer, node_attr, snake
from .models import BUILT_BY_DATA, call_model, make_functional, model_attr
from .symbolic import Tracing, tracing
from .tensors import as_tensors, input_shape_arg, shape_of
from .values import LayerObj, LayerState, ModelObj, TensorVal, leaves

# Methods a Keras base class provides that change no shape.
_NO_OPS = ("build", "compile", "summary", "fit", "save", "load_weights", "save_weights",
           "__init__", "add_loss", "add_metric", "evaluate", "predict")


# What a functional subclass (`super().__init__(inputs=..., outputs=...)`) answers from its graph.
_GRAPH_ATTRS = ("input", "inputs", "output", "outputs", "layers", "count_params")


def builtin_base(cls: ClassVal) -> str | None:
    """The Keras layer class a subclass extends (`Dense` for `class D(layers.Dense)`), if any."""
    for ref in cls.external_bases():
        name = canonical(ref.qualname)
        if name.startswith("keras.layers.") and name != "keras.layers.Layer":
            return name[len("keras.layers."):]
    return None


def keras_base(cls: ClassVal) -> str | None:
    """'Model' or 'Layer' when this class derives from keras.Model / a keras layer."""
    for ref in cls.external_bases():
        name = canonical(ref.qualname)
        if name == "keras.Model":
            return "Model"
        if name.startswith("keras.layers.") or name == "keras.Layer":
            return "Layer"
    return None


def layer_state(inst: Instance) -> LayerState:
    if not isinstance(inst.state, LayerState):
        inst.state = LayerState()
    return inst.state


class KerasClass:
    """How Keras creates, calls and completes instances of a subclassed Layer or Model."""

    def __init__(self, base: str):
        self.base = base

    def instantiate(self, an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
                    node: ast.AST, ctx: ModuleCtx) -> None:
        name = kwargs.get("name")
        inst.name = name if isinstance(name, str) else an.auto_name(snake(inst.cls.name))
        layer_state(inst)
        if self.base == "Model":
            an.models.append(inst)
        if isinstance(inst.cls.lookup("__init__"), FuncVal):
            return  # its `super().__init__(...)` builds the Keras base
        _build_base(an, inst, args, kwargs, node, ctx)

    def call(self, an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
             node: ast.AST, ctx: ModuleCtx, record: bool) -> Any:
        call = inst.cls.lookup("call")
        base_layer = layer_state(inst).base_layer
        if not isinstance(call, FuncVal) and isinstance(base_layer, ModelObj):
            return _call_functional(an, inst, base_layer, args, kwargs, node, ctx, record)
        if not isinstance(call, FuncVal) and base_layer is not None:
            return _call_base(an, inst, args, kwargs, node, ctx, record)
        if not isinstance(call, FuncVal):
            return Unknown(f"`{inst.cls.name}` has no `call` ShapeLens can read")
        first = args[0] if args else kwargs.get("inputs")
        with tracing(an):  # Keras runs build and call on tf tensors, never on KerasTensors
            if not inst.built:
                build = inst.cls.lookup("build")
                inst.built = True
                if isinstance(build, FuncVal):
                    call_function(an, build, [inst, input_shape_arg(first)], {}, node, ctx)
            kwargs = masks.call_mask_kwargs(call, args, kwargs)
            out = call_function(an, call, [inst, *args], kwargs, node, ctx)
        out = as_tensors(out, inst, first)
        out = _declared_shape(an, inst, first, out, node, ctx)
        if isinstance(out, TensorVal) and isinstance(kwargs.get("mask"), TensorVal):
            out.call_kwargs = {"mask": kwargs["mask"]}  # a Node input, as Keras records it
        previous = kwargs["mask"] if kwargs.get("mask") is not None else masks.mask_of(first)
        masks.attach(out, masks.instance_mask(an, inst, first, previous, node, ctx))
        layer_state(inst).last_output = out
        if layer_state(inst).node_output is None and an.state(Tracing).depth == 0 and any(
                isinstance(t, TensorVal) for t in leaves(first)):
            layer_state(inst).node_output = out
        if inst.params is None:
            inst.params = instance_params(inst)
        if record:
            an.record(Pos.of(ctx.path, node), inst.cls.name, inst.name,
                      Evaluation(shape_json(out), shape_json(first), unknown=_why(out)),
                      inst.params)
        inst.called = True
        return out

    def attr(self, an: Host, inst: Instance, attr: str) -> Any:
        """Attributes inherited from Keras (`self.add_weight`, `self.built`, `self.name`)."""
        if attr == "add_weight":
            return Builtin("add_weight", lambda an, a, k, n, c, e: add_weight(inst, a, k))
        if attr == "name":
            return inst.name
        base = layer_state(inst).base_layer
        if isinstance(base, ModelObj) and attr in _GRAPH_ATTRS:
            # A functional subclass (kimm, KerasHub): its graph's, before a layer's first node.
            return model_attr(an, base, attr)
        if attr in ("output", "input"):
            return node_attr(layer_state(inst).node_output, attr)
        if attr in ("built", "trainable"):
            return inst.built if attr == "built" else True
        if attr in BUILT_BY_DATA and self.base == "Model":
            return Builtin(attr, lambda an_, a, k, n, c, e: self.run_on_data(
                an_, inst, a[0] if a else k.get("x"), n, c))
        if attr in _NO_OPS or attr in BUILT_BY_DATA:
            return Builtin(attr, lambda *a: None)
        if attr == "count_params":
            return Builtin("count_params", lambda *a: inst.params)
        return Unknown(f"`{inst.cls.name}.{attr}` is inherited from Keras and not modelled")

    def run_on_data(self, an: Host, inst: Instance, data: Any, node: ast.AST,
                    ctx: ModuleCtx) -> None:
        """`model.fit(x_train)` on a subclassed model never called: Keras builds it by calling it
        on the data's shape, the batch axis left open (its layers' calls are sites)."""
        shape = shape_of(data)  # concrete data: None when a size past the batch axis is unknown
        if inst.called or not isinstance(shape, tuple) or not shape or not all(
                d is None or isinstance(d, int) for d in shape):
            return None
        self.call(an, inst, [TensorVal((None, *shape[1:]))], {}, node, ctx, record=False)
        return None

    def super_attr(self, an: Host, inst: Instance, attr: str) -> Any:
        """`super().attr` that reaches the Keras base class."""
        base_layer = layer_state(inst).base_layer
        if attr == "__init__" and builtin_base(inst.cls) is not None:
            return Builtin("__init__",
                           lambda an_, a, k, n, c, e: _build_base(an_, inst, a, k, n, c))
        if attr == "__init__" and self.base == "Model":
            return Builtin("__init__",
                           lambda an_, a, k, n, c, e: _build_functional(an_, inst, a, k, n, c))
        if attr == "call" and base_layer is not None:
            return Builtin("call", lambda an_, a, k, n, c, e: call_layer(
                an_, base_layer, a, k, n, c, record=False))
        if attr == "call":
            return Unknown(f"`super().call()` runs Keras' own `{self.base}.call`, "
                           "which ShapeLens does not model for a subclass")
        return self.attr(an, inst, attr)


_PROTOCOLS = {"Layer": KerasClass("Layer"), "Model": KerasClass("Model")}


@CLASS_PROTOCOL.register
def keras_class(cls: ClassVal) -> KerasClass | None:
    base = keras_base(cls)
    return _PROTOCOLS[base] if base is not None else None


@APPLY.register(Instance)
def _apply_instance(an: Host, inst: Instance, x: Any, call_kwargs: dict[str, Any],
                    record: bool) -> Any:
    protocol = keras_class(inst.cls)
    pos = inst.pos
    if protocol is None or pos is None:
        return TensorVal(None, why="a graph step ShapeLens cannot replay")
    ctx = an.module_at(pos.path)
    node = ast.Pass(lineno=pos.line, col_offset=pos.column - 1, end_lineno=pos.end_line,
                    end_col_offset=pos.end_column - 1)
    return protocol.call(an, inst, [x], {}, node, ctx, record and not inst.called)


def _build_base(an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
                node: ast.AST, ctx: ModuleCtx) -> None:
    """The built-in layer a subclass extends, built from the arguments its constructor got."""
    kind = builtin_base(inst.cls)
    if kind is None:
        return None
    named = {**kwargs, "name": inst.name}
    made = make_layer(an, kind, list(args), named, Pos.of(ctx.path, node), node=node)
    layer_state(inst).base_layer = made if isinstance(made, LayerObj) else None
    return None


def _build_functional(an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
                      node: ast.AST, ctx: ModuleCtx) -> None:
    """`super().__init__(inputs=..., outputs=...)` in a Model subclass: Keras makes the instance
    a functional model of that graph (KerasHub backbones, kimm models)."""
    inputs = args[0] if args else kwargs.get("inputs")
    outputs = args[1] if len(args) > 1 else kwargs.get("outputs")
    if inputs is None or outputs is None:
        return None
    named = {**kwargs, "name": inst.name}
    made = make_functional(an, list(args), named, Pos.of(ctx.path, node))
    if isinstance(made, ModelObj) and made in an.models:
        an.models.remove(made)  # the instance is the model (listed once, as itself)
    layer_state(inst).base_layer = made if isinstance(made, ModelObj) else None
    return None


def _call_functional(an: Host, inst: Instance, model: ModelObj, args: list[Any],
                     kwargs: dict[str, Any], node: ast.AST, ctx: ModuleCtx, record: bool) -> Any:
    """A functional subclass with no `call` of its own: its graph run on the new inputs."""
    first = args[0] if args else kwargs.get("inputs")
    out = call_model(an, model, list(args), dict(kwargs), Pos.of(ctx.path, node), record=False)
    layer_state(inst).last_output = out
    if record:
        an.record(Pos.of(ctx.path, node), inst.cls.name, inst.name,
                  Evaluation(shape_json(out), shape_json(first), unknown=_why(out)),
                  model_params(model))
    inst.called = True
    return out


def _call_base(an: Host, inst: Instance, args: list[Any], kwargs: dict[str, Any],
               node: ast.AST, ctx: ModuleCtx, record: bool) -> Any:
    """A subclass of a built-in layer with no `call` of its own: the base layer's call."""
    first = args[0] if args else kwargs.get("inputs")
    out = as_tensors(call_layer(an, layer_state(inst).base_layer, args, kwargs, node, ctx,
                                record=False), inst, first)
    layer_state(inst).last_output = out
    if inst.params is None:
        inst.params = instance_params(inst)
    if record:
        an.record(Pos.of(ctx.path, node), inst.cls.name, inst.name,
                  Evaluation(shape_json(out), shape_json(first), unknown=_why(out)), inst.params)
    inst.called = True
    return out


def _declared_shape(an: Host, inst: Instance, first: Any, traced: Any, node: ast.AST,
                    ctx: ModuleCtx) -> Any:
    """A layer that defines `compute_output_shape`: Keras reports that shape, not the traced one.

    When the two disagree the user is told (a warning): the model's shapes are then a lie.
    """
    cos = inst.cls.lookup("compute_output_shape")
    if not isinstance(cos, FuncVal):
        return traced
    declared = call_function(an, cos, [inst, input_shape_arg(first)], {}, node, ctx)
    if isinstance(declared, list) and declared and all(_is_shape(d) for d in declared):
        shapes: Any = [tuple(d) for d in declared]
    elif _is_shape(declared):
        shapes = tuple(declared)
    else:
        return traced
    want = [list(s) for s in shapes] if isinstance(shapes, list) else list(shapes)
    got = shape_json(traced)
    if isinstance(traced, (TensorVal, list)) and got is not None and not _has_none(got) \
            and got != want:
        an.report(Pos.of(ctx.path, node), "compute-output-shape-mismatch",
                  f"{inst.cls.name}: compute_output_shape gives {want} but call returns {got}; "
                  "Keras reports the declared shape, so later layers see it")
    if isinstance(shapes, list):
        return [TensorVal(s, inst, first, index=i) for i, s in enumerate(shapes)]
    return TensorVal(shapes, inst, first)


def _why(out: Any) -> str | None:
    """Why a call's output shape is unknown (shown on hover)."""
    if isinstance(out, TensorVal):
        return out.why if out.shape is None else None
    if isinstance(out, (list, tuple)):
        return next((w for w in map(_why, out) if w), None)
    if isinstance(out, dict):
        return next((w for w in map(_why, out.values()) if w), None)
    return None


def _is_shape(v: Any) -> bool:
    return isinstance(v, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in v)


def _has_none(v: Any) -> bool:
    """An output (or one of several outputs) whose rank is unknown."""
    if isinstance(v, list) and v and isinstance(v[0], list):
        return any(x is None for x in v)
    return v is None


def instance_params(inst: Instance) -> int | None:
    """Its own weights plus those of the layers it tracks through its attributes."""
    state = layer_state(inst)
    total = sum(w for w in state.weights if isinstance(w, int))
    if state.base_layer is not None:
        if state.base_layer.params is None:
            return None
        total += state.base_layer.params
    for sub in tracked_layers(list(inst.attrs.values())):
        p = layer_params(sub)
        if isinstance(p, int):
            total += p
    return total


def add_weight(inst: Instance, args: list[Any], kwargs: dict[str, Any]) -> Any:
    shape = args[0] if args else kwargs.get("shape")
    if isinstance(shape, int):
        shape = (shape,)
    weights = layer_state(inst).weights
    if isinstance(shape, (list, tuple)) and all(isinstance(d, int) for d in shape):
        n = 1
        for d in shape:
            n *= d
        weights.append(n)
        return TensorVal(tuple(shape))
    weights.append(None)
    return TensorVal(None, why="a weight whose shape is not known statically")
