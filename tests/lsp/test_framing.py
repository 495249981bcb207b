"""The frame parser on its own: good frames in any chunking, and resynchronisation after bad ones.

Bodies are checked byte for byte; a broken frame must cost that frame only.
"""

from __future__ import annotations

import json
import random

from shapelens.lsp.framing import MAX_BODY, Frame, FrameParser, resync


def frame(obj: object) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n" % len(
        body) + body


def drain(parser: FrameParser) -> list[Frame]:
    """As the transport does: a body that is not JSON gives back what it swallowed."""
    out = []
    while (f := parser.next()) is not None:
        out.append(handle(parser, f))
    return out


def handle(parser: FrameParser, f: Frame) -> Frame:
    if f.error is not None or f.misframed:
        return f
    try:
        json.loads(f.body)
    except ValueError:
        cut = resync(f.body)
        if cut is None:
            return Frame(f.body, "not JSON")
        end, whole = cut
        parser.unread(f.body[end:])
        return Frame(f.body[:end], None if whole else "not JSON", misframed=whole)
    return f


def bodies(frames: list[Frame]) -> list[object]:
    """Each frame's JSON; "error" for a broken one, ("misframed", json) for a wrong length."""
    out: list[object] = []
    for f in frames:
        if f.error is not None:
            out.append("error")
        elif f.misframed:
            out.append(("misframed", json.loads(f.body)))
        else:
            out.append(json.loads(f.body))
    return out


def test_any_chunking_gives_the_same_frames() -> None:
    msgs = [{"id": i, "text": "é" * i + "\r\n\r\n"} for i in range(30)]
    stream = b"".join(frame(m) for m in msgs)
    rng = random.Random(6)
    for _ in range(20):
        parser = FrameParser()
        got: list[Frame] = []
        pos = 0
        while pos < len(stream):
            step = rng.randint(1, 40)
            parser.feed(stream[pos:pos + step])
            pos += step
            got += drain(parser)
        assert bodies(got) == msgs
        assert parser.junk == 0


def test_case_insensitive_header_and_header_order() -> None:
    body = json.dumps({"id": 1}).encode()
    parser = FrameParser()
    parser.feed(b"content-type: x\r\ncontent-LENGTH:%d\r\n\r\n" % len(body) + body)
    assert bodies(drain(parser)) == [{"id": 1}]


def test_too_short_length_costs_one_frame() -> None:
    body = json.dumps({"id": 1, "pad": "x" * 20}).encode()
    parser = FrameParser()
    parser.feed(b"Content-Length: %d\r\n\r\n" % (len(body) - 7) + body + frame({"id": 2}))
    got = drain(parser)
    assert bodies(got) == ["error", {"id": 2}]
    assert parser.junk == 7  # the cut-off tail of the first body


def test_too_long_length_gives_back_the_swallowed_message() -> None:
    body = json.dumps({"id": 1}).encode()
    for over in (3, 10, 30, 70):  # into the next header, its body, or the one after
        parser = FrameParser()
        parser.feed(b"Content-Length: %d\r\n\r\n" % (len(body) + over) + body
                    + frame({"id": 2}) + frame({"id": 3}) + frame({"id": 4}))
        assert bodies(drain(parser)) == [("misframed", {"id": 1}), {"id": 2}, {"id": 3},
                                         {"id": 4}], over


def test_header_without_body_then_a_message() -> None:
    parser = FrameParser()
    parser.feed(b"Content-Length: 500\r\n\r\n" + frame({"id": 2}))
    assert drain(parser) == []  # waiting for 500 bytes that will not come
    assert parser.pending_body()
    stalled = parser.stalled()
    assert stalled is not None and stalled.body == b""
    assert bodies([handle(parser, stalled), *drain(parser)]) == ["error", {"id": 2}]


def test_too_long_length_at_the_end_of_the_stream() -> None:
    parser = FrameParser()
    parser.feed(b"Content-Length: 500\r\n\r\n" + json.dumps({"id": 5}).encode())
    assert drain(parser) == []
    stalled = parser.stalled()
    assert stalled is not None and bodies([handle(parser, stalled)]) == [("misframed", {"id": 5})]


def test_stall_without_another_header_keeps_waiting() -> None:
    parser = FrameParser()
    parser.feed(b"Content-Length: 50\r\n\r\n{\"id\": ")
    assert drain(parser) == [] and parser.pending_body()
    assert parser.stalled() is None and parser.pending_body()
    parser.feed(b"1" + b" " * 41 + b"}")
    assert bodies(drain(parser)) == [{"id": 1}]


def test_bad_or_missing_length_is_an_error_frame_and_reading_goes_on() -> None:
    for header in (b"Content-Length: abc\r\n\r\n", b"Content-Type: x\r\n\r\n",
                   b"Content-Length: -4\r\n\r\n", b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1)):
        parser = FrameParser()
        parser.feed(header + frame({"id": 9}))
        got = drain(parser)
        assert got[0].error is not None, header
        assert bodies(got)[-1] == {"id": 9}, header


def test_junk_without_any_header_is_bounded() -> None:
    parser = FrameParser()
    for _ in range(40):
        parser.feed(b"x" * 65536)
        assert drain(parser) == []
    assert len(parser.buffer) <= 2 << 20
    parser.feed(b"\r\n\r\n" + frame({"id": 1}))
    assert bodies(drain(parser))[-1] == {"id": 1}


def test_header_without_body_then_bad_headers_each_count() -> None:
    parser = FrameParser()
    parser.feed(b"Content-Length: 300\r\n\r\n" + b"Content-Length: x\r\n\r\n{}"
                + b"Content-Type: y\r\n\r\n{}" + frame({"id": 3}) + b" " * 300)
    assert bodies(drain(parser)) == ["error", "error", "error", {"id": 3}]


def test_a_slow_honest_body_mentioning_a_header_is_not_cut() -> None:
    body = json.dumps({"id": 1, "text": "Content-Type: text/plain\r\n" * 3}).encode()
    parser = FrameParser()
    parser.feed(b"Content-Length: %d\r\n\r\n" % len(body) + body[:60])
    assert drain(parser) == [] and parser.stalled() is None  # a pause mid-body
    parser.feed(body[60:])
    assert bodies(drain(parser)) == [json.loads(body)]
