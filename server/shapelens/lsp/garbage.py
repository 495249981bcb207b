"""Frees what analyses leave when the server is idle, not in the middle of an answer.

An analysis' objects refer to each other (a layer and its output tensor, a function and its
module's names), so only the cyclic collector frees them; the interpreter starts a full pass
only when its allocation counters say so, and between passes the dropped analyses pile up
(a 1,036-line model leaves 15,000 objects each time).

Passes over the young generations alone are not enough: the answer shown until the next edit
is alive at one pass, old by the next, and only a full pass frees it and the allocator's arenas
it pins (40 edits of the 1,036-line model: 84 MB resident against 62 with full passes). A full
pass also walks every long-lived object, the kept parses' syntax trees among them: 5 ms at 1,000
lines, 50-100 ms at 10,000. So a pass is full when the last full one is at least SHARE times its
own length ago (at most a tenth of the server's time), and young otherwise.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

QUIET = 0.05  # seconds without a finished analysis before the pass
MOST = 3  # finished analyses after which the pass runs at once (an edit storm)
SHARE = 10


class IdleCollector:
    """`analysed()` after each analysis; a pass runs once the server is quiet for QUIET seconds
    (`busy()` false), or after MOST analyses, whichever comes first."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self.busy = busy
        self.pending = 0
        self.timer: asyncio.TimerHandle | None = None
        self.passes = 0
        self.full_passes = 0
        self.full_at = 0.0  # when the last full pass ended (time.perf_counter)
        self.full_took = 0.0  # its length in seconds

    def analysed(self) -> None:
        self.pending += 1
        if self.timer is not None:
            self.timer.cancel()
        if self.pending >= MOST:
            self.collect()
            return
        self.timer = asyncio.get_running_loop().call_later(QUIET, self._quiet)

    def _quiet(self) -> None:
        self.timer = None
        if self.busy():
            self.timer = asyncio.get_running_loop().call_later(QUIET, self._quiet)
            return
        self.collect()

    def collect(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.pending = 0
        self.passes += 1
        now = time.perf_counter()
        if now - self.full_at < SHARE * self.full_took:
            gc.collect(1)
            return
        gc.collect()
        self.full_passes += 1
        self.full_at = time.perf_counter()
        self.full_took = self.full_at - now
