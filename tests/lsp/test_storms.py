"""Edit storms: 1,000 rapid didChange events (typing, pasting, retyping, undoing) on the U-Net and
on a 1,000-line model; the hints after the last edit equal a fresh analysis of the final text,
stale analyses are cancelled, and repeated storms leave nothing behind.

The U-Net's final hints are also checked against TensorFlow running the final text. The full
10 storms x 1,000 edits with memory figures: tests/stress/lsp_storms.py.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.lsp_raw import ROOT, RawClient, labels_by_start, started, tf_labels
from support.lsp_storm import (
    big_model,
    fresh_hints,
    hint_key,
    make_storm,
    revert,
    send_storm,
)

UNET = ROOT / "examples" / "unet.py"


@pytest.fixture
def client() -> Iterator[RawClient]:
    with started(parameterHints=False) as c:
        yield c


def storm_and_check(client: RawClient, path: Path, text: str, edits: int, seed: int) -> str:
    """One storm on a freshly opened document; returns the final text."""
    uri = client.open(path, text)
    assert client.hints(uri)
    before = client.stats()["analyses"]
    storm = make_storm(text, edits, random.Random(seed))
    ast.parse(storm.final)  # the storm ends on finished lines
    assert storm.typed and storm.pasted and storm.retyped and storm.undone
    send_storm(client, uri, storm.changes, 1)
    got = client.hints(uri)
    after = client.stats()["analyses"]
    # The hints of the last edit, as a document opened with the final text gets them.
    assert hint_key(got) == hint_key(fresh_hints(client, path, storm.final))
    scheduled = after["scheduled"] - before["scheduled"]
    completed = after["completed"] - before["completed"]
    stale = (after["cancelled"] - before["cancelled"]) + (after["skipped"] - before["skipped"])
    assert scheduled == len(storm.changes)
    assert completed + stale == scheduled and after["failed"] == 0  # each accounted for
    assert completed < scheduled / 2  # most were stopped or never started
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    return storm.final


def test_unet_storm_hints_equal_a_fresh_analysis_and_tensorflow(
    client: RawClient, tmp_path: Path
) -> None:
    final = storm_and_check(client, UNET, UNET.read_text(encoding="utf-8"), 1000, seed=1)
    out = tmp_path / "unet_after_storm.py"
    out.write_text(final, encoding="utf-8")
    uri = client.open(out, final)
    assert labels_by_start(client.hints(uri)) == tf_labels(out)


def test_thousand_line_storm_hints_equal_a_fresh_analysis(client: RawClient) -> None:
    storm_and_check(client, ROOT / "examples" / "_storm_big.py", big_model(), 1000, seed=2)


def test_repeated_storms_leave_nothing_behind(client: RawClient) -> None:
    text = UNET.read_text(encoding="utf-8")
    uri = client.open(UNET, text)
    original = hint_key(client.hints(uri))
    version, traced = 1, []
    for seed in range(5):
        storm = make_storm(text, 300, random.Random(100 + seed))
        version = send_storm(client, uri, [*storm.changes, revert(storm.final, text)], version)
        assert hint_key(client.hints(uri)) == original
        # Traced from the end of the first storm; without the caches whose size depends on the
        # last edits (the analysis paused at the last one, kept answers, kept parses).
        stats = client.stats(trace=True, drop_caches=True)
        assert stats["pending_futures"] == 0  # pygls kept one per didChange
        assert stats["documents"] == 1
        traced.append((stats["traced_kb"], stats["objects"], stats["rss_kb"],
                       stats["kept_answers"]))
    print("traced kB, objects, rss kB, kept answers after each storm:", traced)
    # Bounded, not timed. Keeping one edit's text per edit would add ~1 MB per storm, one object
    # per edit 300; resident memory moves with the allocator's arenas and is only printed.
    kb, objects, _rss, _kept = zip(*traced)
    assert max(kb[2:]) - kb[1] < 512, traced
    assert max(objects[2:]) - objects[1] < 100, traced


def test_a_client_repeating_version_numbers_still_gets_the_last_text(client: RawClient) -> None:
    text = UNET.read_text(encoding="utf-8")
    uri = client.open(UNET, text)
    assert client.hints(uri)
    row = 12  # conv1 = Conv2D(64, ...): retype the 4 of 64, fifty times, all as version 2
    col = text.split("\n")[row].index("Conv2D(64") + len("Conv2D(6")
    digits = [str(1 + k % 9) for k in range(50)]
    changes = [{"range": {"start": {"line": row, "character": col},
                          "end": {"line": row, "character": col + 1}}, "text": d}
               for d in digits]
    before = client.stats()["analyses"]
    for change in changes:
        send_storm(client, uri, [change], 1)  # every didChange says version 2
    on_row = [h["label"] for h in client.hints(uri) if h["position"]["line"] == row]
    assert on_row == [f"(None, 256, 256, 6{digits[-1]})"]
    after = client.stats()["analyses"]
    assert after["completed"] - before["completed"] < len(changes)  # the older ones stopped
