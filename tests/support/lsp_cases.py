"""Malformed LSP messages, one of each kind, with the answers the JSON-RPC/LSP specs require.

Each case builds its bytes from the uri of an open document; its answers are (id, error code),
code None for a normal result; no answer at all for an ignored notification.
"""

from __future__ import annotations

import json
import queue
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from support.lsp_raw import ROOT, frame

UNET = ROOT / "examples" / "unet.py"
PARSE, INVALID_REQUEST, NOT_FOUND, INVALID_PARAMS, NOT_INITIALIZED = (
    -32700, -32600, -32601, -32602, -32002)


def msg(method: str | None = None, params: Any = None, id: Any = 7, **extra: Any) -> bytes:
    body: dict[str, Any] = {"jsonrpc": "2.0", **extra}
    if id is not None:
        body["id"] = id
    if method is not None:
        body["method"] = method
    if params is not None:
        body["params"] = params
    return frame(body)


def pos(line: Any, character: Any) -> dict[str, Any]:
    return {"line": line, "character": character}


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[str], bytes]  # uri of the open U-Net -> bytes to send
    answers: tuple[tuple[Any, int | None], ...]  # (id, error code or None for a result)


def hover(uri: str, p: Any, id: Any = 7) -> bytes:
    return msg("textDocument/hover", {"textDocument": {"uri": uri}, "position": p}, id)


TOO_SHORT = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "shutdown"}).encode()
NEVER = "file:///never/opened.py"

CASES = [
    # not JSON, or not framed as its header says
    Case("invalid JSON", lambda u: frame(b'{"jsonrpc": "2.0", "id": 7, "method": '),
         ((None, PARSE),)),
    Case("body not UTF-8", lambda u: frame(b'{"jsonrpc": "2.0", "method": "\xff\xfe"}'),
         ((None, PARSE),)),
    Case("empty body", lambda u: b"Content-Length: 0\r\n\r\n", ((None, PARSE),)),
    Case("Content-Length too short",
         lambda u: b"Content-Length: %d\r\n\r\n" % (len(TOO_SHORT) - 9) + TOO_SHORT,
         ((None, PARSE),)),
    Case("Content-Length too long", lambda u: b"Content-Length: %d\r\n\r\n" % (
        len(TOO_SHORT) + 25) + TOO_SHORT, ((7, INVALID_REQUEST),)),
    Case("header without body", lambda u: b"Content-Length: 4000\r\n\r\n", ((None, PARSE),)),
    Case("Content-Length not a number", lambda u: b"Content-Length: many\r\n\r\n{}",
         ((None, PARSE),)),
    Case("no Content-Length", lambda u: b"Content-Type: application/json\r\n\r\n{}",
         ((None, PARSE),)),
    # JSON, but not a JSON-RPC request
    Case("batch", lambda u: frame(b"[]"), ((None, INVALID_REQUEST),)),
    Case("number", lambda u: frame(b"42"), ((None, INVALID_REQUEST),)),
    Case("no jsonrpc", lambda u: frame({"id": 7, "method": "shutdown"}), ((7, INVALID_REQUEST),)),
    Case("jsonrpc 1.0", lambda u: msg("shutdown", jsonrpc="1.0"), ((7, INVALID_REQUEST),)),
    Case("method not a string", lambda u: frame({"jsonrpc": "2.0", "id": 7, "method": 12}),
         ((7, INVALID_REQUEST),)),
    Case("id an object", lambda u: msg("shutdown", id={"a": 1}), ((None, INVALID_REQUEST),)),
    Case("id a boolean", lambda u: msg("shutdown", id=True), ((None, INVALID_REQUEST),)),
    Case("no method, result or error", lambda u: msg(None), ((7, INVALID_REQUEST),)),
    Case("request for a notification method", lambda u: msg("initialized", {}),
         ((7, INVALID_REQUEST),)),
    Case("second initialize", lambda u: msg("initialize", {"capabilities": {}}),
         ((7, INVALID_REQUEST),)),
    # unknown methods
    Case("unknown request", lambda u: msg("foo/bar", {}), ((7, NOT_FOUND),)),
    Case("unknown $/ request", lambda u: msg("$/foo", {}), ((7, NOT_FOUND),)),
    Case("unknown notification", lambda u: msg("foo/bar", {}, id=None), ()),
    Case("unknown $/ notification", lambda u: msg("$/foo", {}, id=None), ()),
    # wrong params
    Case("hover without params", lambda u: msg("textDocument/hover"), ((7, INVALID_PARAMS),)),
    Case("hover params a string", lambda u: msg("textDocument/hover", "x"),
         ((7, INVALID_PARAMS),)),
    Case("hover line a string", lambda u: hover(u, pos("a", 0)), ((7, INVALID_PARAMS),)),
    Case("hover negative line", lambda u: hover(u, pos(-1, 0)), ((7, INVALID_PARAMS),)),
    Case("inlayHint without range", lambda u: msg("textDocument/inlayHint", {
        "textDocument": {"uri": u}}), ((7, INVALID_PARAMS),)),
    Case("codeAction with a mangled fix", lambda u: msg("textDocument/codeAction", {
        "textDocument": {"uri": u}, "range": {"start": pos(0, 0), "end": pos(0, 1)},
        "context": {"diagnostics": [{"range": {"start": pos(0, 0), "end": pos(0, 1)},
                                     "message": "m", "source": "shapelens",
                                     "data": {"fixes": [{"edits": [{"range": "x"}]}, 5]}}]}}),
         ((7, None),)),
    Case("didChange with a string", lambda u: msg("textDocument/didChange", "x", id=None), ()),
    Case("hover as a notification", lambda u: hover(u, pos(0, 0), id=None), ()),
    # documents never opened, positions past the end
    Case("hover never opened", lambda u: hover(NEVER, pos(0, 0)), ((7, INVALID_PARAMS),)),
    Case("inlayHint never opened", lambda u: msg("textDocument/inlayHint", {
        "textDocument": {"uri": NEVER}, "range": {"start": pos(0, 0), "end": pos(9, 0)}}),
        ((7, INVALID_PARAMS),)),
    Case("codeLens never opened", lambda u: msg("textDocument/codeLens", {
        "textDocument": {"uri": NEVER}}), ((7, INVALID_PARAMS),)),
    Case("hover past the end", lambda u: hover(u, pos(10**6, 10**6)), ((7, None),)),
    Case("hover past the line end", lambda u: hover(u, pos(12, 10**6)), ((7, None),)),
    Case("inlayHint past the end", lambda u: msg("textDocument/inlayHint", {
        "textDocument": {"uri": u}, "range": {"start": pos(10**6, 0), "end": pos(10**7, 0)}}),
        ((7, None),)),
    # notifications out of order
    Case("didChange never opened", lambda u: msg("textDocument/didChange", {
        "textDocument": {"uri": NEVER, "version": 3}, "contentChanges": [{"text": "x"}]},
        id=None), ()),
    Case("didClose never opened", lambda u: msg("textDocument/didClose", {
        "textDocument": {"uri": NEVER}}, id=None), ()),
    Case("didSave never opened", lambda u: msg("textDocument/didSave", {
        "textDocument": {"uri": NEVER}}, id=None), ()),
    Case("initialized again", lambda u: msg("initialized", {}, id=None), ()),
    Case("didOpen again", lambda u: msg("textDocument/didOpen", {"textDocument": {
        "uri": u, "languageId": "python", "version": 1,
        "text": UNET.read_text(encoding="utf-8")}}, id=None), ()),
]


