"""A raw stdio LSP client: writes any bytes to the server and reads back every framed message.

For what pygls' client cannot send (bad JSON, wrong lengths, wrong types); it drains the server's
stderr (a full pipe would block the server) and keeps the server's messages in arrival order.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "shapelens.cli", "server"]
# Seconds before a missing answer counts as a hang (lower it to debug a missing answer fast).
TIMEOUT = float(os.environ.get("LSP_RAW_TIMEOUT", 60))


def frame(message: Any) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class RawClient:
    def __init__(self, cmd: list[str] | None = None, **popen: Any) -> None:
        self.proc = subprocess.Popen(
            cmd or SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=str(ROOT), **popen,
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        self.next_id = 1000
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain, daemon=True).start()

    # --- sending ----------------------------------------------------------------------------

    def send_bytes(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_bytes(frame(message))

    def notify(self, method: str, params: Any = None) -> None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request(self, method: str, params: Any = None) -> int:
        self.next_id += 1
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.next_id

    def call(self, method: str, params: Any = None) -> dict[str, Any]:
        """A request and its response (the whole message: `result` or `error`)."""
        return self.response(self.request(method, params))

    # --- receiving --------------------------------------------------------------------------

    def message(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The next response (notifications from the server are kept apart)."""
        while True:
            msg = self.inbox.get(timeout=timeout)
            if msg is None:
                raise EOFError("the server closed its output")
            if "id" in msg and "method" not in msg:
                return msg
            if "id" in msg:  # a request from the server: answer null, as a plain client would
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            self.notifications.append(msg)

    def response(self, msg_id: int | str | None, timeout: float = TIMEOUT) -> dict[str, Any]:
        msg = self.message(timeout)
        assert msg.get("id") == msg_id, f"expected the answer to {msg_id!r}, got {msg}"
        return msg

    def initialize(self, **params: Any) -> dict[str, Any]:
        base: dict[str, Any] = {"processId": os.getpid(), "rootUri": ROOT.as_uri(),
                                "capabilities": {}}
        base.update(params)
        got = self.call("initialize", base)
        self.notify("initialized", {})
        return got

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": version,
            "text": path.read_text(encoding="utf-8") if text is None else text}})
        return uri

    def hints(self, uri: str, lines: int = 100_000) -> list[dict[str, Any]]:
        got = self.call("textDocument/inlayHint", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0},
                      "end": {"line": lines, "character": 0}}})
        assert "error" not in got, got
        return got["result"] or []

    def stats(self, trace: bool = False, drop_caches: bool = False) -> dict[str, Any]:
        params = {"trace": True} if trace else {}
        if drop_caches:
            params["drop_caches"] = True
        got = self.call("shapelens/stats", params or None)
        assert "error" not in got, got
        return dict(got["result"])

    def stop(self) -> int:
        """shutdown + exit; the exit code."""
        if self.proc.poll() is None:
            try:
                self.call("shutdown")
                self.notify("exit")
            except (OSError, EOFError, queue.Empty):
                pass
        return self.wait()

    def wait(self, timeout: float = TIMEOUT) -> int:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def rss_kb(self) -> int:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def errors_logged(self) -> list[str]:
        return [line for line in self.stderr if "Traceback" in line or line.startswith("ERROR")]

    # --- threads ----------------------------------------------------------------------------

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        return
                    if not line.strip():
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                assert length is not None, "server sent a header block without Content-Length"
                self.inbox.put(json.loads(out.read(length)))
        except (OSError, ValueError):  # the test closed our end of the pipe
            return
        finally:
            self.inbox.put(None)

    def _drain(self) -> None:
        err = self.proc.stderr
        assert err is not None
        for line in err:
            self.stderr.append(line.decode("utf-8", "replace").rstrip("\n"))


# --- comparing hints with TensorFlow ---------------------------------------------------------

def shape_text(shape: Any) -> str:
    dims = ["None" if d is None else str(d) for d in shape]
    return f"({dims[0]},)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def tf_labels(path: Path) -> dict[int, str]:
    """Per 1-based line, the hint labels TensorFlow's shapes give (first output, `+N` more)."""
    from support.truth_recorder import record_in_subprocess

    truth = record_in_subprocess(str(path))
    out: dict[int, list[str]] = {}
    for site in truth["sites"]:
        label = shape_text(site["outputs"][0])
        if len(site["outputs"]) > 1:
            label += f" +{len(site['outputs']) - 1}"
        out.setdefault(site["line"], []).append(label)
    return {k: " ".join(sorted(v)) for k, v in out.items()}


def labels_by_start(hints: list[dict[str, Any]]) -> dict[int, str]:
    """Raw inlay hints per 1-based line their call starts on (the recorder's key)."""
    out: dict[int, list[str]] = {}
    for h in hints:
        out.setdefault(h["data"]["line"], []).append(str(h["label"]))
    return {k: " ".join(sorted(v)) for k, v in out.items()}


@contextmanager
def started(**init_options: Any) -> Iterator[RawClient]:
    """A server initialized with `init_options`; on leaving, it must exit with 0 and have logged
    no error."""
    c = RawClient()
    c.initialize(initializationOptions=init_options)
    yield c
    assert c.stop() == 0
    assert not c.errors_logged(), c.errors_logged()[:5]
