"""The language server end to end over real stdio (pytest-lsp), as VS Code and Neovim talk to it.

Expected shapes come from TensorFlow (tests/support/truth_recorder.py runs the same file).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from support.lsp_raw import shape_text, tf_labels
from support.lsp_session import published

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "shapelens.cli", "server"]


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER),
    params=["visual_studio_code", "neovim"],
)
async def client(request: Any, lsp_client: LanguageClient) -> Any:
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(request.param),
        initialization_options={"parameterHints": False},
    ))
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="python", version=1,
        text=path.read_text(encoding="utf-8") if text is None else text)))
    return uri


def change(client: LanguageClient, uri: str, version: int, start: tuple[int, int],
           end: tuple[int, int], text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(*start), types.Position(*end)), text=text)],
    ))


async def hints(client: LanguageClient, uri: str, lines: int = 10_000) -> list[types.InlayHint]:
    got = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri),
        range=types.Range(types.Position(0, 0), types.Position(lines, 0))))
    return got or []


def tf_hints(path: Path) -> dict[int, str]:
    """Per 0-based line, the hint label TensorFlow's shapes give (first output, `+N` more)."""
    return {line - 1: label for line, label in tf_labels(path).items()}


def by_line(got: list[types.InlayHint]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for h in got:
        out.setdefault(h.position.line, []).append(str(h.label))
    return {k: " ".join(sorted(v)) for k, v in out.items()}


@pytest.mark.asyncio
async def test_unet_hints_equal_tensorflow(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    got = await hints(client, uri)
    # A call spanning lines ends on its last line; the recorder keys sites by their first line.
    assert all(h.kind == types.InlayHintKind.Type and h.padding_left for h in got)
    assert by_line([h for h in got]) == tf_hints(path) or _by_start(got) == tf_hints(path)


def _by_start(got: list[types.InlayHint]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    for h in got:
        line = h.data["line"] - 1 if isinstance(h.data, dict) else h.position.line
        out.setdefault(line, []).append(str(h.label))
    return {k: " ".join(sorted(v)) for k, v in out.items()}


@pytest.mark.asyncio
async def test_same_unet_at_256_from_the_uncalled_function(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet.py"
    uri = open_doc(client, path)
    got = await hints(client, uri)
    assert _by_start(got) == tf_hints(path)


@pytest.mark.asyncio
async def test_only_the_requested_range_is_hinted(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    some = await hints(client, uri, lines=12)
    assert some and all(h.position.line <= 12 for h in some)
    assert len(some) < len(await hints(client, uri))


@pytest.mark.asyncio
async def test_hover_on_conv_shows_formula_and_numbers(client: LanguageClient) -> None:
    text = (
        "import keras\nfrom keras import layers\n\n"
        "x = keras.Input(shape=(572, 572, 1))\n"
        "y = layers.Conv2D(64, 3, padding='valid')(x)\n"
    )
    path = ROOT / "tests" / "lsp" / "hover_case.py"
    uri = open_doc(client, path, text)
    got = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(4, 10)))
    assert got is not None
    value = got.contents.value if isinstance(got.contents, types.MarkupContent) else str(got)
    assert "Conv2D" in value and "(None, 572, 572, 1)" in value and "(None, 570, 570, 64)" in value
    assert "572" in value and "(3-1)*1" in value and "570" in value and "padding='valid'" in value
    assert "640" in value  # parameters, with the formula (3*3*1*64 + 64)


@pytest.mark.asyncio
async def test_broken_unet_error_and_crop_fix_that_tensorflow_builds(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = ROOT / "examples" / "unet_broken.py"
    text = path.read_text(encoding="utf-8")
    client.diagnostics.pop(path.as_uri(), None)
    uri = open_doc(client, path)
    diags = await published(client, uri)
    errors = [d for d in diags if d.severity == types.DiagnosticSeverity.Error]
    assert len(errors) == 1 and errors[0].code == "shape-mismatch"
    assert "cropped by 4 on each side" in errors[0].message
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri), range=errors[0].range,
        context=types.CodeActionContext(diagnostics=errors)))
    assert actions and "Cropping2D" in actions[0].title and actions[0].is_preferred
    from support.truth_recorder import record_in_subprocess

    # TensorFlow builds the cropped file past the old error line.
    out = tmp_path / "unet_cropped.py"
    out.write_text(_apply_all(text, actions[0].edit.changes[uri]), encoding="utf-8")
    truth = record_in_subprocess(str(out))
    assert truth["error"] is None or truth["error"]["line"] > errors[0].range.start.line + 1
    # 'same' convs at 572 still do not join (572 is no multiple of 16): the fix moves the Input
    # to the nearest size that builds, and TensorFlow builds the whole model.
    same = [a for a in actions if "padding='same'" in a.title]
    assert len(same) == 1 and "Input size" in same[0].title
    out = tmp_path / "unet_same.py"
    out.write_text(_apply_all(text, same[0].edit.changes[uri]), encoding="utf-8")
    truth = record_in_subprocess(str(out))
    assert truth["error"] is None and truth["sites"]


def _apply_all(text: str, edits: list[types.TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character),
                       reverse=True):
        text = _apply(text, edit)
    return text


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    r = edit.range
    start = sum(len(x) for x in lines[: r.start.line]) + r.start.character
    end = sum(len(x) for x in lines[: r.end.line]) + r.end.character
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["unet_valid.py", "unet.py"])  # unet.py: star imports
async def test_code_lens_totals_equal_count_params(client: LanguageClient, name: str) -> None:
    path = ROOT / "examples" / name
    uri = open_doc(client, path)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(types.TextDocumentIdentifier(uri)))
    assert lenses
    import ast

    import keras

    from support.truth_recorder import uncalled_default_functions

    source = path.read_text(encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "built"}
    exec(compile(source, str(path), "exec"), namespace)
    models = [v for v in namespace.values() if isinstance(v, keras.Model)]
    # The file defines its model in a function it never calls; build it as the analyser reads it.
    models += [namespace[f]() for f in uncalled_default_functions(ast.parse(source))]
    totals = {m.count_params() for m in models if isinstance(m, keras.Model)}
    assert totals
    for lens in lenses:
        assert lens.command is not None
        shown = int(lens.command.title.split(": ")[1].split(" ")[0].replace(",", ""))
        assert shown in totals


