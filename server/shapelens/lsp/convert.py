"""The one place that knows both coordinate worlds: analyser positions and LSP positions.

The analyser reports 1-based lines and 1-based columns counted in UTF-8 bytes (ast's
col_offset + 1); LSP wants 0-based lines and columns in the client's units (UTF-16 by default),
which pygls' position codec converts from str indices.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lsprotocol import types
from pygls.workspace import TextDocument

from ..analysis import Finding, Pos

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def lines_of(doc: TextDocument) -> tuple[str, ...]:
    """`doc`'s lines, split once per text (every position conversion asks for them)."""
    return _lines(doc.source)


@lru_cache(maxsize=8)
def _lines(source: str) -> tuple[str, ...]:
    """The document's lines as LSP and Python count them: only LF, CRLF and CR end a line.

    pygls' `doc.lines` splits the whole text again on every access (once per site, hints on a
    50,000-line file took 20 s) and also splits at form feeds, vertical tabs, U+001C-U+001E,
    U+0085 and U+2028/9, shifting every position after one. Cached by the source string.
    """
    return tuple(_LINE.findall(source))


def _char_index(line_text: str, byte_col: int) -> int:
    """A 1-based UTF-8 byte column -> a 0-based str index into the line."""
    raw = line_text.encode("utf-8")[: max(0, byte_col - 1)]
    return len(raw.decode("utf-8", errors="ignore"))


def position(doc: TextDocument, line: int, column: int) -> types.Position:
    """Analyser (1-based line, 1-based byte column) -> LSP position in the client's units."""
    return types.Position(*place(doc, line, column))


def place(doc: TextDocument, line: int, column: int,
          lines: tuple[str, ...] | None = None) -> tuple[int, int]:
    """`position` as (line, character): what a hint written as JSON needs. `lines`: the
    document's (`lines_of`), when the caller places many: the cache that keeps them finds a text
    by comparing it whole when an equal one came before (an undo: 5 us a call at 10,000 lines)."""
    if lines is None:
        lines = lines_of(doc)
    row = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[row] if lines else ""
    if lines and text.isascii():  # one byte, one char, one code unit in every encoding
        return row, min(max(0, column - 1), len(text))
    server_pos = types.Position(row, _char_index(text, column))
    client = doc.position_codec.position_to_client_units(lines, server_pos)
    return client.line, client.character


def range_of(doc: TextDocument, pos: Pos) -> types.Range:
    return types.Range(
        position(doc, pos.line, pos.column), position(doc, pos.end_line, pos.end_column)
    )


def analyser_position(doc: TextDocument, pos: types.Position) -> tuple[int, int]:
    """LSP position -> analyser (1-based line, 1-based byte column)."""
    lines = lines_of(doc)
    server = doc.position_codec.position_from_client_units(lines, pos)
    row = server.line
    text = lines[row] if 0 <= row < len(lines) else ""
    return row + 1, len(text[: server.character].encode("utf-8")) + 1


_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def diagnostic(doc: TextDocument, finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=range_of(doc, finding.pos),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Error),
        code=finding.code,
        source="shapelens",
        data=finding.data,
    )


def internal_error() -> types.Diagnostic:
    """What a document shows when the analyser failed on it (a bug, logged): a reason, not an
    error on the user's code."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        message="ShapeLens could not analyse this file (an internal error, logged by the server);"
        " no shapes are shown",
        severity=types.DiagnosticSeverity.Information,
        code="internal-error",
        source="shapelens",
    )

