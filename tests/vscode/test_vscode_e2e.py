"""The VS Code extension in a real VS Code: the .vsix from `npm run package` in a fresh code-server,
driven in Debian's chromium by drive.mjs; hints, hover, squiggle and quick fix against TensorFlow.

Needs what `.ci/setup-editor` installs (chromium; code-server and playwright-core in
tests/vscode/node_modules), else it fails saying so. Screenshots go to tests/vscode/artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXTENSION = ROOT / "vscode-extension"
ARTIFACTS = HERE / "artifacts"
CODE_SERVER = HERE / "node_modules" / ".bin" / "code-server"
NODE = shutil.which("node") or "node"
CHROMIUM = os.environ.get("SHAPELENS_CHROMIUM", "/usr/bin/chromium")
UNET, BROKEN = ROOT / "examples" / "unet.py", ROOT / "examples" / "unet_broken.py"
NOTEBOOK = ROOT / "tests" / "notebooks" / "unet_skip_error.ipynb"
# Generous: two cores shared with other work, and code-server, chromium and the server start cold.
WAIT_S = 300


def _require() -> None:
    missing = [what for what, ok in [
        ("node", shutil.which("node")),
        ("npm", shutil.which("npm")),
        (CHROMIUM, os.access(CHROMIUM, os.X_OK)),
        (str(CODE_SERVER), CODE_SERVER.exists()),
        ("playwright-core", (HERE / "node_modules" / "playwright-core").is_dir()),
    ] if not ok]
    if missing:
        pytest.fail(f"the real-editor test needs {', '.join(missing)}: run .ci/setup-editor "
                    "(README's test command does)", pytrace=False)


def _run(cmd: list[str], log: Path, timeout: float, **kw: Any) -> None:
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                              check=False, **kw)
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        pytest.fail(f"{' '.join(cmd)} exited {proc.returncode}:\n{tail}", pytrace=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[Any]) -> None:
    """End a process started in its own session and everything it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    # Children (extension host, language server) may outlive a leader that exited first.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def vsix() -> Path:
    """The .vsix as users build it: `npm run package` (npm ci, tsc, esbuild, bundled libs, vsce)."""
    _require()
    ARTIFACTS.mkdir(exist_ok=True)
    out = EXTENSION / "shapelens.vsix"
    out.unlink(missing_ok=True)
    _run(["npm", "run", "package"], ARTIFACTS / "npm-package.log", 900, cwd=EXTENSION)
    assert out.is_file(), "npm run package made no shapelens.vsix"
    return out


