"""Malformed LSP traffic over raw stdio: each bad message gets its JSON-RPC/LSP error (or, for a
notification, is ignored), and afterwards the U-Net's hints still equal TensorFlow's shapes.

Expected shapes come from TensorFlow (tests/support/truth_recorder.py runs the same file).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from support.lsp_cases import (
    CASES,
    INVALID_PARAMS,
    NOT_INITIALIZED,
    UNET,
    Case,
    collect,
    hover,
    mixed,
    msg,
    pos,
)
from support.lsp_raw import RawClient, frame, labels_by_start, tf_labels


def exchange(client: RawClient, data: bytes, n_answers: int) -> list[tuple[Any, int | None]]:
    """Send `data` then a stats probe; the answers that came besides the probe's."""
    probe = client.next_id = client.next_id + 1
    client.send_bytes(data + frame({"jsonrpc": "2.0", "id": probe, "method": "shapelens/stats"}))
    got: list[tuple[Any, int | None]] = []
    probed = False
    while not probed or len(got) < n_answers:
        m = client.message()
        if m.get("id") == probe and "result" in m:
            probed = True
        else:
            got.append((m.get("id"), m["error"]["code"] if "error" in m else None))
    return got


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[RawClient, str]]:
    client = RawClient()
    assert "result" in client.initialize(initializationOptions={"parameterHints": False})
    uri = client.open(UNET)
    yield client, uri
    assert client.stop() == 0
    # Bad messages are the client's mistakes: warnings, never a server error or a traceback.
    assert not client.errors_logged(), client.errors_logged()[:5]


@pytest.fixture(scope="module")
def truth() -> dict[int, str]:
    return tf_labels(UNET)


def test_before_initialize_requests_are_refused_and_notifications_dropped() -> None:
    client = RawClient()
    try:
        uri = UNET.as_uri()
        client.send_bytes(msg("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": "x"}}, id=None))
        assert client.call("shapelens/stats")["error"]["code"] == NOT_INITIALIZED
        client.send_bytes(hover(uri, pos(0, 0)))
        assert client.response(7)["error"]["code"] == NOT_INITIALIZED
        assert "result" in client.initialize()
        stats = client.stats()
        assert stats["ignored"] == 1 and stats["documents"] == 0
        assert exchange(client, hover(uri, pos(0, 0)), 1) == [(7, INVALID_PARAMS)]  # not open
    finally:
        client.stop()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_malformed_message_gets_its_answer(
    server: tuple[RawClient, str], case: Case
) -> None:
    client, uri = server
    before = client.stats()
    got = exchange(client, case.build(uri), len(case.answers))
    assert sorted(got, key=repr) == sorted(case.answers, key=repr)
    after = client.stats()
    if not case.answers:  # a notification: ignored, or applied harmlessly
        assert after["documents"] == before["documents"]
    assert client.proc.poll() is None


def test_thousand_mixed_messages_then_hints_equal_tensorflow(
    server: tuple[RawClient, str], truth: dict[int, str]
) -> None:
    client, uri = server
    mix = mixed(uri, 1000, random.Random(6), first_id=50_000)
    client.send_bytes(mix.data)
    got = collect(client, sum(mix.expected.values()))
    assert got == mix.expected, (mix.expected - got, got - mix.expected)
    assert len(mix.sent) == len(CASES)  # every kind was in the mix
    assert client.proc.poll() is None
    # Still serving, and serving the truth.
    assert labels_by_start(client.hints(uri)) == truth
