"""Cuts the LSP byte stream (`Content-Length: N` header block, blank line, N bytes) into frames.

It recovers from bad framing instead of losing the stream: a wrong length, a header without a
body or junk between messages costs only the broken message, and the next header is found again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Header names are case-insensitive (RFC 7230, which LSP's base protocol borrows).
_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE)
# Where a (possibly swallowed) next message starts: its first header line, good or bad.
_NEXT_HEADER = re.compile(rb"content-(?:length|type)[ \t]*:", re.IGNORECASE)
_END = b"\r\n\r\n"

MAX_BODY = 64 << 20  # a larger Content-Length is a broken header, not a message to wait for
_MAX_JUNK = 1 << 20  # header bytes kept while waiting for the blank line that ends them
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Frame:
    """One framed body, or `error` when the header block could not be used."""

    body: bytes
    error: str | None = None
    misframed: bool = False  # a whole JSON value, but not the length its header declared


class FrameParser:
    """Incremental: `feed` bytes as they arrive, take finished frames one at a time with `next`
    (one at a time, so a body found broken can give bytes back with `unread` before the rest)."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.want: int | None = None  # body length expected after a good header block
        self.junk = 0  # bytes dropped because they belonged to no usable frame

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def unread(self, data: bytes) -> None:
        """Put bytes back in front: the next message a too-long frame swallowed."""
        self.buffer[:0] = data

    def pending_body(self) -> bool:
        return self.want is not None

    def stalled(self) -> Frame | None:
        """The stream went quiet mid-body: if the partial body already holds a whole JSON value
        or another header, the declared length was too long; end the frame there."""
        if self.want is None:
            return None
        # A header only where the body should start: later on it may be text inside a slow but
        # honest message (a file that mentions Content-Type).
        cut = resync(bytes(self.buffer), anywhere=False)
        if cut is None:  # maybe just a slow client
            return None
        end, whole = cut
        body = bytes(self.buffer[:end])
        del self.buffer[:end]
        self.want = None
        return Frame(body, misframed=whole)

    def next(self) -> Frame | None:
        if self.want is None:
            return self._header()
        if len(self.buffer) < self.want:
            return None
        body = bytes(self.buffer[: self.want])
        del self.buffer[: self.want]
        self.want = None
        return Frame(body)

    def _header(self) -> Frame | None:
        end = self.buffer.find(_END)
        if end < 0:
            if len(self.buffer) > _MAX_JUNK:  # no header in sight: keep only a possible start
                self.junk += len(self.buffer) - 64
                del self.buffer[:-64]
            return None
        block = bytes(self.buffer[:end])
        del self.buffer[: end + len(_END)]
        found = list(_LENGTH.finditer(block))
        if not found:
            self.junk += len(block) + len(_END)
            return Frame(block, "header block without Content-Length")
        # Bytes before the header line are the tail of an earlier, too-short frame.
        self.junk += found[0].start()
        value = found[-1].group(1).strip()
        if not value.isdigit() or int(value) > MAX_BODY:
            return Frame(block, f"bad Content-Length {value[:40]!r}")
        self.want = int(value)
        return self.next()


def resync(data: bytes, anywhere: bool = True) -> tuple[int, bool] | None:
    """Where the first message ends in bytes framed with a wrong length, and whether it is a
    whole JSON value (the length was too long: the rest belongs to the next message); else where
    the next header starts; None if neither can be found."""
    try:
        text = data.decode("utf-8")
        start = len(text) - len(text.lstrip())
        _value, end = _DECODER.raw_decode(text, start)
        return len(text[:end].encode("utf-8")), True
    except ValueError:  # not JSON from the start (or cut short), or not UTF-8
        pass
    nxt = _NEXT_HEADER.search(data)
    if nxt is None or (not anywhere and data[: nxt.start()].strip()):
        return None
    return nxt.start(), False
