"""`shapelens graph` HTML in a real browser: Debian's chromium via playwright-core (graphview/'s
lockfile) opens the page offline; every layer and edge of the JSON is drawn once unfolded, runs
of repeated blocks start folded, no request leaves the page. Screenshots: test-artifacts/graph/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shapelens.graphdraw import BUNDLE

ROOT = Path(__file__).resolve().parents[1]
GRAPHVIEW = ROOT / "graphview"
ARTIFACTS = ROOT / "test-artifacts" / "graph"
READY = (BUNDLE.is_file() and (GRAPHVIEW / "node_modules" / "playwright-core").is_dir()
         and Path("/usr/bin/chromium").exists() and shutil.which("node") is not None)
pytestmark = pytest.mark.skipif(not READY and not os.environ.get("CI"),
                                reason="needs graphview/ built (npm ci && npm run build), chromium")

FILES = {
    "resnet": ROOT / "tests" / "analysis" / "corpus" / "resnet_blocks.py",
    "unet": ROOT / "examples" / "unet.py",
    "gan": ROOT / "tests" / "analysis" / "corpus" / "gan_dcgan.py",
}


def shapelens_graph(path: Path, fmt: str, out: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "shapelens.cli", "graph", str(path), "--format",
                           fmt, "-o", str(out)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "server")}, check=False)
    assert proc.returncode == 0, proc.stderr


def in_browser(page: Path, shots: Path) -> dict[str, Any]:
    proc = subprocess.run(["node", "test/browser.mjs", str(page), str(shots)], cwd=GRAPHVIEW,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout.splitlines()[-1]))


@pytest.mark.parametrize("name", list(FILES))
def test_page_draws_the_json(name: str, tmp_path: Path) -> None:
    shapelens_graph(FILES[name], "json", tmp_path / "g.json")
    shapelens_graph(FILES[name], "html", tmp_path / "g.html")
    first = json.loads((tmp_path / "g.json").read_text())["models"][0]
    seen = in_browser(tmp_path / "g.html", ARTIFACTS / name)
    print(json.dumps(seen))
    assert seen["requests"] == [] and seen["errors"] == []
    assert seen["unfolded"]["nodes"] == len(first["nodes"])
    assert seen["unfolded"]["edges"] == len(first["edges"])
    assert seen["unfolded"]["edgeLabels"] == len(first["edges"])  # every edge shows its shape
    assert seen["unfolded"]["boxes"] == 0
    if any(g["repeat"] > 1 for g in first["groups"]):
        assert seen["folded"]["nodes"] < len(first["nodes"])
        assert any(" x " in label for label in seen["folded"]["boxLabels"])
        assert seen["afterBoxClick"]["boxes"] == seen["folded"]["boxes"] - 1
    assert (ARTIFACTS / name / "graph-unfolded.png").stat().st_size > 10_000


def test_nested_models_open_in_place_connected(tmp_path: Path) -> None:
    gan = FILES["gan"]
    proc = subprocess.run([sys.executable, "-m", "shapelens.cli", "graph", str(gan), "--format",
                           "json", "--model", "gan"], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "server")}, check=False)
    models = {m["name"]: m for m in json.loads(proc.stdout)["models"]}
    html = subprocess.run([sys.executable, "-m", "shapelens.cli", "graph", str(gan), "--model",
                           "gan", "-o", str(tmp_path / "g.html")], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "server")},
                          check=False)
    assert html.returncode == 0, html.stderr
    seen = in_browser(tmp_path / "g.html", ARTIFACTS / "gan-nested")
    print(json.dumps(seen))
    outer = models["gan"]
    inner = [m for name, m in models.items() if name != "gan"]
    # folded: each nested model one box, wired as the outer graph is
    assert seen["folded"]["boxes"] == len(inner) == 2
    assert seen["folded"]["edges"] == len(outer["edges"])
    # open: every inner layer and edge, plus the outer edges entering and leaving them
    assert seen["unfolded"]["nodes"] == len(outer["nodes"]) - 2 + sum(len(m["nodes"])
                                                                       for m in inner)
    assert seen["unfolded"]["edges"] == len(outer["edges"]) + sum(len(m["edges"]) for m in inner)
    assert seen["errors"] == [] and seen["requests"] == []
