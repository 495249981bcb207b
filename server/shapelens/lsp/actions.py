"""textDocument/codeAction: quick fixes read back from the diagnostic's data (never recomputed)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

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
        edits = []
        for e in data.get("edits") or []:
            line, col, end_line, end_col = e["range"]
            edits.append(
                types.TextEdit(
                    types.Range(
                        convert.position(doc, line, col), convert.position(doc, end_line, end_col)
                    ),
                    e["text"],
                )
            )
        if edits:
            actions.append(
                types.CodeAction(
                    title=str(data.get("title", "Fix")),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
    return actions
