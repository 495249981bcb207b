"""Jupyter notebooks as one program: the code cells in order, IPython syntax blanked, lines mapped.

Pure (no I/O, no pygls): the CLI reads nbformat 4 JSON with `read_cells`, the server builds from
its cell documents; both analyse `program(...)`'s text (the server as any document's, resumed
at the edited statement where it can) with the cells left out added (`with_left_out`), and map
positions back.
"""

from __future__ import annotations

import ast
import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

from .analysis import Analysis, Finding, Options, Pos, analyze

# `%%time` and `%%capture` run their body as Python in the user's namespace (later cells see its
# names): only the magic line is blanked. Any other cell magic (`%%bash`, `%%writefile`, ...)
# makes the whole cell something else than Python.
PYTHON_BODY_MAGICS = frozenset({"time", "capture"})

_LINE_END = re.compile(r"\r\n|\r|\n")  # what Python's tokenizer ends a line at (and LSP)
# `files = !ls`, `t = %timeit -o f()`: IPython's assignment forms.
_MAGIC_ASSIGN = re.compile(r"^\s*[\w.,\s()\[\]*]+=\s*[!%]")
# `model?`, `model.fit??`, `?model`: IPython's help syntax.
_HELP = re.compile(r"^\s*(?:[\w.]+\?{1,2}|\?{1,2}[\w.]+)\s*$")


class NotebookError(ValueError):
    """The text is not an nbformat 4 notebook."""


@dataclass(frozen=True)
class Cell:
    """A code cell placed in the program."""

    index: int  # 0-based in the notebook's cells (markdown cells counted)
    first: int  # 1-based program line of its first line
    lines: int  # how many program lines it occupies (0 for an empty cell)
    key: str = ""  # the caller's name for it (the server: the cell document's URI)

    @property
    def last(self) -> int:
        return self.first + self.lines - 1


@dataclass
class Program:
    """The code cells as one Python text; a cell that does not parse is blank in it."""

    path: str
    text: str
    cells: list[Cell]
    # A syntax-error finding per cell left out, in program positions.
    left_out: list[Finding] = field(default_factory=list)

    @cached_property
    def _spans(self) -> tuple[list[int], list[Cell]]:
        spans = [c for c in self.cells if c.lines]
        return [c.first for c in spans], spans

    def cell_at(self, line: int) -> Cell | None:
        """The cell holding 1-based program `line` (None outside every cell)."""
        firsts, spans = self._spans
        i = bisect_right(firsts, line) - 1
        if i < 0 or line > spans[i].last:
            return None
        return spans[i]

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.key == key), None)

    def locate(self, pos: Pos) -> tuple[Cell, Pos] | None:
        """A program position -> its cell and the position within the cell (1-based lines)."""
        cell = self.cell_at(pos.line)
        if cell is None:
            return None
        shift = cell.first - 1
        end_line = min(pos.end_line, cell.last)
        end_column = pos.end_column if end_line == pos.end_line else 1
        return cell, replace(pos, line=pos.line - shift, end_line=end_line - shift,
                             end_column=end_column)

    def locate_or_first(self, pos: Pos) -> tuple[Cell | None, Pos]:
        """As `locate`; a position outside every cell (a whole-analysis note on line 1 of a
        notebook whose first code cell is empty) goes to the nearest cell after it, line 1."""
        found = self.locate(pos)
        if found is not None:
            return found
        after = [c for c in self.cells if c.lines and c.first >= pos.line]
        cells = after or [c for c in self.cells if c.lines] or self.cells
        if not cells:
            return None, pos
        return cells[0], replace(pos, line=1, column=1, end_line=1, end_column=1)


