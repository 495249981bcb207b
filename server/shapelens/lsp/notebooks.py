"""Notebook documents (LSP 3.17 notebook sync): a notebook's code cells are analysed as one program.

A request on a cell URI is answered from its notebook's analysis (`View`), positions moved into
the cell; diagnostics are published per cell, their fixes' edits addressed to the cell they edit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls import uris
from pygls.workspace import Workspace

from ..analysis import Finding, Pos, Site
from ..notebook import Program, program
from . import convert
from .state import DocAnalysis

if TYPE_CHECKING:
    from .server import ShapeLensServer

# Every notebook type, its Python cells and its markdown cells: a client sends only the cells
# the selector names (VS Code's leaves the others out of `cells`), and with the markdown ones the
# cells' positions are the notebook's own, so "cell 5" is the fifth from the top, as in the CLI.
SYNC = types.NotebookDocumentSyncOptions(notebook_selector=[
    types.NotebookDocumentFilterWithCells(
        cells=[types.NotebookCellLanguage(language="python"),
               types.NotebookCellLanguage(language="markdown")],
        notebook="*"),
])


@dataclass(frozen=True)
class View:
    """What a document URI sees: `key` names the analysis (a cell's: its notebook's)."""

    key: str
    cell: str | None = None  # the cell's URI, unquoted (clients may quote it differently)

    def sites(self, current: DocAnalysis) -> list[tuple[Site, int]]:
        """`current.sites()` in this document: a cell's own, their line delta into the cell."""
        if self.cell is None:
            return current.sites()
        span = _span(current, self.cell)
        if span is None:
            return []
        first, last = span
        return [(site, delta - first + 1) for site, delta in current.sites()
                if first <= site.pos.line + delta <= last]

    def place(self, current: DocAnalysis) -> Callable[[int], str] | None:
        """How an analysed line is named to the user: a notebook's as `cell 5 line 2` (cells
        counted from 1 from the top, as the CLI does); None for a file (its own line numbers)."""
        prog = current.program
        if prog is None:
            return None

        def name(line: int) -> str:
            cell = prog.cell_at(line)
            return f"cell {cell.index + 1} line {line - cell.first + 1}" if cell else str(line)

        return name

    def local(self, current: DocAnalysis, pos: Pos) -> Pos | None:
        """An analysis position in this document's coordinates; None if it is elsewhere."""
        if pos.path != current.analysis.path:
            return None
        if self.cell is None:
            return pos
        span = _span(current, self.cell)
        if span is None or not span[0] <= pos.line <= span[1]:
            return None
        shift = span[0] - 1
        return replace(pos, line=pos.line - shift, end_line=pos.end_line - shift)


def _span(current: DocAnalysis, cell_uri: str) -> tuple[int, int] | None:
    cells = current.program.cells if current.program else []
    cell = next((c for c in cells if unquote(c.key) == cell_uri), None)
    return (cell.first, cell.last) if cell is not None and cell.lines else None


def view(ls: ShapeLensServer, uri: str) -> View:
    nb = ls.workspace.get_notebook_document(cell_uri=uri)
    return View(nb.uri, unquote(uri)) if nb is not None else View(uri)


def program_of(workspace: Workspace, nb: types.NotebookDocument) -> Program:
    """The notebook's Python code cells, in the notebook's order, as one program."""
    cells = []
    for index, cell in enumerate(nb.cells):
        doc = workspace.text_documents.get(unquote(cell.document))
        if cell.kind != types.NotebookCellKind.Code or doc is None:
            continue
        if (doc.language_id or "python") != "python":
            continue
        # Keyed by the URI as the client wrote it: diagnostics go back to exactly that.
        cells.append((index, doc.source, cell.document))
    return program(uris.to_fs_path(nb.uri) or nb.uri, cells)


def publish(ls: ShapeLensServer, nb_uri: str, result: DocAnalysis) -> None:
    """Each cell's diagnostics (an empty list clears a cell's old ones, and a removed cell's)."""
    prog = result.program
    assert prog is not None
    by_cell: dict[str, list[types.Diagnostic]] = {c.key: [] for c in prog.cells if c.key}
    for f in result.analysis.findings_for():
        cell, local = prog.locate_or_first(f.pos)
        if cell is None or not cell.key:
            continue
        moved = Finding(local, f.code, f.message, _cell_data(f.data, prog))
        doc = ls.workspace.get_text_document(cell.key)
        by_cell[cell.key].append(convert.diagnostic(doc, moved))
    for uri in ls.published.get(nb_uri, set()) - set(by_cell):
        by_cell[uri] = []
    ls.published[nb_uri] = {uri for uri, diags in by_cell.items() if diags}
    for uri, diags in by_cell.items():
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diags))


def _cell_data(data: dict[str, Any] | None, prog: Program) -> dict[str, Any] | None:
    """A finding's data with each fix's edits in the coordinates of the cell they edit (and its
    URI); a fix with an edit outside every cell, or across cells, is dropped."""
    if not data or not data.get("fixes"):
        return data
    out = copy.deepcopy(data)
    fixes = []
    for fix in out["fixes"]:
        try:
            for edit in fix["edits"]:
                line, col, end_line, end_col = (int(v) for v in edit["range"])
                found = prog.locate(Pos(prog.path, line, col, end_line, end_col))
                if found is None or found[1].end_line != end_line - found[0].first + 1:
                    raise ValueError("an edit outside one cell")
                cell, local = found
                edit["range"] = [local.line, local.column, local.end_line, local.end_column]
                edit["uri"] = cell.key
        except (KeyError, TypeError, ValueError):
            continue
        fixes.append(fix)
    out["fixes"] = fixes
    return out


def cells_of(ls: ShapeLensServer, uri: str) -> set[str]:
    """The URIs of the cells of `uri`'s notebook (empty for a file): where a fix may edit."""
    nb = ls.workspace.get_notebook_document(cell_uri=uri)
    return {unquote(c.document) for c in nb.cells} if nb is not None else set()


# --- notifications -----------------------------------------------------------------------------

def did_open(ls: ShapeLensServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.analyse(params.notebook_document.uri)


def did_change(ls: ShapeLensServer, params: types.DidChangeNotebookDocumentParams) -> None:
    cells = params.change.cells
    # Metadata and execution summaries (sent as cells run) change no code.
    if cells is not None and (cells.structure or cells.text_content):
        ls.analyse(params.notebook_document.uri)


def did_save(ls: ShapeLensServer, params: types.DidSaveNotebookDocumentParams) -> None:
    """Nothing to do: the analysis follows the edits."""


def did_close(ls: ShapeLensServer, params: types.DidCloseNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.docs.close(uri)
    stale = ls.published.pop(uri, set()) | {c.uri for c in params.cell_text_documents}
    for cell in sorted(stale):
        ls.hint_writer.forget(cell)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=cell, diagnostics=[]))
