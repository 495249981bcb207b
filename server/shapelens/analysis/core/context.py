"""What the core's modules share: the module being run (`ModuleCtx`) and the analysis they report
to (`Host`, the protocol `analyzer.Analyzer` implements), so no core module imports the analyzer.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .scope import Env
from .syntax import Facts

if TYPE_CHECKING:
    from .sites import Evaluation, Finding, Inner, Pos, Site

S = TypeVar("S")


@dataclass
class ModuleCtx:
    path: str
    name: str
    tree: ast.Module
    env: Env
    is_package: bool = False
    star_modules: list[str] = field(default_factory=list)
    entry: bool = False  # the file the user asked about
    source: str = ""  # the text, for fixes that quote it
    facts: Facts = field(default_factory=Facts)  # names it reads and calls (syntax.annotate)
    installed: bool = False  # an installed library read from site-packages (installed.py)
    # An installed API package's names, each bound by its import when first read (installed.py)
    deferred: dict[str, ast.stmt] = field(default_factory=dict)


class Host(Protocol):
    """The analysis in progress, as the interpreter, calls and plug-ins see it."""

    options: Any
    interp: Any  # the Interpreter
    modules: dict[str, ModuleCtx | None]
    entry_path: str
    depth: int
    steps: int  # nodes evaluated so far (the step budget)
    errored: bool
    undefined: set[str]
    models: list[Any]  # the models the analysis found, in order (summaries, code lens)
    frames: list[tuple[int, int, str] | None]  # entry-file user calls in progress (graph groups)
    # A paused analysis' statement, its hook, and the statements an edit replaced (resume.py).
    pause_at: ast.stmt | None
    on_pause: Callable[[ast.stmt, ModuleCtx], ast.stmt]
    moved: dict[ast.stmt, ast.stmt] | None
    via: tuple[tuple[int, int, str], ...]  # the same without the Nones (what a layer keeps)

    def begin_try(self) -> None: ...
    def end_try(self) -> list[Finding]: ...
    def progress(self) -> int:
        """A count that grows with every site evaluation and finding recorded."""
        ...
    def tick(self, node: ast.AST, ctx: ModuleCtx) -> None: ...
    def check_budget(self, steps: int, node: ast.AST, ctx: ModuleCtx) -> None: ...
    def stop(self, reason: str, node: ast.AST, ctx: ModuleCtx) -> None: ...
    def internal_error(self, node: ast.AST, ctx: ModuleCtx, exc: Exception) -> None: ...
    def report(self, pos: Pos, code: str, message: str,
               data: dict[str, Any] | None = None) -> Finding: ...
    def record(self, pos: Pos, op: str, name: str | None, ev: Evaluation | None,
               params: int | None = None, progress: bool = True) -> Site: ...
    def site_at(self, pos: Pos) -> Site | None: ...
    def open_inside(self) -> None: ...
    def close_inside(self) -> list[Inner]: ...
    def enter(self, node: ast.AST, ctx: ModuleCtx) -> None: ...
    def leave(self) -> None: ...
    def run_module(self, ctx: ModuleCtx, text: str, tree: ast.Module | None = None) -> None: ...
    def state(self, kind: type[S]) -> S: ...
    def auto_name(self, prefix: str) -> str: ...
    def module_at(self, path: str) -> ModuleCtx: ...
