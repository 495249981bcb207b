"""Frees what analyses leave when the server is idle, not in the middle of an answer.

An analysis' objects refer to each other (a layer and its output tensor, a function and its
module's names), so only the cyclic collector frees them; the interpreter starts a full pass
only when its allocation counters say so, and between passes the dropped analyses pile up
(a 1,036-line model leaves 15,000 objects each time). The pass is a full one: an analysis that
was alive at one pass (the answer shown until the next edit) is old by the next, and a pass over
the young generations alone left it, and the allocator's arenas it pinned, for good (40 edits of
the 1,036-line model: 84 MB resident against 62). A full pass also walks the kept parses' syntax
trees: 5 ms at 1,000 lines, 50 ms at 10,000, against 60 and 550 ms for the analysis itself.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

QUIET = 0.05  # seconds without a finished analysis before the pass
MOST = 3  # finished analyses after which the pass runs at once (an edit storm)


class IdleCollector:
    """`analysed()` after each analysis; a full collection runs once the server is quiet for
    QUIET seconds (`busy()` false), or after MOST analyses, whichever comes first."""

    def __init__(self, busy: Callable[[], bool]) -> None:
        self.busy = busy
        self.pending = 0
        self.timer: asyncio.TimerHandle | None = None
        self.passes = 0

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
        gc.collect()
