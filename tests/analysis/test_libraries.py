"""Installed model libraries read from source, never imported: every public builder of
keras_unet_collection, kimm and KerasHub that builds offline, compared with TensorFlow.

Each builder gets a small user file (support/library_builders.py) that builds the model and calls
it on its own inputs; TensorFlow records that call's outputs, ShapeLens must give the same or `?`
with a reason: never a wrong shape, never an error. The figures per library (exact / unknown /
total) are printed at the end of the run (conftest.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import compare
from shapelens.analysis import Options, analyze
from shapelens.analysis.analyzer import Analyzer
from shapelens.analysis.core import installed
from shapelens.analysis.core.modules import reads_installed
from shapelens.analysis.core.values import ExternalRef
from shapelens.engine import Unknown
from support.library_builders import LIBRARIES, MODEL_CALL, Builder, builders, user_file

# Builders per TensorFlow process: one process imports TF and the library once for a chunk.
CHUNK = {"keras_unet_collection": 5, "kimm": 5, "keras_hub": 6}
# The analysis budget for one user file: the library's modules are read within it.
BUDGET = 5.0
# TensorFlow's truth per chunk: a worker can take one chunk at a time (2 cores, ~1 GB each).
TIMEOUT = 900


def chunks(compared: bool) -> list[tuple[str, int]]:
    out = []
    for library in LIBRARIES:
        n = len(_built(library, compared))
        out += [(library, i) for i in range(0, n, CHUNK[library] * (1 if compared else 4))]
    return out


def _built(library: str, compared: bool) -> list[Builder]:
    return [b for b in builders(library) if b.call and b.compared == compared]


def _chunk(library: str, start: int, compared: bool = True) -> list[Builder]:
    size = CHUNK[library] * (1 if compared else 4)
    return _built(library, compared)[start : start + size]


@cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="shapelens-libs-"))


def _path(b: Builder) -> Path:
    path = _folder() / b.library / f"{b.name}.py"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(user_file(b), encoding="utf-8")
    return path


def _truths(library: str, start: int) -> dict[str, Any]:
    """TensorFlow building the chunk's models, in one subprocess (support/truth_recorder.py)."""
    paths = [str(_path(b).resolve()) for b in _chunk(library, start)]
    tests_dir = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(tests_dir) + os.pathsep + os.environ.get(
        "PYTHONPATH", ""), "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-m", "support.truth_recorder", *paths],
                          capture_output=True, text=True, timeout=TIMEOUT, env=env,
                          cwd=tests_dir, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def _listed(value: Any) -> Any:
    """A dict of outputs as ShapeLens' JSON gives it (docs/cli-json.md): its values, in order."""
    if isinstance(value, dict):
        return [_listed(v) for v in value.values()]
    if isinstance(value, list):
        return [_listed(v) for v in value]
    return value


def _reason(analysis: Any, path: str) -> str | None:
    """Why the compared site is not exact, as ShapeLens says it (a hover's reason)."""
    for site in analysis.sites_for(path):
        if (site.pos.line, site.pos.column) == MODEL_CALL:
            reasons = [e.unknown for e in site.evaluations if e.unknown]
            return reasons[0] if reasons else None
    return analysis.stopped


def _errors(analysis: Any) -> list[tuple[str, str, str]]:
    return [(p, f.code, f.message) for p, fs in analysis.findings.items() for f in fs
            if f.severity == "error"]


@pytest.mark.parametrize(("library", "start"), chunks(compared=True))
def test_library_builders_are_exact_or_unknown(library: str, start: int,
                                               record_property: Any) -> None:
    truths = _truths(library, start)
    figures = {"exact": 0, "unknown": 0, "not built by TensorFlow": 0, "no call recorded": 0}
    for b in _chunk(library, start):
        path = str(_path(b).resolve())
        truth = {**truths[path], "sites": [{**s, "outputs": _listed(s["outputs"])}
                                          for s in truths[path]["sites"]]}
        if truth["error"] is not None:
            # TensorFlow cannot build it offline with these arguments: not compared.
            print(f"{library}.{b.name}: TensorFlow: {truth['error']['message'][:200]}")
            figures["not built by TensorFlow"] += 1
            continue
        analysis = analyze(path, options=Options(time_budget=BUDGET))
        c = compare(truth, analysis, path)
        errors = _errors(analysis)
        assert errors == [], f"{b.name}: a false error on a model TensorFlow builds: {errors}"
        assert c.wrong == [], f"{b.name}: {c.summary()}"
        if MODEL_CALL not in [(s["line"], s["column"]) for s in truth["sites"]]:
            # The recorder saw the call elsewhere (a backbone that calls itself in __init__).
            print(f"{library}.{b.name}: TensorFlow recorded no call at line 5: {truth['sites']}")
            figures["no call recorded"] += 1
            continue
        assert c.extra == [], f"{b.name}: {c.summary()}"
        if MODEL_CALL in c.exact:
            figures["exact"] += 1
            continue
        reason = _reason(analysis, path)
        print(f"{library}.{b.name}: ? {reason}")
        assert reason, f"{b.name}: not exact and no reason given: {c.summary()}"
        figures["unknown"] += 1
    record_property("library_figures", json.dumps({library: figures}))


