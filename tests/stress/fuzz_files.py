"""The long fuzz run: 10,000 generated files through the analyser, a sample through the server.

Run from the repository root, inside the venv (figures are printed, never asserted):

    python tests/stress/fuzz_files.py [--files 10000] [--workers 2] [--server-sample 300]

Files come from tests/support/fuzz_inputs.py (mutated real files, pathological files with 50,000
lines and 10,000-deep nesting, generated Keras programs), file i from seed i, so any file can be
rebuilt from its number. Each worker process analyses files in process with the default options
(the 1 s budget); the parent counts a crash when an exception escapes `analyze()` or the worker
dies, a hang when no answer comes within --hang seconds. Printed: files per family, crashes,
hangs, the slowest files and their times, the worker's peak RSS after warm-up and at the end;
for the server sample: documents, failed or unanswered requests, the slowest document, the
server's peak RSS after `initialize` and at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import select
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from support.fuzz_inputs import FAMILIES  # noqa: E402  (tests/ is not a package on sys.path)


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current RSS, peak RSS) of a process in MB, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    cur = int(status.split("VmRSS:")[1].split()[0]) / 1024
    peak = int(status.split("VmHWM:")[1].split()[0]) / 1024
    return cur, peak


# --- worker: analyse file numbers read from stdin, one JSON line each ----------------------------


def worker() -> None:
    from shapelens.analysis import analyze
    from support.fuzz_inputs import as_text, fuzz_file

    analyze("/fuzz/warm.py", "import keras\nx = keras.layers.Dense(3)(keras.Input((4,)))\n")
    print(json.dumps({"ready": True, "rss": rss_mb()}), flush=True)
    for line in sys.stdin:
        index = int(line)
        desc, content = fuzz_file(index)
        text = as_text(content)
        out: dict[str, Any] = {"index": index, "desc": desc, "chars": len(text)}
        t0 = time.monotonic()
        try:
            analysis = analyze(f"/fuzz/f{index}.py", text)
            out["sites"] = len(analysis.sites_for())
            out["stopped"] = analysis.stopped
            # An exception inside the analyser that became an unknown-shape finding (a bug).
            out["internal"] = [f.message for f in analysis.findings_for()
                               if f.message.startswith("ShapeLens could not follow")][:1]
        except BaseException:  # anything escaping analyze() is a crash, reported with its trace
            out["crash"] = traceback.format_exc(limit=-6)
        out["seconds"] = time.monotonic() - t0
        out["rss"] = rss_mb()
        print(json.dumps(out), flush=True)


class Worker:
    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, bufsize=1, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        ready = self.read(120.0)
        assert ready is not None and ready.get("ready"), "the worker did not start"
        self.ready_rss = ready["rss"]

    def read(self, timeout: float) -> dict[str, Any] | None:
        assert self.proc.stdout is not None
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            return None
        line = self.proc.stdout.readline()
        return json.loads(line) if line else {"died": self.proc.wait()}

    def ask(self, index: int, hang: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{index}\n")
        self.proc.stdin.flush()
        got = self.read(hang)
        if got is None or "died" in got:
            self.proc.kill()
            self.proc.wait()
            self.start()
            return {"index": index, "hang" if got is None else "died": True}
        return got


def run_analyser(files: int, workers: int, hang: float) -> list[dict[str, Any]]:
    pool = [Worker() for _ in range(workers)]
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    todo = iter(range(files))
    t0 = time.monotonic()

    def drive(w: Worker) -> None:
        while True:
            with lock:
                index = next(todo, None)
            if index is None:
                return
            got = w.ask(index, hang)
            with lock:
                results.append(got)
                if len(results) % 1000 == 0:
                    print(f"  {len(results)} files, {time.monotonic() - t0:.0f} s", flush=True)

    threads = [threading.Thread(target=drive, args=(w,)) for w in pool]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in pool:
        results.append({"worker_ready_rss": w.ready_rss, "worker_end_rss": rss_mb(w.proc.pid)})
        w.proc.kill()
    return results


def report_analyser(results: list[dict[str, Any]], elapsed: float) -> None:
    files = [r for r in results if "index" in r]
    mem = [r for r in results if "worker_ready_rss" in r]
    families = Counter(FAMILIES[r["index"] % len(FAMILIES)] for r in files)
    crashes = [r for r in files if "crash" in r or "died" in r]
    hangs = [r for r in files if "hang" in r]
    timed = sorted((r for r in files if "seconds" in r), key=lambda r: -r["seconds"])
    over = [r for r in timed if r["seconds"] > 1.0]
    print("\n== analyser, in process ==")
    print(f"files fuzzed: {len(files)} in {elapsed:.0f} s ("
          + ", ".join(f"{families[f]} {f}" for f in FAMILIES) + ")")
    print(f"crashes: {len(crashes)}   hangs: {len(hangs)}")
    internal = Counter(r["internal"][0].split("(")[1].split(":")[0] for r in files
                       if r.get("internal"))
    print(f"files with an internal error turned into an unknown-shape finding: "
          f"{sum(internal.values())} " + ", ".join(f"{n} x {k}" for k, n in internal.items()))
    for r in crashes[:10]:
        print(f"  crash #{r['index']} {r.get('desc', '')}\n{r.get('crash', 'worker died')}")
    for r in hangs[:10]:
        print(f"  hang #{r['index']}")
    stopped = Counter(r["stopped"].split(" while reading")[0] for r in timed if r.get("stopped"))
    print(f"analyses ended by a budget: {sum(stopped.values())}  " + ", ".join(
        f"{n} x {why!r}" for why, n in stopped.most_common()))
    print("over the 1 s budget: " + ", ".join(
        f"{sum(r['seconds'] > t for r in timed)} over {t:g} s" for t in (1.0, 1.05, 1.2, 1.5, 2.0)))
    print(f"slowest ({len(over)} over 1 s):")
    for r in timed[:8]:
        print(f"  {r['seconds']:.3f} s  #{r['index']} {r['desc']} ({r['chars']:,} chars, "
              f"{r.get('sites')} sites, stopped: {r.get('stopped')})")
    for i, m in enumerate(mem):
        ready, end = m["worker_ready_rss"], m["worker_end_rss"]
        print(f"worker {i} RSS: after warm-up {ready[0]:.0f} MB (peak {ready[1]:.0f}); "
              f"at the end {end[0]:.0f} MB (peak {end[1]:.0f})")


# --- the server sample ----------------------------------------------------------------------------


async def run_server(sample: int, files: int) -> None:
    from support.fuzz_inputs import as_text, fuzz_file
    from support.lsp_session import every_feature, server_in

    # Spread over all the files, every family (file i is family i % 3).
    indices = sorted(random.Random(0).sample(range(files), min(sample, files)))
    failures: list[str] = []
    slowest: list[tuple[float, int, str]] = []
    folder = Path(tempfile.mkdtemp(prefix="shapelens-fuzz-"))
    async with server_in(folder) as client:
        pid = client._server.pid if client._server else None  # type: ignore[attr-defined]
        start_rss = rss_mb(pid) if pid else (0.0, 0.0)
        for index in indices:
            desc, content = fuzz_file(index)
            path = folder / f"f{index}.py"
            t0 = time.monotonic()
            try:
                await every_feature(client, path, as_text(content))
            except Exception as e:  # an error answer, a timeout or a dead server
                failures.append(f"#{index} {desc}: {type(e).__name__}: {e}")
            slowest.append((time.monotonic() - t0, index, desc))
            client.text_document_did_close(types_close(path))
        end_rss = rss_mb(pid) if pid else (0.0, 0.0)
    slowest.sort(reverse=True)
    print("\n== server sample, over stdio ==")
    families = Counter(FAMILIES[i % len(FAMILIES)] for i in indices)
    print(f"documents: {len(indices)} (" + ", ".join(f"{families[f]} {f}" for f in FAMILIES)
          + "; each: open, hints + resolve, hover, code lens, code actions, showSummary)")
    print(f"failed or unanswered: {len(failures)}")
    for f in failures[:10]:
        print(f"  {f}")
    print("slowest documents (open -> every answer):")
    for secs, index, desc in slowest[:5]:
        print(f"  {secs:.2f} s  #{index} {desc}")
    print(f"server RSS: after initialize {start_rss[0]:.0f} MB (peak {start_rss[1]:.0f}); "
          f"at the end {end_rss[0]:.0f} MB (peak {end_rss[1]:.0f})")


def types_close(path: Path) -> Any:
    from lsprotocol import types

    return types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(path.as_uri()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hang", type=float, default=30.0, help="seconds without an answer")
    parser.add_argument("--server-sample", type=int, default=300)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    t0 = time.monotonic()
    results = run_analyser(args.files, args.workers, args.hang)
    report_analyser(results, time.monotonic() - t0)
    if args.server_sample:
        asyncio.run(run_server(args.server_sample, args.files))


if __name__ == "__main__":
    main()
