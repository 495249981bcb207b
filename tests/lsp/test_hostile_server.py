"""Hostile and fuzzed files through the real server over stdio: nothing runs, every request answers.

Each hostile case (tests/support/hostile_cases.py) is opened in a server started in the case's
folder, as an editor opened on that workspace would; every feature is asked for (hints and their
resolve, hover on every site, code lens, code actions, the showSummary command) and no sentinel
may be written. Fuzzed files (tests/support/fuzz_inputs.py) go through one server that must answer
every request and stay alive; the time budget ends as an Information diagnostic.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities, make_test_lsp_client

from support.fuzz_inputs import ENDLESS, MODEL_HEAD, as_text, fuzz_file
from support.hostile_cases import CASES, assert_nothing_ran, write_case
from support.keras_truth import layer_truth

SERVER = [sys.executable, "-m", "shapelens.cli", "server"]
REQUEST_TIMEOUT = 60.0  # seconds: far above any answer; reaching it means the server hung
EACH = 20  # hints resolved and hovered, summaries shown, per document (a huge file has thousands)


@contextlib.asynccontextmanager
async def server_in(folder: Path) -> AsyncIterator[LanguageClient]:
    """A server process whose working directory (sys.path[0] for `-m`) is `folder`."""
    client = make_test_lsp_client()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    await client.start_io(*SERVER, cwd=str(folder), env=env)
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
    while uri not in client.diagnostics:
        await answered(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS))
    return client.diagnostics[uri]


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


@pytest.fixture(scope="module")
def probe_label() -> str:
    truth = layer_truth("Conv2D", (8, 3), {"name": "probe"}, (None, 32, 32, 3))
    assert truth.ok, truth.message
    return "(" + ", ".join("None" if d is None else str(d) for d in truth.outputs) + ")"


@pytest.mark.asyncio
@pytest.mark.parametrize("case", sorted(CASES))
async def test_hostile_case_runs_nothing_in_the_server(
    tmp_path: Path, case: str, probe_label: str
) -> None:
    main = write_case(tmp_path, case)
    async with server_in(tmp_path) as client:
        got = await every_feature(client, main, main.read_text(encoding="utf-8"))
    assert_nothing_ran(tmp_path, case)
    probe_line = next(i for i, ln in enumerate(main.read_text(encoding="utf-8").splitlines())
                      if 'name="probe"' in ln)
    labels = [str(h.label) for h in got["hints"] if h.position.line == probe_line]
    assert labels == [probe_label], [(h.position.line, h.label) for h in got["hints"]]
    probe_rows = [s for s in got["summaries"] if isinstance(s, str) and "probe (Conv2D)" in s]
    assert probe_rows and all(probe_label in s for s in probe_rows), got["summaries"]


# --- fuzzed files: a sample of every family through one server ------------------------------------

SAMPLE = list(range(60))  # 20 of each family, the huge ones at 50,000 lines


@pytest.mark.asyncio
async def test_fuzzed_files_through_the_server(tmp_path: Path) -> None:
    async with server_in(tmp_path) as client:
        for index in SAMPLE:
            desc, content = fuzz_file(index)
            text = as_text(content)
            path = tmp_path / f"fuzz_{index}.py"
            got = await every_feature(client, path, text)
            n_lines = max(1, len(text.splitlines()) + 1)
            for d in got["diagnostics"]:
                assert 0 <= d.range.start.line <= d.range.end.line < n_lines, (desc, d)
                if d.code == "analysis-stopped":
                    assert d.severity == types.DiagnosticSeverity.Information, (desc, d)
            for h in got["hints"]:
                assert 0 <= h.position.line < n_lines, (desc, h)
            client.text_document_did_close(types.DidCloseTextDocumentParams(
                types.TextDocumentIdentifier(path.as_uri())))
        # Still serving a normal file after all of them.
        path = tmp_path / "after.py"
        got = await every_feature(client, path, MODEL_HEAD)
        assert [str(h.label) for h in got["hints"]], "no hint after the fuzzed files"


# --- the time budget in the server: partial results and an Information diagnostic --------------

# Nested loops of 10**8 steps: only the time budget ends them.
ENDLESS_AFTER_A_SITE = MODEL_HEAD + ENDLESS["nested_loops"] + "\n"


@pytest.mark.asyncio
async def test_budget_ends_with_earlier_hints_and_an_information_diagnostic(
    tmp_path: Path,
) -> None:
    path = tmp_path / "endless.py"
    async with server_in(tmp_path) as client:
        got = await every_feature(client, path, ENDLESS_AFTER_A_SITE)
    stopped = [d for d in got["diagnostics"] if d.code == "analysis-stopped"]
    assert len(stopped) == 1, got["diagnostics"]
    assert stopped[0].severity == types.DiagnosticSeverity.Information
    assert stopped[0].range.start.line >= 5  # at the loop, after the sites before it
    first_line = MODEL_HEAD.splitlines().index(
        next(ln for ln in MODEL_HEAD.splitlines() if 'name="first"' in ln))
    assert [h.position.line for h in got["hints"]].count(first_line) == 1, got["hints"]
