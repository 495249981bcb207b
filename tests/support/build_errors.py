"""Running a build-error snippet under TensorFlow and through ShapeLens, for the Keras 3 / TF 2
build-error tests (tests/analysis/keras/test_migration, test_removed, test_renamed).
"""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path
from typing import Any

from shapelens.analysis import analyze
from support.truth_recorder import record


def tf_and_keras() -> tuple[Any, Any]:
    """TensorFlow and Keras, imported when a test runs: importing TF at collection would add
    gast's node classes to `ast`'s, which test_architecture enumerates."""
    return importlib.import_module("tensorflow"), importlib.import_module("keras")


def apply_fix(src: str, fix: dict[str, Any]) -> str:
    """The text after a fix's edits (1-based lines, 1-based UTF-8 byte columns), last edit first."""
    lines = src.splitlines(keepends=True)
    for e in sorted(fix["edits"], key=lambda e: e["range"], reverse=True):
        line, col, end_line, end_col = e["range"]
        while len(lines) < end_line:
            lines.append("")
        head = lines[line - 1].encode()[: col - 1].decode()
        tail = lines[end_line - 1].encode()[end_col - 1 :].decode()
        lines[line - 1 : end_line] = [head + e["text"] + tail]
    return "".join(lines)


def check(tmp_path: Path, src: str) -> tuple[dict[str, Any], list[Any]]:
    """TF's result on the file and our errors on it."""
    path = tmp_path / "model.py"
    text = textwrap.dedent(src)
    path.write_text(text, encoding="utf-8")
    truth = record(path)
    errors = [f for f in analyze(str(path), text).findings_for(str(path))
              if f.severity == "error"]
    return truth, errors


def assert_same_error(tmp_path: Path, src: str, code: str, exc: str) -> list[Any]:
    truth, errors = check(tmp_path, src)
    assert truth["error"] is not None, "TensorFlow builds this file"
    assert truth["error"]["message"].startswith(exc + ":"), truth["error"]
    assert [(f.pos.line, f.code) for f in errors] == [(truth["error"]["line"], code)]
    return errors


def assert_no_error(tmp_path: Path, src: str) -> None:
    truth, errors = check(tmp_path, src)
    assert truth["error"] is None, truth["error"]
    assert [(f.pos.line, f.message) for f in errors] == []
