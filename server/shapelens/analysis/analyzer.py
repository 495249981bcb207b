"""One analysis of one file: the composition root that loads the Python core and the Keras
plug-in, runs the module, collects sites and findings, and enforces the time/step budget.

`Analyzer` is the `Host` every core module and plug-in reports to.
"""

from __future__ import annotations

import ast
import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..engine import kept
from .core import calls, python
from .core.context import ModuleCtx
from .core.interpreter import Interpreter
from .core.reparse import Block, Parsed, analysed, parsed, reparse, statement_facts
from .core.scope import Env
from .core.signals import BudgetExceeded, Cancelled, Frame, LoopSignal, ReturnSignal
from .core.sites import Analysis, Evaluation, Finding, Inner, Pos, Site
from .core.source import PIECE_CHARS, NoTime, ParseFailure, statements
from .core.syntax import Facts
from .host import plugin as host
from .keras import plugin

S = TypeVar("S")
# Registered at import: Python's semantics, then Keras', then concrete data's (numpy, eager TF).
PLUGINS = (python, plugin, host)
MAX_INSIDE = 50  # sites listed for one call of a user function (hover shows the first ones)


@dataclass
class Options:
    extra_paths: list[str] = field(default_factory=list)
    image_data_format: str = "channels_last"
    time_budget: float = 1.0  # seconds for one file; then partial results + an info finding
    max_steps: int = 20_000_000
    max_depth: int = 60  # nested user-function calls
    strict: bool = False  # tests: an analyser bug raises instead of becoming Unknown
    cancelled: Callable[[], bool] | None = None  # polled; True stops the analysis (Cancelled)
    # The parse of an earlier text of the same file (`Analyzer.parsed` of its analysis): the
    # top-level statements the edit left alone are not parsed again (core/reparse.py).
    previous: Parsed | None = None


def forget_kept() -> None:
    """Forget the answers kept across analyses (docs/architecture.md "Incremental analysis"):
    the engine's on plain arguments, the pure hooks', the removed-name lookups. The next
    analysis computes everything, as the first one in a process does."""
    kept.forget()


def _empty_module() -> ast.Module:
    return ast.Module(body=[], type_ignores=[])


def _merge(into: Facts, each: tuple[Facts, ...] | list[Facts]) -> None:
    for f in each:
        into.loaded |= f.loaded
        into.used |= f.used


