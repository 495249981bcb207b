"""The server frees dropped analyses when quiet, or at once after a run of them."""

from __future__ import annotations

import asyncio
import gc

from shapelens.lsp import garbage
from shapelens.lsp.garbage import IdleCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_quiet_server_collects_what_an_analysis_left() -> None:
    async def scenario() -> tuple[int, int, int]:
        busy = [True]
        collector = IdleCollector(lambda: busy[0])
        gc.disable()  # only the collector's own pass may free the cycle
        try:
            Cycle()
            collector.analysed()
            await asyncio.sleep(garbage.QUIET * 3)
            while_busy = collector.passes
            busy[0] = False
            await asyncio.sleep(garbage.QUIET * 3)
            left = sum(isinstance(o, Cycle) for o in gc.get_objects())
            return while_busy, collector.passes, left
        finally:
            gc.enable()

    while_busy, passes, left = asyncio.run(scenario())
    assert while_busy == 0  # not while an analysis runs
    assert passes == 1
    assert left == 0


def test_the_pass_frees_an_analysis_that_grew_old() -> None:
    # The answer shown until the next edit outlives a pass or two before it is dropped.
    async def scenario() -> int:
        collector = IdleCollector(lambda: False)
        gc.disable()
        try:
            shown = [Cycle()]
            gc.collect(1)  # it survives the pass: now in the oldest generation
            shown.clear()
            collector.collect()
            return sum(isinstance(o, Cycle) for o in gc.get_objects())
        finally:
            gc.enable()

    assert asyncio.run(scenario()) == 0


def test_full_passes_take_at_most_a_share_of_the_time() -> None:
    def old_garbage_left(collector: IdleCollector) -> int:
        gc.disable()
        try:
            shown = [Cycle()]
            gc.collect(1)
            shown.clear()
            collector.collect()
            return sum(isinstance(o, Cycle) for o in gc.get_objects())
        finally:
            gc.enable()

    collector = IdleCollector(lambda: False)
    collector.collect()
    collector.full_took = 60.0  # as if the last full pass had taken a minute: this one is young
    assert old_garbage_left(collector) == 1
    assert collector.full_passes == 1
    collector.full_took = 0.0
    assert old_garbage_left(collector) == 0
    assert collector.full_passes == 2


def test_a_storm_of_analyses_collects_without_waiting() -> None:
    async def scenario() -> int:
        collector = IdleCollector(lambda: True)
        for _ in range(garbage.MOST):
            collector.analysed()
        return collector.passes

    assert asyncio.run(scenario()) == 1