@pytest.mark.asyncio
async def test_half_typed_line_keeps_the_other_hints(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    before = by_line(await hints(client, uri))
    # A half-typed call on a new line: the file no longer parses.
    change(client, uri, 2, (40, 0), (40, 0), "x = layers.Conv2D(64, 3, padd\n")
    after = by_line(await hints(client, uri))
    shifted = {(k + 1 if k >= 40 else k): v for k, v in before.items()}
    assert after == shifted
    # A deleted bracket mid-file: every hint on the lines it did not touch stays.
    change(client, uri, 3, (40, 0), (41, 0), "")
    line20 = path.read_text(encoding="utf-8").splitlines()[20]
    bracket = line20.index("(conv4)") + len("(conv4")
    change(client, uri, 4, (20, bracket), (20, bracket + 1), "")
    damaged = by_line(await hints(client, uri))
    assert damaged and all(before[k] == v for k, v in damaged.items() if k != 20)
    assert len(damaged) >= len(before) - 1


@pytest.mark.asyncio
async def test_malformed_requests_leave_the_server_serving(client: LanguageClient) -> None:
    from pygls.exceptions import JsonRpcException

    with pytest.raises(JsonRpcException):
        await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier("file:///never/opened.py"),
            position=types.Position(0, 0)))
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    far = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(99_999, 5)))
    assert far is None
    assert await hints(client, uri)


