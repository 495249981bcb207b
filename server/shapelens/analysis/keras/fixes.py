"""Edits that repair a finding where the fix is certain, carried in the finding's data.

`data["fixes"]` lists {"title": str, "edits": [edit, ...]}; an edit is {"range": [line, column,
end_line, end_column], "text": str} in analyser coordinates (1-based lines, 1-based UTF-8 byte
columns). The language server turns each fix into a code action; nothing is recomputed there.
"""

from __future__ import annotations

import ast
import difflib
import re
from functools import lru_cache
from typing import Any

from ..core.sites import Pos


def add_fix(data: dict[str, Any] | None, title: str, edits: list[dict[str, Any]]) -> dict[str, Any]:
    """`data` with one more fix (the first added is the preferred one)."""
    data = dict(data or {})
    data["fixes"] = [*data.get("fixes", []), {"title": title, "edits": edits}]
    return data


def span(node: ast.AST) -> list[int]:
    p = Pos.of("", node)
    return [p.line, p.column, p.end_line, p.end_column]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # the line ends Python counts


@lru_cache(maxsize=4)
def _lines(source: str) -> tuple[str, ...]:
    return tuple(_LINE.findall(source))


def segment(source: str, node: ast.AST) -> str | None:
    """`ast.get_source_segment`, which splits the whole source in pure Python on every call
    (1.2 s on a 50,000-line file); the lines here are split once per source."""
    try:
        lines = _lines(source)
        first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
        col, end_col = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        if not 0 <= first <= last < len(lines):
            return None
        if first == last:
            return lines[first].encode()[col:end_col].decode()
        head = lines[first].encode()[col:].decode()
        return head + "".join(lines[first + 1 : last]) + lines[last].encode()[:end_col].decode()
    except Exception:  # odd positions: no fix rather than a wrong one
        return None


def crop_skip(
    call: ast.AST,
    source: str,
    index: int,
    cropping: list[list[int]],
    data: dict[str, Any],
    tree: ast.Module | None = None,
    defined: bool = True,
) -> dict[str, Any]:
    """Wrap input `index` of `concatenate([...])` in the Cropping2D that makes it join."""
    if not isinstance(call, ast.Call) or not call.args:
        return data
    seq = call.args[0]
    if not isinstance(seq, (ast.List, ast.Tuple)) or index >= len(seq.elts):
        return data
    element = seq.elts[index]
    text = segment(source, element)
    func = segment(source, call.func) or ""
    if text is None:
        return data
    # Spell Cropping2D the way this file spells its layers (`layers.concatenate` -> `layers.`).
    prefix = func.rsplit(".", 1)[0] + "." if "." in func else ""
    if isinstance(call.func, ast.Call):  # Concatenate(axis=3)([a, b])
        inner = segment(source, call.func.func) or ""
        prefix = inner.rsplit(".", 1)[0] + "." if "." in inner else ""
    crop = tuple(tuple(c) for c in cropping)
    new = f"{prefix}Cropping2D(cropping={crop})({text})"
    edits = [{"range": span(element), "text": new}]
    if not prefix and not defined and tree is not None:
        # The file imports its layers by name and not this one: import it after its imports.
        last = max((n.end_lineno or n.lineno for n in tree.body
                    if isinstance(n, (ast.Import, ast.ImportFrom))), default=0)
        edits.insert(0, {"range": [last + 1, 1, last + 1, 1],
                         "text": "from keras.layers import Cropping2D\n"})
    return add_fix(data, f"Crop the skip branch: {new}", edits)


def fix_padding(
    call: ast.AST, value: Any, allowed: list[str], data: dict[str, Any]
) -> dict[str, Any]:
    """`padding='vaild'` -> `padding='valid'`, when one spelling is clearly meant."""
    if not isinstance(call, ast.Call) or not isinstance(value, str):
        return data
    match = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.6)
    kw = next((k for k in call.keywords if k.arg == "padding"), None)
    if not match or kw is None or not isinstance(kw.value, ast.Constant):
        return data
    return add_fix(
        data, f"Change padding to '{match[0]}'", [{"range": span(kw.value), "text": repr(match[0])}]
    )
