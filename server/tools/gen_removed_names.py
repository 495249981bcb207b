"""Write analysis/keras/data/removed_names.json from the installed TensorFlow and Keras: every
TF1 name that TensorFlow 2 dropped but keeps under `tf.compat.v1` (`tf.Session`, `tf.placeholder`),
and the Keras-2 backend functions Keras 3's `keras.backend` dropped (`K.int_shape`, `K.mean`; TF
keeps them in its own `tf.keras.backend`).

Run with TensorFlow installed (`python server/tools/gen_removed_names.py`); the output is
committed, and tests/analysis/keras/test_migration.py checks each entry against TensorFlow.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

OUT = (Path(__file__).resolve().parent.parent / "shapelens" / "analysis" / "keras" / "data"
       / "removed_names.json")


def _public(module: Any) -> list[str]:
    return sorted(n for n in dir(module) if not n.startswith("_"))


def tf1_names() -> dict[str, Any]:
    """{"modules": TF1 namespaces TF 2 has no more, "names": TF1 names missing from TF 2}."""
    import tensorflow as tf

    v1 = tf.compat.v1
    modules, names = [], []
    for name in _public(v1):
        value = getattr(v1, name)
        if name in ("compat", "keras") or name.startswith("estimator"):
            continue  # not TF1 API proper (Keras is its own migration; estimator is gone)
        if not hasattr(tf, name):
            (modules if isinstance(value, types.ModuleType) else names).append(name)
        elif isinstance(value, types.ModuleType) and isinstance(getattr(tf, name),
                                                                types.ModuleType):
            names += [f"{name}.{n}" for n in _public(value)
                      if not hasattr(getattr(tf, name), n)
                      and not isinstance(getattr(value, n), types.ModuleType)]
    import keras

    old = set(_public(tf.keras.backend))
    ops = set(_public(keras.ops))
    backend = {n: n if n in ops else None for n in sorted(old - set(_public(keras.backend)))}
    return {"tensorflow": tf.__version__, "keras": keras.__version__, "modules": modules,
            "names": sorted(names), "keras_backend": backend}


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(tf1_names(), indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
