"""The settings' defaults are written once, in the VS Code manifest, and the server agrees with it.

package.json is where the extension's defaults live (settings.ts passes none); the server's own
defaults (lsp/settings.py, for every other editor) and the documented tables must equal them.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

from shapelens.lsp.settings import _CAMEL, Settings

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "vscode-extension"
CLIENT_ONLY = {"interpreter"}  # the Python that runs the server: the extension's own


def manifest_defaults() -> dict[str, Any]:
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    props = manifest["contributes"]["configuration"]["properties"]
    return {key.removeprefix("shapelens."): p["default"] for key, p in props.items()}


def test_the_server_defaults_equal_the_manifest() -> None:
    defaults = manifest_defaults()
    server = {_CAMEL[f.name]: getattr(Settings(), f.name) for f in fields(Settings)}
    assert set(defaults) - CLIENT_ONLY == set(server)
    assert {k: defaults[k] for k in server} == server


def test_the_extension_code_repeats_no_default() -> None:
    for source in (EXTENSION / "src").glob("*.ts"):
        text = source.read_text(encoding="utf-8")
        # `cfg.get<T>('key', fallback)` would be a second copy of the manifest's default.
        assert not re.search(r"\.get<[^>]*>\(\s*'[^']*'\s*,", text), source.name


def test_the_documented_defaults_equal_the_manifest() -> None:
    defaults = manifest_defaults()
    for doc, prefix in ((ROOT / "docs" / "editors.md", ""),
                        (EXTENSION / "README.md", "shapelens.")):
        rows = re.findall(r"^\| `([\w.]+)` \| `([^`]*)` \|", doc.read_text(encoding="utf-8"), re.M)
        table = {key.removeprefix(prefix): json.loads(value) for key, value in rows}
        assert table, doc
        assert table == {k: defaults[k] for k in table}, doc
        assert set(table) >= set(defaults) - (CLIENT_ONLY if not prefix else set()), doc
