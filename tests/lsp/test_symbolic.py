"""Sizes an Input leaves open in the editor: `symbolicDims` hints, hover, SL305/SL306 diagnostics.

With the setting off the hints are TensorFlow's own spelling (tests/support/truth_recorder.py);
the formulas themselves are checked against TensorFlow at concrete sizes by the analysis' tests.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from support.lsp_raw import tf_labels
from support.lsp_session import published

SERVER = [sys.executable, "-m", "shapelens.cli", "server"]

# A U-Net of depth 2 with 'same' convolutions: it runs for multiples of 4 (SL306 says so).
SAME_UNET = """\
import keras
from keras import layers


def block(x, f):
    x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(f, 3, padding="same", activation="relu")(x)


inputs = keras.Input((None, None, 1))
s1 = block(inputs, 16)
x = layers.MaxPooling2D()(s1)
s2 = block(x, 32)
x = layers.MaxPooling2D()(s2)
x = block(x, 64)
x = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(x)
x = layers.concatenate([x, s2])
x = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(block(x, 32))
x = layers.concatenate([x, s1])
outputs = layers.Conv2D(1, 1, activation="sigmoid")(block(x, 16))
model = keras.Model(inputs, outputs)
"""
INPUT_LINE = 9  # 0-based: `inputs = keras.Input(...)`
POOL_LINE = 11  # the first MaxPooling2D
CONCAT_LINES = {16, 18}

# The same with 'valid' convolutions: the skip is never as large as the upsampled branch.
VALID_UNET = SAME_UNET.replace('padding="same", activation', "activation")


def _client(options: dict[str, Any]) -> Any:
    @pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
    async def fixture(lsp_client: LanguageClient) -> Any:
        await lsp_client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual_studio_code"),
            initialization_options=options,
        ))
        yield
        await lsp_client.shutdown_session()

    return fixture


client = _client({})
client_on = _client({"shapelens": {"symbolicDims": True, "hintFormat": "compact"}})


def _open(client: LanguageClient, path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=text)))
    return uri


async def _hints(client: LanguageClient, uri: str) -> list[types.InlayHint]:
    got = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri),
        range=types.Range(types.Position(0, 0), types.Position(10_000, 0))))
    return got or []


def _by_line(got: list[types.InlayHint]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for h in got:
        out.setdefault(h.position.line, []).append(str(h.label))
    return {k: " ".join(sorted(v)) for k, v in out.items()}


async def _hover(client: LanguageClient, uri: str, line: int, character: int) -> str:
    got = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(line, character)))
    assert got is not None and isinstance(got.contents, types.MarkupContent)
    return got.contents.value


async def _until(client: LanguageClient, uri: str, changed: Any) -> dict[int, str]:
    """The hints once `changed(hints)` holds (the settings reach the server asynchronously)."""
    for _ in range(400):
        got = _by_line(await _hints(client, uri))
        if changed(got):
            return got
        await asyncio.sleep(0.02)
    raise AssertionError(f"the hints never changed: {got}")


def _each(got: list[types.InlayHint]) -> dict[tuple[int, int], str]:
    return {(h.position.line, h.position.character): str(h.label) for h in got}


def _dims(label: str) -> list[str]:
    """`(None, floor(H/2), 64) +1` -> ['None', 'floor(H/2)', '64']."""
    return label.split(" +")[0].strip("()").split(", ")


@pytest.mark.asyncio
async def test_off_the_hints_are_tensorflows_and_on_they_name_the_open_sizes(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "same_unet.py"
    uri = _open(client, path, SAME_UNET)
    off_hints = await _hints(client, uri)
    off = _by_line(off_hints)
    truth = {line - 1: label for line, label in tf_labels(path).items()}
    assert off == truth
    assert not any(c in label for label in off.values() for c in "HW")

    # An empty didChangeConfiguration is the signal to pull the `shapelens` section.
    client.set_configuration({"symbolicDims": True}, section="shapelens")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    on_lines = await _until(client, uri, lambda got: got != off)
    assert set(on_lines) == set(off)
    assert on_lines[INPUT_LINE] == "(None, H, W, 1)"
    assert on_lines[POOL_LINE] == "(None, floor(H/2), floor(W/2), 16)"
    on = _each(await _hints(client, uri))
    keras = _each(off_hints)
    assert set(on) == set(keras)
    for spot, label in on.items():
        # Only Keras' open sizes are written differently: the batch axis stays None, every size
        # Keras knows is unchanged, and so is the `+N` of the other calls.
        keras_dims, named = _dims(keras[spot]), _dims(label)
        assert len(named) == len(keras_dims) and named[0] == "None", label
        assert all(k == "None" or k == n for k, n in zip(keras_dims, named)), label
        assert label.partition(" +")[1:] == keras[spot].partition(" +")[1:], label
        assert any(k == "None" and n != "None" for k, n in zip(keras_dims[1:], named[1:])), label

    # Off again: exactly the Keras spelling, hint for hint.
    client.set_configuration({"symbolicDims": False}, section="shapelens")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    assert await _until(client, uri, lambda got: got == off) == off


@pytest.mark.asyncio
async def test_on_from_initialization_options_in_the_compact_format(
    client_on: LanguageClient, tmp_path: Path
) -> None:
    uri = _open(client_on, tmp_path / "same_unet.py", SAME_UNET)
    on = _by_line(await _hints(client_on, uri))
    assert on[INPUT_LINE] == "H x W x 1"
    assert on[POOL_LINE] == "floor(H/2) x floor(W/2) x 16"
    # The valid U-Net's sizes shrink: a sum is grouped, `(H-2) x (W-2) x 16`.
    uri = _open(client_on, tmp_path / "valid_unet.py", VALID_UNET)
    valid = _by_line(await _hints(client_on, uri))
    assert valid[INPUT_LINE] == "H x W x 1"
    assert valid[5].startswith("(H-2) x (W-2) x 16")  # the block's first Conv2D


@pytest.mark.asyncio
async def test_hover_and_tooltip_show_the_symbolic_shape_and_its_derivation(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = _open(client, tmp_path / "same_unet.py", SAME_UNET)
    pool = await _hover(client, uri, POOL_LINE, 8)
    assert "MaxPooling2D" in pool and "(None, None, None, 16)" in pool  # Keras' shape first
    assert pool.index("(None, None, None, 16)") < pool.index(
        "symbolic: `(None, floor(H/2), floor(W/2), 16)`")
    assert "floor(H/2)" in pool.split("symbolic:")[1].split("\n\n", 2)[-1]  # the derivation
    # The hint's tooltip (resolved with the setting off) says the same.
    hint = next(h for h in await _hints(client, uri) if h.position.line == POOL_LINE)
    resolved = await client.inlay_hint_resolve_async(hint)
    assert isinstance(resolved.tooltip, types.MarkupContent)
    assert "symbolic: `(None, floor(H/2), floor(W/2), 16)`" in resolved.tooltip.value
    assert resolved.label == hint.label == "(None, None, None, 16)"


@pytest.mark.asyncio
async def test_the_merges_are_a_warning_for_same_and_an_error_for_valid(
    client: LanguageClient, tmp_path: Path
) -> None:
    _open(client, tmp_path / "same_unet.py", SAME_UNET)
    same = await published(client, (tmp_path / "same_unet.py").as_uri())
    assert {d.range.start.line for d in same if d.code == "size-condition"} == CONCAT_LINES
    assert all(d.severity == types.DiagnosticSeverity.Warning
               for d in same if d.code == "size-condition")
    assert not [d for d in same if d.severity == types.DiagnosticSeverity.Error]

    _open(client, tmp_path / "valid_unet.py", VALID_UNET)
    valid = await published(client, (tmp_path / "valid_unet.py").as_uri())
    errors = [d for d in valid if d.code == "mismatch-every-size"]
    assert errors and all(d.severity == types.DiagnosticSeverity.Error for d in errors)
    assert {d.range.start.line for d in errors} <= CONCAT_LINES
    assert "differ for every input size H" in errors[0].message
