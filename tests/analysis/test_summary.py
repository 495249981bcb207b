"""`model.summary()` computed statically lists a functional model's layers as Keras does: the
same classes and parameter counts, in Keras' own order (branching models included).

The expected rows come from TensorFlow building each file in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import analyze
from shapelens.analysis.keras.summary import summaries
from shapelens.analysis.keras.values import ModelObj

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "tests" / "analysis" / "corpus" / f"{name}.py" for name in (
    "inception_blocks", "densenet_blocks", "resnet_blocks", "unet_same", "unet_valid_cropped",
    "siamese_shared", "autoencoder_conv", "transformer_block")] + [ROOT / "examples" / "unet.py"]

# Every Functional model the file builds (its entry functions called, as the truth recorder
# does), with `model.layers` as (name, class, count_params).
TF_SIDE = """
import ast, json, os, runpy, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
sys.path.insert(0, sys.argv[2])
from keras.src.models.functional import Functional
from support.truth_recorder import uncalled_default_functions
made = []
init = Functional.__init__
def record(self, *args, **kwargs):
    init(self, *args, **kwargs)
    made.append(self)
Functional.__init__ = record
namespace = runpy.run_path(sys.argv[1], run_name="__main__")
with open(sys.argv[1], encoding="utf-8") as source:
    for name in uncalled_default_functions(ast.parse(source.read())):
        namespace[name]()
print(json.dumps([{"name": m.name, "layers": [[l.name, type(l).__name__, l.count_params()]
                                               for l in m.layers]} for m in made]))
"""


def tf_models(path: Path) -> list[dict[str, Any]]:
    proc = subprocess.run([sys.executable, "-c", TF_SIDE, str(path), str(ROOT / "tests")],
                          capture_output=True,
                          text=True, timeout=600, check=True, cwd=path.parent)
    return list(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_summary_rows_are_keras_own(path: Path) -> None:
    analysis = analyze(str(path))
    # summaries() gives one table per model of analysis.models, in that order.
    tables = [t for m, t in zip(analysis.models, summaries(analysis))
              if isinstance(m, ModelObj) and m.kind == "Functional"]
    models = tf_models(path)
    assert models and len(tables) == len(models)
    for m, table in zip(models, tables):
        assert [r.kind for r in table.rows] == [c for _, c, _ in m["layers"]], m["name"]
        assert [r.params for r in table.rows] == [p for _, _, p in m["layers"]], m["name"]
