"""textDocument/codeLens above each model, and the command that shows its summary table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from ..analysis.keras.summary import summaries
from . import convert

if TYPE_CHECKING:
    from .server import ShapeLensServer

SHOW_SUMMARY = "shapelens.showSummary"


async def code_lens(ls: ShapeLensServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    view = ls.view(uri)
    current = await ls.docs.current(view.key)
    if current is None:
        return []
    lenses = []
    tables = summaries(current.analysis)
    for i, (model, table) in enumerate(zip(current.analysis.models, tables)):
        model_pos = getattr(model, "pos", None)
        pos = view.local(current, model_pos) if model_pos is not None else None
        if pos is None:
            continue
        total = table.total
        where = convert.position(doc, pos.line, pos.column)
        title = (
            f"{table.title}: {total:,} params" if total is not None else f"{table.title}: ? params"
        ) + " · show summary"
        lenses.append(
            types.CodeLens(
                range=types.Range(where, where),
                command=types.Command(title=title, command=SHOW_SUMMARY, arguments=[uri, i]),
            )
        )
    return lenses


async def show_summary(ls: ShapeLensServer, args: Any) -> str | None:
    """The model.summary() table of model `index` in document `uri` (args: [uri, index])."""
    if not isinstance(args, (list, tuple)) or len(args) != 2 or not isinstance(args[1], int):
        return None
    current = await ls.docs.current(ls.view(str(args[0])).key)
    if current is None:
        return None
    tables = summaries(current.analysis)
    return str(tables[args[1]]) if 0 <= args[1] < len(tables) else None
