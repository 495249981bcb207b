"""Each model the analysis found as a drawable graph: its layers, the tensors between them, and
the helper calls that built them (docs/graph-json.md is the contract; `shapelens graph` prints it).
"""

from __future__ import annotations

from typing import Any

from ..core.sites import Analysis, Finding, shape_json
from ..core.values import Instance
from .graph import call_inputs, keras_order, layer_params, nodes, tracked_layers
from .subclass import layer_state
from .values import LayerObj, ModelObj, TensorVal, leaves

Frame = tuple[int, int, str]  # (serial, entry-file line, callee text): one user-function call


def model_layers(model: Any) -> list[Any]:
    """`model.layers` as Keras lists it (a subclassed model: the layers it tracks)."""
    if isinstance(model, Instance):
        return tracked_layers(list(model.attrs.values()))
    return keras_order(model)


def _ids(layers: list[Any]) -> dict[int, str]:
    """A node id per layer: its name (unique within a Keras model), suffixed if it is not here."""
    out: dict[int, str] = {}
    used: set[str] = set()
    for layer in layers:
        base = str(getattr(layer, "name", None) or "layer")
        name, k = base, 1
        while name in used:
            name, k = f"{base}#{k}", k + 1
        used.add(name)
        out[id(layer)] = name
    return out


def _class(layer: Any) -> str:
    if isinstance(layer, Instance):
        return layer.cls.name
    return str(getattr(layer, "kind", "?"))


def _params(layer: Any) -> int | None:
    if isinstance(layer, LayerObj):
        # A layer never built counts 0 as Keras does; a rejected one is unknown (summary.py).
        return layer.params or 0 if layer.constructed else layer.params
    if isinstance(layer, Instance):
        return layer.params
    return layer_params(layer)


def _line(layer: Any, entry: str) -> int | None:
    """The layer's line in the analysed file; a layer built in an imported module shows at the
    entry-file call that led there."""
    pos = getattr(layer, "pos", None)
    if pos is None:
        return None
    if pos.path == entry:
        return int(pos.line)
    via = getattr(layer, "via", ())
    return via[0][1] if via else None


def _calls(model: Any) -> list[TensorVal]:
    """One output tensor per layer call in the model's graph, in a stable order."""
    if not isinstance(model, ModelObj):
        return []
    seen: set[tuple[int, int, int]] = set()
    out: list[TensorVal] = []
    for t in reversed(nodes(model.outputs, kwargs=True)):
        if t.layer is None or t.inputs is None:
            continue
        key = (id(t.layer), id(t.inputs), t.index)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def _call_output(t: TensorVal, calls: list[TensorVal]) -> Any:
    """All the outputs of the call that gave `t` (those no later layer takes too)."""
    whole = getattr(t.layer, "output", None)
    if any(isinstance(u, TensorVal) and u.inputs is t.inputs for u in leaves(whole)):
        return whole  # the layer's last call is this one: every output it gave
    outs = [u for u in calls if u.layer is t.layer and u.inputs is t.inputs]
    return outs[0] if len(outs) == 1 else sorted(outs, key=lambda u: u.index)


def _error(t: Any, layer: Any) -> str | None:
    if isinstance(t, TensorVal) and isinstance(t.error, Finding):
        return t.error.message
    return getattr(layer, "error", None) if isinstance(layer, (LayerObj, ModelObj)) else None


def model_graph(model: Any, entry: str) -> dict[str, Any]:
    """One model's graph: `{"name", "class", "nodes", "edges", "groups", "inputs", "outputs"}`."""
    layers = model_layers(model)
    ids = _ids(layers)
    calls = _calls(model)
    first_out: dict[int, Any] = {}  # layer -> the outputs of its first call in this graph
    for t in calls:
        if id(t.layer) not in first_out:
            first_out[id(t.layer)] = _call_output(t, calls)
    node_list = []
    for layer in layers:
        out: Any = first_out.get(id(layer))
        if out is None:
            out = _fallback_output(layer)
        node_list.append({
            "id": ids[id(layer)],
            "name": getattr(layer, "name", None),
            "class": _class(layer),
            "line": _line(layer, entry),
            "params": _params(layer),
            "shape": shape_json(out),
            "error": _error(out, layer),
        })
    edges = []
    seen_calls: set[tuple[int, int]] = set()
    for t in calls:
        if (id(t.layer), id(t.inputs)) in seen_calls or id(t.layer) not in ids:
            continue
        seen_calls.add((id(t.layer), id(t.inputs)))
        for u in call_inputs(t):
            for src in _sources(u, ids):
                edges.append({"source": src, "target": ids[id(t.layer)], "shape": shape_json(u),
                              "derivation": list(getattr(u, "derivation", []))})
    order = {ids[id(x)]: i for i, x in enumerate(layers)}
    edges.sort(key=lambda e: order[e["target"]])  # stable: a call's inputs stay in order
    return {
        "name": getattr(model, "name", None),
        "class": model.kind if isinstance(model, ModelObj) else model.cls.name,
        "line": _line(model, entry),
        "nodes": node_list,
        "edges": edges,
        "groups": _groups(layers, ids),
        "inputs": _ends(model, ids, "inputs"),
        "outputs": _ends(model, ids, "outputs"),
    }


