"""Positions mapped for the client: the ASCII shortcut in `convert.position` gives what pygls'
position codec gives, in every encoding, for any line and column."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from shapelens.lsp import convert

ENCODINGS = [types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16,
             types.PositionEncodingKind.Utf32]


def by_codec(doc: TextDocument, line: int, column: int) -> types.Position:
    """The conversion without the shortcut: str index, then pygls' code units."""
    lines = convert.lines_of(doc)
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row] if lines else ""
    server_pos = types.Position(row, convert._char_index(text, column))
    return doc.position_codec.position_to_client_units(lines, server_pos)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab (é𝔘\t", max_size=12), max_size=4),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.integers(-2, 40), st.integers(-2, 20), st.sampled_from(ENCODINGS),
)
def test_position_equals_the_codecs(
    rows: list[str], eol: str, line: int, column: int, encoding: types.PositionEncodingKind,
) -> None:
    doc = TextDocument("file:///t.py", eol.join(rows),
                       position_codec=PositionCodec(encoding))
    assert convert.position(doc, line, column) == by_codec(doc, line, column)
