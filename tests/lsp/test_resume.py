"""Typing in one statement: after the first edit the server keeps the analysis of the text
paused at that statement, and each next edit there resumes it; the hints equal those of the
same text opened fresh, and of TensorFlow building it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.lsp_raw import ROOT, RawClient, labels_by_start, started, tf_labels
from support.lsp_storm import fresh_hints, hint_key, send_storm

UNET = ROOT / "examples" / "unet.py"


@pytest.fixture
def client() -> Iterator[RawClient]:
    with started(parameterHints=False) as c:
        yield c


def retype(row: int, col: int, digit: str) -> dict[str, object]:
    return {"range": {"start": {"line": row, "character": col},
                      "end": {"line": row, "character": col + 1}}, "text": digit}


def test_edits_in_one_statement_resume_and_equal_a_fresh_analysis(client: RawClient,
                                                                   tmp_path: Path) -> None:
    text = UNET.read_text(encoding="utf-8")
    uri = client.open(UNET, text)
    client.hints(uri)
    lines = text.split("\n")
    row = next(n for n, line in enumerate(lines) if "Conv2D(128" in line)
    col = lines[row].index("Conv2D(128") + len("Conv2D(12")
    version, final = 1, text
    for k, digit in enumerate("9753"):
        version = send_storm(client, uri, [retype(row, col, digit)], version)
        hints = client.hints(uri)
        lines[row] = lines[row][:col] + digit + lines[row][col + 1:]
        final = "\n".join(lines)
        if k == 0:
            time.sleep(0.5)  # the user pauses: the analysis of this text reaches the statement
    resumed = client.stats()["analyses"]["resumed"]
    assert resumed >= 1  # at least the edit after the pause; back-to-back ones may start over
    assert hint_key(hints) == hint_key(fresh_hints(client, UNET, final))
    out = tmp_path / "unet_typed.py"
    out.write_text(final, encoding="utf-8")
    assert labels_by_start(hints) == tf_labels(out)
