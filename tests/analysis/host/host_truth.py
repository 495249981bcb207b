"""Truth for the host-array tests: each snippet run under numpy/TensorFlow, recording the layer
sites (support.truth_recorder) and every top-level array, number, shape tuple and dataset.

`keras.datasets.X.load_data` needs a download: the truth run substitutes arrays of the shapes
documented in Keras' docstrings (test_host_datasets.py checks those against the source), made
as Keras makes them (the same split arithmetic). Run: `python -m analysis.host.host_truth FILE...`.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

# The documented shapes (keras/src/datasets/*.py): samples, x per sample, y per sample, dtypes.
DOCUMENTED = {
    "mnist": ((60000, 10000), (28, 28), (), "uint8", "uint8"),
    "fashion_mnist": ((60000, 10000), (28, 28), (), "uint8", "uint8"),
    "cifar10": ((50000, 10000), (32, 32, 3), (1,), "uint8", "uint8"),
    "cifar100": ((50000, 10000), (32, 32, 3), (1,), "uint8", "int64"),
    "imdb": ((25000, 25000), None, (), "object", "int64"),
    "reuters": (11228, None, (), "object", "int64"),
    "boston_housing": (506, (13,), (), "float64", "float64"),
    "california_housing": (20640, (8,), (), "float64", "float64"),
}


def _sequences(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = list(rng.integers(1, 1000, size=int(rng.integers(5, 300))))
    return out


def _fake(name: str) -> Any:
    samples, x, y, x_dtype, y_dtype = DOCUMENTED[name]

    def arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
        xs = _sequences(n) if x is None else np.zeros((n, *x), dtype=x_dtype)
        ys = np.zeros((n, *y), dtype=y_dtype)
        if ys.size:
            ys.reshape(-1)[: min(ys.size, 10)] = np.arange(min(ys.size, 10))  # labels 0..9
        return xs, ys

    def load_data(*args: Any, test_split: float = 0.2, version: str = "large",
                  **kwargs: Any) -> Any:
        if isinstance(samples, tuple):
            train, test = samples
        else:  # the data sets Keras splits itself: `int(len(x) * (1 - test_split))`
            total = 600 if version == "small" else samples
            train = int(total * (1 - test_split))
            test = total - train
        return arrays(train), arrays(test)

    return load_data


def _patch_datasets() -> None:
    import keras

    for name in DOCUMENTED:
        getattr(keras.datasets, name).load_data = _fake(name)


def _describe(v: Any) -> Any:
    import tensorflow as tf

    if isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (int, np.integer)):
        return {"int": int(v)}
    if isinstance(v, tuple) and v and all(isinstance(d, (int, np.integer)) for d in v):
        return {"tuple": [int(d) for d in v]}
    if isinstance(v, tf.data.Dataset):
        return {"dataset": tf.nest.map_structure(lambda s: s.shape.as_list(), v.element_spec)}
    if isinstance(v, (np.ndarray, tf.Tensor, tf.Variable)) or type(v).__name__ in (
            "EagerTensor", "ResourceVariable"):
        dtype = v.dtype.name if hasattr(v.dtype, "name") else str(v.dtype)
        return {"shape": [int(d) for d in v.shape], "dtype": str(dtype)}
    return None


def run(path: str) -> dict[str, Any]:
    from support.truth_recorder import record

    _patch_datasets()
    sites = record(path)
    np.random.seed(0)
    try:
        namespace = runpy.run_path(path, run_name="__main__")
    except Exception as e:  # the sites' error says where; the values test then fails loudly
        return {"sites": sites, "values": {"__error__": {"error": repr(e)}}}
    values = {}
    for k, v in namespace.items():
        if k.startswith("_"):
            continue
        d = _describe(v)
        if d is not None:
            values[k] = d
    return {"sites": sites, "values": values}


def run_in_subprocess(paths: list[str]) -> dict[str, Any]:
    """The truth of several snippets, in one fresh process (TensorFlow loads once)."""
    tests_dir = Path(__file__).resolve().parents[2]
    import shapelens

    server = str(Path(shapelens.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tests_dir), server, env.get("PYTHONPATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    proc = subprocess.run([sys.executable, "-m", "analysis.host.host_truth", *paths],
                          capture_output=True, text=True, timeout=900, env=env,
                          cwd=str(tests_dir), check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"host truth failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    out = {str(Path(p).resolve()): run(p) for p in argv}
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
