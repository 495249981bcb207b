"""Time `shapelens check` on the bundled U-Net against what a user does today (TF + summary()).

Run from the repository root, inside the venv:

    python bench/bench_check.py [--runs N] [--file examples/unet.py]

Measures, in one run, side by side:
  (a) `shapelens check FILE` as a fresh process (wall time, median of N runs), and the
      in-process `shapelens.analysis.analyze()` call alone (median of many runs);
  (b) a fresh `python -c` process that imports TensorFlow, builds the same model by calling
      `unet()` from FILE and prints `model.summary()` (median of N runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = "examples/unet.py"

# What a user runs today to see the shapes: import TF, build the model, print the summary.
TF_SCRIPT = """\
import importlib.util, sys
import tensorflow as tf
spec = importlib.util.spec_from_file_location("bench_unet", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
model = mod.unet()
model.summary()
"""


def _shapelens_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("shapelens")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("shapelens")
    return [found] if found else [sys.executable, "-m", "shapelens.cli"]


def _time_process(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):  # 1: the file has shape errors, still a full run
            sys.exit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return times


def _time_in_process(path: Path, runs: int) -> tuple[float, list[float], int]:
    from shapelens.analysis import analyze

    text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    first = analyze(str(path), text)
    first_time = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        analyze(str(path), text)
        times.append(time.perf_counter() - start)
    return first_time, times, len(first.sites_for())


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms" if seconds < 10 else f"{seconds:9.2f} s "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3,
                        help="fresh-process runs for each command (default 3; TF takes seconds)")
    parser.add_argument("--inproc-runs", type=int, default=200,
                        help="in-process analyze() runs (default 200)")
    parser.add_argument("--file", default=DEFAULT_FILE,
                        help=f"model file defining unet() (default {DEFAULT_FILE})")
    args = parser.parse_args(argv)
    path = (ROOT / args.file).resolve()
    if not path.is_file():
        print(f"bench: {args.file} does not exist", file=sys.stderr)
        return 2
    rel = os.path.relpath(path, ROOT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONDONTWRITEBYTECODE="1")

    print(f"file: {rel}")
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, runs={args.runs}, in-process runs={args.inproc_runs}")

    check = _time_process([*_shapelens_cmd(), "check", rel], args.runs, env)
    first, inproc, n_sites = _time_in_process(path, args.inproc_runs)
    tf = _time_process([sys.executable, "-c", TF_SCRIPT, rel], args.runs, env)

    check_med, inproc_med, tf_med = (statistics.median(x) for x in (check, inproc, tf))
    print()
    print(f"  shapelens check, fresh process  (median of {len(check):>3}): {_fmt(check_med)}"
          f"   [min {_fmt(min(check)).strip()}]")
    print(f"  analyze() in process            (median of {len(inproc):>3}): {_fmt(inproc_med)}"
          f"   [first call {_fmt(first).strip()}, {n_sites} sites]")
    print(f"  import TF + unet() + summary()  (median of {len(tf):>3}): {_fmt(tf_med)}"
          f"   [min {_fmt(min(tf)).strip()}]")
    print()
    print(f"  TF process / shapelens process: {tf_med / check_med:8.1f}x")
    print(f"  TF process / analyze() call:    {tf_med / inproc_med:8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
