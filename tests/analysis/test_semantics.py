"""The Python-semantics table: each construct, as a small model file, gets TensorFlow's shapes.

Rows are in semantics_rows.py; the truth of each is recorded by running it under TensorFlow 2.21.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from analysis.corpus_compare import compare
from analysis.semantics_rows import PENDING, ROWS, Row
from shapelens.analysis import Options, analyze


@pytest.fixture(scope="session")
def truth_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Row], tuple[str, Any]]:
    """Each row written to its own folder and run under TensorFlow once per session."""
    from support.truth_recorder import record

    base = tmp_path_factory.mktemp("semantics")
    cache: dict[str, tuple[str, Any]] = {}

    def get(row: Row) -> tuple[str, Any]:
        if row.id not in cache:
            path = base / row.id / "model.py"
            path.parent.mkdir()
            path.write_text(row.code, encoding="utf-8")
            cache[row.id] = (str(path), record(path))
        return cache[row.id]

    return get


def disagreements(row: Row, path: str, truth: dict[str, Any]) -> list[str]:
    """Where the analyser differs from TensorFlow on this row (empty: it agrees)."""
    try:
        analysis = analyze(path, row.code, Options(strict=True))
    except Exception as exc:  # strict mode: a construct with no handler raises
        return [f"the analyser raised {type(exc).__name__}: {exc}"]
    c = compare(truth, analysis, path)
    marked = row.unknown_lines
    told = {(t["line"], t["column"]): t["outputs"] for t in truth["sites"]}
    # Per site, the reasons given for each output that is not one of TensorFlow's.
    reasons = {
        (s.pos.line, s.pos.column): [
            e.unknown
            for e in s.evaluations
            if e.outputs not in told.get((s.pos.line, s.pos.column), [])
        ]
        for s in analysis.sites_for(path)
    }
    problems = [f"line {pos[0]}: TF {t}, ShapeLens {o}" for pos, t, o in c.wrong]
    problems += [f"line {pos[0]}: TF {t}, ShapeLens no site" for pos, t in c.missing]
    for pos, ours in c.unknown:
        if pos[0] not in marked:
            problems.append(f"line {pos[0]}: ShapeLens {ours} where TF knows the shape")
        elif not all(reasons.get(pos, [None])):
            problems.append(f"line {pos[0]}: ShapeLens says ? with no reason")
    problems += [f"line {p[0]}: a site TF never ran: {o}" for p, o in c.extra if p[0] not in marked]
    if not c.error_ok:
        err = truth["error"]
        said = [
            (f.pos.line, f.message) for f in analysis.findings_for(path) if f.severity == "error"
        ]
        problems.append(f"errors: TF {err and (err['line'], err['message'])}, ShapeLens {said}")
    return problems


def test_the_table_is_large_and_well_formed() -> None:
    ids = [r.id for r in ROWS]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)
    assert set(ids) >= PENDING
    for r in ROWS:
        assert bool(r.unknown) == bool(r.unknown_lines), f"{r.id}: `# ?` lines need a reason"


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_row_agrees_with_tensorflow(row: Row, truth_of: Callable[[Row], tuple[str, Any]]) -> None:
    path, truth = truth_of(row)
    assert truth["sites"] or truth["error"], f"{row.id}: TensorFlow ran no site"
    problems = disagreements(row, path, truth)
    if row.id in PENDING:
        assert problems, f"{row.id} now agrees with TensorFlow: remove it from PENDING"
    else:
        assert not problems, "\n".join([row.id, *problems])
