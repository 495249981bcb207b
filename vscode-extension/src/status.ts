// The status-bar item: a spinner while an analysis runs, an error mark when the server can't start.
// The server sends no progress, so "running" is from a document change until its diagnostics arrive.
import * as vscode from 'vscode';

// A result that never comes (a cancelled analysis, a crashed server) must not spin forever.
const GIVE_UP_MS = 30000;

export class AnalysisStatus implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('shapelens.status', vscode.StatusBarAlignment.Left, 0);
    private readonly pending = new Map<string, NodeJS.Timeout>();
    private failed: string | undefined;

    constructor() {
        this.item.name = 'ShapeLens';
        this.item.command = 'shapelens.showLog';
    }

    started(uri: vscode.Uri): void {
        const key = uri.toString();
        clearTimeout(this.pending.get(key));
        this.pending.set(key, setTimeout(() => this.finished(uri), GIVE_UP_MS));
        this.render();
    }

    finished(uri: vscode.Uri): void {
        const key = uri.toString();
        clearTimeout(this.pending.get(key));
        if (this.pending.delete(key)) {
            this.render();
        }
    }

    /** Shows that the server is not running (`reason` as the tooltip), or clears that with undefined. */
    setFailed(reason: string | undefined): void {
        this.failed = reason;
        if (reason) {
            this.clear();
        }
        this.render();
    }

    clear(): void {
        for (const t of this.pending.values()) {
            clearTimeout(t);
        }
        this.pending.clear();
        this.render();
    }

    private render(): void {
        if (this.failed) {
            this.item.text = '$(error) ShapeLens';
            this.item.tooltip = this.failed;
            this.item.show();
        } else if (this.pending.size > 0) {
            this.item.text = '$(sync~spin) ShapeLens';
            this.item.tooltip = 'ShapeLens is analysing shapes';
            this.item.show();
        } else {
            this.item.hide();
        }
    }

    dispose(): void {
        this.clear();
        this.item.dispose();
    }
}
