"""Prints how many property-test cases each engine family ran (issue: >= 2,000 in all), and the
keras.ops coverage per family when the coverage test ran (covered / shape-determinable / total).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from shapelens.engine.opargs import keras_ops
from shapelens.engine.registry import known_ops


@pytest.fixture(scope="session")
def keras_api() -> Any:
    """Keras, loaded when a test first asks: importing TensorFlow at collection time would load
    `gast`, whose node classes subclass `ast`'s and change what test_architecture collects."""
    return pytest.importorskip("keras")


def ops_coverage() -> dict[str, tuple[int, int, int, int]]:
    """Per keras.ops family: determinable functions covered, functions with a determinable shape,
    all functions, and the data-dependent ones covered with the None dims Keras states."""
    ops = set(known_ops())
    covered: Counter[str] = Counter()
    determinable: Counter[str] = Counter()
    total: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for name, entry in keras_ops().items():
        family = entry["module"]
        total[family] += 1
        is_determinable = entry["shape"] == "determinable"
        determinable[family] += is_determinable
        if f"keras.ops.{name}" in ops:
            (covered if is_determinable else others)[family] += 1
    return {f: (covered[f], determinable[f], total[f], others[f]) for f in sorted(total)}


def _ran(terminalreporter: Any, fragment: str) -> bool:
    return any(
        fragment in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support.keras_truth import FAMILY_COUNTS
    from support.library_builders import print_figures

    print_figures(terminalreporter)
    if FAMILY_COUNTS:
        terminalreporter.section("engine property cases per family")
        for family, n in sorted(FAMILY_COUNTS.items()):
            terminalreporter.write_line(f"{family:>16}: {n}")
        terminalreporter.write_line(f"{'total':>16}: {sum(FAMILY_COUNTS.values())}")
    if _ran(terminalreporter, "test_ops_coverage.py"):
        terminalreporter.section("keras.ops coverage per family (covered / determinable / total)")
        rows = ops_coverage()
        for family, (c, d, t, o) in [*rows.items(), ("total", tuple(
                sum(r[i] for r in rows.values()) for i in range(4)))]:
            more = f"  (+{o} data-dependent, with Keras' None dims)" if o else ""
            terminalreporter.write_line(f"{family:>16}: {c} / {d} / {t}{more}")