def read_cells(text: str) -> list[tuple[int, str]]:
    """The code cells of an nbformat 4 notebook's JSON: (index in `cells`, source)."""
    try:
        nb = json.loads(text)
    except ValueError as e:
        raise NotebookError(f"not JSON: {e}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        version = nb.get("nbformat") if isinstance(nb, dict) else None
        raise NotebookError(
            f"nbformat {version} is not supported (4 is)" if version else "no `cells` list"
        )
    if isinstance(nb.get("nbformat"), int) and nb["nbformat"] != 4:
        raise NotebookError(f"nbformat {nb['nbformat']} is not supported (4 is)")
    if not _is_python(nb.get("metadata")):
        return []
    out = []
    for i, cell in enumerate(nb["cells"]):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            out.append((i, _source(cell.get("source"))))
    return out


def _is_python(metadata: Any) -> bool:
    """A notebook of another kernel's language (R, Julia) has no Python to analyse."""
    if not isinstance(metadata, dict):
        return True
    for section, key in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(section)
        if isinstance(value, dict) and isinstance(value.get(key), str):
            return value[key].lower() == "python"
    return True


def _source(source: Any) -> str:
    """nbformat's multiline string: one str, or a list of str (each with its own line end)."""
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return ""


def split_lines(text: str) -> list[str]:
    """Lines as Python and LSP count them (a final line end opens no new line)."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def python_lines(lines: list[str]) -> list[str]:
    """A cell's lines with IPython's own syntax blanked: line magics, shell escapes (and their
    `\\` continuations), help, and a cell magic's whole cell (its line only for %%time/capture).
    The number of lines never changes, so positions stay the cell's own."""
    out = list(lines)
    head = next((i for i, text in enumerate(lines) if text.strip()), None)
    if head is not None and lines[head].lstrip().startswith("%%"):
        name = lines[head].lstrip()[2:].split(None, 1)
        if not name or name[0] not in PYTHON_BODY_MAGICS:
            return [""] * len(lines)
        out[head] = ""
    continued = False
    for i, text in enumerate(out):
        stripped = text.lstrip()
        ipython = continued or stripped.startswith(("%", "!")) or bool(
            _HELP.match(text) or _MAGIC_ASSIGN.match(text)
        )
        if not ipython:
            continue
        head_line = not continued
        continued = text.rstrip().endswith("\\")
        indent = text[: len(text) - len(stripped)]
        # Inside a block a blank line would leave it empty; `pass` keeps it a block.
        out[i] = f"{indent}pass" if indent and head_line else ""
    return out


@lru_cache(maxsize=512)
def _parse_error(source: str) -> tuple[int, int, str] | None:
    """(1-based line, 1-based column, message) of why `source` does not parse, or None.

    Cached: while one cell is typed in, the others' verdicts are reused."""
    try:
        ast.parse(source)
    except SyntaxError as e:
        return max(1, e.lineno or 1), max(1, e.offset or 1), e.msg
    except (ValueError, RecursionError, MemoryError) as e:
        return 1, 1, str(e) or type(e).__name__
    return None


def program(path: str, cells: Sequence[tuple[int, str] | tuple[int, str, str]]) -> Program:
    """One program of the code `cells` (index, source[, key]) in order.

    Jupyter compiles each cell alone, so each must parse alone: one that does not is reported
    (a `syntax-error` finding) and left blank; the others are analysed as one module."""
    parts: list[str] = []
    placed: list[Cell] = []
    left_out: list[Finding] = []
    line = 1
    for entry in cells:
        index, source = entry[0], entry[1]
        key = entry[2] if len(entry) > 2 else ""
        lines = python_lines(split_lines(source))
        error = _parse_error("\n".join(lines) + "\n") if lines else None
        if error is not None:
            row, col, msg = error
            row = min(row, len(lines))
            where = Pos(path, line + row - 1, col, line + row - 1, col)
            left_out.append(Finding(
                where, "syntax-error",
                f"This cell does not parse: {msg}; it is left out, the other cells are analysed",
            ))
            lines = [""] * len(lines)
        placed.append(Cell(index, line, len(lines), key))
        parts.extend(lines)
        line += len(lines)
    text = "\n".join(parts) + "\n" if parts else ""
    return Program(path, text, placed, left_out)


def analyze_program(prog: Program, options: Options | None = None) -> Analysis:
    """The analysis of the program, with the cells left out reported among its findings."""
    return with_left_out(prog, analyze(prog.path, prog.text, options))


def with_left_out(prog: Program, analysis: Analysis) -> Analysis:
    """An analysis of the program's text, with the cells left out reported among its findings."""
    if not prog.left_out:
        return analysis
    findings = dict(analysis.findings)
    merged = [*findings.get(prog.path, []), *prog.left_out]
    merged.sort(key=lambda f: (f.pos.line, f.pos.column))
    findings[prog.path] = merged
    return replace(analysis, findings=findings)


def analyze_notebook(path: str, text: str, options: Options | None = None) -> tuple[
        Program, Analysis]:
    """Read an nbformat 4 notebook's JSON and analyse its code cells (NotebookError if not)."""
    prog = program(path, read_cells(text))
    return prog, analyze_program(prog, options)
