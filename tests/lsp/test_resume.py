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


NOTEBOOK_CELLS = [
    "import keras\nfrom keras import layers",
    'def conv_block(x, filters):\n    x = layers.Conv2D(filters, 3, padding="same")(x)\n'
    "    return layers.BatchNormalization()(x)",
    "inputs = keras.Input((128, 128, 3))\nx = conv_block(inputs, 32)\n"
    "x = layers.MaxPooling2D()(x)\nx = conv_block(x, 64)\nx = layers.MaxPooling2D()(x)",
    "x = layers.Conv2D(96, 3)(x)\nx = layers.GlobalAveragePooling2D()(x)\n"
    "outputs = layers.Dense(10)(x)\nmodel = keras.Model(inputs, outputs)",
]


def open_notebook(client: RawClient, path: Path, cells: list[str]) -> list[str]:
    """VS Code's notebook didOpen; the cells' URIs."""
    uris = [f"vscode-notebook-cell:{path}#C{n}" for n in range(len(cells))]
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": path.as_uri(), "notebookType": "jupyter-notebook",
                             "version": 1, "cells": [{"kind": 2, "document": u} for u in uris]},
        "cellTextDocuments": [{"uri": u, "languageId": "python", "version": 1, "text": c}
                              for u, c in zip(uris, cells)]})
    return uris


def test_edits_in_one_notebook_cell_statement_resume_and_equal_a_fresh_open(
        client: RawClient, tmp_path: Path) -> None:
    path = tmp_path / "typing.ipynb"
    uris = open_notebook(client, path, NOTEBOOK_CELLS)
    client.hints(uris[3])
    cells = list(NOTEBOOK_CELLS)
    row, col = 0, cells[3].index("96") + 1  # cell 4, the Conv2D's filters
    for version, digit in enumerate("4273", start=2):
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": path.as_uri(), "version": version},
            "change": {"cells": {"textContent": [{
                "document": {"uri": uris[3], "version": version},
                "changes": [retype(row, col, digit)]}]}}})
        hints = [client.hints(u) for u in uris]
        cells[3] = cells[3][:col] + digit + cells[3][col + 1:]
        if version == 2:
            time.sleep(0.5)  # the user pauses: the analysis of this text reaches the statement
    assert client.stats()["analyses"]["resumed"] >= 1
    fresh = open_notebook(client, tmp_path / "fresh.ipynb", cells)
    assert [hint_key(h) for h in hints] == [hint_key(client.hints(u)) for u in fresh]
    assert any(h["label"] == "(None, 30, 30, 93)" for h in hints[3])
