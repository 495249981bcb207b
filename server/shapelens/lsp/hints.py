"""textDocument/inlayHint and inlayHint/resolve: each site's output shape at the end of its call.

Only sites ending inside the requested range become hints; the tooltip is filled at resolve.
The list is answered as JSON written here (`encoded.py`), each hint's kept from the last answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from . import convert, markdown
from .encoded import Encoded

if TYPE_CHECKING:
    from .server import ShapeLensServer


async def inlay_hints(ls: ShapeLensServer, params: types.InlayHintParams) -> Encoded:
    uri = params.text_document.uri
    doc = ls.document(uri)
    view = ls.view(uri)
    current = await ls.docs.current(view.key)
    if current is None or not ls.settings.inlay_hints:
        return Encoded("[]", view.key)
    first, last = params.range.start.line + 1, params.range.end.line + 1
    hints = []
    lines = convert.lines_of(doc)
    for site, delta in view.sites(current):
        end_line = site.pos.end_line + delta
        if not first <= end_line <= last:
            continue
        text = markdown.label(site, ls.settings.hint_format, ls.settings.parameter_hints,
                              ls.settings.symbolic_dims)
        row, char = convert.place(doc, end_line, site.pos.end_column, lines)
        hints.append((row, char, text, site.pos.line, site.pos.column))
    return ls.hint_writer.write(uri, hints, view.key)


async def resolve(ls: ShapeLensServer, hint: types.InlayHint) -> types.InlayHint:
    data: Any = hint.data or {}
    uri = str(data.get("uri", "")) if isinstance(data, dict) else ""
    current = await ls.docs.current(ls.view(uri).key) if uri else None
    if current is None:
        return hint
    for site, _delta in current.sites():
        if (site.pos.line, site.pos.column) == (data.get("line"), data.get("column")):
            text = markdown.explain(site, ls.view(uri).place(current))
            hint.tooltip = types.MarkupContent(types.MarkupKind.Markdown, text)
            break
    return hint
