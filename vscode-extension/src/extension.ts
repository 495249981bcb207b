// The ShapeLens extension: starts the bundled language server for Python files and notebooks'
// Python cells, mirrors its settings, and adds the summary and restart commands, the log channel
// and the status-bar item.
import * as vscode from 'vscode';
import {
    CodeLensRequest,
    DidChangeConfigurationNotification,
    ExecuteCommandRequest,
    InlayHintRequest,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    State,
} from 'vscode-languageclient/node';
import { GraphPanel, SERVER_GRAPH, SHOW_GRAPH } from './graph';
import { findInterpreter, onInterpreterChanged, MIN_PYTHON } from './python';
import { serverSettings } from './settings';
import { AnalysisStatus } from './status';

const SERVER_SUMMARY = 'shapelens.showSummary'; // the server's command (server/shapelens/lsp/codelens.py)
const SHOW_SUMMARY = 'shapelens.showModelSummary';
const SUMMARY_SCHEME = 'shapelens-summary';

let client: LanguageClient | undefined;
let log: vscode.LogOutputChannel;
let status: AnalysisStatus;
let lastFailure: string | undefined;
let restartTimer: NodeJS.Timeout | undefined;
let starting: Promise<void> = Promise.resolve();

const summaries = new Map<string, string>();
const summaryChanged = new vscode.EventEmitter<vscode.Uri>();

function isPython(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python';
}

async function startServer(context: vscode.ExtensionContext): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const { found, rejected } = await findInterpreter(folder?.uri);
    for (const r of rejected) {
        log.info(`not using ${r.command} (from ${r.source}): ${r.reason}`);
    }
    if (!found) {
        const tried = rejected.map((r) => `${r.command} from ${r.source}: ${r.reason}`).join('; ');
        const message =
            `ShapeLens needs Python ${MIN_PYTHON.join('.')} or newer to run its bundled server and found none ` +
            `(${tried}). Install Python ${MIN_PYTHON.join('.')}+, then select it with "Python: Select Interpreter" ` +
            'or set "shapelens.interpreter" to its path.';
        log.error(message);
        status.setFailed(message);
        // Once per distinct failure: a settings change that fails the same way stays quiet.
        if (message !== lastFailure) {
            lastFailure = message;
            void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Log').then((choice) => {
                if (choice === 'Open Settings') {
                    void vscode.commands.executeCommand('workbench.action.openSettings', 'shapelens.interpreter');
                } else if (choice === 'Show Log') {
                    log.show();
                }
            });
        }
        return;
    }
    lastFailure = undefined;
    status.setFailed(undefined);
    log.info(`starting the server with ${found.command} (Python ${found.version}, from ${found.source})`);

    const serverOptions: ServerOptions = {
        command: found.command,
        // -I: the user's PYTHONPATH and site-packages must not shadow the bundled libraries.
        args: ['-I', context.asAbsolutePath('bundled/tool/shapelens_server.py')],
        options: { cwd: folder?.uri.fsPath ?? context.extensionPath, env: { ...process.env } },
    };
    const clientOptions: LanguageClientOptions = {
        // Notebook cells are synced as notebooks (the server's notebookDocumentSync: all cells of
        // a notebook are one program); this selector gives the cells' editors hints, hover, etc.
        documentSelector: [
            { scheme: 'file', language: 'python' },
            { scheme: 'untitled', language: 'python' },
            { scheme: 'vscode-notebook-cell', language: 'python' },
        ],
        outputChannel: log,
        traceOutputChannel: log,
        revealOutputChannelOn: RevealOutputChannelOn.Never, // the log never pops up by itself
        initializationOptions: serverSettings(),
        middleware: {
            didOpen: (doc, next) => {
                if (isPython(doc)) {
                    status.started(doc.uri);
                }
                return next(doc);
            },
            didChange: (event, next) => {
                if (isPython(event.document) && event.contentChanges.length > 0) {
                    status.started(event.document.uri);
                }
                return next(event);
            },
            // The server publishes every code cell's diagnostics after each analysis of a notebook.
            notebooks: {
                didOpen: (notebook, cells, next) => {
                    cells.filter((c) => isPython(c.document)).forEach((c) => status.started(c.document.uri));
                    return next(notebook, cells);
                },
                didChange: (event, next) => {
                    for (const change of event.cells?.textContent ?? []) {
                        status.started(change.document.uri);
                    }
                    return next(event);
                },
            },
            handleDiagnostics: (uri, diagnostics, next) => {
                status.finished(uri);
                next(uri, diagnostics);
            },
            // The server pulls its section with workspace/configuration: answer with the same
            // resolved settings as initializationOptions (extraPaths with ${workspaceFolder} expanded).
            workspace: {
                configuration: (params, token, next) => {
                    if (params.items.every((item) => item.section === 'shapelens')) {
                        return params.items.map(() => serverSettings());
                    }
                    return next(params, token);
                },
            },
            // The server's lens command only returns the table: route it to ours, which shows it.
            provideCodeLenses: async (doc, token, next) => {
                const lenses = await next(doc, token);
                const graphs: vscode.CodeLens[] = [];
                for (const lens of lenses ?? []) {
                    if (lens.command?.command === SERVER_SUMMARY) {
                        lens.command = { ...lens.command, command: SHOW_SUMMARY };
                        // beside each model's summary lens, its graph
                        graphs.push(new vscode.CodeLens(lens.range, {
                            title: 'show graph', command: SHOW_GRAPH, arguments: lens.command.arguments,
                        }));
                    }
                }
                return lenses ? [...lenses, ...graphs] : lenses;
            },
        },
    };
    const c = new LanguageClient('shapelens', 'ShapeLens', serverOptions, clientOptions);
    c.onDidChangeState((e) => {
        if (e.newState === State.Stopped) {
            status.clear();
        }
    });
    client = c;
    try {
        await c.start();
    } catch (err) {
        const message = `ShapeLens: the server did not start with ${found.command}: ${String(err)}`;
        log.error(message);
        status.setFailed(message);
        void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && log.show());
    }
}

