"""What open sizes cost: the analyser on a model written with fixed sizes beside the same model
with `keras.Input((None, None, C))` (every shape also as formulas, every merge checked).

Run from the repository root, inside the venv:

    python bench/bench_symbolic.py [--runs N]

CPU time per analysis (`time.process_time`, median of N after one warm-up), in this process.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time

from bench_server import UNET, generate_model

from shapelens.analysis import Options, analyze

BUDGET = 60.0


def opened(text: str) -> str:
    """The same file with the Input's height and width left open."""
    out = re.sub(r"INPUT_SHAPE = \((\d+), (\d+), (\d+)\)", r"INPUT_SHAPE = (None, None, \3)", text)
    return re.sub(r"input_size ?= ?\((\d+), ?(\d+), ?(\d+)\)", r"input_size=(None, None, \3)", out)


def cpu_ms(path: str, runs: int) -> tuple[float, int, int]:
    analyze(path, options=Options(time_budget=BUDGET))
    times = []
    for _ in range(runs):
        start = time.process_time()
        analysis = analyze(path, options=Options(time_budget=BUDGET))
        times.append((time.process_time() - start) * 1000)
    sites = analysis.sites_for()
    formulas = sum(1 for s in sites if any(f is not None for f in s.symbolic))
    return statistics.median(times), len(sites), formulas


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    big, _, _ = generate_model(1000)
    files = {"U-Net (examples/unet.py)": UNET.read_text(), "generated 1,000 lines": big}
    print(f"{'model':<24}{'fixed sizes':>14}{'open sizes':>14}{'ratio':>8}  sites with a formula")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            fixed, open_ = os.path.join(tmp, "fixed.py"), os.path.join(tmp, "open.py")
            with open(fixed, "w") as f:
                f.write(text)
            with open(open_, "w") as f:
                f.write(opened(text))
            a, _, _ = cpu_ms(fixed, runs)
            b, m, k = cpu_ms(open_, runs)
            print(f"{name:<24}{a:>11.1f} ms{b:>11.1f} ms{b / a:>7.1f}x  {k} / {m}")
    print(f"(median CPU of {runs} analyses each; python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
