"""Per-document analysis state: run the analyser off the event loop, newest version wins.

A newer edit cancels the running analysis (the analyser polls `cancelled`). After an edit, the
analysis of its text runs again in the background up to the edited statement and waits there
(analysis/resume.py): the next edit in that statement resumes it instead of starting over, so an
edit waits only for what runs after the statement. A text caught mid-edit
(it does not parse, or the edit brought a new error or undefined name: `Conv2` on the way to
`Conv2D`) keeps the last good shapes on the lines that did not change.
"""

from __future__ import annotations

import asyncio
import difflib
import itertools
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace

from ..analysis import Analysis, Analyzer, Cancelled, Options, Parsed, Site, forget_kept
from ..analysis.resume import RUNNING, Paused, first_changed_line
from ..notebook import Program, with_left_out
from .settings import Settings

log = logging.getLogger(__name__)
# Documents whose last parse is kept for their next edit (the most recently analysed): the parse
# of a 1,000-line file is a few MB, and an edit is typed in one or two documents at a time.
KEEP_PARSED = 8


@dataclass
class DocAnalysis:
    version: int
    text: str
    analysis: Analysis
    good: bool  # not caught mid-edit (see `mid_edit`)
    # For a text caught mid-edit: the last good analysis and its line map (old -> new line).
    fallback: DocAnalysis | None = None
    line_map: dict[int, int] = field(default_factory=dict)
    token: int = 0  # the schedule() call it answers (client versions may repeat)
    program: Program | None = None  # a notebook's: its code cells as the analysed text

    def sites(self) -> list[tuple[Site, int]]:
        """Sites to show, each with the line delta that places it in the current text: mid-edit,
        the known shapes of this text, and the last good ones on unchanged lines for the rest."""
        own = self.analysis.sites_for()
        if self.good or self.fallback is None:
            return [(s, 0) for s in own]
        known = [s for s in own if any(o is not None for o in s.outputs)]
        out = [(s, 0) for s in known]
        taken = {s.pos.line for s in known}
        for s in self.fallback.analysis.sites_for():
            a, b = self.line_map.get(s.pos.line), self.line_map.get(s.pos.end_line)
            if a is not None and b is not None and b - a == s.pos.end_line - s.pos.line \
                    and a not in taken:
                out.append((s, a - s.pos.line))
        lines = {s.pos.line + d for s, d in out}
        out += [(s, 0) for s in own if s not in known and s.pos.line not in lines]
        return out


def _errors(analysis: Analysis) -> int:
    return sum(f.severity == "error" for f in analysis.findings_for())


def mid_edit(analysis: Analysis, good: Analysis | None) -> bool:
    """A text on its way somewhere: it does not parse, or it brings an error or an undefined name
    the last good text did not have."""
    if any(f.code == "syntax-error" for f in analysis.findings_for()):
        return True
    if good is None:
        return False
    return bool(analysis.undefined - good.undefined) or _errors(analysis) > _errors(good)


def line_map(old: str, new: str) -> dict[int, int]:
    """1-based line numbers of `old` that are unchanged in `new`, to their new numbers."""
    sm = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    out: dict[int, int] = {}
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            out[block.a + k + 1] = block.b + k + 1
    return out


