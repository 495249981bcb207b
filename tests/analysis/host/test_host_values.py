"""The host plug-in's values seen from inside: concrete data is a site only where a call makes
it, what is not known stays unknown with its reason (on the array, and on the layer site it
reaches), and numpy's integers are plain numbers. (Shapes against numpy/TF: test_host_snippets.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shapelens.analysis import Analyzer, Options
from shapelens.analysis.host.values import HostArray
from shapelens.engine import Unknown

HEAD = "import sys\nimport numpy as np\nimport tensorflow as tf\nimport keras\n"


def run(tmp_path: Path, body: str) -> tuple[Any, dict[str, Any]]:
    path = tmp_path / "prep.py"
    path.write_text(HEAD + body)
    an = Analyzer(Options(strict=True))
    analysis = an.analyze(str(path))
    return analysis, an.modules[str(path.resolve())].env.vars


def test_host_arrays_are_sites_only_where_a_call_makes_them(tmp_path: Path) -> None:
    """An array is no site by itself: only `name = call(...)` shows it, once, at the call (the
    operator line `z = ... + 1` and an array passed on are not sites)."""
    analysis, env = run(tmp_path, "x = np.zeros((4, 8))\ny = tf.constant(x)\n"
                                  "z = np.random.normal(0, 1, (2, 3)) + 1\nw = x.reshape(-1)\n")
    found = analysis.sites_for(str(tmp_path / "prep.py"))
    sites = {s.pos.line - 4: (s.op, s.outputs) for s in found}
    assert sites == {1: ("np.zeros", [[4, 8]]), 2: ("tf.constant", [[4, 8]]),
                     4: ("x.reshape", [[32]])}
    assert all(isinstance(env[n], HostArray) for n in "xyzw")


def test_unknown_keeps_its_reason(tmp_path: Path) -> None:
    _, env = run(tmp_path, "a = np.load('a.npy')\nb = np.zeros((9, 4))[[0, 2]]\n"
                           "n = int(sys.argv[1])\nc = np.zeros((n, 3))\nd = c.shape[0]\n")
    assert "a.npy" in env["a"].why and env["a"].shape is None
    assert env["b"].shape is None and "advanced indexing" in env["b"].why
    assert env["c"].shape == (None, 3) and env["c"].why
    assert isinstance(env["d"], Unknown) and env["d"].reason


def test_trailing_dims_of_read_data(tmp_path: Path) -> None:
    _, env = run(tmp_path, "x = np.load('x.npy').reshape(-1, 28, 28, 1)\n")
    assert env["x"].shape == (None, 28, 28, 1) and "x.npy" in env["x"].why


def test_layer_site_says_why_its_data_is_unknown(tmp_path: Path) -> None:
    analysis, _ = run(tmp_path, "x = np.load('x.npy')\ny = keras.layers.Dense(3)(x)\n")
    (site,) = analysis.sites_for(str(tmp_path / "prep.py"))
    assert site.evaluations[0].outputs is None
    assert "x.npy" in (site.evaluations[0].unknown or "")


def test_numpy_scalars_are_numbers(tmp_path: Path) -> None:
    _, env = run(tmp_path, "a = np.int64(3)\nb = np.float32(0.5)\nc = np.prod((2, 3, 4))\n"
                           "d = np.zeros((5, 6)).shape[1]\ne = np.sqrt(16)\nf = np.arange(4)[2]\n")
    assert (env["a"], env["b"], env["c"], env["d"], env["e"], env["f"]) == (3, 0.5, 24, 6, 4.0, 2)


def test_concrete_results_of_layers_and_ops(tmp_path: Path) -> None:
    _, env = run(tmp_path, "x = np.ones((4, 8), dtype='float32')\n"
                           "y = keras.layers.Dense(3)(x)\nz = tf.reshape(x, (2, -1))\n"
                           "s = y[:-1]\n")
    for name, shape in [("y", (4, 3)), ("z", (2, 16)), ("s", (3, 3))]:
        assert isinstance(env[name], HostArray) and env[name].eager
        assert env[name].shape == shape
