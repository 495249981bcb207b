"""`shapelens/stats`: the server's own counters, for tests and benchmarks (not an LSP method).

Analyses scheduled/completed/cancelled/skipped, errors answered by code, messages ignored,
open documents, futures pygls holds, live Python objects, resident memory (Linux) and, once asked
with `{"trace": true}`, the memory Python allocated since. `{"drop_caches": true}` first drops the
analysis paused at the last edit (state.py), the answers kept across analyses (engine/kept.py) and
the kept parses: caches whose size depends on the last edits (where they were, which statements
they re-parsed), not on how many came before.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import TYPE_CHECKING, Any

from ..engine import kept

if TYPE_CHECKING:
    from .server import ShapeLensServer

METHOD = "shapelens/stats"


def stats(ls: ShapeLensServer, params: Any = None) -> dict[str, Any]:
    protocol = ls.protocol
    trace = params.get("trace") if isinstance(params, dict) else getattr(params, "trace", None)
    if trace and not tracemalloc.is_tracing():
        tracemalloc.start()  # from now on; a test asks, to see whether memory keeps growing
    drop = params.get("drop_caches") if isinstance(params, dict) \
        else getattr(params, "drop_caches", None)
    paused = ls.docs.paused is not None
    kept_answers = kept.count()
    if drop:
        ls.docs.drop_paused()
        kept.forget()
        with ls.docs.parsed_lock:
            ls.docs.parsed.clear()
    return {
        "paused": paused,
        "kept_answers": kept_answers,
        "analyses": ls.docs.counts.as_dict(),
        "errors_sent": {str(k): v for k, v in sorted(protocol.errors_sent.items())},
        "ignored": protocol.dropped,
        "documents": len(ls.docs.latest),
        "parses_kept": len(ls.docs.parsed),
        "pending_futures": len(protocol._request_futures),
        "rss_kb": rss_kb(),
        "objects": live_objects(),
        "traced_kb": tracemalloc.get_traced_memory()[0] // 1024 if tracemalloc.is_tracing()
        else None,
    }


def live_objects() -> int:
    """Objects the collector tracks after a full collection: what a leak of Python objects grows
    (resident memory also moves with the allocator's arenas, so it is too coarse to test on)."""
    gc.collect()
    return len(gc.get_objects())


def rss_kb() -> int | None:
    """VmRSS of this process in kB, or None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None
