"""textDocument/inlayHint and inlayHint/resolve: each site's output shape at the end of its call.

Only sites ending inside the requested range become hints; the tooltip is filled at resolve.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from . import convert, markdown

if TYPE_CHECKING:
    from .server import ShapeLensServer


async def inlay_hints(ls: ShapeLensServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    uri = params.text_document.uri
    doc = ls.document(uri)
    view = ls.view(uri)
    current = await ls.docs.current(view.key)
    if current is None or not ls.settings.inlay_hints:
        return []
    first, last = params.range.start.line + 1, params.range.end.line + 1
    hints = []
    for site, delta in view.sites(current):
        end_line = site.pos.end_line + delta
        if not first <= end_line <= last:
            continue
        text = markdown.label(site, ls.settings.hint_format, ls.settings.parameter_hints,
                              ls.settings.symbolic_dims)
        hints.append(
            types.InlayHint(
                position=convert.position(doc, end_line, site.pos.end_column),
                label=text,
                kind=types.InlayHintKind.Type,
                padding_left=True,
                data={"uri": uri, "line": site.pos.line, "column": site.pos.column},
            )
        )
    return hints


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
