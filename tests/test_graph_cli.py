"""`shapelens graph`: the JSON contract of docs/graph-json.md, the options, exit codes, and the
SVG/HTML drawings (when graphview/ is built: `npm ci && npm run build` there; CI builds it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shapelens.analysis import analyze
from shapelens.graphdraw import BUNDLE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "analysis" / "corpus"
NEEDS_BUNDLE = pytest.mark.skipif(
    not BUNDLE.is_file() and not os.environ.get("CI"),
    reason="graphview/ not built (npm ci && npm run build there); CI builds it",
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "shapelens.cli", "graph", *args],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "server")})


def graph_json(path: Path, *args: str) -> dict[str, Any]:
    proc = run(str(path), "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


def test_json_keys_are_the_contract() -> None:
    data = graph_json(CORPUS / "resnet_blocks.py")
    assert set(data) == {"models"}
    (m,) = data["models"]
    assert set(m) == {"name", "class", "line", "nodes", "edges", "groups", "inputs", "outputs"}
    assert {frozenset(n) for n in m["nodes"]} == {
        frozenset({"id", "name", "class", "line", "params", "shape", "error"})}
    assert {frozenset(e) for e in m["edges"]} == {
        frozenset({"source", "target", "shape", "derivation"})}
    assert {frozenset(g) for g in m["groups"]} == {
        frozenset({"id", "label", "line", "nodes", "parent", "repeat"})}
    ids = {n["id"] for n in m["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in m["edges"])
    assert m["inputs"] == [{"node": "input_layer", "shape": [None, 224, 224, 3]}]


def test_groups_are_helper_calls_and_repeats_are_runs() -> None:
    (m,) = graph_json(CORPUS / "resnet_blocks.py")["models"]
    by_label: dict[str, list[Any]] = {}
    for g in m["groups"]:
        by_label.setdefault(g["label"], []).append(g)
    # stack(...) x 4 at lines 43-46, each holding its bottleneck calls, each its conv_bn_relu.
    assert [g["line"] for g in by_label["stack"]] == [43, 44, 45, 46]
    assert [g["repeat"] for g in by_label["stack"]] == [1, 1, 2, 0]  # conv4/conv5: 2 blocks each
    assert all(g["parent"] in {s["id"] for s in by_label["stack"]} for g in by_label["bottleneck"])
    # conv2: a projection block, then two identity blocks folded as one run
    conv2 = [g for g in by_label["bottleneck"] if g["parent"] == by_label["stack"][0]["id"]]
    assert [g["repeat"] for g in conv2] == [1, 2, 0]
    # no group for resnet(): it built the whole model
    assert "resnet" not in by_label


def test_model_option_and_errors(tmp_path: Path) -> None:
    names = [m["name"] for m in graph_json(CORPUS / "gan_dcgan.py")["models"]]
    assert names == ["generator", "discriminator", "gan"]
    only = graph_json(CORPUS / "gan_dcgan.py", "--model", "gan")["models"]
    assert [m["name"] for m in only] == ["gan", "generator", "discriminator"]  # + nested ones
    assert [n["class"] for n in only[0]["nodes"]] == ["InputLayer", "Functional", "Sequential"]
    assert run(str(CORPUS / "gan_dcgan.py"), "--model", "nope").returncode == 2
    assert run(str(tmp_path / "missing.py")).returncode == 2
    out = tmp_path / "g.json"
    assert run(str(CORPUS / "gan_dcgan.py"), "--format", "json", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["models"]


def test_broken_file_marks_the_node_and_exits_1() -> None:
    proc = run(str(ROOT / "examples" / "unet_broken.py"), "--format", "json")
    assert proc.returncode == 1
    nodes = [n for m in json.loads(proc.stdout)["models"] for n in m["nodes"]]
    errors = [n for n in nodes if n["error"]]
    assert errors and errors[0]["class"] == "Concatenate", errors


@NEEDS_BUNDLE
def test_html_is_one_offline_page(tmp_path: Path) -> None:
    out = tmp_path / "g.html"
    assert run(str(CORPUS / "resnet_blocks.py"), "-o", str(out)).returncode == 0
    page = out.read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.count("<script") == 3  # the data, the bundle, the mount


@NEEDS_BUNDLE
@pytest.mark.skipif(shutil.which("node") is None, reason="SVG needs Node.js")
def test_svg_draws_every_node_unfolded_runs_folded(tmp_path: Path) -> None:
    (m,) = graph_json(CORPUS / "resnet_blocks.py")["models"]
    proc = run(str(CORPUS / "resnet_blocks.py"), "--format", "svg")
    assert proc.returncode == 0, proc.stderr
    svg = proc.stdout
    assert svg.startswith("<svg") and svg.count("<svg") == 1
    boxes = re.findall(r'class="node box" data-box="[^"]+"', svg)
    layers = re.findall(r'class="node[^"]*" data-id="', svg)
    assert boxes and 0 < len(layers) < len(m["nodes"])  # repeated blocks start folded
    assert ">conv_bn_relu x 2</text>" in svg


def test_an_edge_carries_the_derivation_the_hover_shows() -> None:
    """Hovering an edge shows how its shape was computed: the derivation of the call's site."""
    path = ROOT / "examples" / "unet_valid.py"
    (m,) = graph_json(path)["models"]
    by_name = {n["id"]: n for n in m["nodes"]}
    edge = next(e for e in m["edges"] if by_name[e["source"]]["name"] == "conv2d")
    site = next(s for s in analyze(str(path)).sites_for() if s.name == "conv2d")
    assert edge["derivation"] == site.evaluations[0].derivation
    assert any(line.startswith("axis 1:") for line in edge["derivation"])
