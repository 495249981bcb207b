"""Notebook documents over real stdio (pytest-lsp): cells opened, edited, added, removed, moved.

After each step the hints in every cell equal what TensorFlow records running the same cells in
order (tests/support/notebook_truth.py on the notebook written out), and so do the diagnostics.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from support.lsp_raw import RawClient, shape_text
from support.notebook_truth import record_notebook_in_subprocess

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "tests" / "notebooks"
SERVER = [sys.executable, "-m", "shapelens.cli", "server"]
WAIT = 60.0


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> Any:
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual_studio_code")))
    yield
    await lsp_client.shutdown_session()


@dataclass
class Notebook:
    """The client's copy of a notebook: what it sends and what it writes out for TensorFlow."""

    path: Path
    cells: list[dict[str, Any]]  # {"kind": "code"|"markdown", "source": str, "uri": str}
    version: int = 1
    made: int = field(default=0)

    @staticmethod
    def load(path: Path, dest: Path) -> Notebook:
        nb = json.loads(path.read_text(encoding="utf-8"))
        book = Notebook(dest, [])
        for c in nb["cells"]:
            src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            book.cells.append(book.cell("code" if c["cell_type"] == "code" else "markdown", src))
        return book

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    def cell(self, kind: str, source: str) -> dict[str, Any]:
        # VS Code's form: the notebook's path, a fragment naming the cell.
        self.made += 1
        tag = base64.b64encode(f"W{self.made}sZmlsZQ".encode()).decode().rstrip("=")
        return {"kind": kind, "source": source,
                "uri": f"vscode-notebook-cell:{self.path}#{tag}"}

    def lsp_cell(self, c: dict[str, Any]) -> types.NotebookCell:
        kind = types.NotebookCellKind.Code if c["kind"] == "code" else types.NotebookCellKind.Markup
        return types.NotebookCell(kind=kind, document=c["uri"])

    def item(self, c: dict[str, Any]) -> types.TextDocumentItem:
        return types.TextDocumentItem(uri=c["uri"], version=1, text=c["source"],
                                      language_id="python" if c["kind"] == "code" else "markdown")

    def write(self) -> Path:
        cells = [{"cell_type": c["kind"], "metadata": {}, "source": c["source"],
                  **({"outputs": [], "execution_count": None} if c["kind"] == "code" else {})}
                 for c in self.cells]
        self.path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                         "nbformat_minor": 5}), encoding="utf-8")
        return self.path

    def code(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, c) for i, c in enumerate(self.cells) if c["kind"] == "code"]


def open_notebook(client: LanguageClient, nb: Notebook) -> None:
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=nb.uri, notebook_type="jupyter-notebook", version=nb.version,
            cells=[nb.lsp_cell(c) for c in nb.cells]),
        cell_text_documents=[nb.item(c) for c in nb.cells]))


def change_structure(client: LanguageClient, nb: Notebook, start: int, delete: int,
                     new: list[dict[str, Any]]) -> None:
    """Replace cells[start:start+delete] by `new` (a move is a delete and an insert)."""
    gone = nb.cells[start:start + delete]
    nb.cells[start:start + delete] = new
    nb.version += 1
    old_uris = {c["uri"] for c in gone}
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(nb.version, nb.uri),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            structure=types.NotebookDocumentCellChangeStructure(
                array=types.NotebookCellArrayChange(start, delete, [nb.lsp_cell(c) for c in new]),
                did_open=[nb.item(c) for c in new if c["uri"] not in old_uris],
                did_close=[types.TextDocumentIdentifier(c["uri"]) for c in gone
                           if c["uri"] not in {n["uri"] for n in new}])))))


def change_text(client: LanguageClient, nb: Notebook, index: int, old: str, new: str) -> None:
    """Replace the first `old` in cell `index` by `new`, as an incremental edit."""
    source = nb.cells[index]["source"]
    at = source.index(old)
    edit_cell(client, nb, index, types.Range(_position(source, at),
                                             _position(source, at + len(old))), new)


def _position(text: str, offset: int) -> types.Position:
    lines = text[:offset].split("\n")
    return types.Position(len(lines) - 1, len(lines[-1]))


def _offset(text: str, pos: types.Position) -> int:
    return sum(len(x) + 1 for x in text.split("\n")[:pos.line]) + pos.character


def edit_cell(client: LanguageClient, nb: Notebook, index: int, rng: types.Range,
              new: str) -> None:
    cell = nb.cells[index]
    src = cell["source"]
    cell["source"] = src[:_offset(src, rng.start)] + new + src[_offset(src, rng.end):]
    nb.version += 1
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(nb.version, nb.uri),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell["uri"],
                                                               version=nb.version),
                changes=[types.TextDocumentContentChangePartial(range=rng, text=new)])]))))


async def cell_hints(client: LanguageClient, nb: Notebook) -> dict[tuple[int, int], str]:
    """(cell index, 1-based line) -> hint labels, over every code cell."""
    out: dict[tuple[int, int], list[str]] = {}
    for i, c in nb.code():
        got = await asyncio.wait_for(client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(c["uri"]),
            range=types.Range(types.Position(0, 0), types.Position(10_000, 0)))), WAIT) or []
        for h in got:
            out.setdefault((i, h.position.line + 1), []).append(str(h.label))
    return {k: " ".join(sorted(v)) for k, v in out.items()}