@dataclass
class Counts:
    """What became of the analyses scheduled (shown by the `shapelens/stats` request)."""

    scheduled: int = 0
    completed: int = 0
    cancelled: int = 0  # stopped midway by a newer edit
    skipped: int = 0  # superseded before they started
    failed: int = 0  # the analyser raised (a bug; logged)
    resumed: int = 0  # completed by the analysis paused at the edited statement (resume.py)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class Documents:
    """The analyses of open documents, computed in one worker thread."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shapelens")
        self.counts = Counts()
        self.tokens = itertools.count(1)
        self.token: dict[str, int] = {}  # uri -> the newest schedule() call's token
        self.latest: dict[str, int] = {}
        self.done: dict[str, DocAnalysis] = {}
        self.good: dict[str, DocAnalysis] = {}
        self.tasks: dict[str, asyncio.Future[DocAnalysis | None]] = {}
        self.parsed: OrderedDict[str, Parsed] = OrderedDict()  # uri -> its last parse (LRU)
        self.parsed_lock = threading.Lock()  # the worker keeps parses, the event loop drops them
        # The one analysis paused at a document's last edited statement (memory: one at a time).
        self.paused: tuple[str, Paused] | None = None

    def schedule(
        self, uri: str, path: str, version: int, text: str, settings: Settings,
        program: Program | None = None,
    ) -> asyncio.Future[DocAnalysis | None]:
        """Analyse `text` (a notebook: its `program`, whose text it is) off the event loop."""
        self.latest[uri] = version
        token = self.token[uri] = next(self.tokens)
        self.counts.scheduled += 1
        options = Options(
            extra_paths=list(settings.extra_paths),
            image_data_format=settings.image_data_format,
            time_budget=1.0,
            cancelled=lambda: self.token.get(uri) != token,
        )
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(
            self.executor, self._run, uri, path, version, token, text, options, program,
            settings.incremental,
        )
        self.tasks[uri] = fut
        return fut

    def busy(self) -> bool:
        """An analysis is running or waiting."""
        return any(not fut.done() for fut in self.tasks.values())

    def is_current(self, uri: str, result: DocAnalysis) -> bool:
        return result.token == self.token.get(uri)

    def _run(
        self, uri: str, path: str, version: int, token: int, text: str, options: Options,
        program: Program | None = None, incremental: bool = True,
    ) -> DocAnalysis | None:
        """Not `incremental` (the setting `incremental: false`): every version analysed from
        scratch, the answers earlier analyses kept forgotten first."""
        if self.token.get(uri) != token:
            self.counts.skipped += 1
            return None
        try:
            analysis = self._resumed(uri, text, options) if incremental else None
            if analysis is None:
                with RUNNING:
                    if incremental:
                        analysis = self._analyse_edit(uri, path, text, options)
                    else:
                        forget_kept()
                        analysis = Analyzer(options).analyze(path, text)
            if program is not None:  # a notebook's text: the cells left out are reported too
                analysis = with_left_out(program, analysis)
        except Cancelled:
            self.counts.cancelled += 1
            return None
        except Exception:
            self.counts.failed += 1
            raise
        self.counts.completed += 1
        last = self.good.get(uri)
        good = not mid_edit(analysis, last.analysis if last else None)
        doc = DocAnalysis(version, text, analysis, good, token=token, program=program)
        if good:
            self.good[uri] = doc
        elif uri in self.good:
            doc.fallback = self.good[uri]
            doc.line_map = line_map(doc.fallback.text, text)
        if self.token.get(uri) == token:
            self.done[uri] = doc
        return doc

    def _resumed(self, uri: str, text: str, options: Options) -> Analysis | None:
        """The analysis of `text` by the analysis paused at the document's last edit, when the
        edit lies inside the statement it waits before (None: analyse from the start)."""
        held, self.paused = self.paused, None
        if held is None:
            return None
        if held[0] != uri:
            held[1].abort()
            return None
        paused = held[1]
        try:
            analysis = paused.resume(text, options)
        except Cancelled:
            if not paused.finished():
                self.paused = held  # still waiting there: the next version may resume it
            raise
        if analysis is not None:
            self.counts.resumed += 1
        if analysis is not None and paused.analyzer.parsed is not None:
            self._keep_parse(uri, paused.analyzer.parsed)
            edited = first_changed_line(paused.text, text) or paused.spot.stmt.lineno
            self._pause_again(uri, paused.path, paused.analyzer.parsed, options, edited)
        return analysis

    def _pause_again(self, uri: str, path: str, parsed: Parsed, options: Options,
                     line: int) -> None:
        """Run the analysis of `parsed`'s text in the background up to the statement holding
        `line` (the one just edited), where it waits for the next edit."""
        if self.paused is not None:
            self.paused[1].abort()
        # Held until the answer for this version is out (`release_paused`).
        paused = Paused.start(path, parsed.text, line, replace(options, previous=parsed),
                              held=True)
        self.paused = (uri, paused) if paused is not None else None

    def release_paused(self, uri: str) -> None:
        """The answers for `uri`'s newest version are out: its paused analysis may run up to its
        statement now, between this edit and the next."""
        held = self.paused
        if held is not None and held[0] == uri:
            held[1].release()

    def _keep_parse(self, uri: str, parsed: Parsed) -> None:
        with self.parsed_lock:
            if uri in self.token:  # still open
                self.parsed[uri] = parsed
                self.parsed.move_to_end(uri)
                while len(self.parsed) > KEEP_PARSED:
                    self.parsed.popitem(last=False)

    def _analyse_edit(self, uri: str, path: str, text: str, options: Options) -> Analysis:
        """Analyse `text`, reusing the parse of the document's previous text (kept even when
        the analysis is cancelled: the parse was done); then pause a background analysis of it
        at the edited line."""
        with self.parsed_lock:
            options.previous = self.parsed.get(uri)
        before = options.previous.text if options.previous is not None else None
        analyzer = Analyzer(options)
        try:
            analysis = analyzer.analyze(path, text)
        finally:
            if analyzer.parsed is not None:
                self._keep_parse(uri, analyzer.parsed)
        edited = first_changed_line(before, text) if before is not None else None
        if edited is not None and analyzer.parsed is not None and uri in self.token:
            self._pause_again(uri, path, analyzer.parsed, options, edited)
        return analysis

    async def current(self, uri: str) -> DocAnalysis | None:
        """The analysis of the newest version (waiting for it), or the last one finished."""
        for _ in range(50):
            fut = self.tasks.get(uri)
            if fut is None:
                break
            try:
                result = await asyncio.shield(fut)
            except Exception:  # an analyser failure must not fail the request
                log.exception("analysis failed for %s", uri)
                break
            if result is not None and self.is_current(uri, result):
                return result
            if fut is self.tasks.get(uri):
                break
        return self.done.get(uri)

    def drop_paused(self, wait: float = 5.0) -> None:
        """Abort the paused analysis and wait (up to `wait` s) for its thread to end."""
        held, self.paused = self.paused, None
        if held is not None:
            held[1].abort()
            held[1].join(wait)

    def close(self, uri: str) -> None:
        if self.paused is not None and self.paused[0] == uri:
            self.paused[1].abort()
            self.paused = None
        for d in (self.latest, self.token, self.done, self.good, self.tasks):
            d.pop(uri, None)
        with self.parsed_lock:
            self.parsed.pop(uri, None)

    def shutdown(self) -> None:
        """Cancel what runs (its token is gone) and drop what waits: the process is ending."""
        self.token.clear()
        if self.paused is not None:
            self.paused[1].abort()
        self.executor.shutdown(wait=False, cancel_futures=True)

    def known(self, uri: str) -> bool:
        return uri in self.latest