async function stopServer(): Promise<void> {
    const c = client;
    client = undefined;
    status.clear();
    if (c) {
        try {
            await c.stop();
        } catch (err) {
            log.warn(`stopping the server: ${String(err)}`);
        }
    }
}

function restart(context: vscode.ExtensionContext): Promise<void> {
    // Serialised: a restart requested while one runs waits for it instead of racing it.
    starting = starting.then(async () => {
        await stopServer();
        await startServer(context);
    });
    return starting;
}

/** Restart once after a burst of changes (an interpreter switch fires several events). */
function restartSoon(context: vscode.ExtensionContext): void {
    clearTimeout(restartTimer);
    restartTimer = setTimeout(() => void restart(context), 500);
}

function pushSettings(): void {
    const c = client;
    if (!c || !c.isRunning()) {
        return;
    }
    void c.sendNotification(DidChangeConfigurationNotification.type, { settings: { shapelens: serverSettings() } });
    // The server answers hint requests from its settings but does not ask the editor to re-ask.
    const hints = c.getFeature(InlayHintRequest.method);
    for (const editor of vscode.window.visibleTextEditors) {
        if (isPython(editor.document)) {
            hints.getProvider(editor.document)?.onDidChangeInlayHints.fire();
        }
    }
}

async function showSummary(uriArg?: string, indexArg?: number): Promise<void> {
    const c = client;
    if (!c || !c.isRunning()) {
        void vscode.window.showWarningMessage('ShapeLens: the server is not running (see the ShapeLens log).');
        return;
    }
    const editor = vscode.window.activeTextEditor;
    const uri = uriArg ?? (editor && isPython(editor.document) ? editor.document.uri.toString() : undefined);
    if (!uri) {
        void vscode.window.showInformationMessage('ShapeLens: open a Python file with a Keras model first.');
        return;
    }
    let index = indexArg;
    if (index === undefined) {
        const lenses = (await c.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
        const models = lenses
            .filter((l) => l.command?.command === SERVER_SUMMARY)
            .map((l) => ({ label: l.command?.title.replace(/ · show summary$/, '') ?? '', index: Number(l.command?.arguments?.[1]) }));
        if (models.length === 0) {
            void vscode.window.showInformationMessage('ShapeLens: no model found in this file.');
            return;
        }
        const picked = models.length === 1 ? models[0] : await vscode.window.showQuickPick(models, { placeHolder: 'Which model?' });
        if (!picked) {
            return;
        }
        index = picked.index;
    }
    const table = await c.sendRequest(ExecuteCommandRequest.type, { command: SERVER_SUMMARY, arguments: [uri, index] });
    if (typeof table !== 'string') {
        void vscode.window.showWarningMessage('ShapeLens: no summary for this model (the file may have changed).');
        return;
    }
    const name = vscode.Uri.parse(uri).path.split('/').pop() ?? 'model';
    const doc = vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${name} model ${index + 1} summary.txt` });
    summaries.set(doc.toString(), table);
    summaryChanged.fire(doc);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

function showGraph(context: vscode.ExtensionContext, uriArg?: string, index?: number): void {
    const editor = vscode.window.activeTextEditor;
    const uri = uriArg ?? (editor && isPython(editor.document) ? editor.document.uri.toString() : undefined);
    if (!uri) {
        void vscode.window.showInformationMessage('ShapeLens: open a Python file with a Keras model first.');
        return;
    }
    const fetch = async (u: string): Promise<unknown> => {
        const c = client;
        if (!c || !c.isRunning()) {
            return undefined;
        }
        return c.sendRequest(ExecuteCommandRequest.type, { command: SERVER_GRAPH, arguments: [u] });
    };
    GraphPanel.show(context, vscode.Uri.parse(uri), fetch, index);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    log = vscode.window.createOutputChannel('ShapeLens', { log: true });
    status = new AnalysisStatus();
    context.subscriptions.push(
        log,
        status,
        summaryChanged,
        vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, {
            onDidChange: summaryChanged.event,
            provideTextDocumentContent: (uri) => summaries.get(uri.toString()) ?? '',
        }),
        vscode.commands.registerCommand(SHOW_SUMMARY, (uri?: string, index?: number) => showSummary(uri, index)),
        vscode.commands.registerCommand(SHOW_GRAPH, (uri?: string, index?: number) => showGraph(context, uri, index)),
        vscode.commands.registerCommand('shapelens.restart', () => {
            lastFailure = undefined; // asked for explicitly: say again why it cannot start
            return restart(context);
        }),
        vscode.commands.registerCommand('shapelens.showLog', () => log.show()),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('shapelens.interpreter')) {
                restartSoon(context);
            } else if (e.affectsConfiguration('shapelens')) {
                pushSettings();
            }
        }),
        { dispose: () => void stopServer() },
    );
    const watcher = await onInterpreterChanged(() => restartSoon(context));
    if (watcher) {
        context.subscriptions.push(watcher);
    }
    await restart(context);
}

export async function deactivate(): Promise<void> {
    clearTimeout(restartTimer);
    await stopServer();
}
