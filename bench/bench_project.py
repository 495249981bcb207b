"""Time `shapelens check` on a whole project: a generated 1,000-file tree, `-j 1` against `-j N`.

Run from the repository root, inside the venv:

    python bench/bench_project.py [--runs N] [--jobs 1 2 ...] [--files 1000] [--keep]

Writes, in a temporary folder, a tree of model files of mixed sizes: variants of examples/*.py
(the three U-Nets, one with its shape error), generated functional CNNs from a few lines to
several hundred (helper functions, loops, residual and separable blocks), notebooks, and files a
.gitignore skips. Then times `shapelens check --json TREE -j N` as a fresh process for each N
(median of --runs), prints wall time, files/s and the speed-up side by side, and checks that
every N printed the same bytes with the same exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
HEADER = "import keras\nfrom keras import layers\n\n"


def _shapelens_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("shapelens")
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("shapelens")
    return [found] if found else [sys.executable, "-m", "shapelens.cli"]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _autogroups() -> bool:
    # Linux groups processes by session for CPU fairness: -j N cannot take more than the
    # session's share of a machine other sessions keep busy.
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


# --- the tree ---------------------------------------------------------------------------------

def example_variant(text: str, i: int) -> str:
    """An example U-Net with another base width (every Conv2D(64 scaled): still a valid model."""
    width = (16, 32, 48, 64, 96)[i % 5]
    return f"# variant {i}\n" + text.replace("Conv2D(64,", f"Conv2D({width},")


def _block(rng: random.Random, n: int, size: int) -> tuple[list[str], int]:
    """One block of a generated model (statement lines at module level), and the new size."""
    w = rng.choice((16, 24, 32, 48, 64, 96, 128))
    kind = n % 4
    if kind == 0:
        return [f"x = conv_bn(x, {w})", f"x = conv_bn(x, {w})"], size
    if kind == 1:
        return [f"x = residual(x, {w})"], size
    if kind == 2:
        return [f"x = layers.SeparableConv2D({w}, 3, padding='same')(x)",
                "x = layers.BatchNormalization()(x)", "x = layers.ReLU()(x)"], size
    if size >= 8:
        return [f"for width in ({w}, {w * 2}):", "    x = conv_bn(x, width)",
                "x = layers.MaxPooling2D()(x)"], size // 2
    return [f"x = layers.Conv2D({w}, 1)(x)"], size


HELPERS = """\
def conv_bn(x, filters, kernel_size=3):
    x = layers.Conv2D(filters, kernel_size, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def residual(x, filters):
    shortcut = layers.Conv2D(filters, 1)(x)
    y = conv_bn(x, filters)
    y = layers.Conv2D(filters, 3, padding="same")(y)
    return layers.Add()([shortcut, y])


"""


def generated_model(rng: random.Random, blocks: int) -> list[str]:
    """A functional CNN of `blocks` blocks: its statements, one per line."""
    size = rng.choice((32, 64, 128, 224))
    lines = [f"inputs = keras.Input(({size}, {size}, 3))", "x = inputs"]
    for n in range(blocks):
        more, size = _block(rng, n, size)
        lines += more
    classes = rng.choice((2, 10, 100, 1000))
    return [*lines, "x = layers.GlobalAveragePooling2D()(x)",
            f"outputs = layers.Dense({classes})(x)", "model = keras.Model(inputs, outputs)"]


def notebook(lines: list[str]) -> str:
    """A notebook of the model: imports and helpers in one cell, then a cell per ~8 lines."""
    cells = [HEADER + HELPERS] + ["\n".join(lines[k:k + 8]) for k in range(0, len(lines), 8)]
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                   "source": c.splitlines(keepends=True)} for c in cells],
    })


def write_tree(root: Path, n_files: int, seed: int = 14) -> dict[str, int]:
    """Write the tree; return counts of what is in it."""
    rng = random.Random(seed)
    counts = {"examples": 0, "generated": 0, "notebooks": 0, "ignored": 0, "lines": 0}
    texts = [p.read_text(encoding="utf-8") for p in EXAMPLES]
    (root / ".gitignore").write_text("build/\n*_pb2.py\n", encoding="utf-8")
    for i in range(n_files):
        pkg = root / f"pkg{i % 10}" / f"sub{i % 7}"
        pkg.mkdir(parents=True, exist_ok=True)
        if i % 10 == 0:  # 10%: the examples' U-Nets (~40-50 sites each)
            name, text = f"unet_{i}.py", example_variant(texts[i % len(texts)], i)
            counts["examples"] += 1
        else:
            # Mostly small files, some medium, a few big: 5-15, 20-60, 150-300 blocks.
            r = rng.random()
            blocks = rng.randint(150, 300) if r < 0.03 else (
                rng.randint(20, 60) if r < 0.25 else rng.randint(5, 15))
            lines = generated_model(rng, blocks)
            if i % 20 == 1:
                name, text = f"nb_{i}.ipynb", notebook(lines)
                counts["notebooks"] += 1
            else:
                name, text = f"model_{i}.py", HEADER + HELPERS + "\n".join(lines) + "\n"
                counts["generated"] += 1
        (pkg / name).write_text(text, encoding="utf-8")
        counts["lines"] += text.count("\n")
    # What the walk must skip: a build folder and generated protobuf modules.
    for i in range(100):
        build = root / "build" / f"lib{i % 5}"
        build.mkdir(parents=True, exist_ok=True)
        (build / f"copy_{i}.py").write_text(texts[0], encoding="utf-8")
        (root / f"pkg{i % 10}" / f"msg{i}_pb2.py").write_text("x = 1\n", encoding="utf-8")
        counts["ignored"] += 2
    return counts


# --- timing -----------------------------------------------------------------------------------

def _cpu_of_children() -> float:
    # Waited-for descendants: the check process and, through it, its worker processes.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_check(tree: Path, jobs: int, env: dict[str, str]) -> tuple[float, float, bytes, int]:
    """One fresh `shapelens check --json -j N TREE`: wall s, CPU s, stdout, exit code."""
    cmd = [*_shapelens_cmd(), "check", "--json", "-j", str(jobs), str(tree)]
    cpu0, t0 = _cpu_of_children(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env, check=False)
    wall, cpu = time.perf_counter() - t0, _cpu_of_children() - cpu0
    if proc.returncode == 2:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    return wall, cpu, proc.stdout, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="model files in the tree")
    parser.add_argument("--runs", type=int, default=3, help="runs per -j value (median)")
    parser.add_argument("--jobs", type=int, nargs="+", default=None,
                        help="the -j values to time (default: 1 and the cores available)")
    parser.add_argument("--keep", action="store_true", help="keep the tree and print its path")
    args = parser.parse_args(argv)
    cores = _cores()
    jobs = args.jobs or sorted({1, cores})
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")

    tmp = Path(tempfile.mkdtemp(prefix="shapelens-project-"))
    try:
        tree = tmp / "project"
        tree.mkdir()
        counts = write_tree(tree, args.files)
        print(f"tree: {args.files:,} files to check ({counts['examples']} example U-Net "
              f"variants, {counts['generated']} generated .py, {counts['notebooks']} notebooks; "
              f"{counts['lines']:,} lines), {counts['ignored']} files the .gitignore skips")
        print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} "
              f"cores, {cores} available to this process, runs={args.runs}")
        try:
            print(f"load average at start: {os.getloadavg()[0]:.1f}")
        except OSError:
            pass
        if _autogroups():
            print("sched_autogroup is on: this session's processes, however many, share one "
                  "session's slice of the cores with the other sessions' busy jobs")
        print()
        walls: dict[int, list[float]] = {j: [] for j in jobs}
        cpus: dict[int, list[float]] = {j: [] for j in jobs}
        outputs: dict[int, set[tuple[bytes, int]]] = {j: set() for j in jobs}
        # Interleaved (-j 1, -j N, -j 1, ...) so that a change in the machine's load hits both.
        for _ in range(args.runs):
            for j in jobs:
                wall, cpu, out, code = run_check(tree, j, env)
                walls[j].append(wall)
                cpus[j].append(cpu)
                outputs[j].add((out, code))
        distinct = set().union(*outputs.values())
        out, code = next(iter(distinct))
        checked = len(json.loads(out)["files"])
        base = statistics.median(walls[jobs[0]])
        print(f"  {'':<22}{'wall (median)':>14}{'min':>9}{'files/s':>10}{'speed-up':>10}"
              f"{'CPU s':>8}")
        for j in jobs:
            med = statistics.median(walls[j])
            print(f"  shapelens check -j {j:<3}{med:>12.2f} s{min(walls[j]):>7.2f} s"
                  f"{checked / med:>10.1f}{base / med:>9.2f}x{statistics.median(cpus[j]):>8.1f}")
        print()
        print(f"  files checked: {checked:,} (expected {args.files:,})")
        print(f"  same output (bytes) and exit code ({code}) for every -j and run: "
              f"{'yes' if len(distinct) == 1 else 'NO'}")
        try:
            print(f"  load average at the end: {os.getloadavg()[0]:.1f} (the machine's other "
                  f"jobs share its {os.cpu_count()} cores: wall time above CPU time is waiting)")
        except OSError:
            pass
        if args.keep:
            print(f"  tree kept: {tree}")
        return 0 if len(distinct) == 1 and checked == args.files else 1
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
