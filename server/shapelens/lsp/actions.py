"""textDocument/codeAction: quick fixes read back from the diagnostic's data (never recomputed).

Each entry of `data["fixes"]` is one action; the first is the preferred one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.workspace import TextDocument

from . import convert

if TYPE_CHECKING:
    from .server import ShapeLensServer


def code_actions(ls: ShapeLensServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    actions = []
    for diag in params.context.diagnostics:
        data: Any = diag.data
        if diag.source != "shapelens" or not isinstance(data, dict):
            continue
        for i, fix in enumerate(data.get("fixes") or []):
            try:
                edits = [_edit(doc, e) for e in fix.get("edits") or []]
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # the client echoes `data` back: a mangled fix is skipped, not a crash
            if edits:
                actions.append(
                    types.CodeAction(
                        title=str(fix.get("title", "Fix")),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=i == 0,
                        edit=types.WorkspaceEdit(changes={uri: edits}),
                    )
                )
    return actions


def _edit(doc: TextDocument, e: dict[str, Any]) -> types.TextEdit:
    line, col, end_line, end_col = (int(v) for v in e["range"])
    start = convert.position(doc, line, col)
    return types.TextEdit(
        types.Range(start, convert.position(doc, end_line, end_col)), str(e["text"])
    )