class Analyzer:
    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.interp = Interpreter(self)
        self._states: dict[type, Any] = {}
        self._sites: dict[Pos, Site] = {}
        self._findings: dict[tuple[Any, ...], Finding] = {}
        self._trying: list[list[Finding]] = []  # errors raised in each `try` being run
        self.modules: dict[str, ModuleCtx | None] = {}  # by file path
        self.models: list[Any] = []
        self.name_counts: dict[str, int] = {}
        self.depth = 0
        self.callers: list[int | None] = []  # user-function calls in progress: entry-file lines
        # The same calls as (serial, line, callee text), entry-file calls only: a layer keeps the
        # frames it was created under, so the graph can group each helper call's layers.
        self.frames: list[tuple[int, int, str] | None] = []
        # Both without their Nones, as every site and layer keeps them: made at `enter`, not for
        # each site and layer (`chain`: the lines, `via`: the frames), and what `leave` restores.
        self.chain: tuple[int, ...] = ()
        self.via: tuple[tuple[int, int, str], ...] = ()
        self._outer: list[tuple[tuple[int, ...], tuple[tuple[int, int, str], ...]]] = []
        self.frame_serial = 0
        self.steps = 0
        self.evaluations = 0  # site evaluations recorded (a loop that adds none is data code)
        self._inside: list[list[Inner]] = []  # per user-function call shown: its body's sites
        self.deadline = 0.0
        self.stopped: str | None = None
        self.entry_path = ""
        self.errored = False  # an error was reported: Keras would have stopped there
        self.undefined: set[str] = set()  # names the entry file uses that nothing defines
        self.parsed: Parsed | None = None  # the entry file's parse (for `Options.previous`)
        # A paused analysis (resume.py): the statement it waits before, what it calls there (it
        # returns the statement to run: the edited text's), and after that the old statement
        # -> the new one, wherever the old one runs again.
        self.pause_at: ast.stmt | None = None
        self.on_pause: Callable[[ast.stmt, ModuleCtx], ast.stmt] = lambda stmt, ctx: stmt
        self.moved: dict[ast.stmt, ast.stmt] | None = None

    # --- entry --------------------------------------------------------------------------------

    def analyze(self, path: str, text: str | None = None) -> Analysis:
        # The cyclic collector's full passes over the hundreds of thousands of AST nodes of a big
        # file cannot be interrupted by the budget (they took up to 0.7 s of 1 s); reference
        # counting still frees most garbage (AST nodes hold no cycles), the rest after the analysis.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._analyze(path, text)
        finally:
            if collecting:
                gc.enable()

    def _analyze(self, path: str, text: str | None) -> Analysis:
        self.entry_path = path
        kept.turn()  # what the analysis before asked stays kept if this one asks it again
        self.deadline = time.monotonic() + self.options.time_budget
        if text is None:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        ctx = ModuleCtx(path, "__main__", _empty_module(), Env(kind="module"), entry=True,
                        source=text)
        ctx.env.vars["__name__"] = "__main__"
        ctx.env.vars["__file__"] = path
        self.modules[os.path.abspath(path)] = ctx
        try:
            self.run_module(ctx, text)
            calls.call_entry_functions(self, ctx, ctx.facts.used)
        except ParseFailure as e:
            line = max(1, e.line)
            self.report(
                Pos(path, line, 1, line, 1), "syntax-error", f"The file does not parse: {e.message}"
            )
        except Cancelled:
            raise
        except BudgetExceeded:
            pass
        except RecursionError:
            self.stopped = "the code is nested too deeply to follow"
            self.report(
                Pos(path, 1, 1, 1, 1),
                "analysis-stopped",
                f"Analysis stopped: {self.stopped}; shapes after this point are unknown.",
            )
        kept.settle()  # ended (not cancelled): what it asked is what stays kept
        return self.result(path)

    def result(self, path: str) -> Analysis:
        sites: dict[str, list[Site]] = {}
        for site in self._sites.values():
            sites.setdefault(site.pos.path, []).append(site)
        for lst in sites.values():
            lst.sort(key=lambda s: (s.pos.line, s.pos.column, s.pos.end_line, s.pos.end_column))
        findings: dict[str, list[Finding]] = {}
        for f in self._findings.values():
            findings.setdefault(f.pos.path, []).append(f)
        for fl in findings.values():
            fl.sort(key=lambda f: (f.pos.line, f.pos.column))
        return Analysis(
            path, sites, findings, self.models, self.stopped, frozenset(self.undefined)
        )

    def run_module(self, ctx: ModuleCtx, text: str, tree: ast.Module | None = None) -> None:
        """Parse and run a module's statements; a big file slice by slice (source.py); `tree`:
        already parsed (an installed module from the cache).

        Raises ParseFailure when the text does not parse (after running the slices before it).
        """
        frame = Frame()
        left = lambda: self.deadline - time.monotonic()  # noqa: E731
        again = None
        if ctx.entry and tree is None and self.options.previous is not None:
            again = reparse(text, ctx.path, self.options.previous)
        try:
            if again is not None:
                self.parsed = again
                ctx.tree.body.extend(again.body)
                _merge(ctx.facts, [again.merged_facts()])
                self.interp.exec_block(list(again.body), ctx.env, ctx, frame)
                return
            each: list[Facts] = []
            blocks: list[Block | None] = []
            for body in [tree.body] if tree is not None else statements(text, ctx.path, left):
                ctx.tree.body.extend(body)
                facts, made = analysed(body) if ctx.entry else (statement_facts(body), [])
                _merge(ctx.facts, facts)
                each += facts
                blocks += made
                if ctx.entry and len(text) <= PIECE_CHARS:  # parsed whole, at once
                    self.parsed = parsed(text, ctx.tree.body, each, blocks)
                self.interp.exec_block(body, ctx.env, ctx, frame)
            if ctx.entry:
                self.parsed = parsed(text, ctx.tree.body, each, blocks)
        except NoTime as e:
            reason = f"the {self.options.time_budget:g} s budget for one file ran out"
            where = Pos(ctx.path, e.line, 1, e.line, 1)
            self.stop_at(f"{reason} while reading line {e.line}", where)
        except ReturnSignal:
            pass
        except LoopSignal as e:
            # `ast.parse` accepts a `break` outside any loop; Python's compiler refuses the file.
            self.report(
                Pos.of(ctx.path, e.node) if e.node is not None else Pos(ctx.path, 1, 1, 1, 1),
                "syntax-error",
                f"The file does not compile: '{e.keyword}' outside loop",
            )

    # --- budget and errors --------------------------------------------------------------------

    def tick(self, node: ast.AST, ctx: ModuleCtx) -> None:
        steps = self.steps = self.steps + 1  # every statement and expression: kept lean
        if steps & 1023 == 0 or steps > self.options.max_steps:
            self.check_budget(steps, node, ctx)

    def check_budget(self, steps: int, node: ast.AST, ctx: ModuleCtx) -> None:
        """`tick`'s checks, once `steps` is a multiple of 1024 or past the step budget (the
        interpreter counts its steps inline and calls this only then)."""
        if steps & 1023 == 0:
            if self.options.cancelled and self.options.cancelled():
                raise Cancelled("a newer version of the document arrived")
            if time.monotonic() > self.deadline:
                self.stop(f"the {self.options.time_budget:g} s budget for one file ran out",
                          node, ctx)
        if steps > self.options.max_steps:
            self.stop("the step budget for one file ran out", node, ctx)

    def stop(self, reason: str, node: ast.AST, ctx: ModuleCtx) -> None:
        self.stop_at(reason, Pos.of(ctx.path, node))

    def stop_at(self, reason: str, pos: Pos) -> None:
        self.stopped = reason
        message = f"Analysis stopped: {reason}; shapes after this point are unknown."
        if pos.path != self.entry_path and self.module_at(pos.path).installed:
            # Inside an installed library (its findings are not reported): the notice goes on
            # the user's call that led there, so a file cut short never looks complete.
            line = next((n for n in reversed(self.callers) if n is not None), 1)
            pos = Pos(self.entry_path, line, 1, line, 1)
            message = f"Analysis stopped inside an installed library: {reason}; shapes after " \
                      "this point are unknown."
        self.report(pos, "analysis-stopped", message)
        raise BudgetExceeded(reason)

    def internal_error(self, node: ast.AST, ctx: ModuleCtx, exc: Exception) -> None:
        if self.options.strict:
            raise exc
        self.report(
            Pos.of(ctx.path, node),
            "unknown-shape",
            f"ShapeLens could not follow this statement ({type(exc).__name__}: {exc})",
        )

    def report(
        self, pos: Pos, code: str, message: str, data: dict[str, Any] | None = None
    ) -> Finding:
        key = (pos, code, message)
        finding = Finding(pos, code, message, data)
        if pos.path != self.entry_path and self.module_at(pos.path).installed:
            # An installed library's own code (libraries.py): not the user's to fix; what it
            # could not compute is Unknown with its reason, never an error in the user's file.
            return finding
        if self._trying and finding.severity == "error":
            self._trying[-1].append(finding)  # raised inside `try`: its handler decides
            return finding
        if key not in self._findings:
            self._findings[key] = Finding(pos, code, message, data)
            if self._findings[key].severity == "error":
                self.errored = True
        return self._findings[key]

    def begin_try(self) -> None:
        """Errors from here until `end_try` are raised inside a `try` whose handler catches them."""
        self._trying.append([])

    def end_try(self) -> list[Finding]:
        """The errors raised since `begin_try` (not reported: the handler caught them)."""
        return self._trying.pop()

    # --- user-function calls --------------------------------------------------------------------

    def enter(self, node: ast.AST, ctx: ModuleCtx) -> None:
        """A user function is entered from the call `node` (its line, if in the analysed file,
        tells hover which call gave which shape)."""
        self.depth += 1
        line = getattr(node, "lineno", None) if ctx.entry else None
        self.callers.append(line)
        frame = None
        if ctx.entry and isinstance(node, ast.Call):
            self.frame_serial += 1
            frame = (self.frame_serial, node.lineno, ast.unparse(node.func))
        self.frames.append(frame)
        self._outer.append((self.chain, self.via))
        if line is not None:
            self.chain += (line,)
        if frame is not None:
            self.via += (frame,)

    def leave(self) -> None:
        self.depth -= 1
        self.callers.pop()
        self.frames.pop()
        self.chain, self.via = self._outer.pop()

    # --- sites --------------------------------------------------------------------------------

    def record(
        self, pos: Pos, op: str, name: str | None, ev: Evaluation | None, params: int | None = None,
        progress: bool = True,
    ) -> Site:
        """Add what one evaluation of a site gave (None: the call failed, the site still shows).

        `progress` False: a site that does not make a loop model code (a helper's numpy result,
        an array assigned in a data loop), so the data-loop cut-off still applies."""
        site = self._sites.get(pos)
        new = site is None
        if site is None:
            site = self._sites[pos] = Site(pos, op, name, params)
        elif params is not None and site.params is None:
            site.params = params
        if progress:
            self.evaluations += 1
        if ev is not None and self._inside and len(self._inside[-1]) < MAX_INSIDE:
            self._inside[-1].append(Inner(pos.path, pos.line, op, name, ev.outputs))
        if ev is not None:
            ev.after_error = self.errored
            ev.via = [self.chain] if self.chain else []
            if new:
                site.evaluations.append(ev)  # `site.add(ev)`: a new site has none to match
            else:
                site.add(ev)
        return site

    def site_at(self, pos: Pos) -> Site | None:
        return self._sites.get(pos)

    def open_inside(self) -> None:
        """A user-function call starts whose site lists the sites its body evaluates."""
        self._inside.append([])

    def close_inside(self) -> list[Inner]:
        return self._inside.pop()

    def progress(self) -> int:
        return self.evaluations + len(self._findings)

    def auto_name(self, prefix: str) -> str:
        """Keras' automatic layer names: conv2d, conv2d_1, ... per prefix."""
        n = self.name_counts.get(prefix, 0)
        self.name_counts[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    # --- plug-in state and modules ------------------------------------------------------------

    def state(self, kind: type[S]) -> S:
        """The one state object of `kind` a plug-in keeps for this analysis (made on first use)."""
        state: S | None = self._states.get(kind)  # (no `cast`: a call, three times a layer)
        if state is None:
            state = self._states[kind] = kind()
        return state

    def module_at(self, path: str) -> ModuleCtx:
        """The module read from `path` (the analysed file or one it imported)."""
        ctx = self.modules.get(os.path.abspath(path)) or self.modules.get(
            str(Path(path).resolve()))
        if ctx is None:  # a position outside every module read: an empty stand-in
            ctx = ModuleCtx(path, "", _empty_module(), Env(kind="module"))
        return ctx
