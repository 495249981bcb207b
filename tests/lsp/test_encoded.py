"""Hints written as JSON by the server read exactly as lsprotocol's converter writes them."""

from __future__ import annotations

import json

from lsprotocol import types
from pygls.protocol import default_converter

from shapelens.lsp.encoded import HintWriter

CONVERTER = default_converter()


def lsprotocol_json(uri: str, row: int, char: int, label: str, line: int, column: int) -> object:
    hint = types.InlayHint(
        position=types.Position(row, char), label=label, kind=types.InlayHintKind.Type,
        padding_left=True, data={"uri": uri, "line": line, "column": column},
    )
    return CONVERTER.unstructure(hint)


def test_each_hint_is_what_lsprotocol_writes() -> None:
    uri = "file:///tmp/m%C3%BCnchen/model.py"
    rows = [(3, 17, "(None, 570, 570, 64)", 4, 9), (9, 0, "✗", 10, 1),
            (12, 40, 'floor(H/2) x "W" +2', 13, 5)]
    got = json.loads(HintWriter().write(uri, rows).text)
    assert got == [lsprotocol_json(uri, *row) for row in rows]


def test_an_answer_is_ascii_so_its_length_is_its_bytes() -> None:
    text = HintWriter().write("file:///a.py", [(0, 1, "(ünknown, ✗)", 1, 1)]).text
    assert text.isascii()


def test_the_next_answer_keeps_unchanged_hints_and_writes_the_changed() -> None:
    writer = HintWriter()
    first = [(1, 5, "(None, 8)", 2, 1), (2, 5, "(None, 16)", 3, 1)]
    writer.write("file:///a.py", first)
    second = [(1, 5, "(None, 8)", 2, 1), (2, 5, "(None, 17)", 3, 1)]
    got = json.loads(writer.write("file:///a.py", second).text)
    assert [h["label"] for h in got] == ["(None, 8)", "(None, 17)"]
    assert got == [lsprotocol_json("file:///a.py", *row) for row in second]


def test_a_closed_document_keeps_nothing() -> None:
    writer = HintWriter()
    writer.write("file:///a.py", [(1, 5, "(None, 8)", 2, 1)])
    writer.forget("file:///a.py")
    assert json.loads(writer.write("file:///b.py", []).text) == []
    assert writer._last.keys() == {"file:///b.py"}
