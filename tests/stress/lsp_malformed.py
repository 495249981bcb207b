"""Malformed LSP traffic against the real server over stdio, and the figures: per kind, messages
sent and answered as the JSON-RPC/LSP specs require; then the U-Net's hints against TensorFlow.

Run from the repository root, inside the venv (default: 10 rounds of 1,000 messages, each
round one write, with a valid inlayHint request after every tenth):

    python tests/stress/lsp_malformed.py [--rounds N] [--messages M]

Exit status 1 if an answer is missing or wrong, the server died, or the hints differ.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.lsp_cases import CASES, UNET, collect, mixed
from support.lsp_raw import RawClient, labels_by_start, tf_labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; {args.rounds} rounds x {args.messages} malformed messages")
    client = RawClient()
    client.initialize(initializationOptions={"parameterHints": False})
    uri = client.open(UNET)
    rng = random.Random(args.seed)
    sent: Counter[str] = Counter()
    answered_ok: Counter[str] = Counter()
    valid = 0
    ok = True
    first_id = 100_000
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        mix = mixed(uri, args.messages, rng, first_id)
        first_id += 10 * args.messages
        client.send_bytes(bytes(mix.data))
        got = collect(client, sum(mix.expected.values()))
        sent += mix.sent
        valid += mix.valid
        if got != mix.expected:
            ok = False
            print(f"  ! missing {dict(mix.expected - got)}; unexpected {dict(got - mix.expected)}")
        else:
            answered_ok += mix.sent
    elapsed = time.perf_counter() - t0
    alive = client.proc.poll() is None
    hints_ok = alive and labels_by_start(client.hints(uri)) == tf_labels(UNET)
    stats = client.stats() if alive else {}
    code = client.stop()
    answers = {c.name: ", ".join("no answer (notification)" if not c.answers else
                                 "result" if code_ is None else str(code_)
                                 for _id, code_ in (c.answers or [(None, None)]))
               for c in CASES}
    print(f"\n  {'kind':<38} {'sent':>6} {'ok':>6}  answer")
    for case in CASES:
        print(f"  {case.name:<38} {sent[case.name]:>6} {answered_ok[case.name]:>6}  "
              f"{answers[case.name]}")
    total = sum(sent.values())
    print(f"  {'total':<38} {total:>6} {sum(answered_ok.values()):>6}  "
          f"(+{valid} valid inlayHint requests mixed in)")
    print(f"\n  {elapsed:.1f} s for all rounds; server alive afterwards: {alive}; "
          f"U-Net hints equal TensorFlow afterwards: {hints_ok}; exit code {code}")
    if stats:
        print(f"  server counters: errors sent {stats['errors_sent']}, messages ignored "
              f"{stats['ignored']}, RSS {stats['rss_kb'] / 1024:.1f} MB")
    errors = client.errors_logged()
    print(f"  server error/traceback lines on stderr: {len(errors)}")
    ok = ok and alive and hints_ok and code == 0
    print("\nall answered" if ok else "\nFAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
