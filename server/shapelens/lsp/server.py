"""The ShapeLens language server (pygls 2): document sync, settings, and feature registration.

Handlers live one per feature module (hints, hover, codelens, actions, notebooks); each asks the
analyser through `Documents` and converts; none computes a shape. Never imports TensorFlow or user
code. A notebook's cells are one analysis (notebooks.py); requests on a cell go through its View.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import logging
import os
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from .. import __version__
from . import actions, codelens, convert, graph, hints, hover, logs, notebooks, stats, transport
from .encoded import HintWriter
from .garbage import IdleCollector
from .protocol import ShapeLensProtocol
from .settings import Settings, parse
from .state import Documents

log = logging.getLogger("shapelens")
RELEASE_AFTER = 0.1  # seconds


class ShapeLensServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "shapelens",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks.SYNC,
            protocol_cls=ShapeLensProtocol,
        )
        self.protocol: ShapeLensProtocol
        self.settings = Settings()
        self.docs = Documents()
        self.hint_writer = HintWriter()
        self.collector = IdleCollector(self.docs.busy)
        self.background: set[asyncio.Task[Any]] = set()
        self.published: dict[str, set[str]] = {}  # notebook URI -> cells with diagnostics shown
        # A document's paused analysis runs once its hints are out, or RELEASE_AFTER seconds
        # after its diagnostics (a client that asks no hints).
        self.protocol.on_sent = lambda answer: self.docs.release_paused(answer.key)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # Log instead of popping a message up in the editor for every out-of-band failure.
        log.error("server error (%s): %r", getattr(source, "__name__", source), error)

    def document(self, uri: str) -> TextDocument:
        """An open document or notebook cell; requests for any other answer InvalidParams."""
        if not self.docs.known(self.view(uri).key):
            raise JsonRpcInvalidParams(f"document is not open: {uri}")
        return self.workspace.get_text_document(uri)

    def view(self, uri: str) -> notebooks.View:
        """Which analysis answers for `uri` (a cell's: its notebook's), and what of it is there."""
        return notebooks.view(self, uri)

    def apply_settings(self, raw: Any) -> None:
        """Settings from the client (camelCase); open documents are re-analysed if they changed."""
        settings, problems = parse(raw, self.settings)
        for p in problems:
            log.warning(p)
        if settings != self.settings:
            self.settings = settings
            for uri in list(self.docs.latest):
                self.analyse(uri)

    async def pull_settings(self) -> None:
        """Ask the client for the `shapelens` section, where it supports workspace/configuration."""
        workspace = self.client_capabilities.workspace
        if not (workspace and workspace.configuration):
            return
        item = types.ConfigurationItem(section="shapelens")
        try:
            got = await asyncio.wait_for(
                self.workspace_configuration_async(types.ConfigurationParams(items=[item])), 10
            )
        except Exception as e:  # a client that never answers must not stall the server
            log.warning("workspace/configuration failed: %r", e)
            return
        if got and isinstance(got[0], dict):
            self.apply_settings(got[0])

    def with_workspace_roots(self, path: str) -> Settings:
        """The settings for `path`, its workspace folder added to where imports are found (the
        folder a user runs the project from, as the editor knows it)."""
        folders = [uris.to_fs_path(f.uri) for f in self.workspace.folders.values()]
        here = os.path.abspath(path)
        roots = [f for f in [*folders, self.workspace.root_path] if f
                 and here.startswith(os.path.abspath(f) + os.sep)]
        extra = [*self.settings.extra_paths, *(r for r in roots if r not in
                                               self.settings.extra_paths)]
        return dataclasses.replace(self.settings, extra_paths=extra)

    def analyse(self, uri: str) -> None:
        nb = self.workspace.get_notebook_document(notebook_uri=uri)
        if nb is not None:
            prog = notebooks.program_of(self.workspace, nb)
            settings = self.with_workspace_roots(prog.path)
            fut = self.docs.schedule(uri, prog.path, nb.version, prog.text, settings, prog)
        else:
            doc = self.workspace.get_text_document(uri)
            path = uris.to_fs_path(uri) or uri
            settings = self.with_workspace_roots(path)
            fut = self.docs.schedule(uri, path, doc.version or 0, doc.source, settings)
        task = asyncio.ensure_future(self.publish_when_done(uri, fut))
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def publish_when_done(self, uri: str, fut: Any) -> None:
        try:
            result = await fut
            self.collector.analysed()
            if result is None or not self.docs.is_current(uri, result):
                return
            asyncio.get_running_loop().call_later(RELEASE_AFTER, self.docs.release_paused, uri)
            if result.program is not None:
                return notebooks.publish(self, uri, result)
            doc = self.workspace.get_text_document(uri)
            diags = [convert.diagnostic(doc, f) for f in result.analysis.findings_for()]
        except Exception:  # the analyser must never take the server down, nor leave it mute
            log.exception("analysis failed for %s", uri)
            if not self.docs.known(uri) or self.workspace.get_notebook_document(notebook_uri=uri):
                return
            # The client still hears about this version: the reason, not a silent stale list.
            diags = [convert.internal_error()]
            result = None
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=result.version if result else None, diagnostics=diags))


server = ShapeLensServer()


@server.feature(types.INITIALIZE)
def initialize(ls: ShapeLensServer, params: types.InitializeParams) -> None:
    ls.settings, problems = parse(params.initialization_options)
    for p in problems:
        log.warning(p)


@server.feature(types.INITIALIZED)
async def initialized(ls: ShapeLensServer, params: types.InitializedParams) -> None:
    await ls.pull_settings()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: ShapeLensServer, params: types.DidChangeConfigurationParams
) -> None:
    # Clients that support `workspace/configuration` often send an empty notification as a
    # signal to pull; others push the settings in it.
    if isinstance(params.settings, dict) and params.settings:
        ls.apply_settings(params.settings)
    else:
        await ls.pull_settings()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ShapeLensServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.analyse(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ShapeLensServer, params: types.DidChangeTextDocumentParams) -> None:
    if ls.docs.known(params.text_document.uri):
        ls.analyse(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ShapeLensServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.docs.close(uri)
    ls.hint_writer.forget(uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)(notebooks.did_open)
server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)(notebooks.did_change)
server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)(notebooks.did_save)
server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)(notebooks.did_close)
server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=True))(
    hints.inlay_hints
)
server.feature(types.INLAY_HINT_RESOLVE)(hints.resolve)
server.feature(stats.METHOD)(stats.stats)
server.feature(types.TEXT_DOCUMENT_HOVER)(hover.hover)
server.feature(types.TEXT_DOCUMENT_CODE_LENS)(codelens.code_lens)
server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)(actions.code_actions)


@server.command(codelens.SHOW_SUMMARY)
async def show_summary(ls: ShapeLensServer, *args: Any) -> str | None:
    return await codelens.show_summary(
        ls, list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    )


@server.command(graph.SHOW_GRAPH)
async def show_graph(ls: ShapeLensServer, *args: Any) -> dict[str, Any] | None:
    return await graph.graph(
        ls, list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    )


def main(args: argparse.Namespace | None = None) -> int:
    logs.install()
    # Everything imported so far lives as long as the process: keep the collector off it.
    gc.freeze()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = tcp.rpartition(":")
        return transport.serve_tcp(server, host or "127.0.0.1", int(port))
    return transport.serve_stdio(server)
