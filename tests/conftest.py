"""Prints how many property-test cases each engine family ran (issue: >= 2,000 in all)."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support.keras_truth import FAMILY_COUNTS

    if FAMILY_COUNTS:
        terminalreporter.section("engine property cases per family")
        for family, n in sorted(FAMILY_COUNTS.items()):
            terminalreporter.write_line(f"{family:>16}: {n}")
        terminalreporter.write_line(f"{'total':>16}: {sum(FAMILY_COUNTS.values())}")
