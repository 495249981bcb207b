"""A real ShapeLens server over stdio for tests and stress runs, and one call asking every feature.

`server_in(folder)` starts `python -m shapelens.cli server` with `folder` as its working directory;
`every_feature` opens a document and asks hints (and resolve), hover, code lens, code actions and
the showSummary command, each answer within REQUEST_TIMEOUT.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

SERVER = [sys.executable, "-m", "shapelens.cli", "server"]
REQUEST_TIMEOUT = 60.0  # seconds: far above any answer; reaching it means the server hung
EACH = 20  # hints resolved and hovered, summaries shown, per document (a huge file has thousands)


@contextlib.asynccontextmanager
async def server_in(
    folder: Path, command: list[str] | None = None
) -> AsyncIterator[LanguageClient]:
    """A server process whose working directory (sys.path[0] for `-m`) is `folder`."""
    client = make_test_lsp_client()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    await client.start_io(*(command or SERVER), cwd=str(folder), env=env)
    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual_studio_code"),
        root_uri=folder.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
    ))
    try:
        yield client
    finally:
        await client.shutdown_session()


async def answered(request: Any) -> Any:
    return await asyncio.wait_for(request, REQUEST_TIMEOUT)


async def open_and_wait(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    """didOpen, then the diagnostics the server publishes for that document once analysed."""
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    return await published(client, uri)


async def published(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """The diagnostics published for `uri` (pop it from client.diagnostics before the change).

    Polls: waiting on the next publishDiagnostics notification races with its arrival (the
    notification can land between the check and the wait, and the wait then lasts forever).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REQUEST_TIMEOUT
    while uri not in client.diagnostics:
        if loop.time() > deadline:
            raise TimeoutError(f"no diagnostics published for {uri}")
        await asyncio.sleep(0.005)
    return list(client.diagnostics[uri])


async def every_feature(client: LanguageClient, path: Path, text: str) -> dict[str, Any]:
    """Ask for everything the server offers on one document; return what came back."""
    diags = await open_and_wait(client, path, text)
    doc = types.TextDocumentIdentifier(path.as_uri())
    lines = max(1, len(text.splitlines()))
    whole = types.Range(types.Position(0, 0), types.Position(lines, 0))
    hints = await answered(client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=doc, range=whole))) or []
    some = hints[:EACH] + hints[-EACH:]
    for hint in some:
        await answered(client.inlay_hint_resolve_async(hint))
    hovers = []
    spots = [h.position for h in some] + [types.Position(0, 0), types.Position(lines, 0)]
    spots += [types.Position(h.position.line, max(0, h.position.character - 2)) for h in some]
    for spot in spots:
        hovers.append(await answered(client.text_document_hover_async(
            types.HoverParams(text_document=doc, position=spot))))
    lenses = await answered(client.text_document_code_lens_async(
        types.CodeLensParams(text_document=doc))) or []
    actions = await answered(client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc, range=whole, context=types.CodeActionContext(diagnostics=diags)))) or []
    summaries = []
    for lens in lenses[:EACH]:
        assert lens.command is not None
        summaries.append(await answered(client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=lens.command.command,
                                       arguments=lens.command.arguments))))
    return {"diagnostics": diags, "hints": hints, "hovers": hovers, "lenses": lenses,
            "actions": actions, "summaries": summaries}
