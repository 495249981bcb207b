"""Edit storms as an editor sends them: typing a line key by key, pasting blocks, retyping a
digit, undoing; each edit an incremental `didChange` range, with the text it leaves.

Episodes always end on text that parses (a typed line is finished or undone), so the final text
can be compared with a fresh analysis; in between, most texts are half-typed.
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# A complete one-line assignment inside a function: a new line after it, same indent, is valid.
_ANCHOR = re.compile(r"^( +)(\w+) = [^#]*\)$")


@dataclass
class Storm:
    changes: list[dict[str, Any]]  # LSP TextDocumentContentChangePartial, in order
    final: str
    typed: int = 0  # keystrokes (insertions and backspaces of one character)
    pasted: int = 0  # block insertions
    retyped: int = 0  # digit replacements
    undone: int = 0  # episodes taken back


def big_model() -> str:
    """bench/bench_server.py's generated ~1,000-line functional model."""
    spec = importlib.util.spec_from_file_location("bench_server", ROOT / "bench" /
                                                  "bench_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    text, _row, _col = module.generate_model(1000)
    return str(text)


def apply(text: str, change: dict[str, Any]) -> str:
    """An incremental change on ASCII text (characters are UTF-16 units there)."""
    lines = text.split("\n")
    r = change["range"]
    offset = [0]
    for line in lines:
        offset.append(offset[-1] + len(line) + 1)
    start = offset[r["start"]["line"]] + r["start"]["character"]
    end = offset[r["end"]["line"]] + r["end"]["character"]
    return text[:start] + change["text"] + text[end:]


def _change(l0: int, c0: int, l1: int, c1: int, text: str) -> dict[str, Any]:
    return {"range": {"start": {"line": l0, "character": c0},
                      "end": {"line": l1, "character": c1}}, "text": text}


def make_storm(text: str, n_edits: int, rng: random.Random, tag: str = "p") -> Storm:
    storm = Storm([], text)
    dense = "Dense" if "from keras.layers import *" in text else "layers.Dense"
    k = 0

    def push(change: dict[str, Any]) -> None:
        storm.changes.append(change)
        storm.final = apply(storm.final, change)

    while len(storm.changes) < n_edits:
        lines = storm.final.split("\n")
        anchors = [i for i, line in enumerate(lines) if _ANCHOR.match(line)
                   and line.count("(") == line.count(")")]
        i = rng.choice(anchors)
        indent, name = _ANCHOR.match(lines[i]).groups()  # type: ignore[union-attr]
        kind = rng.choices(("type", "paste", "retype"), (5, 2, 2))[0]
        k += 1
        if kind == "type":
            new = f"{tag}{k} = {dense}({rng.randint(2, 99)})({name})"
            push(_change(i, len(lines[i]), i, len(lines[i]), "\n" + indent))  # Enter
            for c, ch in enumerate(new):
                push(_change(i + 1, len(indent) + c, i + 1, len(indent) + c, ch))
            storm.typed += len(new) + 1
            if rng.random() < 0.5:  # backspace it all away
                for c in range(len(new) - 1, -1, -1):
                    push(_change(i + 1, len(indent) + c, i + 1, len(indent) + c + 1, ""))
                push(_change(i, len(lines[i]), i + 1, len(indent), ""))
                storm.typed += len(new) + 1
                storm.undone += 1
        elif kind == "paste":
            block = "".join(f"\n{indent}{tag}{k}_{j} = {dense}({rng.randint(2, 99)})({name})"
                            for j in range(rng.randint(2, 8)))
            push(_change(i, len(lines[i]), i, len(lines[i]), block))
            storm.pasted += 1
            if rng.random() < 0.5:  # undo the paste in one step
                n = block.count("\n")
                push(_change(i, len(lines[i]), i + n, len(block.rsplit("\n", 1)[1]), ""))
                storm.undone += 1
        else:
            # A layer's first number (filters, units, pool size): never 0, never a rate.
            digits = list(re.finditer(r"\((\d+)(?=[,)])", lines[i]))
            if not digits:
                continue
            m = rng.choice(digits)
            col = m.end() - 1
            old = lines[i][col]
            choices = "0123456789" if len(m.group(1)) > 1 else "123456789"
            new_digit = rng.choice([d for d in choices if d != old])
            push(_change(i, col, i, col + 1, new_digit))
            storm.retyped += 1
            if rng.random() < 0.5:
                push(_change(i, col, i, col + 1, old))
                storm.undone += 1
    return storm


def send_storm(client: Any, uri: str, changes: list[dict[str, Any]], version: int) -> int:
    """All the changes as fast as the pipe takes them, one didChange each; the last version."""
    from support.lsp_raw import frame

    data = bytearray()
    for change in changes:
        version += 1
        data += frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
    client.send_bytes(bytes(data))
    return version


def revert(text_now: str, original: str) -> dict[str, Any]:
    """One change putting the original text back (the editor's "revert file")."""
    lines = text_now.split("\n")
    return _change(0, 0, len(lines) - 1, len(lines[-1]), original)


def hint_key(hints: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    return sorted((h["position"]["line"], h["position"]["character"], str(h["label"]))
                  for h in hints)


def fresh_hints(client: Any, path: Path, text: str) -> list[dict[str, Any]]:
    """The hints a just-opened document with this text gets (then closed again)."""
    uri = client.open(path.with_name(f"_fresh_{path.name}"), text)
    try:
        return list(client.hints(uri))
    finally:
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
