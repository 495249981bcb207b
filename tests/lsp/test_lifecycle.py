"""Lifecycle over raw stdio: shutdown/exit and their exit codes, the end of input, the client's
death, and a crashing feature (hover) that leaves hints and diagnostics working.

Timeouts here only bound "did not hang"; nothing is timed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shapelens.lsp.transport import WATCH_SECONDS
from support.lsp_raw import ROOT, SERVER, RawClient, frame, labels_by_start, tf_labels

UNET = ROOT / "examples" / "unet.py"
BROKEN = ROOT / "examples" / "unet_broken.py"
HANG = 60.0  # seconds: far beyond any honest exit


def test_requests_after_shutdown_are_invalid_and_exit_ends_with_0() -> None:
    client = RawClient()
    client.initialize()
    uri = client.open(UNET)
    assert client.hints(uri)
    assert client.call("shutdown") == {"jsonrpc": "2.0", "id": client.next_id, "result": None}
    for method, params in [
        ("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        ("shutdown", None),
        ("shapelens/stats", None),
    ]:
        assert client.call(method, params)["error"]["code"] == -32600, method
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})  # dropped
    # exit, and a request right behind it in the same write: exit ends it unanswered.
    client.send_bytes(frame({"jsonrpc": "2.0", "method": "exit"})
                      + frame({"jsonrpc": "2.0", "id": 99, "method": "shapelens/stats"}))
    assert client.wait(HANG) == 0
    with pytest.raises(EOFError):
        client.message()


def test_exit_without_shutdown_ends_with_1_even_if_input_stays_open() -> None:
    client = RawClient()
    client.initialize()
    client.open(UNET)
    client.notify("exit")  # our end of its stdin stays open: a blocked read must not hold it
    assert client.wait(HANG) == 1


def test_end_of_input_ends_the_server() -> None:
    for shut_down, code in ((False, 1), (True, 0)):
        client = RawClient()
        client.initialize()
        client.open(UNET)
        if shut_down:
            client.call("shutdown")
        assert client.proc.stdin is not None
        client.proc.stdin.close()
        assert client.wait(HANG) == code


def test_closed_output_ends_the_server() -> None:
    proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=str(ROOT))
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdout.close()  # nobody will read the answers
    try:
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                "params": {"capabilities": {}}}))
        proc.stdin.flush()
        assert proc.wait(HANG) == 1  # its answer could not be written: the client is gone
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()


# The parent: starts the server on pipes the test holds, prints the server's pid, then sleeps.
# Its own stdin/stdout are not the server's, so its death closes none of the server's pipes:
# only the processId watch can notice it.
PARENT = """
import subprocess, sys
server = subprocess.Popen(sys.argv[3:], stdin=int(sys.argv[1]), stdout=int(sys.argv[2]),
                          stderr=subprocess.DEVNULL, pass_fds=(int(sys.argv[1]), int(sys.argv[2])))
