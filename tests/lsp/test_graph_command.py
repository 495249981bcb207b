"""The server's `shapelens.graph` command (the editor's model-graph view): the same graph JSON as
`shapelens graph --format json`, following an edit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[2]
GAN = ROOT / "tests" / "analysis" / "corpus" / "gan_dcgan.py"


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "shapelens.cli", "server"]))
async def client(lsp_client: LanguageClient) -> Any:
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual_studio_code")))
    yield
    await lsp_client.shutdown_session()


async def graph(client: LanguageClient, *args: Any) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="shapelens.graph", arguments=list(args)))


@pytest.mark.asyncio
async def test_graph_command_equals_the_cli_and_follows_edits(client: LanguageClient) -> None:
    text = GAN.read_text(encoding="utf-8")
    uri = GAN.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    cli = json.loads(subprocess.run(
        [sys.executable, "-m", "shapelens.cli", "graph", str(GAN), "--format", "json"],
        capture_output=True, text=True, check=False, timeout=120).stdout)
    got = await graph(client, uri)
    assert got == cli
    (gen,) = (await graph(client, uri, "generator"))["models"]
    assert gen["nodes"][1]["shape"] == [None, 1568]
    # 7 * 7 * 32 -> 7 * 7 * 16: the Dense and what follows change.
    line = next(i for i, ln in enumerate(text.splitlines()) if "7 * 7 * 32)(noise)" in ln)
    col = text.splitlines()[line].index("32)(noise)")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(line, col), types.Position(line, col + 2)),
            text="16")]))
    (gen,) = (await graph(client, uri, "generator"))["models"]
    assert gen["nodes"][1]["shape"] == [None, 784]
    assert await graph(client, "file:///nowhere.py") is None
