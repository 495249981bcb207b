"""The JSON-RPC and LSP message rules pygls 2.1.1 leaves out: every bad request gets its error.

pygls drops an unparseable body, a non-object, a wrong `jsonrpc` and params that do not match the
LSP types without answering (the client waits forever), serves requests before `initialize`,
ignores requests after `shutdown` unanswered and never forgets notification futures; here each
message is checked before pygls dispatches it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Callable, Generator
from functools import partial
from typing import Any
from urllib.parse import unquote

import attrs
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage

from .encoded import Encoded

log = logging.getLogger("shapelens")

# Answered before `initialize` and after `shutdown` (LSP: everything else is refused or dropped).
_ALWAYS = {types.EXIT}
# The client's mistakes: answered, logged as a warning, not as a server fault with a traceback.
_CLIENT_ERRORS = {-32600, -32601, -32602, -32002}
# Notifications about an open document; for any other document pygls raises (a logged traceback).
_NEEDS_OPEN = {types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_CLOSE}
# The same for notebooks (pygls raises KeyError on a change to a notebook or cell it never saw).
_NEEDS_OPEN_NOTEBOOK = {
    types.NOTEBOOK_DOCUMENT_DID_CHANGE, types.NOTEBOOK_DOCUMENT_DID_SAVE,
    types.NOTEBOOK_DOCUMENT_DID_CLOSE,
}


class ShapeLensProtocol(LanguageServerProtocol):
    """pygls' LSP protocol with the base protocol's error rules enforced on every message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialize_seen = False
        self.exit_code: int | None = None
        self.on_exit: Callable[[int], None] = lambda code: None
        # Called with initialize's processId as soon as it is read (the transport watches it).
        self.on_client_pid: Callable[[int], None] = lambda pid: None
        # Called with each answer we wrote as JSON (a hint list) once it is written.
        self.on_sent: Callable[[Encoded], None] = lambda answer: None
        self.errors_sent: Counter[int] = Counter()  # error code -> error answers sent
        self.dropped = 0  # notifications (unknown, malformed, out of order), bad responses

    # --- entry point ------------------------------------------------------------------------

    def misframed(self, raw: Any) -> None:
        """A JSON message whose Content-Length was wrong: refused, with its id when it has one
        (so the client's request ends instead of waiting)."""
        msg_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(msg_id, (str, int)) and not isinstance(msg_id, bool) and "method" in raw:
            error = JsonRpcInvalidRequest("Content-Length did not match the message")
            return self.reply_error(msg_id, error)
        if isinstance(raw, dict) and "method" in raw and "id" not in raw:
            return self._drop("a notification whose Content-Length did not match")
        return self.reply_error(None, JsonRpcInvalidRequest("Content-Length did not match"))

    def receive_json(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            kind = "a batch (LSP has none)" if isinstance(raw, list) else type(raw).__name__
            return self.reply_error(None, JsonRpcInvalidRequest(f"message is {kind}"))
        msg_id = raw.get("id")
        id_ok = isinstance(msg_id, (str, int)) and not isinstance(msg_id, bool)
        reply_id = msg_id if id_ok else None
        if raw.get("jsonrpc") != "2.0":
            return self.reply_error(reply_id, JsonRpcInvalidRequest('jsonrpc must be "2.0"'))
        if "method" not in raw:
            if id_ok and ("result" in raw or "error" in raw):
                return self._response(raw)
            return self.reply_error(reply_id, JsonRpcInvalidRequest("no method, result or error"))
        method = raw["method"]
        if not isinstance(method, str):
            return self.reply_error(reply_id, JsonRpcInvalidRequest("method must be a string"))
        if "id" in raw and not id_ok:
            return self.reply_error(None, JsonRpcInvalidRequest("id must be an integer or string"))
        is_request = "id" in raw
        refusal = self._refusal(method, is_request)
        if refusal is not None:
            if is_request:
                return self.reply_error(msg_id, refusal)
            return self._drop(f"{method}: {refusal.message}")
        if is_request and method not in self.fm.features and method not in self.fm.builtin_features:
            # Answered here: pygls also reports it as a server error (logged at ERROR).
            return self.reply_error(msg_id, JsonRpcMethodNotFound.of(method))
        message = self._structure(raw, method, is_request)
        if message is None:
            return
        if method in _NEEDS_OPEN and not self._is_open(message.params.text_document.uri):
            return self._drop(f"{method} for a document that is not open")
        if method in _NEEDS_OPEN_NOTEBOOK:
            problem = self._notebook_problem(message.params)
            if problem:
                return self._drop(f"{method}: {problem}")
        self._dispatch(message)

    # --- checks ---------------------------------------------------------------------------

    def _refusal(self, method: str, is_request: bool) -> JsonRpcException | None:
        """What the lifecycle says about this method now (None: go ahead)."""
        if method in _ALWAYS:
            return None
        if self._shutdown:
            return JsonRpcInvalidRequest("the server is shut down: only exit is accepted")
        if method == types.INITIALIZE:
            if self.initialize_seen:
                return JsonRpcInvalidRequest("initialize was already sent")
            return None
        if not self.initialize_seen:
            return JsonRpcServerNotInitialized("the server is not initialized")
        return None

    def _structure(self, raw: dict[str, Any], method: str, is_request: bool) -> Any:
        params = raw.get("params")
        known = self.get_message_type(method)
        if known is None:  # a method LSP does not define: ours, or unknown (pygls answers it)
            if is_request:
                return JsonRPCRequestMessage(raw["id"], method, "2.0", params)
            return JsonRPCNotification(method, "2.0", params)
        has_id = any(a.name == "id" for a in attrs.fields(known))
        if is_request != has_id:
            what = "a request" if has_id else "a notification"
            if is_request:
                return self.reply_error(raw["id"], JsonRpcInvalidRequest(f"{method} is {what}"))
            return self._drop(f"{method} is {what}")
        try:
            return self._converter.structure(raw, known)
        except Exception as e:  # cattrs' validation errors: wrong type or missing field
            reason = _reason(e)
            if is_request:
                return self.reply_error(
                    raw["id"], JsonRpcInvalidParams(f"invalid params for {method}: {reason}")
                )
            return self._drop(f"invalid params for {method}: {reason}")

    def _response(self, raw: dict[str, Any]) -> None:
        """A response to one of our requests (workspace/configuration, ...)."""
        try:
            message = self.structure_message(raw)
        except Exception as e:  # an error object of the wrong shape: the client's mistake
            return self._drop(f"unreadable response {raw.get('id')!r}: {_reason(e)}")
        self._dispatch(message)

    def _is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls' own key

    def _notebook_problem(self, params: Any) -> str | None:
        """Why pygls could not apply this notebook notification (None: it can)."""
        notebook = self.workspace.get_notebook_document(notebook_uri=params.notebook_document.uri)
        if notebook is None:
            return "the notebook is not open"
        cells = getattr(getattr(params, "change", None), "cells", None)
        if cells is None:
            return None
        opened = set()
        if cells.structure is not None:
            array = cells.structure.array
            if not 0 <= array.start <= len(notebook.cells) or array.delete_count < 0:
                return "the cell array change is out of range"
            opened = {unquote(d.uri) for d in cells.structure.did_open or []}
        for content in cells.text_content or []:
            uri = unquote(content.document.uri)
            if uri not in opened and uri not in self.workspace.text_documents:
                return f"a change to a cell that is not open: {content.document.uri}"
        return None

    def _dispatch(self, message: Any) -> None:
        if getattr(message, "method", None) == types.INITIALIZE:
            self.initialize_seen = True
            if message.params.process_id is not None:
                self.on_client_pid(message.params.process_id)
        self.handle_message(message)

    # --- answers ---------------------------------------------------------------------------

    def reply_error(self, msg_id: int | str | None, error: JsonRpcException) -> None:
        # Written as a plain dict: lsprotocol's converter would omit "id": null, which
        # JSON-RPC requires when the request's id could not be read.
        self.errors_sent[error.code] += 1
        log.warning("answering %s with %s: %s", msg_id, error.code, error.message)
        body = {"code": error.code, "message": error.message}
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": body})

    def _send_data(self, data: Any) -> None:
        result = getattr(data, "result", None)
        if not isinstance(result, Encoded) or getattr(data, "error", None) is not None:
            return super()._send_data(data)
        # A result we wrote as JSON ourselves (a hint list): framed as pygls frames the rest,
        # ASCII (json.dumps' default), so its length in characters is its length in bytes.
        body = f'{{"id": {json.dumps(data.id)}, "jsonrpc": "2.0", "result": {result.text}}}'
        if self.writer is None:
            log.error("no transport to send the answer to %s", data.id)
            return
        header = (f"Content-Length: {len(body)}\r\n"
                  f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n")
        # Both our transports (transport.py: stdio, TCP) write at once and return nothing.
        self.writer.write((header + body).encode(self.CHARSET)
                          if self._include_headers else body.encode(self.CHARSET))
        self.on_sent(result)

    def _drop(self, why: str) -> None:
        self.dropped += 1
        log.warning("ignoring notification: %s", why)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        """LSP: exit code 0 after shutdown, 1 without; the transport ends the process (pygls
        raised SystemExit inside the loop, which its own start_io swallowed: always 0)."""
        self.exit_code = 0 if self._shutdown else 1
        self.on_exit(self.exit_code)
        yield from ()  # pygls' signature: a generator handler

    # --- pygls bookkeeping -------------------------------------------------------------------

    def _handle_notification(self, method_name: str, params: Any) -> None:
        # Count the unknown notifications pygls ignores (LSP: a server ignores them; `$/` too).
        if method_name != types.CANCEL_REQUEST:
            try:
                self._get_handler(method_name)
            except JsonRpcMethodNotFound:
                self.dropped += 1
        super()._handle_notification(method_name, params)

    def _send_handler_result(self, future: Any, *, msg_id: Any) -> None:
        error = None if future.cancelled() else future.exception()
        if isinstance(error, JsonRpcException) and error.code in _CLIENT_ERRORS:
            self._request_futures.pop(msg_id, None)
            self.errors_sent[error.code] += 1
            log.warning("answering %s with %s: %s", msg_id, error.code, error.message)
            return self._send_response(msg_id, error=error.to_response_error())
        if error is not None:  # pygls answers it (InternalError for anything not JSON-RPC)
            self.errors_sent[error.code if isinstance(error, JsonRpcException) else -32603] += 1
        super()._send_handler_result(future, msg_id=msg_id)

    def _execute_handler(
        self,
        msg_id: Any,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        # pygls files the future of every notification (and of every step of its built-in
        # generator handlers) under a fresh id and only removes request futures: one leaked
        # entry per didChange. Forget them once done.
        answered = isinstance(callback, partial) and callback.func == self._send_handler_result
        future = self._request_futures.get(msg_id)
        if future is not None and not answered:
            # Later, not in the callback: pygls' shutdown cancels these futures while iterating
            # over the dict (a cancel runs its callbacks at once).
            loop = asyncio.get_running_loop()
            future.add_done_callback(
                lambda _f: loop.call_soon_threadsafe(self._request_futures.pop, msg_id, None)
            )


def _reason(error: Exception) -> str:
    """cattrs' error as `what @ $.params.where` lines, short enough for a message."""
    from cattrs import transform_error

    try:
        text = "; ".join(transform_error(error, path="$"))
    except Exception:  # not a cattrs error
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:300]
