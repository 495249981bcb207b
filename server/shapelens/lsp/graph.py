"""The `shapelens.graph` command: the graph JSON (docs/graph-json.md) of a document's models,
from its current analysis, for the editor's model-graph view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.keras.graphjson import graphs

if TYPE_CHECKING:
    from .server import ShapeLensServer

SHOW_GRAPH = "shapelens.graph"


async def graph(ls: ShapeLensServer, args: Any) -> dict[str, Any] | None:
    """args: [uri] or [uri, model name]; None when the document is not analysed."""
    if not isinstance(args, (list, tuple)) or not args or not isinstance(args[0], str):
        return None
    name = args[1] if len(args) > 1 and isinstance(args[1], str) else None
    current = await ls.docs.current(args[0])
    if current is None:
        return None
    return graphs(current.analysis, name)
