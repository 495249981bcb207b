"""Write engine/data/keras_signatures.json from the installed Keras: each layer's arguments.

Run with TensorFlow/Keras installed (`python server/tools/gen_signatures.py`); the output is
committed, and tests/engine/test_signatures.py checks it still matches the installed Keras.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = (
    Path(__file__).resolve().parent.parent
    / "shapelens"
    / "engine"
    / "data"
    / "keras_signatures.json"
)

# keras.ops functions whose signatures the engine binds (shape functions model code calls).
OPS = [
    "reshape",
    "transpose",
    "concatenate",
    "stack",
    "expand_dims",
    "squeeze",
    "matmul",
    "add",
    "subtract",
    "multiply",
    "divide",
    "maximum",
    "minimum",
    "power",
    "sum",
    "mean",
    "max",
    "min",
    "prod",
    "argmax",
    "argmin",
    "any",
    "all",
    "std",
    "var",
    "tile",
    "repeat",
    "split",
    "cast",
    "dot",
    "einsum",
    "pad",
    "broadcast_to",
    "swapaxes",
    "moveaxis",
    "where",
    "zeros_like",
    "ones_like",
    "zeros",
    "ones",
    "shape",
    "image.resize",
    "depth_to_space",
    "space_to_depth",
    "slice",
]


def encode(value: Any) -> Any:
    """JSON form of a default: literals as they are, tuples tagged, anything else by repr."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    return {"repr": repr(value)}


def params_of(func: Any, skip_first: bool) -> list[dict[str, Any]]:
    sig = inspect.signature(func)
    out = []
    for i, p in enumerate(sig.parameters.values()):
        if skip_first and i == 0:
            continue
        row: dict[str, Any] = {"name": p.name, "kind": p.kind.name.lower()}
        if p.default is not inspect.Parameter.empty:
            row["default"] = encode(p.default)
        out.append(row)
    return out


def popped_kwargs(cls: type) -> list[str]:
    """Keyword names a class (or a Keras parent) pops out of **kwargs: the Keras-2 spellings."""
    import keras

    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is keras.layers.Layer or not klass.__module__.startswith("keras"):
            continue
        try:
            src = inspect.getsource(klass.__init__)
        except (OSError, TypeError):
            continue
        names.update(re.findall(r"kwargs\.pop\(\s*[\"'](\w+)[\"']", src))
    return sorted(names)


# Layers that take **kwargs and drop them (InputLayer calls super().__init__(name=name) only).
LENIENT = {"InputLayer"}


def inherited(cls: type) -> list[str]:
    """Parameters of Keras base classes between `cls` and Layer, reached through **kwargs."""
    import keras

    names: list[str] = []
    for klass in cls.__mro__[1:]:
        if klass is keras.layers.Layer or not klass.__module__.startswith("keras"):
            break
        for p in params_of(klass.__init__, True):
            if p["kind"] not in ("var_keyword", "var_positional") and p["name"] not in names:
                names.append(p["name"])
    return names


def main() -> int:
    import keras

    base_kw = [
        p["name"]
        for p in params_of(keras.layers.Layer.__init__, True)
        if p["kind"] == "keyword_only"
    ]
    layers: dict[str, Any] = {}
    canonical: dict[type, str] = {}
    names = sorted(n for n in dir(keras.layers) if not n.startswith("_"))
    # Canonical name for a class: the one equal to its __name__, else the first seen.
    for n in names:
        obj = getattr(keras.layers, n)
        if inspect.isclass(obj) and obj.__name__ == n:
            canonical[obj] = n
    for n in names:
        obj = getattr(keras.layers, n)
        if inspect.isclass(obj) and issubclass(obj, keras.layers.Layer):
            canon = canonical.setdefault(obj, n)
            if canon != n:
                layers[n] = {"alias_of": canon}
                continue
            params = params_of(obj.__init__, True)
            varkw = any(p["kind"] == "var_keyword" for p in params)
            entry: dict[str, Any] = {
                "params": [p for p in params if p["kind"] != "var_keyword"],
                "varkw": varkw,
            }
            if varkw:
                entry["base_kwargs"] = [*base_kw, "input_dim", "input_shape", *inherited(obj)]
                entry["popped_kwargs"] = popped_kwargs(obj)
                if n in LENIENT:
                    entry["any_kwargs"] = True
            layers[n] = entry
        elif inspect.isfunction(obj) and n in {
            "Input",
            "concatenate",
            "add",
            "subtract",
            "multiply",
            "average",
            "maximum",
            "minimum",
            "dot",
        }:
            fparams = params_of(obj, False)
            # The functional forms pass **kwargs on to their layer class, which checks them.
            layers[n] = {
                "function": True,
                "varkw": any(p["kind"] == "var_keyword" for p in fparams),
                "any_kwargs": True,
                "params": [p for p in fparams if p["kind"] != "var_keyword"],
            }
    ops: dict[str, Any] = {}
    for name in OPS:
        obj: Any = keras.ops
        for part in name.split("."):
            obj = getattr(obj, part)
        ops[name] = {"params": params_of(obj, False)}
    data = {"keras_version": keras.__version__, "layers": layers, "ops": ops}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({len(layers)} layers, {len(ops)} ops, keras {keras.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
