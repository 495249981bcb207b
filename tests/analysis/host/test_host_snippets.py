"""Host arrays against numpy/TensorFlow themselves: each snippet of data-preparation code is run
under TF 2.21 (host_truth.py) and analysed; every layer site, every top-level array's shape and
dtype, number, shape tuple and dataset element must equal what TF gave, with no error finding.

A value the analysis cannot know is marked `# unknown` on its line: it must then be unknown with
a reason, never a shape, and no site (an array assigned from a call shows its shape only when it
is known; TF records one there, left out of the site comparison).
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import compare
from analysis.host.host_truth import run_in_subprocess
from shapelens.analysis import Analysis, Analyzer, Options
from shapelens.analysis.host.values import DatasetVal, HostArray
from shapelens.analysis.keras.values import TensorVal
from shapelens.engine import Unknown

SNIPPETS = sorted((Path(__file__).parent / "snippets").glob("*.py"))
IDS = [p.stem for p in SNIPPETS]


@cache
def truths() -> dict[str, Any]:
    return run_in_subprocess([str(p) for p in SNIPPETS])


@cache
def analysed(path: Path) -> tuple[Analysis, dict[str, Any]]:
    an = Analyzer(Options(strict=True))
    result = an.analyze(str(path))
    return result, dict(an.modules[os.path.abspath(str(path))].env.vars)


def marked_unknown(path: Path) -> set[str]:
    """Names assigned on a line marked `# unknown`."""
    lines = path.read_text().splitlines()
    names: set[str] = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Assign) and "# unknown" in lines[node.lineno - 1]:
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def _shape_structure(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_shape_structure(x) for x in v]
    if isinstance(v, dict):
        return {k: _shape_structure(x) for k, x in v.items()}
    return list(v.shape) if isinstance(v, HostArray) and v.shape is not None else None


def ours(v: Any) -> Any:
    """Our value in the truth's form (shape and dtype, int, tuple, dataset element shapes)."""
    if isinstance(v, HostArray):
        return {"shape": None if v.shape is None else list(v.shape), "dtype": v.dtype}
    if isinstance(v, TensorVal):
        return {"shape": None if v.shape is None else list(v.shape), "dtype": None}
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return {"int": v}
    if isinstance(v, tuple) and all(isinstance(d, int) for d in v):
        return {"tuple": list(v)}
    if isinstance(v, DatasetVal):
        return {"dataset": _shape_structure(v.element)}
    return None


def is_unknown_with_reason(v: Any) -> bool:
    if isinstance(v, Unknown):
        return bool(v.reason)
    if isinstance(v, HostArray):
        return (v.shape is None or None in v.shape) and bool(v.why)
    return False


@pytest.mark.parametrize("path", SNIPPETS, ids=IDS)
def test_sites_equal_tensorflow(path: Path) -> None:
    truth = truths()[str(path.resolve())]["sites"]
    analysis, _ = analysed(path)
    lines = path.read_text().splitlines()
    unknown = {n for n, text in enumerate(lines, 1) if "# unknown" in text}
    assert not unknown & {s.pos.line for s in analysis.sites_for(str(path))}
    truth = {**truth, "sites": [s for s in truth["sites"] if s["line"] not in unknown]}
    c = compare(truth, analysis, str(path))
    assert truth["error"] is None, truth["error"]
    assert c.wrong == [] and c.missing == [] and c.extra == [] and c.unknown == [], c.summary()


@pytest.mark.parametrize("path", SNIPPETS, ids=IDS)
def test_no_error_finding(path: Path) -> None:
    analysis, _ = analysed(path)
    errors = [f for f in analysis.findings_for(str(path)) if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("path", SNIPPETS, ids=IDS)
def test_values_equal_numpy(path: Path) -> None:
    truth = truths()[str(path.resolve())]["values"]
    _, env = analysed(path)
    unknown = marked_unknown(path)
    wrong = []
    for name, want in truth.items():
        got = env.get(name)
        if name in unknown:
            if not is_unknown_with_reason(got):
                wrong.append((name, want, ours(got), "should be unknown with a reason"))
            continue
        mine = ours(got)
        if mine is None or set(mine) != set(want) - ({"dtype"} if "dtype" not in mine else set()):
            wrong.append((name, want, mine))
        elif "shape" in want:
            if mine["shape"] != want["shape"] or mine["dtype"] not in (None, want["dtype"]):
                wrong.append((name, want, mine))
        elif mine != want:
            wrong.append((name, want, mine))
    assert wrong == []
    assert unknown <= set(truth), "a name marked unknown is not an array in the truth"
