// "ShapeLens: Show Model Graph": a webview beside the editor drawing the document's models with
// the same script as `shapelens graph` (dist/graphview.js, built from ../graphview). Strict CSP
// (scripts by nonce, nothing from the network), the editor's theme colours, a node click reveals
// its line, and the drawing follows edits.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';

export const SERVER_GRAPH = 'shapelens.graph'; // the server's command (server/shapelens/lsp/graph.py)
export const SHOW_GRAPH = 'shapelens.showModelGraph';

type FetchGraph = (uri: string) => Promise<unknown>;

export class GraphPanel {
    private static panels = new Map<string, GraphPanel>();
    private timer: NodeJS.Timeout | undefined;
    private readonly disposables: vscode.Disposable[] = [];

    static show(context: vscode.ExtensionContext, uri: vscode.Uri, fetch: FetchGraph, model?: number): void {
        const key = uri.toString();
        const open = GraphPanel.panels.get(key);
        if (open) {
            open.panel.reveal(vscode.ViewColumn.Beside, true);
            void open.refresh(model);
            return;
        }
        GraphPanel.panels.set(key, new GraphPanel(context, uri, fetch, model));
    }

    private readonly panel: vscode.WebviewPanel;

    private constructor(
        context: vscode.ExtensionContext,
        private readonly uri: vscode.Uri,
        private readonly fetch: FetchGraph,
        model: number | undefined,
    ) {
        const name = uri.path.split('/').pop() ?? 'model';
        // No resource loads at all (localResourceRoots empty): the drawing script is inlined,
        // which also spares the resource service worker of VS Code in the browser.
        this.panel = vscode.window.createWebviewPanel(
            'shapelens.graph',
            `Graph: ${name}`,
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
            { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true },
        );
        this.panel.webview.html = this.html(readFileSync(context.asAbsolutePath('dist/graphview.js'), 'utf8'));
        this.disposables.push(
            this.panel.webview.onDidReceiveMessage((m) => this.onMessage(m)),
            vscode.workspace.onDidChangeTextDocument((e) => {
                if (e.document.uri.toString() === this.uri.toString() && e.contentChanges.length) {
                    this.refreshSoon();
                }
            }),
        );
        this.panel.onDidDispose(() => this.dispose());
        void this.refresh(model);
    }

    private html(script: string): string {
        const nonce = randomBytes(16).toString('base64');
        const csp = [
            "default-src 'none'",
            `script-src 'nonce-${nonce}'`,
            // the drawing's own <style> elements and zoom transform; nothing from anywhere
            "style-src 'unsafe-inline'",
        ].join('; ');
        return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0"></head>
<body><div id="app"></div>
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const view = ShapeLensGraph.mount(document.getElementById('app'), { models: [] }, {
    nonce: '${nonce}',
    onNode: (n) => vscode.postMessage({ type: 'reveal', line: n.line }),
});
window.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'graph') {
        view.update(e.data.graph, e.data.model);
        document.body.dataset.version = String(e.data.version);
    }
});
vscode.postMessage({ type: 'ready' });
</script></body></html>`;
    }

    private version = 0;

    private async refresh(model?: number): Promise<void> {
        let graph: unknown;
        try {
            graph = await this.fetch(this.uri.toString());
        } catch {
            graph = undefined;
        }
        if (graph && typeof graph === 'object' && Array.isArray((graph as { models?: unknown }).models)) {
            this.version += 1;
            void this.panel.webview.postMessage({ type: 'graph', graph, model, version: this.version });
        }
    }

    private refreshSoon(): void {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), 400);
    }

    private async onMessage(m: { type?: string; line?: number }): Promise<void> {
        if (m.type === 'ready') {
            await this.refresh();
        } else if (m.type === 'reveal' && typeof m.line === 'number' && m.line > 0) {
            const doc = await vscode.workspace.openTextDocument(this.uri);
            const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
            const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One });
            const pos = new vscode.Position(m.line - 1, doc.lineAt(m.line - 1).firstNonWhitespaceCharacterIndex);
            editor.selection = new vscode.Selection(pos, pos);
            editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        }
    }

    private dispose(): void {
        clearTimeout(this.timer);
        GraphPanel.panels.delete(this.uri.toString());
        for (const d of this.disposables) {
            d.dispose();
        }
    }
}
