"""Write engine/data/keras_ops.json from the installed Keras: every public function of `keras.ops`.

Run with TensorFlow/Keras installed (`python server/tools/gen_ops_list.py`); the output is
committed, and tests/engine/test_ops_coverage.py checks it still matches the installed Keras.

Each function is listed once, under its name in `keras.ops` (`image.resize` for those only in a
sub-namespace), with the family module that defines it (`numpy`, `nn`, `math`, `core`, `linalg`,
`image`, `einops`), every path Keras exports it under, its parameters, and whether its output shape
is determinable from input shapes and arguments, and `operation`: the snake-case name of the
Operation a call on a KerasTensor builds (`reshape` -> `Reshape()` -> "reshape"), which takes a
number from the counter Keras names layers with (so a `layers.Reshape` after it is `reshape_1`);
absent for functions that build none (creation functions such as `zeros`):
- `determinable`: Keras' `compute_output_spec` knows every dim the inputs and arguments fix;
- `data-dependent`: a dim depends on the values (`nonzero`, `unique`, `bincount`): Keras says None;
- `callable`: the shape is what a Python function argument returns (`cond`, `scan`, `map`);
- `no-tensor`: the result is not a tensor (`shape`, `dtype`, `is_tensor`, `convert_to_numpy`).
The three exceptions are listed by hand below, each after reading the function in Keras' source.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# After the log level, which TensorFlow reads when it is imported.
import keras
from gen_signatures import encode
from keras.src.ops.operation import Operation
from keras.src.utils.naming import to_snake_case

OUT = Path(__file__).resolve().parent.parent / "shapelens" / "engine" / "data" / "keras_ops.json"

SUBSPACES = ("nn", "numpy", "image", "linalg")

DATA_DEPENDENT = {
    "nonzero": "one index vector per axis, as long as the number of non-zero entries",
    "unique": "as long as the number of distinct values",
    "bincount": "the last axis is max(x) + 1 (or minlength): Keras says None",
}
CALLABLE = {
    "associative_scan", "cond", "custom_gradient", "fori_loop", "jvp", "map", "scan", "switch",
    "vectorize", "vectorized_map", "while_loop",
}  # fmt: skip
NO_TENSOR = {
    "convert_to_numpy": "a NumPy array, computed eagerly",
    "dtype": "a dtype string",
    "is_tensor": "a bool",
    "shape": "a tuple of ints and None (the analyser answers it from the tensor's shape)",
}


def _params(fn: Any) -> list[list[Any]]:
    """[name] for a required parameter, [name, default] otherwise; `*args` / `**kwargs` marked."""
    out: list[list[Any]] = []
    for p in inspect.signature(fn).parameters.values():
        star = "*" if p.kind == p.VAR_POSITIONAL else "**" if p.kind == p.VAR_KEYWORD else ""
        if star or p.default is p.empty:
            out.append([star + p.name])
        else:
            out.append([p.name, encode(p.default)])
    return out


def _kind(name: str) -> str:
    base = name.rsplit(".", 1)[-1]
    if base in DATA_DEPENDENT:
        return "data-dependent"
    if base in CALLABLE:
        return "callable"
    if base in NO_TENSOR:
        return "no-tensor"
    return "determinable"


def _public(module: Any) -> dict[str, Any]:
    return {
        n: f
        for n in dir(module)
        if not n.startswith("_")
        and callable(f := getattr(module, n))
        and not inspect.ismodule(f)
        and not inspect.isclass(f)
    }


def _operation(fn: Any, depth: int = 0) -> str | None:
    """The Operation class `fn` builds on a KerasTensor: `Cls(...).symbolic_call(...)` or
    `Cls(...)(...)` in its source, else in a keras.ops function it delegates to (`abs`)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError):
        return None
    names = getattr(fn, "__globals__", {})
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    for node in calls:
        func = node.func
        inner = func.value if isinstance(func, ast.Attribute) and func.attr == "symbolic_call" \
            else func
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name):
            cls = names.get(inner.func.id)
            if inspect.isclass(cls) and issubclass(cls, Operation):
                return str(to_snake_case(cls.__name__))
    for node in calls if depth < 2 else []:
        if isinstance(node.func, ast.Name):
            callee = names.get(node.func.id)
            if (inspect.isfunction(callee) and callee is not fn
                    and callee.__module__.startswith("keras.src.ops")):
                found = _operation(callee, depth + 1)
                if found:
                    return found
    return None


def collect() -> dict[str, Any]:
    top = _public(keras.ops)
    by_fn: dict[int, str] = {id(f): n for n, f in top.items()}
    ops: dict[str, dict[str, Any]] = {}
    for name, fn in top.items():
        ops[name] = {"module": fn.__module__.rsplit(".", 1)[-1], "exported": [f"keras.ops.{name}"],
                     "params": _params(fn)}
        if operation := _operation(fn):
            ops[name]["operation"] = operation
    for space in SUBSPACES:
        for name, fn in _public(getattr(keras.ops, space)).items():
            key = by_fn.get(id(fn), f"{space}.{name}")
            entry = ops.setdefault(key, {"module": fn.__module__.rsplit(".", 1)[-1],
                                         "exported": [], "params": _params(fn)})
            if "operation" not in entry and (operation := _operation(fn)):
                entry["operation"] = operation
            entry["exported"].append(f"keras.ops.{space}.{name}")
    for key, entry in ops.items():
        entry["shape"] = _kind(key)
        base = key.rsplit(".", 1)[-1]
        why = DATA_DEPENDENT.get(base) or NO_TENSOR.get(base)
        if why:
            entry["why"] = why
        elif base in CALLABLE:
            entry["why"] = "the shape is what the function argument returns"
    return {"keras_version": keras.__version__, "ops": dict(sorted(ops.items()))}


def main() -> int:
    data = collect()
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    kinds: dict[str, int] = {}
    for entry in data["ops"].values():
        kinds[entry["shape"]] = kinds.get(entry["shape"], 0) + 1
    print(f"{len(data['ops'])} keras.ops functions ({kinds}) -> {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