@pytest.mark.parametrize(("library", "start"), chunks(compared=False))
def test_library_builders_analysed_without_error(library: str, start: int,
                                                 record_property: Any) -> None:
    """The builders not compared (kimm's larger variants): analysed in budget, no error; the
    model call's shape or `?` with a reason."""
    shown = unknown = 0
    for b in _chunk(library, start, compared=False):
        path = str(_path(b).resolve())
        analysis = analyze(path, options=Options(time_budget=BUDGET))
        assert _errors(analysis) == [], b.name
        if any((s.pos.line, s.pos.column) == MODEL_CALL and s.outputs and None not in s.outputs
               for s in analysis.sites_for(path)):
            shown += 1
        else:
            assert _reason(analysis, path), f"{b.name}: no shape and no reason"
            unknown += 1
    record_property("library_figures", json.dumps(
        {library: {"analysed only, shape shown": shown, "analysed only, unknown": unknown}}))


def test_every_library_lists_builders() -> None:
    """The enumeration itself: each library's public builders found in its installed source."""
    for library in LIBRARIES:
        built = [b for b in builders(library) if b.call]
        not_built = [f"{b.name} ({', '.join(b.missing)})" for b in builders(library) if not b.call]
        print(f"{library}: {len(built)} builders built, no arguments for {len(not_built)}: "
              f"{'; '.join(not_built)}")
        assert built, library


def _run(tmp_path: Path, body: str) -> tuple[Analyzer, dict[str, Any]]:
    path = tmp_path / "user.py"
    path.write_text(body, encoding="utf-8")
    an = Analyzer(Options(time_budget=BUDGET))
    an.analyze(str(path))
    return an, an.modules[str(path.resolve())].env.vars  # type: ignore[union-attr]


def test_from_preset_is_unknown_with_its_reason(tmp_path: Path) -> None:
    """`from_preset` needs a download: `?` with that reason, and no error."""
    an, env = _run(tmp_path, "import keras_hub\n\n"
                   'model = keras_hub.models.ResNetBackbone.from_preset("resnet_18_imagenet")\n'
                   "outputs = model(model.input)\n")
    assert isinstance(env["model"], Unknown)
    assert "downloads the preset" in env["model"].reason
    assert isinstance(env["outputs"], Unknown)
    assert not an.errored


def test_a_package_not_listed_stays_opaque(tmp_path: Path) -> None:
    """An installed package that is not in the library table is never read (nor what a listed
    library imports from it: keras_hub imports kagglehub and tokenizers)."""
    an, env = _run(tmp_path, "import regex\nimport keras_hub\n\n"
                   "backbone = keras_hub.models.VGGBackbone(stackwise_num_repeats=[1, 1], "
                   "stackwise_num_filters=[16, 32])\n")
    read = [p for p, ctx in an.modules.items() if ctx is not None and "site-packages" in p]
    assert read, "keras_hub's modules are read"
    assert all(reads_installed(an.modules[p].name) for p in read), read  # type: ignore[union-attr]
    assert not any(f"{os.sep}{name}{os.sep}" in p for p in read
                   for name in ("regex", "kagglehub", "tokenizers"))
    assert isinstance(env["regex"], ExternalRef)


def test_installed_modules_are_parsed_once_per_version(tmp_path: Path) -> None:
    """A second analysis reads the library's modules from the parse cache: no new parse."""
    body = ("from keras_unet_collection import models\n\n"
            "model = models.unet_2d((64, 64, 3), [16, 32], n_labels=2)\n")
    _run(tmp_path, body)
    before = installed.cached_count()
    assert before > 0
    _, env = _run(tmp_path, body)
    assert installed.cached_count() == before
    assert not isinstance(env["model"], Unknown), env["model"]
    dist, version = installed.package_version("keras_unet_collection")
    assert (dist.lower().replace("_", "-"), version) == ("keras-unet-collection", "0.1.13")
