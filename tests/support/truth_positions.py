"""Which call expression of the model file a frame is executing, for the truth recorder: its
site key (file, 1-based line, 1-based column of the whole call) and its ast.Call.

The instruction's end position identifies the ast.Call (its start is taken from the AST, as
Python 3.11 moves the start of multi-line `obj.method(...)` calls to the method name).
"""

from __future__ import annotations

import ast
import types
from pathlib import Path
from typing import Any

Site = tuple[str, int, int]


class Positions:
    """Per-file caches: each code object's instruction positions, each file's calls by end."""

    def __init__(self) -> None:
        self._positions: dict[types.CodeType, list[Any]] = {}
        self._calls: dict[str, dict[tuple[int, int], ast.Call]] = {}

    def calls(self, filename: str) -> dict[tuple[int, int], ast.Call]:
        """(end_line, end_col) -> every ast.Call of the file (ends are unique)."""
        nodes = self._calls.get(filename)
        if nodes is None:
            nodes = self._calls[filename] = {}
            try:
                tree = ast.parse(Path(filename).read_text(encoding="utf-8"), filename)
            except (OSError, SyntaxError):
                return nodes
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and node.end_lineno is not None:
                    nodes[(node.end_lineno, node.end_col_offset or 0)] = node
        return nodes

    def _instruction(self, frame: types.FrameType, lasti: int | None) -> Any:
        code = frame.f_code
        positions = self._positions.get(code)
        if positions is None:
            positions = self._positions[code] = list(code.co_positions())
        i = (frame.f_lasti if lasti is None else lasti) // 2
        return positions[i] if 0 <= i < len(positions) else (None,) * 4

    def position(self, frame: types.FrameType, lasti: int | None = None) -> Site:
        """The call expression `frame` is executing (at `lasti`, a traceback's instruction);
        where the instruction is no call, its own line and column."""
        line, _, col, _ = self._instruction(frame, lasti)
        if line is None:
            line = frame.f_lineno
        hit = self.call_at(frame, lasti)
        if hit is not None:
            return hit[0]
        return (frame.f_code.co_filename, int(line), (col or 0) + 1)

    def call_at(self, frame: types.FrameType,
                lasti: int | None = None) -> tuple[Site, ast.Call] | None:
        """The site and ast.Call of the call `frame` is executing, if the instruction is one's."""
        _, end_line, _, end_col = self._instruction(frame, lasti)
        if end_line is None or end_col is None:
            return None
        node = self.calls(frame.f_code.co_filename).get((end_line, end_col))
        if node is None:
            return None
        return (frame.f_code.co_filename, node.lineno, node.col_offset + 1), node
