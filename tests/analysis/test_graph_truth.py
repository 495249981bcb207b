"""The graph JSON (`shapelens graph --format json`) equals the graph TensorFlow builds: for every
model of the corpus, the examples and a sample of `keras.applications`, the same layers in the
same order (name, class, parameters, output shape) and the same edges with the same shapes.

Truth: tests/support/graph_truth.py runs each file under TF 2.21 and reads the built models.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import Options, analyze
from shapelens.analysis.keras.graphjson import graphs

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "analysis" / "corpus").glob("*.py")) + sorted(
    (ROOT / "examples").glob("*.py")
)
# Where the analyser itself still differs from TF (not the graph JSON): each an issue of its own.
# strict: when the analyser is fixed, the test says so.
KNOWN = {
    "rnn_seq2seq.py": "a shared layer's unused outputs in an earlier model are not kept",
    "sequential_add.py": "a nested Sequential without input shape: TF leaves its layers unbuilt",
}
# A sample with the biggest graphs (NASNetLarge, EfficientNetV2L) and each kind of block.
APPLICATIONS = ["vgg16", "mobilenet_v2", "inception_v3", "densenet", "nasnet", "efficientnet_v2"]


def graph_truth(paths: list[str], timeout: float = 1800) -> dict[str, Any]:
    """`support.graph_truth` in a fresh process (TF's session and memory stay out of this one)."""
    tests_dir = str(ROOT / "tests")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([tests_dir, str(ROOT / "server"),
                                         env.get("PYTHONPATH", "")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    proc = subprocess.run([sys.executable, "-m", "support.graph_truth", *paths],
                          capture_output=True, text=True, timeout=timeout, env=env, cwd=tests_dir,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"graph truth failed:\n{proc.stderr[-4000:]}")
    return dict(json.loads(proc.stdout))


@cache
def corpus_truth() -> dict[str, Any]:
    return graph_truth([str(f) for f in FILES])


def differences(ours: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """What differs between our graph of one model and TensorFlow's (empty: equal)."""
    out = []
    if ours["class"] != truth["class"]:
        out.append(f"model class {ours['class']} != {truth['class']}")
    names = [n["name"] for n in ours["nodes"]]
    want = [n["name"] for n in truth["nodes"]]
    if names != want:
        return [*out, f"layers {names} != {want}"]
    for n, t in zip(ours["nodes"], truth["nodes"]):
        if n["class"] != t["class"]:
            out.append(f"{n['name']}: class {n['class']} != {t['class']}")
        if n["params"] != t["params"]:
            out.append(f"{n['name']}: params {n['params']} != {t['params']}")
        if t["shapes"] and n["shape"] not in t["shapes"]:
            out.append(f"{n['name']}: shape {n['shape']} not in {t['shapes']}")
    key = lambda e: (e["source"], e["target"], json.dumps(e["shape"]))  # noqa: E731
    mine, theirs = Counter(map(key, ours["edges"])), Counter(map(key, truth["edges"]))
    if mine != theirs:
        out.append(f"edges only ours: {sorted((mine - theirs).elements())[:5]}, "
                   f"only TF's: {sorted((theirs - mine).elements())[:5]}")
    return out


def check_file(path: Path, truth: dict[str, Any], budget: float = 10.0) -> list[str]:
    analysis = analyze(str(path), options=Options(time_budget=budget))
    ours = {m["name"]: m for m in graphs(analysis)["models"]}
    problems = []
    for t in truth["models"]:
        m = ours.get(t["name"])
        if m is None:
            problems.append(f"model {t['name']} not found (ours: {sorted(ours)})")
            continue
        problems += [f"{t['name']}: {d}" for d in differences(m, t)]
    return problems


@pytest.mark.parametrize("path", [
    pytest.param(f, marks=pytest.mark.xfail(reason=KNOWN[f.name], strict=True))
    if f.name in KNOWN else f for f in FILES], ids=[f.name for f in FILES])
def test_graph_equals_tensorflow(path: Path) -> None:
    truth = corpus_truth()[str(path.resolve())]
    problems = check_file(path, truth)
    assert problems == [], "\n".join(problems)


def test_corpus_has_graphs_to_compare() -> None:
    truths = corpus_truth().values()
    models = [m for t in truths for m in t["models"]]
    kinds = Counter(m["class"] for m in models)
    print(f"{len(models)} models: {dict(kinds)}; {sum(len(m['edges']) for m in models)} edges")
    assert kinds["Functional"] >= 20 and kinds["Sequential"] >= 3
    assert sum(len(m["edges"]) for m in models) >= 1000


@pytest.mark.parametrize("module", APPLICATIONS)
def test_application_graph_equals_tensorflow(module: str) -> None:
    from analysis.test_applications import copies

    path = copies()[module]
    truth = graph_truth([str(path)])[str(path.resolve())]
    assert truth["error"] is None and truth["models"]
    print(", ".join(f"{m['name']}: {len(m['nodes'])} layers, {len(m['edges'])} edges"
                    for m in truth["models"]))
    problems = check_file(path, truth, budget=120.0)
    assert problems == [], "\n".join(problems[:40])
