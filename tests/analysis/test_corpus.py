"""The analyser equals TensorFlow on every site of every corpus file (and the bundled examples).

Truth: tests/support/truth_recorder.py runs each file under TF 2.21 and records the shapes seen at
each call; the analyser must give exactly those, no unknowns, and exactly TF's build error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus_compare import compare
from shapelens.analysis import Options, analyze

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "analysis" / "corpus").glob("*.py")) + sorted(
    (ROOT / "examples").glob("*.py")
)


@cache
def truths() -> dict[str, Any]:
    from support.truth_recorder import record_many

    return {str(Path(k).resolve()): v for k, v in record_many([str(f) for f in FILES]).items()}


def test_corpus_is_large_enough() -> None:
    corpus = [f for f in FILES if "corpus" in f.parts]
    assert len(corpus) >= 25
    assert sum(1 for f in corpus if f.name.startswith("broken_")) >= 6


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_analyser_equals_tensorflow(path: Path) -> None:
    truth = truths()[str(path.resolve())]
    analysis = analyze(str(path), options=Options(strict=True))
    c = compare(truth, analysis, str(path))
    assert c.wrong == [], c.summary()
    assert c.missing == [], c.summary()
    assert c.extra == [], c.summary()
    assert c.unknown == [], c.summary()
    assert c.error_ok, c.summary()
    assert truth["sites"], "the recorder saw no site: the file builds nothing"
