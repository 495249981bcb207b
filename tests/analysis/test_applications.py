"""Real code no one here wrote: every keras.applications module, analysed and compared line by line
with TensorFlow building each of its models (`weights=None`).

Each module's installed source is copied unchanged, with one line per builder appended that calls
it with `weights=None` (what the recorder runs); the analyser reads that same text. resnet_v2's
builders live in resnet.py: its copy imports the resnet.py copy beside it, compared as well.
"""

from __future__ import annotations

import ast
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import Comparison, compare
from shapelens.analysis import Options, analyze

MODULES = [
    "vgg16", "resnet", "resnet_v2", "mobilenet", "mobilenet_v2", "mobilenet_v3", "densenet",
    "xception", "inception_v3", "inception_resnet_v2", "efficientnet", "efficientnet_v2",
    "nasnet", "convnext",
]  # fmt: skip


def installed_source(module: str) -> Path:
    """The installed file, found on sys.path without importing anything."""
    for root in sys.path:
        cand = Path(root, "keras", "src", "applications", f"{module}.py")
        if cand.is_file():
            return cand
    raise FileNotFoundError(module)


def builders(tree: ast.Module) -> list[str]:
    """Top-level model builders: public functions taking `weights`, every parameter defaulted."""
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            a = node.args
            names = [p.arg for p in a.args]
            if "weights" in names and len(a.defaults) == len(a.args):
                out.append(node.name)
    return out


@cache
def copies() -> dict[str, Path]:
    folder = Path(tempfile.mkdtemp(prefix="shapelens-apps-"))
    out = {}
    for module in MODULES:
        src = installed_source(module).read_text(encoding="utf-8")
        # Same line count: resnet_v2 uses the resnet.py copy, so its sites land where we compare.
        src = src.replace("from keras.src.applications import resnet\n", "import resnet\n")
        calls = "".join(f"_{n.lower()} = {n}(weights=None)\n" for n in builders(ast.parse(src)))
        path = folder / f"{module}.py"
        path.write_text(src + "\n\n" + calls, encoding="utf-8")
        out[module] = path
    return out


@cache
def truths() -> dict[str, Any]:
    from support.truth_recorder import record_in_subprocess

    # One process per module: all the applications' weights at once in this one held ~10 GB.
    return {os.path.realpath(p): record_in_subprocess(p, timeout=1800) for p in copies().values()}


# Modules whose models are built by another module's code: compare the sites there.
BUILT_IN = {"resnet_v2": "resnet"}


@cache
def comparisons() -> dict[str, Comparison]:
    out = {}
    for module, path in copies().items():
        truth = truths()[os.path.realpath(path)]
        analysis = analyze(str(path), options=Options(time_budget=120.0))
        if module in BUILT_IN:
            other = copies()[BUILT_IN[module]]
            # The recorder names imported files relative to the model file's folder.
            sites = [s for s in truth.get("imported_sites", [])
                     if os.path.realpath(path.parent / s["file"]) == os.path.realpath(other)]
            truth = {"sites": sites, "error": truth["error"]}
            path = other
        out[module] = compare(truth, analysis, str(path))
    return out


@pytest.mark.parametrize("module", MODULES)
def test_application_has_no_wrong_shape(module: str) -> None:
    c = comparisons()[module]
    print(c.summary())
    assert c.exact, "the comparison saw no site"
    assert truths()[os.path.realpath(copies()[module])]["error"] is None
    assert c.wrong == [], c.summary()
    assert c.extra == [], c.summary()
    assert c.error_lines == [], "no false error on code Keras builds"


def test_applications_are_99_percent_exact() -> None:
    rows = comparisons()
    exact = sum(len(c.exact) for c in rows.values())
    total = exact + sum(len(c.wrong) + len(c.unknown) + len(c.missing) for c in rows.values())
    for module, c in rows.items():
        print(f"{module:>20}: exact {len(c.exact)}, wrong {len(c.wrong)}, "
              f"unknown {len(c.unknown) + len(c.missing)}")
    print(f"{'all':>20}: {exact}/{total} exact ({100.0 * exact / total:.2f}%)")
    assert exact >= 0.99 * total