def tf_cell_labels(truth: dict[str, Any]) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], list[str]] = {}
    for s in truth["sites"]:
        label = shape_text(s["outputs"][0])
        if len(s["outputs"]) > 1:
            label += f" +{len(s['outputs']) - 1}"
        out.setdefault((s["cell"], s["line"]), []).append(label)
    return {k: " ".join(sorted(v)) for k, v in out.items()}


async def diagnostics(client: LanguageClient, nb: Notebook) -> dict[str, list[types.Diagnostic]]:
    """Every code cell's diagnostics once the server has published them for this version."""
    # The hints request waits for the newest analysis; its diagnostics are sent before the answer.
    await cell_hints(client, nb)
    await asyncio.sleep(0.2)
    return {c["uri"]: client.diagnostics.get(c["uri"], []) for _, c in nb.code()}


async def assert_equals_tensorflow(client: LanguageClient, nb: Notebook) -> dict[str, Any]:
    truth = record_notebook_in_subprocess(nb.write())
    got = await cell_hints(client, nb)
    want = tf_cell_labels(truth)
    err = truth["error"]
    if err is not None:  # Run All stops there: later hints are ours alone
        got = {k: v for k, v in got.items() if k < (err["cell"], err["line"])}
    assert got == want
    diags = await diagnostics(client, nb)
    uri_of = {i: c["uri"] for i, c in nb.code()}
    errors = sorted((i, d.range.start.line + 1) for i, c in nb.code() for d in diags[c["uri"]]
                    if d.severity == types.DiagnosticSeverity.Error)
    assert errors == ([(err["cell"], err["line"])] if err else [])
    notes = sorted(i for i, c in nb.code() for d in diags[c["uri"]] if d.code == "syntax-error")
    assert notes == truth["skipped"]
    return {"truth": truth, "diagnostics": diags, "uri_of": uri_of}


@pytest.mark.asyncio
async def test_cells_edited_added_removed_moved_equal_tensorflow(
        client: LanguageClient, tmp_path: Path) -> None:
    nb = Notebook.load(NOTEBOOKS / "conv_pool_walkthrough.ipynb", tmp_path / "walk.ipynb")
    open_notebook(client, nb)
    await assert_equals_tensorflow(client, nb)

    # Typed in the model's cell, key by key with no pause (each edit cancels the analysis before
    # it, some texts on the way do not parse): the shapes in the helper's cell two cells above
    # follow the last one.
    model = next(i for i, c in nb.code() if "keras.Input((572, 572, 1))" in c["source"])
    change_text(client, nb, model, "572, 572", "")
    at = nb.cells[model]["source"].index("Input((") + len("Input((")
    for n, key in enumerate("380, 380"):
        where = _position(nb.cells[model]["source"], at + n)
        edit_cell(client, nb, model, types.Range(where, where), key)
    assert "keras.Input((380, 380, 1))" in nb.cells[model]["source"]
    await assert_equals_tensorflow(client, nb)

    # A new cell after the imports; the cell that did not parse removed; two cells swapped.
    change_structure(client, nb, 2, 0, [nb.cell("code", "probe = layers.Dense(3)"
                                                        "(keras.Input((5,)))\n")])
    broken = next(i for i, c in nb.code() if "conv_block(x, filters\n" in c["source"])
    removed = nb.cells[broken]["uri"]
    change_structure(client, nb, broken, 1, [])
    tfnn = next(i for i, c in nb.code() if "tf.nn.conv2d" in c["source"])
    moved = nb.cells[tfnn]
    change_structure(client, nb, tfnn, 1, [])
    change_structure(client, nb, tfnn + 1, 0, [moved])
    await assert_equals_tensorflow(client, nb)
    assert list(client.diagnostics.get(removed, [None])) == []  # the removed cell's note cleared

    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        notebook_document=types.NotebookDocumentIdentifier(nb.uri),
        cell_text_documents=[types.TextDocumentIdentifier(c["uri"]) for c in nb.cells]))
    def cleared() -> bool:
        return all(list(client.diagnostics.get(c["uri"], [None])) == [] for _, c in nb.code())

    for _ in range(int(WAIT / 0.05)):  # polled: a loaded machine may take longer than any pause
        if cleared():
            break
        await asyncio.sleep(0.05)
    assert cleared()


