"""The model graph, walked in one place: the tensors an output depends on, the layers in the
order Keras lists them, parameter totals, inputs an output needs but the model does not list,
and the graph re-run on new inputs (each layer applied again through `APPLY`).
"""

from __future__ import annotations

from typing import Any

from ..core.context import Host
from ..core.dispatch import Table
from ..core.values import Instance
from .values import LayerObj, ModelObj, TensorVal

# A layer called by Keras itself (inside a Sequential, or when a graph is re-run):
# handler(an, layer, inputs, call_kwargs: dict, record: bool) -> outputs; the site is the
# layer's constructor.
APPLY = Table("apply a layer")


def apply(an: Host, layer: Any, x: Any, call_kwargs: dict[str, Any] | None = None,
          record: bool = True) -> Any:
    handler = APPLY.find(layer)
    if handler is None:
        return TensorVal(None, why="a Sequential entry that is not a layer")
    return handler(an, layer, x, dict(call_kwargs or {}), record)


def flat(v: Any) -> list[Any]:
    if isinstance(v, (list, tuple)):
        return [x for item in v for x in flat(item)]
    if isinstance(v, dict):
        return [x for item in v.values() for x in flat(item)]
    return [v]


def nodes(outputs: Any) -> list[TensorVal]:
    """Every tensor the outputs depend on, each once."""
    seen: dict[int, TensorVal] = {}
    stack = [outputs]
    while stack:
        t = stack.pop()
        if isinstance(t, (list, tuple)):
            stack.extend(t)
        elif isinstance(t, dict):
            stack.extend(t.values())
        elif isinstance(t, TensorVal) and id(t) not in seen:
            seen[id(t)] = t
            stack.append(t.inputs)
    return list(seen.values())


def stray_inputs(model: ModelObj) -> list[TensorVal]:
    """Inputs an output depends on that the model does not list (only when the graph is known)."""
    if not all(isinstance(t, TensorVal) for t in model.inputs):
        return []
    declared = {id(t) for t in model.inputs}
    stray: list[TensorVal] = []
    seen: set[int] = set()
    stack = list(flat(model.outputs))
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
            stack.extend(flat(t.inputs))
    return stray


def rerun(an: Host, model: ModelObj, x: Any) -> Any:
    """The functional graph evaluated on new inputs (Keras re-runs its layers)."""
    new_inputs = flat(x)
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
        if APPLY.find(layer) is None:
            return TensorVal(None, why="a graph step ShapeLens cannot replay")
        outs = apply(an, layer, ev(t.inputs), t.call_kwargs, record=False)
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


def layer_params(layer: Any) -> int | None:
    """A layer's parameter count (a nested model's total); None when not known."""
    if isinstance(layer, ModelObj):
        return model_params(layer)
    return getattr(layer, "params", 0)


def model_params(model: ModelObj) -> int | None:
    total = 0
    for layer in graph_layers(model):
        p = layer_params(layer)
        if p is None:
            return None
        total += p
    return total


def tracked_layers(value: Any, seen: set[int] | None = None) -> list[Any]:
    """Layers an object tracks through its attributes (lists and dicts of them too)."""
    seen = seen if seen is not None else set()
    out: list[Any] = []
    if id(value) in seen:
        return out
    seen.add(id(value))
    if isinstance(value, (LayerObj, ModelObj)) or isinstance(value, Instance):
        out.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            out.extend(tracked_layers(v, seen))
    elif isinstance(value, dict):
        for v in value.values():
            out.extend(tracked_layers(v, seen))
    return out
