"""When the analyser fails on a document the server says so there and goes on; its log lines stay
short enough for any client that reads stderr line by line."""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path

import pytest
from lsprotocol import types

from shapelens.lsp.logs import MAX_LINE, ShortLines
from support.keras_truth import layer_truth
from support.lsp_session import every_feature, open_and_wait, server_in


def record(message: str) -> logging.LogRecord:
    return logging.LogRecord("pygls", logging.ERROR, __file__, 1, message, None, None)


def test_a_huge_line_is_cut_and_says_how_much() -> None:
    text = ShortLines(logging.Formatter("%(levelname)s %(message)s")).format(
        record("params: " + "x = 1\\n" * 20_000))
    assert len(text) < MAX_LINE + 100
    assert text.startswith("ERROR params: x = 1")
    assert text.endswith("characters cut]")


def test_short_lines_and_tracebacks_are_kept_whole() -> None:
    fmt = ShortLines(logging.Formatter("%(message)s"))
    try:
        raise ValueError("boom")
    except ValueError:
        rec = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = fmt.format(rec)
    assert text.splitlines()[0] == "failed"
    assert "ValueError: boom" in text and "Traceback" in text


# A server whose analyser raises on files named boom.py, as a bug in the analyser would.
FAILING_SERVER = textwrap.dedent("""
    import sys
    from shapelens import cli
    from shapelens.lsp import state
    class Failing(state.Analyzer):
        def analyze(self, path, text=None):
            if path.endswith("boom.py"):
                raise RuntimeError("analyser bug " + "y" * 200_000)
            return super().analyze(path, text)
    state.Analyzer = Failing
    sys.exit(cli.main(["server"]))
""")

MODEL = "import keras\nx = keras.Input((8, 8, 3))\ny = keras.layers.Conv2D(4, 3)(x)\n"


@pytest.mark.asyncio
async def test_an_analyser_failure_is_said_on_the_document_and_the_server_goes_on(
    tmp_path: Path,
) -> None:
    async with server_in(tmp_path, [sys.executable, "-c", FAILING_SERVER]) as client:
        diags = await open_and_wait(client, tmp_path / "boom.py", MODEL)
        assert [(d.code, d.severity) for d in diags] == [
            ("internal-error", types.DiagnosticSeverity.Information)]
        got = await every_feature(client, tmp_path / "fine.py", MODEL)
    truth = layer_truth("Conv2D", (4, 3), {}, (None, 8, 8, 3))
    assert truth.ok, truth.message
    label = "(" + ", ".join("None" if d is None else str(d) for d in truth.outputs) + ")"
    assert [str(h.label) for h in got["hints"] if h.position.line == 2] == [label]