@pytest.mark.asyncio
async def test_shape_error_cell_hover_fix_and_lens(client: LanguageClient, tmp_path: Path) -> None:
    nb = Notebook.load(NOTEBOOKS / "unet_skip_error.ipynb", tmp_path / "unet.ipynb")
    open_notebook(client, nb)
    seen = await assert_equals_tensorflow(client, nb)
    err = seen["truth"]["error"]
    cell_uri = seen["uri_of"][err["cell"]]
    (diag,) = [d for d in seen["diagnostics"][cell_uri]
               if d.severity == types.DiagnosticSeverity.Error]
    assert diag.code == "shape-mismatch" and diag.range.start.character == err["column"] - 1
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(cell_uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    crop = [a for a in actions or [] if isinstance(a, types.CodeAction) and "Cropping2D" in a.title]
    assert crop and crop[0].edit and crop[0].edit.changes
    assert set(crop[0].edit.changes) <= {c["uri"] for c in nb.cells}

    # Applied to the cells, the notebook runs under TensorFlow and the error is gone.
    for uri, edits in crop[0].edit.changes.items():
        index = next(i for i, c in enumerate(nb.cells) if c["uri"] == uri)
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                        reverse=True):
            edit_cell(client, nb, index, e.range, e.new_text)
    fixed = await assert_equals_tensorflow(client, nb)
    assert fixed["truth"]["error"] is None

    # Hover in the helper's cell: the derivation of TensorFlow's first shape there.
    helper = next(i for i, c in nb.code() if c["source"].startswith("def double_conv"))
    site = next(s for s in fixed["truth"]["sites"] if s["cell"] == helper)
    got = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(nb.cells[helper]["uri"]),
        position=types.Position(site["line"] - 1, site["column"] + 2)))
    assert got is not None and isinstance(got.contents, types.MarkupContent)
    assert "Conv2D" in got.contents.value and shape_text(site["outputs"][0]) in got.contents.value
    assert "axis 1:" in got.contents.value
    # Where the helper was called from, named as the user sees it: the cell and its line.
    caller = next(i for i, c in nb.code() if "double_conv(inputs" in c["source"])
    line = nb.cells[caller]["source"].split("\n").index(
        next(t for t in nb.cells[caller]["source"].split("\n") if "double_conv(inputs" in t)) + 1
    assert f"from cell {caller + 1} line {line}:" in got.contents.value, got.contents.value

    # The model's code lens sits in its cell; its summary comes back through the cell's URI.
    model = next(i for i, c in nb.code() if "keras.Model(" in c["source"])
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        types.TextDocumentIdentifier(nb.cells[model]["uri"])))
    assert lenses and lenses[0].range.start.line == 0 and lenses[0].command
    table = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=lenses[0].command.command, arguments=lenses[0].command.arguments))
    assert isinstance(table, str) and "Total params" in table
    other = await client.text_document_code_lens_async(types.CodeLensParams(
        types.TextDocumentIdentifier(nb.cells[helper]["uri"])))
    assert not other


def test_malformed_notebook_messages_are_ignored_or_refused(tmp_path: Path) -> None:
    client = RawClient()
    client.initialize()
    nb = Notebook.load(NOTEBOOKS / "unet_skip_error.ipynb", tmp_path / "m.ipynb")
    ghost = "vscode-notebook-cell:/nowhere.ipynb#W0"
    bad = [
        # a change, save and close for a notebook never opened
        ("notebookDocument/didChange", {"notebookDocument": {"uri": nb.uri, "version": 2},
                                        "change": {"cells": {"textContent": []}}}),
        ("notebookDocument/didSave", {"notebookDocument": {"uri": nb.uri}}),
        ("notebookDocument/didClose", {"notebookDocument": {"uri": nb.uri},
                                       "cellTextDocuments": []}),
        # wrong types
        ("notebookDocument/didOpen", {"notebookDocument": {"uri": 3}}),
        ("notebookDocument/didOpen", {"notebookDocument": {"uri": nb.uri, "notebookType": "j",
                                                           "version": "one", "cells": []},
                                      "cellTextDocuments": []}),
    ]
    for method, params in bad:
        client.notify(method, params)
    before = client.stats()["ignored"]
    assert before >= len(bad)
    # Opened, then a change to a cell it does not have and an array change out of range.
    client.notify("notebookDocument/didOpen", {
        "notebookDocument": {"uri": nb.uri, "notebookType": "jupyter-notebook", "version": 1,
                             "cells": [{"kind": 2, "document": c["uri"]} for c in nb.cells]},
        "cellTextDocuments": [{"uri": c["uri"], "languageId": "python", "version": 1,
                               "text": c["source"]} for c in nb.cells]})
    client.notify("notebookDocument/didChange", {
        "notebookDocument": {"uri": nb.uri, "version": 2}, "change": {"cells": {"textContent": [
            {"document": {"uri": ghost, "version": 2}, "changes": [{"text": "x = 1\n"}]}]}}})
    client.notify("notebookDocument/didChange", {
        "notebookDocument": {"uri": nb.uri, "version": 3}, "change": {"cells": {"structure": {
            "array": {"start": 99, "deleteCount": 1}}}}})
    assert client.stats()["ignored"] == before + 2
    # Requests on a cell that is not open are refused with InvalidParams; the rest still works.
    got = client.call("textDocument/hover", {"textDocument": {"uri": ghost},
                                             "position": {"line": 0, "character": 0}})
    assert got["error"]["code"] == -32602
    code = [c for c in nb.cells if c["kind"] == "code"]
    assert any(client.hints(c["uri"]) for c in code)
    assert client.stop() == 0
    assert not client.errors_logged(), client.errors_logged()[:5]
