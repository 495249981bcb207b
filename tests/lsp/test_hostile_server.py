"""Hostile and fuzzed files through the real server over stdio: nothing runs, every request answers.

Each hostile case (tests/support/hostile_cases.py) is opened in a server started in the case's
folder, as an editor opened on that workspace would; every feature is asked for (hints and their
resolve, hover on every site, code lens, code actions, the showSummary command) and no sentinel
may be written. Fuzzed files (tests/support/fuzz_inputs.py) go through one server that must answer
every request and stay alive; the time budget ends as an Information diagnostic.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from support.fuzz_inputs import ENDLESS, MODEL_HEAD, as_text, fuzz_file
from support.hostile_cases import CASES, assert_nothing_ran, write_case
from support.keras_truth import layer_truth
from support.lsp_session import every_feature, server_in


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
            try:
                got = await every_feature(client, path, text)
            except TimeoutError:  # say which file, and whether the server is still there
                alive = client._server is not None and client._server.returncode is None
                pytest.fail(f"no answer on fuzz_{index} ({desc}); server alive: {alive}")
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
ENDLESS_AFTER_A_SITE = MODEL_HEAD + ENDLESS["nested_layer_loops"] + "\n"


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


# --- characters Python and LSP do not count as line ends ----------------------------------------

ODD_SEPARATORS = ["\x0c", "\x0b", "\x1c", "\x85", "\u2028", "\u2029"]


@pytest.mark.asyncio
async def test_odd_separators_in_a_comment_do_not_shift_hints(tmp_path: Path) -> None:
    """Only LF, CRLF and CR end a line (Python, LSP); str.splitlines also splits at these."""
    async with server_in(tmp_path) as client:
        for i, odd in enumerate(ODD_SEPARATORS):
            text = f"# a comment with {odd} inside\n" + MODEL_HEAD
            got = await every_feature(client, tmp_path / f"odd_{i}.py", text)
            lines = text.split("\n")
            calls = {n for n, ln in enumerate(lines) if "Input(" in ln or "Conv2D(" in ln}
            assert {h.position.line for h in got["hints"]} == calls, repr(odd)
            for h in got["hints"]:  # right after the `)` that ends the call
                assert lines[h.position.line][h.position.character - 1] == ")", repr(odd)