@contextlib.contextmanager
def _code_server(vsix: Path, tmp_path: Path, path: str | None = None,
                 settings: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """A fresh code-server with only our .vsix installed, serving a workspace with the examples;
    `path`: the PATH the editor and its extensions see; `settings`: more user settings."""
    user, exts, workspace = tmp_path / "user", tmp_path / "extensions", tmp_path / "workspace"
    workspace.mkdir()
    for f in (UNET, BROKEN, NOTEBOOK):
        shutil.copy(f, workspace / f.name)
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    if path is not None:
        # VS Code's server replaces PATH with the login shell's unless it was started "from the
        # CLI" (resolveShellEnv skips when VSCODE_CLI=1): keep the PATH this test gives it.
        env.update(PATH=path, VSCODE_CLI="1")
    dirs = ["--user-data-dir", str(user), "--extensions-dir", str(exts)]
    _run([NODE, str(CODE_SERVER), *dirs, "--install-extension", str(vsix)],
         ARTIFACTS / "install-extension.log", 300, env=env)
    listed = subprocess.run([NODE, str(CODE_SERVER), *dirs, "--list-extensions",
                             "--show-versions"],
                            capture_output=True, text=True, env=env, timeout=WAIT_S, check=False)
    assert "shapelens.shapelens@0.1.0" in listed.stdout, listed.stdout + listed.stderr
    (user / "User").mkdir(parents=True, exist_ok=True)
    (user / "User" / "settings.json").write_text(json.dumps(settings_json := {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.colorTheme": "Default Light Modern",
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.commandCenter.enabled": False,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "update.mode": "none",
        "editor.minimap.enabled": False,
        "editor.fontSize": 13,
        "editor.wordWrap": "off",
        "editor.hover.delay": 300,
        "files.autoSave": "off",
        "notebook.lineNumbers": "on",  # the cells' line numbers place hints and squiggles
        **(settings or {}),
    }), encoding="utf-8")
    port = _free_port()
    log = (ARTIFACTS / "code-server.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [NODE, str(CODE_SERVER), "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
         "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
         "--disable-getting-started-override", "--ignore-last-opened", *dirs, str(workspace)],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + WAIT_S
        while True:
            assert proc.poll() is None, f"code-server exited {proc.returncode}; see {log.name}"
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "code-server did not answer /healthz"
            time.sleep(0.5)
        yield {"url": f"{url}/?folder={workspace}", "workspace": workspace,
               "settings": settings_json}
    finally:
        _stop(proc)
        log.close()


@pytest.fixture
def vscode(vsix: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    with _code_server(vsix, tmp_path) as served:
        yield served


def _drive(config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    cfg = tmp_path / "drive.json"
    cfg.write_text(json.dumps(config), encoding="utf-8")
    with (ARTIFACTS / "drive.log").open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(["node", str(HERE / "drive.mjs"), str(cfg)], cwd=HERE,
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=6 * WAIT_S)
        finally:
            _stop(proc)
    lines = out.strip().splitlines()
    assert lines, f"drive.mjs printed nothing (exit {proc.returncode}); see drive.log"
    report: dict[str, Any] = json.loads(lines[-1])
    (ARTIFACTS / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert "error" not in report, (
        f"{report['error']}\nsteps: {[s['name'] for s in report['steps']]}\n"
        f"code-server log tail: {(ARTIFACTS / 'code-server.log').read_text()[-2000:]}")
    return report


def _shape(shape: list[Any]) -> str:
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _tf_labels(truth: dict[str, Any]) -> dict[int, list[str]]:
    """Per 1-based line, the hint labels TensorFlow's shapes give (first output, `+N` more)."""
    out: dict[int, list[str]] = {}
    for site in truth["sites"]:
        label = _shape(site["outputs"][0])
        if len(site["outputs"]) > 1:
            label += f" +{len(site['outputs']) - 1}"
        out.setdefault(site["line"], []).append(label)
    return {k: sorted(v) for k, v in out.items()}


def _compact(shape: list[Any]) -> str:
    """The "compact" hint format: the dimensions after the batch axis, `256x256x64`."""
    return "x".join("?" if d is None else str(d) for d in shape[1:])


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_vsix_in_real_vscode_shows_tensorflows_shapes(vscode: dict[str, Any],
                                                      tmp_path: Path) -> None:
    from support.truth_recorder import record_in_subprocess

    unet_truth = record_in_subprocess(UNET)
    broken_truth = record_in_subprocess(BROKEN)
    assert unet_truth["error"] is None and broken_truth["error"] is not None
    expected = _tf_labels(unet_truth)
    source = UNET.read_text(encoding="utf-8").splitlines()
    conv_lines = [i for i, text in enumerate(source, 1) if "Conv2D(" in text]
    assert conv_lines and set(conv_lines) <= set(expected)
    hover_line = conv_lines[0]
    err = broken_truth["error"]

    # Settings changed while it runs: TensorFlow's shapes written compactly, then no hints.
    watch = [hover_line, *(n for n in sorted(expected) if len(expected[n]) > 1)][:2]
    compact = {n: sorted(_compact(s["outputs"][0]) for s in unet_truth["sites"] if s["line"] == n)
               for n in watch}
    steps = [
        {"settings": {**vscode["settings"], "shapelens.hintFormat": "compact"}, "expect": compact},
        {"settings": {**vscode["settings"], "shapelens.inlayHints": False},
         "expect": {n: [] for n in watch}},
    ]
    report = _drive({
        "settingsSteps": steps,
        "url": vscode["url"], "workspace": str(vscode["workspace"]), "chromium": CHROMIUM,
        "artifacts": str(ARTIFACTS), "timeoutMs": WAIT_S * 1000,
        "unet": {"file": UNET.name, "expectHintOn": conv_lines, "hoverLine": hover_line,
                 "hoverToken": "Conv2D"},
        "broken": {"file": BROKEN.name, "errorLine": err["line"], "errorColumn": err["column"] + 1,
                   "fixContains": "Cropping2D"},
    }, tmp_path)

    # 1. Every call TensorFlow records shows TensorFlow's shape as an inlay hint, and nothing else.
    shown = {int(k): sorted(v) for k, v in report["unetHints"].items()}
    assert {n: shown.get(n) for n in conv_lines} == {n: expected[n] for n in conv_lines}
    assert shown == expected

    # 2. The hover shows the layer's TensorFlow input and output and the server's derivation.
    from shapelens.analysis import Options, analyze

    hover = _flat(report["hover"])
    # The first Conv2D takes the Input of the line above it (examples/unet.py).
    tf_in = _shape(expected_outputs(unet_truth, hover_line - 1))
    tf_out = _shape(expected_outputs(unet_truth, hover_line))
    assert "Conv2D" in hover and f"{tf_in} → {tf_out}" in hover, hover
    site = next(s for s in analyze(str(UNET), UNET.read_text(encoding="utf-8"), Options()
                                   ).sites_for() if s.pos.line == hover_line)
    # Verbatim, as the server wrote them: markdown must not have eaten the `*` of `3*3*1*64`.
    ev = site.evaluations[0]
    derivation = [_flat(d) for d in [*ev.derivation, *ev.notes]]
    assert derivation and [d for d in derivation if d not in hover] == [], hover
    for axis in (1, 2):  # each spatial derivation ends in TensorFlow's size
        assert re.search(rf"axis {axis}: .* = {unet_truth_dim(unet_truth, hover_line, axis)} ",
                         hover + " "), hover

    # 3. The broken U-Net: one squiggle, on the line where TensorFlow raises; the crop fix.
    assert report["brokenErrors"] == [err["line"]]
    assert any("Cropping2D" in t for t in report["quickFixes"]), report["quickFixes"]
    # Applied in the editor and saved: squiggles now where TensorFlow raises on the fixed file.
    fixed = record_in_subprocess(vscode["workspace"] / BROKEN.name)
    assert "Cropping2D" in (vscode["workspace"] / BROKEN.name).read_text(encoding="utf-8")
    assert fixed["error"] is None or fixed["error"]["line"] > err["line"]
    assert report["fixedErrors"] == ([fixed["error"]["line"]] if fixed["error"] else [])
    # 4. The settings reached the running server and the hints followed them.
    shown_after = [{int(k): v for k, v in got.items()} for got in report["settingsHints"]]
    assert shown_after == [s["expect"] for s in steps]
    for name in ("1-unet-hints.png", "2-unet-hover.png", "3-broken-quickfix.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000, name


def expected_outputs(truth: dict[str, Any], line: int) -> list[Any]:
    """TensorFlow's first output shape of the one site on `line`."""
    sites = [s for s in truth["sites"] if s["line"] == line]
    assert len(sites) == 1, sites
    return list(sites[0]["outputs"][0])


def unet_truth_dim(truth: dict[str, Any], line: int, axis: int) -> int:
    return int(expected_outputs(truth, line)[axis])


def test_without_a_usable_python_one_clear_message_then_the_setting_fixes_it(
        vsix: Path, tmp_path: Path) -> None:
    # The editor sees node and a python3 that is 3.8; the interpreter setting names no file.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "node").symlink_to(NODE)
    old = bin_dir / "python3"
    old.write_text("#!/bin/sh\necho 3.8.18\n", encoding="utf-8")
    old.chmod(0o755)
    missing = str(tmp_path / "no-such-python")
    # The interpreter itself, not a wrapper (a pyenv shim needs a PATH this editor doesn't have).
    python = os.path.realpath(sys.executable)
    with _code_server(vsix, tmp_path, path=str(bin_dir),
                      settings={"shapelens.interpreter": missing}) as served:
        report = _drive({
            "mode": "no-python", "url": served["url"], "workspace": str(served["workspace"]),
            "chromium": CHROMIUM, "artifacts": str(ARTIFACTS), "timeoutMs": WAIT_S * 1000,
            "unet": {"file": UNET.name, "hoverLine": 13},
            "fixedSettings": {**served["settings"], "shapelens.interpreter": python},
        }, tmp_path)
    for shown in (report["messages"], report["messagesAfterRestart"]):
        assert len(shown) == 1, shown
        text = shown[0]
        assert "ShapeLens needs Python 3.10 or newer" in text, text
        assert f"{missing} from the shapelens.interpreter setting: not found" in text, text
        assert "python3 from PATH: Python 3.8.18 is older than 3.10" in text, text
        assert "Python: Select Interpreter" in text, text
    assert "ShapeLens" in report["status"]
    assert report["hintsWithoutServer"] == {}
    # Pointing the setting at a good Python restarts the server: shapes on the Conv2D line.
    assert report["hintsAfterFix"], report


def _cell_labels(truth: dict[str, Any]) -> dict[int, dict[int, list[str]]]:
    """Per code cell index and 1-based line, TensorFlow's hint labels (as _tf_labels)."""
    out: dict[int, dict[int, list[str]]] = {}
    for site in truth["sites"]:
        label = _shape(site["outputs"][0])
        if len(site["outputs"]) > 1:
            label += f" +{len(site['outputs']) - 1}"
        out.setdefault(site["cell"], {}).setdefault(site["line"], []).append(label)
    return {c: {n: sorted(v) for n, v in lines.items()} for c, lines in out.items()}


def _shown(cells: dict[str, Any]) -> dict[int, dict[int, list[str]]]:
    return {int(c): {int(n): sorted(v) for n, v in hints.items()}
            for c, hints in cells.items() if hints}


def test_notebook_cells_in_real_vscode_show_tensorflows_shapes(vscode: dict[str, Any],
                                                               tmp_path: Path) -> None:
    from support.notebook_truth import code_cells, record_notebook_in_subprocess

    truth = record_notebook_in_subprocess(NOTEBOOK)
    err = truth["error"]
    assert err is not None and truth["sites"]
    expected = _cell_labels(truth)
    cells = dict(code_cells(NOTEBOOK))
    helper = next(i for i, src in cells.items() if src.startswith("def double_conv"))
    hover_line = min(expected[helper])
    report = _drive({
        "mode": "notebook", "url": vscode["url"], "workspace": str(vscode["workspace"]),
        "chromium": CHROMIUM, "artifacts": str(ARTIFACTS), "timeoutMs": WAIT_S * 1000,
        "unet": {"file": UNET.name},
        "notebook": {
            "file": NOTEBOOK.name,
            "expectHintOn": [[c, n] for c, lines in expected.items() for n in lines],
            "errorCell": err["cell"],
            "hover": {"cell": helper, "line": hover_line, "token": "Conv2D"},
            "fixAt": {"cell": err["cell"], "line": err["line"],
                      "token": cells[err["cell"]].splitlines()[err["line"] - 1]
                      [err["column"] - 1:].split("(")[0]},
            "fixContains": "Cropping2D",
        },
    }, tmp_path)

    # 1. Every cell line where TensorFlow records a shape shows it; the error cell shows the
    # squiggle on TensorFlow's line (the rejected call's own hint, ✗, is ours alone).
    shown = _shown(report["notebookHints"])
    shown.get(err["cell"], {}).pop(err["line"], None)
    assert {c: v for c, v in shown.items() if v} == expected
    assert report["notebookErrors"][str(err["cell"])] == [err["line"]]
    assert not any(v for c, v in report["notebookErrors"].items() if int(c) != err["cell"])

    # 2. The hover in the helper's cell (two cells above its use): TensorFlow's first call of it.
    hover = _flat(report["notebookHover"])
    first = next(s for s in truth["sites"] if (s["cell"], s["line"]) == (helper, hover_line))
    assert "Conv2D" in hover and f"→ {_shape(first['outputs'][0])}" in hover, hover
    assert re.search(r"axis 1: .* = \d+ ", hover + " "), hover
    caller = next(i for i, src in cells.items() if "double_conv(inputs" in src)
    line = next(n for n, t in enumerate(cells[caller].splitlines(), 1) if "double_conv(inputs" in t)
    assert f"from cell {caller + 1} line {line}:" in hover, hover  # the call, in cell terms

    # 3. The crop fix, applied in the cell and saved: TensorFlow now runs every cell, and the
    # cells show its shapes.
    assert any("Cropping2D" in t for t in report["notebookQuickFixes"]), report
    saved = vscode["workspace"] / NOTEBOOK.name
    assert "Cropping2D" in saved.read_text(encoding="utf-8")
    fixed = record_notebook_in_subprocess(saved)
    assert fixed["error"] is None, fixed["error"]
    assert _shown(report["notebookFixedHints"]) == _cell_labels(fixed)
    assert not any(report["notebookFixedErrors"].values())
    for name in ("7-notebook-hints.png", "8-notebook-hover.png", "9-notebook-quickfix.png",
                 "10-notebook-fixed.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000, name


def test_model_graph_webview_follows_clicks_and_edits(vscode: dict[str, Any],
                                                      tmp_path: Path) -> None:
    """"ShapeLens: Show Model Graph" on the U-Net: the webview draws the graph, a click on a layer
    moves the cursor to its line, an edit redraws it (drive_graph.mjs; shapes from TensorFlow)."""
    from shapelens.analysis import analyze
    from shapelens.analysis.keras.graphjson import graphs
    from support.truth_recorder import record_in_subprocess

    source = UNET.read_text(encoding="utf-8")
    (model,) = graphs(analyze(str(UNET), source))["models"]
    clicked = next(n for n in model["nodes"] if n["class"] == "MaxPooling2D")
    lines = source.splitlines()
    edit_line = next(i for i, t in enumerate(lines, 1) if "Conv2D(64, 3" in t)
    column = lines[edit_line - 1].index("64") + 1
    edited = tmp_path / "unet_edited.py"
    changed = lines[edit_line - 1].replace("Conv2D(64, 3", "Conv2D(48, 3", 1)
    edited.write_text("\n".join([*lines[:edit_line - 1], changed, *lines[edit_line:]]) + "\n",
                      encoding="utf-8")
    truth = expected_outputs(record_in_subprocess(edited), edit_line)
    watched = next(n["id"] for n in model["nodes"] if n["line"] == edit_line)
    cfg = {"url": vscode["url"], "chromium": CHROMIUM, "artifacts": str(ARTIFACTS),
           "timeoutMs": WAIT_S * 1000, "file": UNET.name, "clickId": clicked["id"],
           "clickLine": clicked["line"],
           "edit": {"line": edit_line, "column": column, "delete": 2, "insert": "48",
                    "watchId": watched, "expect": _shape(truth)}}
    path = tmp_path / "drive_graph.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    with (ARTIFACTS / "drive_graph.log").open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(["node", str(HERE / "drive_graph.mjs"), str(path)], cwd=HERE,
                                stdout=subprocess.PIPE, stderr=err, text=True,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=4 * WAIT_S)
        finally:
            _stop(proc)
    report = json.loads(out.strip().splitlines()[-1])
    (ARTIFACTS / "graph-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert "error" not in report, report
    assert report["first"]["layers"] + report["first"]["boxes"] > 0
    assert report["first"]["layers"] == len(model["nodes"])  # the U-Net has no repeated helper
    assert report["first"]["edges"] == len(model["edges"])
    assert report["cursorAfterClick"] == clicked["line"]
    assert _shape(truth) in report["afterEdit"]["watched"]