def _sources(u: TensorVal, ids: dict[int, str]) -> list[str]:
    """The layers of the model a tensor comes from: its own, or through ops (`x + y`,
    keras.ops) on tensors, which Keras keeps as operations but not as layers."""
    out: list[str] = []
    seen: set[int] = set()
    stack = [u]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        if id(t.layer) in ids:
            out.append(ids[id(t.layer)])
        elif t.layer is None and t.inputs is not None:
            stack.extend(reversed(call_inputs(t)))
    return list(dict.fromkeys(out))  # one edge per layer, however many paths lead from it


def _fallback_output(layer: Any) -> Any:
    if isinstance(layer, ModelObj):
        return layer.outputs
    if isinstance(layer, Instance):
        return layer_state(layer).last_output
    return getattr(layer, "output", None)


def _ends(model: Any, ids: dict[int, str], which: str) -> list[dict[str, Any]]:
    """The model's inputs or outputs: the node each is (an Input) or flows into/out of."""
    if not isinstance(model, ModelObj):
        return []
    out = []
    for t in leaves(getattr(model, which) or []):
        if not isinstance(t, TensorVal):
            continue
        node = ids.get(id(t.layer))
        if node is None and which == "inputs" and model.kind == "Sequential" and model.layers:
            node = ids.get(id(model.layers[0]))  # a Sequential lists no InputLayer
        out.append({"node": node, "shape": shape_json(t)})
    return out


def _groups(layers: list[Any], ids: dict[int, str]) -> list[dict[str, Any]]:
    """One group per user-function call that created some of the model's layers (not the call
    that built the whole model), nested as the calls were; runs of consecutive sibling calls of
    the same helper building the same layer classes are marked for folding (`conv_block x 4`)."""
    members: dict[int, list[str]] = {}
    frames: dict[int, Frame] = {}
    parent: dict[int, int | None] = {}
    for layer in layers:
        via: tuple[Frame, ...] = getattr(layer, "via", ())
        for i, f in enumerate(via):
            frames[f[0]] = f
            parent.setdefault(f[0], via[i - 1][0] if i else None)
            members.setdefault(f[0], []).append(ids[id(layer)])
    everything = len(layers)
    dropped = {s for s, m in members.items() if len(m) == everything}

    def up(s: int | None) -> int | None:
        while s is not None and s in dropped:
            s = parent[s]
        return s

    groups: list[dict[str, Any]] = []
    for s in sorted(members):
        if s in dropped:
            continue
        groups.append({
            "id": f"g{s}",
            "label": frames[s][2],
            "line": frames[s][1],
            "nodes": members[s],
            "parent": None if up(parent[s]) is None else f"g{up(parent[s])}",
            "repeat": 1,
        })
    _mark_runs(groups, {n["id"]: n for n in groups}, layers, ids)
    return groups


def _mark_runs(groups: list[dict[str, Any]], by_id: dict[str, Any], layers: list[Any],
               ids: dict[int, str]) -> None:
    """`repeat`: on the first group of a run of n consecutive siblings alike, n; on the others 0."""
    cls = {ids[id(x)]: _class(x) for x in layers}
    sig = {g["id"]: (g["parent"], g["label"], tuple(cls[n] for n in g["nodes"])) for g in groups}
    siblings: dict[Any, list[dict[str, Any]]] = {}
    for g in groups:
        siblings.setdefault(g["parent"], []).append(g)
    for run_list in siblings.values():
        i = 0
        while i < len(run_list):
            j = i + 1
            while j < len(run_list) and sig[run_list[j]["id"]] == sig[run_list[i]["id"]]:
                j += 1
            run_list[i]["repeat"] = j - i
            for g in run_list[i + 1:j]:
                g["repeat"] = 0
            i = j


def graphs(analysis: Analysis, name: str | None = None) -> dict[str, Any]:
    """`{"models": [...]}` for every model of the analysis; with `name`, that model first, then
    the models nested in it (a drawing opens them in place)."""
    every = [model_graph(m, analysis.path) for m in analysis.models
             if isinstance(m, (ModelObj, Instance))]
    if name is None:
        return {"models": every}
    by_name = {m["name"]: m for m in every}
    chosen: list[dict[str, Any]] = []
    todo = [name]
    while todo:
        m = by_name.get(todo.pop(0))
        if m is not None and all(m is not c for c in chosen):
            chosen.append(m)
            todo += [n["name"] for n in m["nodes"] if n["class"] in ("Functional", "Sequential")]
    return {"models": chosen}
