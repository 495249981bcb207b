"""`shapelens/stats`: the server's own counters, for tests and benchmarks (not an LSP method).

Analyses scheduled/completed/cancelled/skipped, errors answered by code, messages ignored,
open documents, futures pygls still holds, and the process' resident memory (Linux).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import ShapeLensServer

METHOD = "shapelens/stats"


def stats(ls: ShapeLensServer, params: Any = None) -> dict[str, Any]:
    protocol = ls.protocol
    return {
        "analyses": ls.docs.counts.as_dict(),
        "errors_sent": {str(k): v for k, v in sorted(protocol.errors_sent.items())},
        "ignored": protocol.dropped,
        "documents": len(ls.docs.latest),
        "pending_futures": len(protocol._request_futures),
        "rss_kb": rss_kb(),
    }


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