@pytest.mark.asyncio
async def test_settings_pulled_with_workspace_configuration(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    plain = await hints(client, uri)
    assert plain and not any("p" in str(h.label) for h in plain)
    # An empty didChangeConfiguration is the signal to pull the `shapelens` section.
    client.set_configuration({"parameterHints": True, "hintFormat": "compact"}, section="shapelens")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    for _ in range(200):
        got = await hints(client, uri)
        if any(str(h.label).endswith("p") for h in got):
            break
    labels = {str(h.label) for h in got}
    assert "570x570x64 · 640p" in labels  # the first Conv2D: 3*3*1*64 + 64 parameters


@pytest.mark.asyncio
async def test_server_over_tcp(tmp_path: Path) -> None:
    import asyncio
    import socket
    import subprocess

    from pygls.lsp.client import LanguageClient as PlainClient

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*SERVER, "--tcp", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lsp = PlainClient("tcp-test", "1")
    try:
        for _ in range(600):  # until the server listens (it imports pygls first)
            assert proc.poll() is None, "the server exited"
            try:
                # The first connection is the session: no probing connection before it.
                await lsp.start_tcp("127.0.0.1", port)
                break
            except OSError:
                await asyncio.sleep(0.1)
        await asyncio.wait_for(lsp.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities())), 120)
        lsp.initialized(types.InitializedParams())
        path = ROOT / "examples" / "unet_valid.py"
        uri = open_doc(lsp, path)  # type: ignore[arg-type]
        got = await asyncio.wait_for(lsp.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(0, 0), types.Position(10_000, 0)))), 120)
        assert _by_start(got or []) == tf_hints(path)
        await asyncio.wait_for(lsp.shutdown_async(None), 120)
        lsp.exit(None)
        assert proc.wait(timeout=60) == 0  # exit after shutdown ends the server cleanly
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.asyncio
async def test_mid_word_edits_keep_the_other_hints(client: LanguageClient) -> None:
    path = ROOT / "examples" / "unet_valid.py"
    uri = open_doc(client, path)
    before = by_line(await hints(client, uri))

    def others(labels: dict[int, str]) -> dict[int, str]:
        return {k: v for k, v in labels.items() if k != 9}  # all but the edited line

    line = path.read_text(encoding="utf-8").splitlines()[9]  # conv1 = Conv2D(64, 3, ...)
    d = line.index("Conv2D(") + len("Conv2")
    # `Conv2D` -> `Conv2` (a name nothing defines): every other line keeps its shape.
    change(client, uri, 2, (9, d), (9, d + 1), "")
    assert others(by_line(await hints(client, uri))) == others(before)
    # `padding=` -> `paddin=` (Keras rejects the keyword): the same.
    change(client, uri, 3, (9, d), (9, d), "D")
    p = line.index("padding=") + len("paddin")
    change(client, uri, 4, (9, p), (9, p + 1), "")
    assert others(by_line(await hints(client, uri))) == others(before)
    # Typed to the end, the file is whole again and every hint is TensorFlow's.
    change(client, uri, 5, (9, p), (9, p), "g")
    assert _by_start(await hints(client, uri)) == tf_hints(path)


@pytest.mark.asyncio
async def test_hover_on_a_helper_called_three_times_names_each_call(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = (
        "from keras import layers, Input\n\n"
        "def block(x, f):\n"
        "    return layers.Conv2D(f, 3, strides=2, padding='same')(x)\n\n"
        "def stage(x, f):\n"
        "    return block(x, f)\n\n"
        "x = Input((64, 64, 3))\n"
        "x = stage(x, 8)\n"
        "x = stage(x, 16)\n"
        "x = block(x, 16)\n"
    )
    path = tmp_path / "helper.py"
    path.write_text(text, encoding="utf-8")
    uri = open_doc(client, path)
    got = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(3, 20)))
    assert got is not None and isinstance(got.contents, types.MarkupContent)
    value = got.contents.value
    from support.truth_recorder import record_in_subprocess

    outputs = next(s["outputs"] for s in record_in_subprocess(path)["sites"] if s["line"] == 4)
    assert len(outputs) == 3
    calls = [value.index(f"call {i}, from line {via}") for i, via in
             ((1, "10 → 7"), (2, "11 → 7"), (3, "12"))]
    assert calls == sorted(calls)
    for shape in outputs:
        assert shape_text(shape) in value


@pytest.mark.asyncio
async def test_helper_calls_and_assigned_data_are_hinted_as_tensorflow_shapes(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = (
        "import tensorflow as tf\nfrom keras import layers, Input\n\n"
        "def conv_bn(x, f):\n"
        "    x = layers.Conv2D(f, 3, strides=2, padding='same')(x)\n"
        "    return layers.BatchNormalization()(x)\n\n"
        "inp = Input((32, 32, 3))\n"
        "x = conv_bn(inp, 8)\n"
        "x = conv_bn(x, 16)\n"
        "v = tf.Variable(tf.random.normal([1, 5, 5, 3]))\n"
    )
    path = tmp_path / "helpers.py"
    path.write_text(text, encoding="utf-8")
    uri = open_doc(client, path)
    got = _by_start(await hints(client, uri))
    assert got == tf_hints(path)
    assert got[8] == "(None, 16, 16, 8)" and got[9] == "(None, 8, 8, 16)"
    assert got[10] == "(1, 5, 5, 3)"
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri), position=types.Position(9, 6)))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = hover.contents.value
    # this call's layers, with their lines; not the first call's
    assert "line 5: Conv2D `conv2d_1` → `(None, 8, 8, 16)`" in value
    assert "line 6: BatchNormalization" in value and "(None, 16, 16, 8)`" not in value
