"""The graph TensorFlow builds: run model files under TF 2.21, read every `keras.Model` made.

Per model: its layers (`model.layers`: name, class, parameter count, the output shape(s) of the
layer's calls inside the model) and its edges, one per input tensor of each call (Keras `Node`)
that belongs to the model, from the tensor's `_keras_history` operation to the called layer.

API: `record_graphs(paths)` (in this process); CLI (from tests/): `python -m support.graph_truth
FILE...` prints `{path: {"models": [...], "error": str | None}}` as JSON.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import json
import os
import runpy
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _shape(t: Any) -> Any:
    return [None if d is None else int(d) for d in t.shape]


def _outputs(outs: list[Any]) -> Any:
    return _shape(outs[0]) if len(outs) == 1 else [_shape(t) for t in outs]


def _sources(kt: Any, ids: dict[int, str]) -> list[str]:
    """The model's layers a tensor comes from: its operation's, or through operations that are
    not layers (`x + y`, keras.ops), the layers feeding those."""
    from keras.src.layers.layer import Layer

    op, node_index, _ = kt._keras_history
    if id(op) in ids:
        return [ids[id(op)]]
    if op is None or isinstance(op, Layer):
        return []  # a Sequential's InputLayer, or a layer of another graph
    return [s for t in op._inbound_nodes[node_index].input_tensors for s in _sources(t, ids)]


def model_graph(model: Any) -> dict[str, Any]:
    import keras
    from keras.src.models.functional import Functional

    layers = list(model.layers)
    ids = {id(x): x.name for x in layers}
    if isinstance(model, keras.Sequential):
        kind = "Sequential"
        graph = getattr(model, "_functional", None)
    elif isinstance(model, Functional):
        kind, graph = "Functional", model
    else:
        kind, graph = type(model).__name__, None
    shapes: dict[str, list[Any]] = {x.name: [] for x in layers}
    edges = []
    by_depth = getattr(graph, "_nodes_by_depth", {}) if graph is not None else {}
    # Deepest first: inputs before the layers they feed, as the model runs.
    for node in [n for d in sorted(by_depth, reverse=True) for n in by_depth[d]]:
        op = node.operation
        if id(op) not in ids:
            continue  # a Sequential's InputLayer: not in `model.layers`
        shapes[op.name].append(_outputs(node.outputs))
        for kt in node.input_tensors:
            # Through ops, each layer the tensor comes from is one edge, however many paths
            # lead from it (`x @ transpose(x)`): a drawing has no parallel copies.
            for src in dict.fromkeys(_sources(kt, ids)):
                edges.append({"source": src, "target": op.name, "shape": _shape(kt)})
    nodes = [
        {
            "name": x.name,
            "class": type(x).__name__,
            "params": x.count_params() if x.built else 0,
            "shapes": shapes[x.name],
        }
        for x in layers
    ]
    return {"name": model.name, "class": kind, "nodes": nodes, "edges": edges}


_INNER: list[Any] = []  # the Functionals Sequentials build for themselves (kept: ids stay unique)


def _models() -> list[Any]:
    import keras

    gc.collect()
    found = [o for o in gc.get_objects() if isinstance(o, keras.Model)]
    # A built Sequential runs through a Functional of its own: not a model the file made.
    inner = {id(m) for m in _INNER} | {id(getattr(m, "_functional", None)) for m in found}
    return [m for m in found if id(m) not in inner]


def _watch_sequential_build() -> None:
    import keras

    build = keras.Sequential.build
    if getattr(build, "_graph_truth", False):
        return

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        out = build(self, *args, **kwargs)
        if getattr(self, "_functional", None) is not None:
            _INNER.append(self._functional)
        return out

    wrapped._graph_truth = True  # type: ignore[attr-defined]
    keras.Sequential.build = wrapped  # type: ignore[method-assign]


def record_graphs(paths: list[str]) -> dict[str, Any]:
    import keras

    from support.truth_recorder import uncalled_default_functions

    _watch_sequential_build()
    out: dict[str, Any] = {}
    for path in paths:
        main = str(Path(path).resolve())
        folder = os.path.dirname(main)
        to_call = uncalled_default_functions(ast.parse(Path(main).read_text(encoding="utf-8")))
        keras.backend.clear_session()
        gc.collect()
        before = {id(m) for m in _models()}
        error = None
        namespace: dict[str, Any] = {}
        sys.path.insert(0, folder)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                namespace = runpy.run_path(main, run_name="__main__")
                for name in to_call:
                    fn = namespace.get(name)
                    if callable(fn):
                        namespace[f"__result_{name}"] = fn()
        except Exception as exc:  # a broken file: the models built before the error count
            error = f"{type(exc).__name__}: {exc}"
        finally:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)
        models = [model_graph(m) for m in _models() if id(m) not in before]
        out[main] = {"models": models, "error": error}
        del namespace
    return out


def main(argv: list[str] | None = None) -> int:
    files = list(sys.argv[1:] if argv is None else argv)
    sys.stdout.write(json.dumps(record_graphs(files)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