def with_id(raw: bytes, new_id: int) -> bytes:
    """The same frame with request id 7 replaced, its Content-Length moved by as much (a wrong
    length stays wrong by the same amount)."""
    header, sep, body = raw.partition(b"\r\n\r\n")
    new_body = body.replace(b'"id": 7', b'"id": %d' % new_id, 1)
    old = int(header.split(b":")[1])
    return b"Content-Length: %d" % (old + len(new_body) - len(body)) + sep + new_body


Answer = tuple[Any, "int | None"]


@dataclass
class Mix:
    data: bytearray = field(default_factory=bytearray)
    sent: Counter[str] = field(default_factory=Counter)  # case name -> messages
    expected: Counter[Answer] = field(default_factory=Counter)  # (id, code) -> answers
    valid: int = 0  # well-formed inlayHint requests among them


def mixed(uri: str, n: int, rng: random.Random, first_id: int) -> Mix:
    """n malformed messages drawn from CASES, each request with its own id, and after every
    tenth a valid inlayHint request over the whole file."""
    mix = Mix()
    next_id = first_id
    for k in range(n):
        case = rng.choice(CASES)
        mix.sent[case.name] += 1
        raw = case.build(uri)
        for ident, code in case.answers:
            if ident == 7:
                next_id += 1
                raw = with_id(raw, next_id)
                mix.expected[(next_id, code)] += 1
            else:
                mix.expected[(ident, code)] += 1
        mix.data += raw
        if k % 10 == 9:
            next_id += 1
            mix.data += msg("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": {
                "start": pos(0, 0), "end": pos(10_000, 0)}}, id=next_id)
            mix.expected[(next_id, None)] += 1
            mix.valid += 1
    return mix


def collect(client: Any, n: int) -> Counter[Answer]:
    """Up to n answers as (id, error code or None); fewer if the server stops answering."""
    got: Counter[Answer] = Counter()
    try:
        while sum(got.values()) < n:
            m = client.message()
            got[(m.get("id"), m["error"]["code"] if "error" in m else None)] += 1
    except (queue.Empty, EOFError):
        pass  # the caller compares answer by answer
    return got
