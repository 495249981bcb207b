"""Prints how many property-test cases each engine family ran (issue: >= 2,000 in all), and the
keras.ops coverage per family when the coverage test ran (covered / shape-determinable / total).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from shapelens.engine.opargs import keras_ops
from shapelens.engine.registry import known_ops


def ops_coverage() -> dict[str, tuple[int, int, int]]:
    """Per keras.ops family: functions covered, with a determinable shape, and in all."""
    ops = set(known_ops())
    covered: Counter[str] = Counter()
    determinable: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for name, entry in keras_ops().items():
        family = entry["module"]
        total[family] += 1
        determinable[family] += entry["shape"] == "determinable"
        covered[family] += f"keras.ops.{name}" in ops
    return {f: (covered[f], determinable[f], total[f]) for f in sorted(total)}


def _ran(terminalreporter: Any, fragment: str) -> bool:
    return any(
        fragment in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support.keras_truth import FAMILY_COUNTS

    if FAMILY_COUNTS:
        terminalreporter.section("engine property cases per family")
        for family, n in sorted(FAMILY_COUNTS.items()):
            terminalreporter.write_line(f"{family:>16}: {n}")
        terminalreporter.write_line(f"{'total':>16}: {sum(FAMILY_COUNTS.values())}")
    if _ran(terminalreporter, "test_ops_coverage.py"):
        terminalreporter.section("keras.ops coverage per family (covered / determinable / total)")
        rows = ops_coverage()
        for family, (c, d, t) in rows.items():
            terminalreporter.write_line(f"{family:>16}: {c} / {d} / {t}")
        sums = [sum(r[i] for r in rows.values()) for i in range(3)]
        terminalreporter.write_line(f"{'total':>16}: {sums[0]} / {sums[1]} / {sums[2]}")
