"""Prints how many property-test cases each engine family ran (issue: >= 2,000 in all), the
keras.ops coverage per family and the TF coverage per namespace when the coverage tests ran
(covered / shape-determinable / total, and what is left with why).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from engine.tfcases_left import LEFT
from shapelens.engine.opargs import keras_ops
from shapelens.engine.registry import known_ops
from shapelens.engine.tfargs import tf_ops


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


def tf_coverage() -> dict[str, tuple[int, int, int, int, list[str], Counter[str]]]:
    """Per TF namespace: determinable functions covered, determinable, all, the others covered
    (data-dependent, with TF's None dims), the determinable ones left, the rest by kind."""
    ops = set(known_ops())
    rows: dict[str, tuple[int, int, int, int, list[str], Counter[str]]] = {}
    for path, entry in tf_ops().items():
        c, d, t, o, left, kinds = rows.get(entry["namespace"], (0, 0, 0, 0, [], Counter()))
        is_det = entry["shape"] == "determinable"
        covered = path in ops
        if is_det and not covered:
            left.append(path.rsplit(".", 1)[-1])
        if not is_det:
            kinds[entry["shape"]] += 1
        rows[entry["namespace"]] = (c + (is_det and covered), d + is_det, t + 1,
                                    o + (covered and not is_det), left, kinds)
    return dict(sorted(rows.items()))


def _ran(terminalreporter: Any, fragment: str) -> bool:
    return any(
        fragment in getattr(report, "nodeid", "")
        for reports in terminalreporter.stats.values()
        for report in reports
    )


def symbolic_tally(terminalreporter: Any, key: str) -> None:
    """The per-family tally the symbolic tests record (`record_property(key, (family, formulas,
    opened, missing))`; reports carry it across xdist workers): openings with a formula / opened,
    and why the rest have none."""
    rows: dict[str, list[int]] = {}
    why: dict[str, Counter[str]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name != key or getattr(report, "when", "call") != "call":
                    continue
                family, formulas, opened, missing = value
                row = rows.setdefault(family, [0, 0])
                row[0] += formulas
                row[1] += opened
                why.setdefault(family, Counter()).update(m.split(" [")[0] + ": " +
                                                         m.rsplit(": ", 1)[-1] for m in missing)
    if not rows:
        return
    terminalreporter.section(f"{key}: openings with a formula / opened, per family")
    for family, (f, o) in sorted(rows.items()):
        terminalreporter.write_line(f"{family:>22}: {f} / {o}")
        for text, n in sorted(why[family].items()):
            terminalreporter.write_line(f"{'':>24}no formula: {text} x{n}")
    total = [sum(r[i] for r in rows.values()) for i in range(2)]
    terminalreporter.write_line(f"{'total':>22}: {total[0]} / {total[1]}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from support.keras_truth import FAMILY_COUNTS
    from support.library_builders import print_figures

    print_figures(terminalreporter)
    symbolic_tally(terminalreporter, "symbolic_layers")
    symbolic_tally(terminalreporter, "symbolic_tf")
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
    if _ran(terminalreporter, "test_tf_ops_coverage.py"):
        terminalreporter.section("tf coverage per namespace (covered / determinable / total)")
        for ns, (c, d, t, o, left, kinds) in tf_coverage().items():
            more = f"  (+{o} data-dependent, with TF's None dims)" if o else ""
            terminalreporter.write_line(f"{ns:>16}: {c} / {d} / {t}{more}")
            rest = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            if rest:
                terminalreporter.write_line(f"{'':>18}not determinable: {rest} (tf_ops.json "
                                            "says why for each)")
            for name in left:
                prefix = "keras.backend" if ns == "tf.keras.backend" else ns
                why = LEFT.get(f"{prefix}.{name}", "not modelled yet")
                terminalreporter.write_line(f"{'':>18}left: {name}: {why}")
