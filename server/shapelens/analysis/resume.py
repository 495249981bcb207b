"""An analysis paused before the statement the next edit is expected in, and resumed with the
edited text: what ran before that statement is not run again (issue 14: resuming inside a body).

`Paused.start` analyses a text in a thread of its own until the analysis is about to run, for the
first time, the statement holding a given line (a statement of the module, or of a top-level
def's or class's body: `spot_at`), and waits there, its whole state and call stack kept as they
are. `resume` hands it an edited text whose changes all lie inside that statement, on the same
lines, reading and binding the same names: the thread runs on with the statement as the edited
text has it (there and wherever it runs again, a helper's later calls), and answers what a fresh
analysis of the edited text answers, since nothing that ran before could see the statement. Any
other edit is refused (None) and the caller analyses from the start.

Analyses run one at a time, paused ones included (`RUNNING`): the analyser's process-wide
state (the kept answers, the collector switched off) is never shared by two running analyses.
"""

from __future__ import annotations

import ast
import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from .analyzer import Analyzer, Options
from .core.context import ModuleCtx
from .core.reparse import (
    BLOCKS,
    METHODS,
    Parsed,
    first_line,
    last_line,
    lines,
    reparse,
    statement_facts,
)
from .core.signals import Cancelled
from .core.sites import Analysis
from .core.source import ParseFailure

# Held by whichever thread runs analyser code: the language server's worker, or a paused
# analysis between its start and its pause (and after it, on behalf of the one resuming it).
RUNNING = threading.Lock()
_POLL = 0.05  # seconds between looks at the caller's cancellation while waiting for the pause


@dataclass(frozen=True)
class Spot:
    """Where a paused analysis waits: before `stmt`, found by `where`: its index in the module's
    body, then in that top-level def's or class's body, then in that class's method's body."""

    stmt: ast.stmt
    where: tuple[int, ...]


def _holding(body: list[ast.stmt] | tuple[ast.stmt, ...], line: int) -> int | None:
    for k, stmt in enumerate(body):
        if first_line(stmt) <= line <= last_line(stmt):
            return k
    return None


def spot_at(parsed: Parsed, line: int) -> Spot | None:
    """The statement an edit on `line` changes, as deep as a paused analysis can resume at (the
    ones `reparse` parses alone)."""
    i = _holding(parsed.body, line)
    if i is None:
        return None
    top = parsed.body[i]
    if not isinstance(top, BLOCKS):
        return Spot(top, (i,))
    k = _holding(top.body, line)
    if k is None:
        return Spot(top, (i,))
    inner = top.body[k]
    if isinstance(top, ast.ClassDef) and isinstance(inner, METHODS):
        # A method's def runs as its class is made, not as a statement: wait in its body.
        m = _holding(inner.body, line)
        return Spot(top, (i,)) if m is None else Spot(inner.body[m], (i, k, m))
    return Spot(inner, (i, k))


def first_changed_line(before: str, after: str) -> int | None:
    """The first 1-based line where `after` differs from `before` (None: the same text)."""
    if before == after:
        return None
    old, new = lines(before), lines(after)
    for n, (a, b) in enumerate(zip(old, new)):
        if a != b:
            return n + 1
    return min(len(old), len(new)) + 1


def _facts(stmt: ast.stmt) -> tuple[frozenset[str], frozenset[str], bool]:
    f = statement_facts([stmt])[0]
    return frozenset(f.loaded), frozenset(f.used), f.yields


@dataclass(frozen=True)
class _Resumption:
    parsed: Parsed
    stmt: ast.stmt
    cancelled: Callable[[], bool] | None


