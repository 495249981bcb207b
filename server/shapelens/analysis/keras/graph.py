"""The model graph, walked in one place: the tensors an output depends on, the layers in the
order Keras lists them, parameter totals, inputs an output needs but the model does not list,
the graph re-run on new inputs (each layer applied again through `APPLY`), and replayed on the
engine alone with a changed Input size or padding (what-if fixes).
"""

from __future__ import annotations

from typing import Any

from ... import engine
from ...engine import ShapeError
from ..core.context import Host
from ..core.convert import to_engine
from ..core.dispatch import Table
from ..core.values import Instance
from .values import LayerObj, ModelObj, TensorVal, leaves

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


def nodes(outputs: Any, kwargs: bool = False) -> list[TensorVal]:
    """Every tensor the outputs depend on, each once (`kwargs`: through the tensors a call took
    by keyword too, as Keras' Nodes do)."""
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
            if kwargs:
                stack.append(t.call_kwargs)
    return list(seen.values())


def stray_inputs(model: ModelObj) -> list[TensorVal]:
    """Inputs an output depends on that the model does not list (only when the graph is known)."""
    if not all(isinstance(t, TensorVal) for t in model.inputs):
        return []
    declared = {id(t) for t in model.inputs}
    stray: list[TensorVal] = []
    seen: set[int] = set()
    stack = list(leaves(model.outputs))
    while stack:
        t = stack.pop()
        if not isinstance(t, TensorVal):
            return []  # something we cannot follow: say nothing rather than something wrong
        key = id(t)
        if key in seen or key in declared:
            continue
        seen.add(key)
        if isinstance(t.layer, LayerObj) and t.layer.kind == "InputLayer":
            stray.append(t)
        elif t.layer is None or t.inputs is None:
            return []
        elif isinstance(t.inputs, TensorVal):  # most layers: one input, its own leaf
            stack.append(t.inputs)
        else:
            stack.extend(leaves(t.inputs))
    return stray


def rerun(an: Host, model: ModelObj, x: Any) -> Any:
    """The functional graph evaluated on new inputs (Keras re-runs its layers)."""
    new_inputs = leaves(x)
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
    if isinstance(layer, LayerObj) and layer.constructed and layer.params is None:
        return 0  # built by nothing yet (an InputLayer): Keras counts 0
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


def call_inputs(t: TensorVal) -> list[TensorVal]:
    """The tensors a call took, positional then keyword (`initial_state=`), as a Keras Node."""
    return [u for u in leaves([t.inputs, t.call_kwargs]) if isinstance(u, TensorVal)]


def keras_order(model: ModelObj) -> list[Any]:
    """`model.layers` of a functional model in Keras' own order (`ops/function.py` map_graph):
    the calls found depth-first from the outputs, layers by decreasing depth, ties in the order
    the walk first met them; inputs no output needs last. A Sequential: its layers as added."""
    if model.kind == "Sequential":
        return list(model.layers)
    declared = {id(t) for t in model.inputs}
    layer_of: dict[int, Any] = {}

    def key_of(t: TensorVal) -> tuple[int, int]:
        # One Keras Node per call; an op on tensors (`x + y`, keras.ops) is an operation too.
        return (id(t.layer), id(t.inputs)) if t.layer is not None else (id(t), 0)

    parents: dict[tuple[int, int], list[tuple[int, int]]] = {}
    finished: set[tuple[int, int]] = set()
    in_graph: list[tuple[int, int]] = []  # from inputs to outputs
    first_seen: dict[int, int] = {}
    stack: list[tuple[bool, Any]] = [(False, t) for t in reversed(leaves(model.outputs))]
    while stack:
        done, t = stack.pop()
        if done:  # every input of this call walked: the call itself
            finished.add(t)
            in_graph.append(t)
            continue
        if not isinstance(t, TensorVal) or (t.layer is None and t.inputs is None):
            continue
        key = key_of(t)
        if key in finished or key in parents:
            continue
        is_input = isinstance(t.layer, LayerObj) and t.layer.kind == "InputLayer"
        if not is_input and id(t) in declared:
            finished.add(key)  # a model input made by an outer layer: outside this graph
            continue
        first_seen.setdefault(key[0], len(first_seen))
        if t.layer is not None:
            layer_of[key[0]] = t.layer
        ins = [] if is_input else call_inputs(t)
        parents[key] = [key_of(u) for u in ins if u.layer is not None or u.inputs is not None]
        stack.append((True, key))
        stack.extend((False, u) for u in reversed(ins))
    members = set(in_graph)
    node_depth: dict[tuple[int, int], int] = {}
    layer_depth: dict[int, int] = {}
    for key in reversed(in_graph):
        depth = max(node_depth.setdefault(key, 0), layer_depth.get(key[0], 0))
        layer_depth[key[0]] = node_depth[key] = depth
        for p in parents[key]:
            if p in members:
                node_depth[p] = max(depth + 1, node_depth.get(p, 0))
    for t in model.inputs:  # an input no output uses still is a layer of the model
        if isinstance(t, TensorVal) and t.layer is not None and id(t.layer) not in layer_depth:
            layer_depth[id(t.layer)] = 0
            first_seen[id(t.layer)] = -1
            layer_of[id(t.layer)] = t.layer
    ordered = sorted(layer_depth, key=lambda i: (-layer_depth[i], first_seen[i]))
    return [layer_of[i] for i in ordered if i in layer_of]  # ops are not layers


class CannotReplay(Exception):
    """A step of the graph the engine alone cannot redo (a nested model, an op, an unknown)."""


def replay(
    outputs: Any, inputs: dict[int, Any], layers: dict[int, engine.Constructed] | None = None
) -> bool:
    """Whether every layer call of the graph succeeds with `inputs` (id -> shape) and `layers`
    (id of a LayerObj -> its constructed replacement). Raises CannotReplay where unsure."""
    layers = layers or {}
    memo: dict[int, Any] = {}

    def ev(t: Any) -> Any:
        if isinstance(t, (list, tuple)):
            return [ev(v) for v in t]
        if not isinstance(t, TensorVal):
            raise CannotReplay()
        if id(t) in inputs:
            return inputs[id(t)]
        if id(t) in memo:
            return memo[id(t)]
        layer = t.layer
        if not isinstance(layer, LayerObj):
            raise CannotReplay()
        if layer.kind == "InputLayer":
            return t.shape
        c = layers.get(id(layer), layer.constructed)
        if c is None:
            raise CannotReplay()
        res = engine.call(c, ev(t.inputs), to_engine(dict(t.call_kwargs)))
        if res.unknown is not None:
            raise CannotReplay()
        out = res.outputs
        if isinstance(out, list):
            out = out[t.index] if t.index < len(out) else None
        memo[id(t)] = out
        return out

    try:
        ev(outputs)
    except ShapeError:
        return False
    return True
