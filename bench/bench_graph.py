"""Benchmark: `shapelens graph` on the biggest keras.applications models (NASNetLarge,
EfficientNetV2L): analysis + graph JSON in Python, then layout + draw in Node (graphview/bench.mjs).

From the repository root, graphview/ built: `.venv/bin/python bench/bench_graph.py [--unfolded]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from shapelens.analysis import Options, analyze  # noqa: E402
from shapelens.analysis.keras.graphjson import graphs  # noqa: E402

MODELS = {"nasnet": "NASNetLarge", "efficientnet_v2": "EfficientNetV2L"}


def installed(module: str) -> Path:
    for root in sys.path:
        cand = Path(root, "keras", "src", "applications", f"{module}.py")
        if cand.is_file():
            return cand
    raise SystemExit(f"keras.applications.{module} is not installed (pip install -e '.[test]')")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--unfolded", action="store_true", help="also time every group unfolded")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="shapelens-bench-graph-"))
    for module, builder in MODELS.items():
        path = folder / f"{module}.py"
        path.write_text(installed(module).read_text(encoding="utf-8")
                        + f"\n\n_m = {builder}(weights=None)\n", encoding="utf-8")
        t0 = time.perf_counter()
        analysis = analyze(str(path), options=Options(time_budget=300.0))
        t1 = time.perf_counter()
        data = graphs(analysis)
        t2 = time.perf_counter()
        out = folder / f"{module}.json"
        out.write_text(json.dumps(data), encoding="utf-8")
        print(f"{builder}: analysis {t1 - t0:.2f} s, graph JSON {1000 * (t2 - t1):.0f} ms "
              f"({out.stat().st_size // 1024} KiB)")
        cmd = ["node", "bench.mjs", str(out), "--runs", str(args.runs)]
        cmd += ["--unfolded"] if args.unfolded else []
        subprocess.run(cmd, cwd=ROOT / "graphview", check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