class Paused:
    """One analysis of `text` running in its own thread up to `spot` (see the module's doc)."""

    def __init__(self, path: str, text: str, spot: Spot, options: Options) -> None:
        self.path = path
        self.text = text
        self.spot = spot
        self.settings = (tuple(options.extra_paths), options.image_data_format,
                         options.time_budget)
        self._aborted = False
        self.analyzer = Analyzer(replace(options, cancelled=lambda: self._aborted))
        self.analyzer.pause_at = spot.stmt
        self.analyzer.on_pause = self._wait
        self._cond = threading.Condition()
        self._go = threading.Event()
        self._paused = False
        self._done = False
        self._resumption: _Resumption | None = None
        self._handed_over = False  # resumed: the resuming caller holds RUNNING for this thread
        self._started = 0.0
        self._used = 0.0  # seconds of the time budget spent before the pause
        self.result: Analysis | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="shapelens-paused", daemon=True)

    @classmethod
    def start(cls, path: str, text: str, line: int, options: Options,
              held: bool = False) -> Paused | None:
        """Analyse `text` up to the statement holding `line`; `options.previous` must be the parse
        of `text` itself (the statement is one of its nodes). None: no statement holds it.
        `held`: its thread waits for `release` (or a `resume`) before it starts analysing."""
        if options.previous is None or options.previous.text != text:
            return None
        spot = spot_at(options.previous, line)
        if spot is None:
            return None
        paused = cls(path, text, spot, options)
        if not held:
            paused.release()
        paused._thread.start()
        return paused

    def release(self) -> None:
        """Let a held analysis start: the answer it follows is out (it would compete for the
        interpreter with the writing of that answer)."""
        self._go.set()

    # --- the paused thread ------------------------------------------------------------------

    def _run(self) -> None:
        self._go.wait()
        RUNNING.acquire()
        self._started = time.monotonic()
        try:
            if not self._aborted:  # dropped while it waited for its turn
                self.result = self.analyzer.analyze(self.path, self.text)
        except Cancelled:
            pass
        except BaseException as e:  # handed to the caller that resumed it
            self._error = e
        finally:
            if not self._handed_over:
                RUNNING.release()
            with self._cond:
                self._done = True
                self._cond.notify_all()

    def _wait(self, stmt: ast.stmt, ctx: ModuleCtx) -> ast.stmt:
        """The analyser is about to run `stmt` for the first time: wait for the edited text."""
        an = self.analyzer
        an.pause_at = None
        self._used = time.monotonic() - self._started
        collector_off = not gc.isenabled()
        if collector_off:
            gc.enable()  # the analysis switched it off; nobody runs while it waits
        RUNNING.release()
        with self._cond:
            self._paused = True
            self._cond.notify_all()
            while self._resumption is None and not self._aborted:
                self._cond.wait()
            plan = self._resumption
        if plan is None:  # aborted: unwind as the only analysis running
            RUNNING.acquire()
            raise Cancelled("the paused analysis is not needed any more")
        self._handed_over = True
        if collector_off:
            gc.disable()
        an.parsed = plan.parsed
        ctx.source = plan.parsed.text
        ctx.tree.body[:] = plan.parsed.body
        an.options.cancelled = plan.cancelled
        an.deadline = time.monotonic() + max(0.0, an.options.time_budget - self._used)
        if plan.stmt is not stmt:
            # The statement runs as edited here and wherever it runs again (a helper's calls).
            an.moved = {stmt: plan.stmt}
        return plan.stmt

    # --- the caller -------------------------------------------------------------------------

    def may_take(self, text: str, options: Options) -> bool:
        """Whether `text` can resume this analysis, judged on its lines alone (cheap: no parse)."""
        if (tuple(options.extra_paths), options.image_data_format,
                options.time_budget) != self.settings:
            return False
        old, new = lines(self.text), lines(text)
        if len(old) != len(new):
            return False
        lo, hi = first_line(self.spot.stmt), last_line(self.spot.stmt)
        return all(lo <= n + 1 <= hi for n, (a, b) in enumerate(zip(old, new)) if a != b)

    def resume(self, text: str, options: Options) -> Analysis | None:
        """The analysis of `text`, resumed at the spot; None when `text` cannot resume it (then
        it is aborted). Raises Cancelled when `options.cancelled` says so while it runs."""
        if not self.may_take(text, options):
            self.abort()
            return None
        self.release()
        with self._cond:
            while not self._paused and not self._done:
                if options.cancelled is not None and options.cancelled():
                    raise Cancelled("a newer version of the document arrived")
                self._cond.wait(_POLL)
            if self._done:  # it never reached the statement (not run, or the budget ran out)
                return None
        RUNNING.acquire()
        try:
            plan = self._plan(text, options)
            if plan is None:
                self.abort()
                return None
            with self._cond:
                self._resumption = plan
                self._cond.notify_all()
                while not self._done:
                    self._cond.wait()
        finally:
            RUNNING.release()
        if self._error is not None:
            raise self._error
        if self.result is None:
            raise Cancelled("a newer version of the document arrived")
        return self.result

    def join(self, timeout: float) -> None:
        """Wait for its thread to end (after `abort`, once no other analysis runs)."""
        self._thread.join(timeout)

    def waiting(self) -> bool:
        """It reached its statement and waits there for the edited text."""
        return self._paused and not self._done

    def finished(self) -> bool:
        """Its analysis ended (resumed and answered, aborted, or never reached the statement)."""
        return self._done

    def abort(self) -> None:
        """Drop it: a paused thread unwinds (once no other analysis runs), a running one stops."""
        with self._cond:
            self._aborted = True
            self._cond.notify_all()
        self._go.set()

    def _plan(self, text: str, options: Options) -> _Resumption | None:
        """The edited text's parse and its version of the statement, when every other statement
        is the very node the paused analysis has run (or will run) and the statement reads and
        binds the same names."""
        old = self.analyzer.parsed
        if old is None or old.text != self.text:
            return None
        try:
            new = reparse(text, self.path, old)
        except ParseFailure:
            return None
        if new is None:
            return None
        # Down the spot's path: at each level every other statement is the very node it was.
        was: list[ast.stmt] | tuple[ast.stmt, ...] = old.body
        now: list[ast.stmt] | tuple[ast.stmt, ...] = new.body
        stmt = self.spot.stmt
        for k in self.spot.where:
            if len(was) != len(now) or type(was[k]) is not type(now[k]) or any(
                    a is not b for j, (a, b) in enumerate(zip(was, now)) if j != k):
                return None
            stmt = now[k]
            was, now = getattr(was[k], "body", []), getattr(stmt, "body", [])
        if type(stmt) is not type(self.spot.stmt) or _facts(stmt) != _facts(self.spot.stmt):
            return None
        return _Resumption(new, stmt, options.cancelled)