print(server.pid, flush=True)
server.wait()
"""


def test_server_exits_when_the_client_process_dies() -> None:
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(in_r), str(out_w), *SERVER],
        stdout=subprocess.PIPE, pass_fds=(in_r, out_w), cwd=str(ROOT),
    )
    os.close(in_r)
    os.close(out_w)  # the server (and, until it dies, the parent) hold the write end
    try:
        assert parent.stdout is not None
        server_pid = int(parent.stdout.readline())
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": parent.pid, "capabilities": {}}}
        os.write(in_w, frame(init))
        first = next(_frames(out_r))
        assert first.get("id") == 1 and "result" in first
        assert _alive(server_pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        # The server's output closes when it exits (its input is still open: ours).
        deadline = time.monotonic() + HANG
        while time.monotonic() < deadline:
            ready, _, _ = select.select([out_r], [], [], 1.0)
            if ready and not os.read(out_r, 65536):
                break
        else:
            raise AssertionError("the server outlived its client")
        deadline = time.monotonic() + HANG
        while _alive(server_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(server_pid)
    finally:
        os.close(in_w)
        os.close(out_r)
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_a_process_id_not_visible_here_is_not_watched() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid now names no process (as a host pid seen from a container)
    client = RawClient()
    try:
        assert "result" in client.initialize(processId=gone.pid)
        time.sleep(3 * WATCH_SECONDS)  # not a timing: three chances to wrongly exit
        assert client.stats()["documents"] == 0
    finally:
        assert client.stop() == 0


def _frames(fd: int) -> Iterator[dict[str, Any]]:
    """The messages read from a raw file descriptor, in order (a chunk may hold several)."""
    data = b""
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if sep:
            length = next(int(v) for k, _, v in (h.partition(b":") for h in head.split(b"\r\n"))
                          if k.strip().lower() == b"content-length")
            if len(rest) >= length:
                data = rest[length:]
                yield dict(json.loads(rest[:length]))
                continue
        ready, _, _ = select.select([fd], [], [], HANG)
        assert ready, "no answer"
        chunk = os.read(fd, 65536)
        assert chunk, "the server closed its output"
        data += chunk


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting for a parent that may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


# The server with hover broken inside (its module's markdown replaced): a bug in one feature.
BROKEN_HOVER = [sys.executable, "-c", (
    "import sys, types\n"
    "from shapelens.lsp import hover\n"
    "def boom(*args):\n"
    "    raise RuntimeError('hover is broken')\n"
    "hover.markdown = types.SimpleNamespace(explain=boom)\n"
    "from shapelens.cli import main\n"
    "sys.exit(main(['server']))\n"
)]


def test_a_crashing_hover_leaves_hints_and_diagnostics_working() -> None:
    client = RawClient(BROKEN_HOVER)
    try:
        client.initialize(initializationOptions={"parameterHints": False})
        uri = client.open(UNET)
        position = {"textDocument": {"uri": uri}, "position": {"line": 12, "character": 14}}
        for _ in range(3):
            got = client.call("textDocument/hover", position)
            assert got["error"]["code"] == -32603 and "hover is broken" in got["error"]["message"]
        # Off any call, hover has nothing to explain and answers normally.
        off = client.call("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 0, "character": 0}})
        assert off["result"] is None
        assert client.stats()["errors_sent"] == {"-32603": 3}
        assert labels_by_start(client.hints(uri)) == tf_labels(UNET)
        valid = client.open(ROOT / "examples" / "unet_valid.py")
        lenses = client.call("textDocument/codeLens", {"textDocument": {"uri": valid}})
        assert lenses["result"]
        broken = client.open(BROKEN)
        deadline = time.monotonic() + HANG
        while time.monotonic() < deadline and not any(
            n.get("method") == "textDocument/publishDiagnostics"
            and n["params"]["uri"] == broken and n["params"]["diagnostics"]
            for n in client.notifications
        ):
            client.stats()  # reading answers collects the notifications in between
        diags = [n["params"]["diagnostics"] for n in client.notifications
                 if n.get("method") == "textDocument/publishDiagnostics"
                 and n["params"]["uri"] == broken]
        assert diags and any(d["code"] == "shape-mismatch" for d in diags[-1])
    finally:
        assert client.stop() == 0


def test_tcp_serves_and_exits_like_stdio() -> None:
    import socket

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*SERVER, "--tcp", f"127.0.0.1:{port}"], cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + HANG
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                assert time.monotonic() < deadline, "the server never listened"
                time.sleep(0.2)
        with sock:
            sock.sendall(b"Content-Length: 2\r\n\r\n{]" + frame(
                {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"capabilities": {}}}))
            answers = _frames(sock.fileno())
            assert next(answers) == {"jsonrpc": "2.0", "id": None, "error": {
                "code": -32700, "message": "Parse error: Expecting property name enclosed in "
                "double quotes: line 1 column 2 (char 1)"}}
            assert "result" in next(answers)
            sock.sendall(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
                         + frame({"jsonrpc": "2.0", "method": "exit"}))
            assert proc.wait(HANG) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
