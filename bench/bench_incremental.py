"""The analyser alone, in this process: CPU per edit, incremental (the parse before the edit
given, the answers kept) beside fresh (nothing kept), each result checked equal to the other.

Run from the repository root, inside the venv:

    python bench/bench_incremental.py [--runs N]

Edits as in bench_server.py (a filter count digit, alternately +1 and back): the U-Net's conv1,
the generated 1,000- and 10,000-line models' middle bottleneck, and inside their helper
`bottleneck_block`. The time budget is 60 s here, so the 10,000-line model is analysed whole
(the server stops at 1 s). CPU time (`time.process_time`) moves less with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from bench_server import UNET, generate_model, helper_edit

from shapelens.analysis import Analysis, Analyzer, Options, forget_kept

BUDGET = 60.0


def retyped(text: str, row: int, col: int, k: int) -> str:
    lines = text.split("\n")
    digit = lines[row][col]
    new = str((int(digit) + 1) % 10) if k % 2 == 0 else digit
    lines[row] = lines[row][:col] + new + lines[row][col + 1:]
    return "\n".join(lines)


def shown(analysis: Analysis) -> str:
    return repr((analysis.sites, analysis.findings, analysis.stopped))


def measure(name: str, text: str, row: int, col: int, runs: int) -> None:
    first = Analyzer(Options(time_budget=BUDGET))
    first.analyze(name, text)
    previous = first.parsed
    incremental, fresh, got = [], [], []
    for k in range(runs):  # the server as it runs: the parse before, the answers kept
        edited = retyped(text, row, col, k)
        t0 = time.process_time()
        analyzer = Analyzer(Options(time_budget=BUDGET, previous=previous))
        got.append(shown(analyzer.analyze(name, edited)))
        incremental.append(time.process_time() - t0)
        previous = analyzer.parsed
    for k in range(runs):  # from scratch: nothing kept
        edited = retyped(text, row, col, k)
        t0 = time.process_time()
        forget_kept()
        want = Analyzer(Options(time_budget=BUDGET)).analyze(name, edited)
        fresh.append(time.process_time() - t0)
        if got[k] != shown(want):
            print(f"  ! {name}: edit {k + 1} differs from a fresh analysis")
    inc, fr = statistics.median(incremental), statistics.median(fresh)
    print(f"  {name:<36} {inc * 1000:9.1f} ms {fr * 1000:9.1f} ms  {1 - inc / fr:6.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="edits per case (default 10)")
    args = parser.parse_args(argv)
    print(f"load {os.getloadavg()[0]:.2f}; runs={args.runs}; CPU per edit, median")
    print(f"  {'edit':<36} {'incremental':>12} {'fresh':>12}  {'saved':>6}")
    unet = UNET.read_text(encoding="utf-8")
    line = unet.split("\n")[12]
    measure("U-Net: conv1", unet, 12, line.index("Conv2D(") + len("Conv2D(") + 1, args.runs * 2)
    for size in (1000, 10000):
        text, row, col = generate_model(size)
        runs = args.runs if size <= 1000 else max(2, args.runs // 3)
        n = text.count("\n")
        measure(f"{n:,} lines: middle", text, row, col, runs)
        measure(f"{n:,} lines: inside a helper", text, *helper_edit(text), runs)
    print(f"load {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
