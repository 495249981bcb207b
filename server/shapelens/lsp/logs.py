"""The server's log format on stderr: one record, lines of bounded length.

pygls logs a failing message with its params (a whole document's text on one line); a client
that reads our stderr line by line with a bounded buffer (asyncio's readline: 64 KiB) stops
reading at such a line, and once the pipe is full every later write would block the server.
"""

from __future__ import annotations

import logging

MAX_LINE = 2000  # characters kept of each line of a record


class ShortLines(logging.Formatter):
    """Formats as `inner` does, then cuts every line of the record to MAX_LINE characters."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        text = self.inner.format(record)
        return "\n".join(_cut(line) for line in text.split("\n"))


def _cut(line: str) -> str:
    if len(line) <= MAX_LINE:
        return line
    return f"{line[:MAX_LINE]}... [{len(line) - MAX_LINE} characters cut]"


def install() -> None:
    """Plain `LEVEL name: message` records on stderr, shapelens' own from INFO, lines cut."""
    # pygls logs every message at INFO: on stderr that can fill a pipe no client reads.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("shapelens").setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(ShortLines(handler.formatter))
