"""textDocument/codeAction: quick fixes read back from the diagnostic's data (never recomputed).

Each entry of `data["fixes"]` is one action; the first is the preferred one. In a notebook an
edit may name the cell it edits (`"uri"`, notebooks.py): only a cell of the same notebook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument

from . import convert, notebooks

if TYPE_CHECKING:
    from .server import ShapeLensServer


def code_actions(ls: ShapeLensServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    ls.document(uri)
    cells = {unquote(c): c for c in notebooks.cells_of(ls, uri)}
    actions = []
    for diag in params.context.diagnostics:
        data: Any = diag.data
        if diag.source != "shapelens" or not isinstance(data, dict):
            continue
        for i, fix in enumerate(data.get("fixes") or []):
            changes: dict[str, list[types.TextEdit]] = {}
            try:
                for e in fix.get("edits") or []:
                    target = uri if e.get("uri") is None else cells[unquote(str(e["uri"]))]
                    doc = ls.workspace.get_text_document(target)
                    changes.setdefault(target, []).append(_edit(doc, e))
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # the client echoes `data` back: a mangled fix is skipped, not a crash
            if changes:
                actions.append(
                    types.CodeAction(
                        title=str(fix.get("title", "Fix")),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=i == 0,
                        edit=types.WorkspaceEdit(changes=changes),
                    )
                )
    return actions


def _edit(doc: TextDocument, e: dict[str, Any]) -> types.TextEdit:
    line, col, end_line, end_col = (int(v) for v in e["range"])
    start = convert.position(doc, line, col)
    return types.TextEdit(
        types.Range(start, convert.position(doc, end_line, end_col)), str(e["text"])
    )
