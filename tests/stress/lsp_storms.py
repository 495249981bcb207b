"""Edit storms against the real server over stdio, and the figures: per storm the edits sent,
analyses scheduled/completed/cancelled/skipped, whether the final hints equal a fresh analysis,
and the server's RSS after the storm (VmRSS, after the document is reverted and re-hinted).

Run from the repository root, inside the venv (defaults: 10 storms x 1,000 edits, both files):

    python tests/stress/lsp_storms.py [--storms N] [--edits M] [--files unet,big]

Each storm is sent as fast as the pipe takes it, then ends with a "revert file" edit so every
storm starts from the same text and memory can be compared across storms. Exit status 1 if any
final hint differs from a fresh analysis or the server logged an error.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.lsp_raw import ROOT, RawClient
from support.lsp_storm import (
    big_model,
    fresh_hints,
    hint_key,
    make_storm,
    revert,
    send_storm,
)


def run_file(name: str, path: Path, text: str, storms: int, edits: int, seed: int) -> bool:
    client = RawClient()
    client.initialize(initializationOptions={"parameterHints": False})
    uri = client.open(path, text)
    original = hint_key(client.hints(uri))
    start_rss = client.rss_kb()
    print(f"\n{name}: {text.count(chr(10))} lines, {len(original)} hints; "
          f"RSS after open {start_rss / 1024:.1f} MB")
    print(f"  {'storm':>5} {'edits':>6} {'typed':>6} {'paste':>5} {'retype':>6} {'undo':>5} "
          f"{'sched':>6} {'done':>5} {'cancel':>6} {'skip':>6} {'final ok':>8} "
          f"{'to hints':>9} {'RSS MB':>7}")
    ok = True
    version = 1
    rss = []
    rng = random.Random(seed)
    for k in range(storms):
        storm = make_storm(text, edits, rng)
        ast.parse(storm.final)
        before = client.stats()["analyses"]
        t0 = time.perf_counter()
        version = send_storm(client, uri, storm.changes, version)
        got = hint_key(client.hints(uri))
        elapsed = time.perf_counter() - t0
        after = client.stats()["analyses"]
        same = got == hint_key(fresh_hints(client, path, storm.final))
        version = send_storm(client, uri, [revert(storm.final, text)], version)
        back = hint_key(client.hints(uri)) == original
        stats = client.stats()
        rss.append(client.rss_kb())
        d = {key: after[key] - before[key] for key in after}
        ok &= same and back and stats["pending_futures"] == 0 and d["failed"] == 0
        print(f"  {k + 1:>5} {len(storm.changes):>6} {storm.typed:>6} {storm.pasted:>5} "
              f"{storm.retyped:>6} {storm.undone:>5} {d['scheduled']:>6} {d['completed']:>5} "
              f"{d['cancelled']:>6} {d['skipped']:>6} {('yes' if same and back else 'NO'):>8} "
              f"{elapsed * 1000:>7.0f}ms {rss[-1] / 1024:>7.1f}")
    code = client.stop()
    errors = client.errors_logged()
    print(f"  RSS: after open {start_rss / 1024:.1f} MB, after storm 1 {rss[0] / 1024:.1f} MB, "
          f"after storm {storms} {rss[-1] / 1024:.1f} MB "
          f"(storm 2 -> {storms}: {(rss[-1] - rss[min(1, storms - 1)]) / 1024:+.1f} MB); "
          f"exit code {code}; server errors logged: {len(errors)}")
    for line in errors[:5]:
        print(f"  ! {line}")
    return ok and code == 0 and not errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storms", type=int, default=10)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--files", default="unet,big")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; {args.storms} storms x {args.edits} edits")
    ok = True
    for name in args.files.split(","):
        if name == "unet":
            path = ROOT / "examples" / "unet.py"
            ok &= run_file("examples/unet.py", path, path.read_text(encoding="utf-8"),
                           args.storms, args.edits, args.seed)
        else:
            ok &= run_file("generated 1,000-line model", ROOT / "examples" / "_storm_big.py",
                           big_model(), args.storms, args.edits, args.seed)
    print("\nall storms ok" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
