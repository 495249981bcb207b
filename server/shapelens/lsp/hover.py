"""textDocument/hover: on a site, how its shape came out (derivation, defaults, parameters)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from . import convert, markdown

if TYPE_CHECKING:
    from .server import ShapeLensServer


async def hover(ls: ShapeLensServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    doc = ls.document(uri)
    view = ls.view(uri)
    current = await ls.docs.current(view.key)
    if current is None:
        return None
    line, col = convert.analyser_position(doc, params.position)
    best = None
    for site, delta in view.sites(current):
        p = site.pos
        start, end = (p.line + delta, p.column), (p.end_line + delta, p.end_column)
        if start <= (line, col) <= end:
            size = (end[0] - start[0], end[1] - start[1])
            if best is None or size < best[0]:
                best = (size, site, delta)
    if best is None:
        return None
    _, site, delta = best
    p = site.pos
    rng = types.Range(
        convert.position(doc, p.line + delta, p.column),
        convert.position(doc, p.end_line + delta, p.end_column),
    )
    text = markdown.explain(site, view.place(current))
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), rng)
