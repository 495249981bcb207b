"""Line-by-line comparison of the analyser's sites with what TensorFlow recorded for a file.

Used by test_corpus.py and test_applications.py; a site is keyed by (line, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shapelens.analysis import Analysis


@dataclass
class Comparison:
    path: str
    exact: list[tuple[int, int]] = field(default_factory=list)
    wrong: list[tuple[tuple[int, int], Any, Any]] = field(
        default_factory=list
    )  # (pos, truth, ours)
    unknown: list[tuple[tuple[int, int], Any]] = field(default_factory=list)
    missing: list[tuple[tuple[int, int], Any]] = field(default_factory=list)
    extra: list[tuple[tuple[int, int], Any]] = field(default_factory=list)
    error_truth: int | None = None
    error_lines: list[int] = field(default_factory=list)

    @property
    def error_ok(self) -> bool:
        want = [] if self.error_truth is None else [self.error_truth]
        return sorted(set(self.error_lines)) == want

    def summary(self) -> str:
        return (
            f"{self.path}: exact {len(self.exact)}, wrong {len(self.wrong)}, unknown "
            f"{len(self.unknown)}, missing {len(self.missing)}, extra {len(self.extra)}, "
            f"error truth={self.error_truth} ours={sorted(set(self.error_lines))}"
        )


def _has_unknown(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, list):
        return any(_has_unknown(x) for x in v)
    return False


def _agrees(truth: Any, ours: Any) -> bool | None:
    """One output: True equal, False contradicts, None ours unknown where truth is known."""
    if truth == ours:
        return True
    if ours is None:
        return None
    if isinstance(truth, list) and isinstance(ours, list) and len(truth) == len(ours):
        parts = [_agrees(t, o) for t, o in zip(truth, ours)]
        if all(p is not False for p in parts):
            return None
    return False


def _verdict(truth: list[Any], ours: list[Any]) -> bool | None:
    """A site: True exact, False some shape of ours TF never produced, None partly unknown."""
    if truth == ours:
        return True
    verdicts = []
    for o in ours:
        best = max((_agrees(t, o) is True) * 2 + (_agrees(t, o) is None) for t in truth)
        verdicts.append({2: True, 1: None, 0: False}[best])
    if False in verdicts:
        return False
    return None


def compare(truth: dict[str, Any], analysis: Analysis, path: str) -> Comparison:
    c = Comparison(path)
    # Keras stops at a file's first error; what we saw after it, TensorFlow never did.
    ours = {
        (s.pos.line, s.pos.column): s.outputs_before_error
        for s in analysis.sites_for(path)
        if s.outputs_before_error
    }
    err = truth.get("error")
    c.error_truth = err["line"] if err else None
    c.error_lines = [f.pos.line for f in analysis.findings_for(path) if f.severity == "error"]
    seen = set()
    for site in truth["sites"]:
        key = (site["line"], site["column"])
        seen.add(key)
        if key not in ours:
            c.missing.append((key, site["outputs"]))
            continue
        verdict = _verdict(site["outputs"], ours[key])
        if verdict is True:
            c.exact.append(key)
        elif verdict is None:
            c.unknown.append((key, ours[key]))
        else:
            c.wrong.append((key, site["outputs"], ours[key]))
    for key, outs in ours.items():
        if key in seen or (c.error_truth is not None and key[0] >= c.error_truth):
            continue
        c.extra.append((key, outs))
    return c
