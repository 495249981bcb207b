"""Answers written as JSON by us, not walked by cattrs: a 1,000-line model's hint list.

`Encoded` carries an answer's JSON text; the protocol writes it as the response's result
as it is. `HintWriter` keeps each hint's JSON from one answer to the next (an edit changes few).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

_HINT_KIND = types.InlayHintKind.Type.value


@dataclass(frozen=True)
class Encoded:
    """A request's result already in JSON (what lsprotocol's converter would write for it)."""

    text: str
    key: str = ""  # the document (or notebook) whose analysis it answers from


class HintWriter:
    """The JSON of inlay hints, each kept from the last answer for the same document: the next
    answer writes again only the hints whose place or label changed."""

    def __init__(self) -> None:
        self._last: dict[str, dict[tuple[Any, ...], str]] = {}

    def write(self, uri: str, hints: list[tuple[int, int, str, int, int]],
              answers_for: str = "") -> Encoded:
        """`hints`: (row, character, label, site line, site column) in answer order;
        `answers_for`: the answer's `Encoded.key`."""
        last = self._last.get(uri, {})
        now: dict[tuple[Any, ...], str] = {}
        parts = []
        for key in hints:
            text = last.get(key) or now.get(key)
            if text is None:
                row, char, label, line, column = key
                # lsprotocol's field order and spelling (camelCase; no nulls for unset fields).
                text = json.dumps({
                    "position": {"line": row, "character": char},
                    "label": label,
                    "kind": _HINT_KIND,
                    "paddingLeft": True,
                    "data": {"uri": uri, "line": line, "column": column},
                })
            now[key] = text
            parts.append(text)
        self._last[uri] = now
        return Encoded("[" + ",".join(parts) + "]", answers_for)

    def forget(self, uri: str) -> None:
        self._last.pop(uri, None)
