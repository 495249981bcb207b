"""Serves the protocol over stdio or TCP, and decides when the process ends.

It ends on `exit` (0 after shutdown, 1 without), when the input or output closes, and when the
client process named in `initialize` (processId, if visible here) dies; pygls 2.1.1 returned 0
on every exit and watched no process.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from pygls.exceptions import JsonRpcParseError
from pygls.io_ import StdoutWriter

from .framing import Frame, FrameParser, resync

if TYPE_CHECKING:
    from .server import ShapeLensServer

log = logging.getLogger("shapelens")

STALL_SECONDS = 1.0  # quiet this long mid-body: check whether the length was too long
WATCH_SECONDS = 1.0  # how often the client's process is checked


def serve_stdio(server: ShapeLensServer) -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by accident would corrupt the message stream: send it to stderr.
    sys.stdout = sys.stderr
    server.protocol.set_writer(_Writer(stdout, server))
    return asyncio.run(_serve_stdio(server, stdin.fileno()))


class _Writer(StdoutWriter):
    def __init__(self, stdout: Any, server: ShapeLensServer) -> None:
        super().__init__(stdout)
        self.server = server

    def write(self, data: bytes) -> None:
        try:
            super().write(data)
        except OSError:  # the client closed our output: nobody is listening any more
            self.server.protocol.on_exit(1)


async def _serve_stdio(server: ShapeLensServer, fd: int) -> int:
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue()

    def pump() -> None:
        # A daemon thread: a read blocked on a client that never closes its end must not keep
        # the process alive after `exit`.
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            loop.call_soon_threadsafe(chunks.put_nowait, chunk)
            if not chunk:
                return

    threading.Thread(target=pump, name="shapelens-stdin", daemon=True).start()
    return await serve(server, chunks)


def serve_tcp(server: ShapeLensServer, host: str, port: int) -> int:
    async def main() -> int:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            server.protocol.set_writer(writer)
            chunks: asyncio.Queue[bytes] = asyncio.Queue()

            async def pump() -> None:
                while chunk := await reader.read(1 << 16):
                    chunks.put_nowait(chunk)
                chunks.put_nowait(b"")

            task = asyncio.ensure_future(pump())
            code = await serve(server, chunks)
            task.cancel()
            writer.close()
            if not done.done():
                done.set_result(code)

        listener = await asyncio.start_server(connection, host, port)
        log.info("listening on %s:%s", host, port)
        async with listener:
            return await done  # one client per server, as editors start one per workspace

    return asyncio.run(main())


async def serve(server: ShapeLensServer, chunks: asyncio.Queue[bytes]) -> int:
    """Feed framed messages to the protocol until exit, end of input or the client's death."""
    protocol = server.protocol
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[int] = loop.create_future()

    def end(code: int) -> None:
        if not ended.done():
            ended.set_result(code)

    watching: list[asyncio.Future[None]] = []

    def watch(pid: int) -> None:
        # Checked at once: a client that is already gone must not pass for an invisible one.
        if not alive(pid):
            # Not visible from here (the editor runs outside this container's pid namespace,
            # or sent a wrong id): exiting would end a healthy session; end of input still does.
            log.warning("client process %s is not visible: not watching it", pid)
            return
        watching.append(asyncio.ensure_future(_watch_client(pid, end)))

    protocol.on_exit = end
    protocol.on_client_pid = watch
    reading = asyncio.ensure_future(_read(server, chunks, end))
    try:
        code = await ended
    finally:
        reading.cancel()
        for task in watching:
            task.cancel()
        server.docs.shutdown()
    log.info("exiting with %s", code)
    return code


async def _read(server: ShapeLensServer, chunks: asyncio.Queue[bytes], end: Any) -> None:
    protocol = server.protocol
    parser = FrameParser()
    while True:
        try:
            timeout = STALL_SECONDS if parser.pending_body() else None
            chunk = await asyncio.wait_for(chunks.get(), timeout)
        except asyncio.TimeoutError:
            stalled = parser.stalled()
            if stalled is not None:
                _handle(server, parser, stalled)
                _drain(server, parser)
            continue
        if not chunk:
            # End of input: the client is gone (LSP: exit code 1 unless it shut us down).
            end(0 if protocol._shutdown else 1)
            return
        parser.feed(chunk)
        _drain(server, parser)


def _drain(server: ShapeLensServer, parser: FrameParser) -> None:
    # Nothing after `exit` counts, even in the same chunk.
    while server.protocol.exit_code is None and (frame := parser.next()) is not None:
        _handle(server, parser, frame)


def _handle(server: ShapeLensServer, parser: FrameParser, frame: Frame) -> None:
    protocol, body = server.protocol, frame.body
    try:
        if frame.error is not None:
            return protocol.reply_error(None, JsonRpcParseError(f"Parse error: {frame.error}"))
        try:
            raw = json.loads(body)
        except ValueError as e:  # JSONDecodeError, and UnicodeDecodeError for non-UTF-8 bytes
            cut = resync(body)
            if cut is None:
                return protocol.reply_error(None, JsonRpcParseError(f"Parse error: {e}"))
            end, whole = cut
            parser.unread(body[end:])  # the next message, swallowed by a too-long length
            if whole:
                return protocol.misframed(json.loads(body[:end]))
            return protocol.reply_error(None, JsonRpcParseError(f"Parse error: {e}"))
        if frame.misframed:
            return protocol.misframed(raw)
        protocol.receive_json(raw)
    except Exception:  # one message must never end the loop
        log.exception("failed to handle a message")


async def _watch_client(pid: int, end: Any) -> None:
    while alive(pid):
        await asyncio.sleep(WATCH_SECONDS)
    log.warning("client process %s is gone: exiting", pid)
    end(1)


def alive(pid: int) -> bool:
    """Whether a process runs (POSIX; elsewhere assumed alive: os.kill would terminate it)."""
    if os.name != "posix" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    # A zombie has exited; only its parent has not collected it yet.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            state = fh.read().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")
