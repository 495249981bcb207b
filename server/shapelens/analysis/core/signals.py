"""Control flow the interpreter models with exceptions: return, break/continue, budget, cancel.

`Frame` is the per-call state that keeps returns seen on branches whose condition is unknown.
"""

from __future__ import annotations

import ast
from typing import Any


class ReturnSignal(Exception):
    def __init__(self, value: Any):
        self.value = value


class LoopSignal(Exception):
    """`break` / `continue`; the node says where, for one outside any loop (Python rejects it)."""

    keyword = ""

    def __init__(self, node: ast.AST | None = None):
        super().__init__(self.keyword)
        self.node = node


class BreakSignal(LoopSignal):
    keyword = "break"


class ContinueSignal(LoopSignal):
    keyword = "continue"


class BudgetExceeded(Exception):
    pass


class Cancelled(BudgetExceeded):
    """A newer edit made this analysis pointless (the language server's cancellation)."""


class Frame:
    """Per function-call state: returns seen on branches whose condition was unknown."""

    def __init__(self) -> None:
        self.pending_returns: list[Any] = []
